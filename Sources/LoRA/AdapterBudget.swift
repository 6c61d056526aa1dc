import NN

/// Counts and bytes for a model's parameters as they stand (some frozen, some trainable).
///
/// ```
/// weights          4 · total bytes (float32)
/// gradients        4 · trainable bytes  (frozen parameters need none — their grads are never read)
/// optimizer states bytesPerParameter · trainable   (8 for 32-bit AdamW: m and v;
///                                                    ≈ 2 for 8-bit Adam, see Optimizers)
/// ```
public struct AdapterBudget: Equatable, Sendable {
    public let totalParameters: Int
    public let trainableParameters: Int
    public var frozenParameters: Int { totalParameters - trainableParameters }
    /// trainable / total.
    public var trainableFraction: Double {
        totalParameters > 0 ? Double(trainableParameters) / Double(totalParameters) : 0
    }

    public init(_ parameters: [Parameter]) {
        totalParameters = parameters.reduce(0) { $0 + $1.count }
        trainableParameters = parameters.filter(\.isTrainable).reduce(0) { $0 + $1.count }
    }

    public var weightBytes: Int { 4 * totalParameters }
    public var gradientBytes: Int { 4 * trainableParameters }
    /// Optimizer-state bytes at `bytesPerParameter` per trainable parameter (8: AdamW, 32-bit).
    public func optimizerStateBytes(bytesPerParameter: Double = 8) -> Int {
        Int((Double(trainableParameters) * bytesPerParameter).rounded())
    }
}
