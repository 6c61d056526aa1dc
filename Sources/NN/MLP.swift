import Core

/// A multi-layer perceptron classifier: Linear → activation → … → Linear, trained with
/// softmax cross-entropy. Chapter 5 trains it with 32-bit and 8-bit Adam and compares the
/// loss curves; the paging simulation uses its real activation sizes.
///
/// ```
/// sizes = [in, h₁, h₂, …, out]
/// x: [rows][in] → fc1 → act → fc2 → act → … → fcₙ → logits: [rows][out]
/// parameters, in order: fc1.weight [h₁][in], fc1.bias [h₁], fc2.weight, fc2.bias, …
/// ```
public final class MLP: Layer {
    public enum Activation: String, Sendable {
        case relu
        /// GELU, tanh approximation (as GPT-2).
        case gelu
    }

    /// Layer widths: input, hidden…, output.
    public let sizes: [Int]
    public let activation: Activation
    /// The Linear layers, first to last.
    public let linears: [Linear]
    /// Linear, activation, Linear, activation, …, Linear — the order `forward` runs them.
    public let layers: [any Layer]
    private let criterion = SoftmaxCrossEntropy()

    public init(sizes: [Int], activation: Activation = .relu, name: String = "mlp", rng: inout SeededRNG) {
        precondition(
            sizes.count >= 2 && sizes.allSatisfy { $0 > 0 },
            "MLP: need at least input and output sizes, all positive")
        self.sizes = sizes
        self.activation = activation
        var linears: [Linear] = []
        var layers: [any Layer] = []
        for i in 0..<(sizes.count - 1) {
            let fc = Linear(inFeatures: sizes[i], outFeatures: sizes[i + 1], name: "\(name).fc\(i + 1)", rng: &rng)
            linears.append(fc)
            layers.append(fc)
            if i < sizes.count - 2 { layers.append(activation == .relu ? ReLU() as any Layer : GELU()) }
        }
        self.linears = linears
        self.layers = layers
    }

    public var parameters: [Parameter] { linears.flatMap(\.parameters) }

    /// Logits for a batch of inputs.
    public func forward(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1.forward($0) }
    }

    /// dL/dx from dL/dlogits, accumulating every parameter's gradient on the way.
    public func backward(_ dy: Tensor) -> Tensor {
        layers.reversed().reduce(dy) { $1.backward($0) }
    }

    /// One forward and backward pass: zeroes the gradients, returns the mean cross-entropy
    /// and leaves dL/dθ in every parameter's `grad`, ready for an optimizer step.
    public func lossAndGradients(_ x: Tensor, labels: [Int]) -> Float {
        parameters.zeroGrad()
        let loss = criterion.forward(forward(x), targets: labels)
        _ = backward(criterion.backward())
        return loss
    }

    /// The mean cross-entropy without touching gradients (evaluation).
    public func loss(_ x: Tensor, labels: [Int]) -> Float {
        SoftmaxCrossEntropy().forward(forward(x), targets: labels)
    }

    /// The fraction of rows whose largest logit is the label.
    public func accuracy(_ x: Tensor, labels: [Int]) -> Double {
        let logits = forward(x)
        var correct = 0
        for (r, label) in labels.enumerated() {
            let row = logits.row(r)
            if row.indices.max(by: { row[$0] < row[$1] }) == label { correct += 1 }
        }
        return Double(correct) / Double(max(labels.count, 1))
    }

    /// Floats kept alive between forward and backward for `rows` input rows, times 4 bytes:
    /// every Linear caches its input, every activation one float per value (ReLU its input,
    /// GELU its derivative), and the loss its probabilities next to the logits. Counted from
    /// this class's own caches, so the paging simulation's "activation memory" is the real
    /// number for this model.
    public func activationBytes(rows: Int) -> Int {
        let linearInputs = sizes.dropLast().reduce(0, +)
        let activationInputs = sizes.dropFirst().dropLast().reduce(0, +)
        let logitsAndProbabilities = 2 * sizes.last!
        return rows * (linearInputs + activationInputs + logitsAndProbabilities) * MemoryLayout<Float>.size
    }
}
