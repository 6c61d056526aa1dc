import Core

/// The Hessian of GPTQ's layer-wise objective, accumulated over calibration batches exactly as
/// the reference's `GPTQ.add_batch` does (Frantar et al. 2022, arXiv:2210.17323, §3: for
/// argmin_Ŵ ‖WX − ŴX‖², H_F = 2 X_F X_Fᵀ; the paper writes X as in × samples, our X is samples
/// × in, so here H = 2/N · XᵀX).
///
/// The reference keeps a **running average over calls**, not over rows:
///
/// ```
/// add_batch(x):            x: [L][in], one calibration sequence of L rows
///     H ← H · n / (n + 1)           n counts calls
///     n ← n + 1
///     x ← sqrt(2 / n) · x           the scalar rounded to float32
///     H ← H + xᵀx                   a fresh product, then one addition
/// ```
///
/// After S calls of L rows each, H = (2 / S) Σₛ XₛᵀXₛ — twice the mean over *sequences* of
/// the per-sequence sums. Sequences of unequal length weigh the same (n counts calls). The
/// scale of H does not change GPTQ's result except through damping (which is relative to
/// mean diag H), so this matters only for reproducing the reference's H to the last bits.
///
/// The product xᵀx runs on Core's tiled `Matmul` (each entry sums its L products in row order
/// in float32); PyTorch's BLAS sums in its own order, so our H and the reference's differ in
/// the last bits — `HessianTests` bounds the difference.
public struct HessianAccumulator: Sendable {
    /// The layer's input dimension (H is columns × columns).
    public let columns: Int
    /// H: [columns][columns], row-major, symmetric.
    public private(set) var h: [Float]
    /// How many batches were added (the reference's `nsamples`).
    public private(set) var calls = 0

    public init(columns: Int) {
        precondition(columns > 0, "HessianAccumulator: columns must be positive")
        self.columns = columns
        self.h = [Float](repeating: 0, count: columns * columns)
    }

    /// Adds one calibration batch `x` ([rows][columns], row-major) as one `add_batch` call
    /// (exercise 9a).
    public mutating func addBatch(_ x: [Float], rows: Int) {
        precondition(
            x.count == rows * columns, "addBatch: \(x.count) values are not \(rows) × \(columns)")
        // BEGIN EXERCISE 9a — the Hessian's running average
        let shrink = Float(Double(calls) / Double(calls + 1))
        for i in h.indices { h[i] *= shrink }
        calls += 1
        let s = Float((2 / Double(calls)).squareRoot())
        let scaled = x.map { s * $0 }
        var product = [Float](repeating: 0, count: columns * columns)
        Matmul.accumulateTransposingA(
            into: &product, scaled, scaled, m: columns, k: rows, n: columns)
        for i in h.indices { h[i] += product[i] }
        // END EXERCISE 9a
    }

    /// H of a whole calibration set `x` ([samples][columns]) fed as consecutive runs of
    /// `sequenceLength` rows, one `addBatch` call per run (the last run may be shorter).
    /// `sequenceLength` nil: all rows in one call.
    public static func accumulate(
        _ x: [Float], samples: Int, columns: Int, sequenceLength: Int? = nil
    )
        -> HessianAccumulator
    {
        precondition(samples > 0 && x.count == samples * columns)
        let length = sequenceLength ?? samples
        precondition(length > 0, "accumulate: sequenceLength must be positive")
        var acc = HessianAccumulator(columns: columns)
        for start in stride(from: 0, to: samples, by: length) {
            let end = Swift.min(start + length, samples)
            acc.addBatch(Array(x[(start * columns)..<(end * columns)]), rows: end - start)
        }
        return acc
    }
}
