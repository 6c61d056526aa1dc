import Core

/// Softmax followed by the cross-entropy with integer targets, averaged over rows
/// (`torch.nn.functional.cross_entropy(logits, targets)` with the default mean reduction;
/// llm.c's `crossentropy_forward` + `crossentropy_softmax_backward`).
///
/// ```
/// logits z: [N][V]      targets: [N] Int in 0..<V
/// pₙ    = softmax(zₙ),   pₙ[v] = exp(zₙ[v] − maxₙ) / Σᵤ exp(zₙ[u] − maxₙ)
/// L     = (1/N) Σₙ −log pₙ[targetₙ]
/// dL/dzₙ[v] = (pₙ[v] − [v = targetₙ]) / N
/// ```
///
/// Subtracting each row's maximum before `exp` changes nothing mathematically (it cancels
/// in the ratio) and keeps `exp` from overflowing for large logits. The backward pass is the
/// famous "probabilities minus one-hot": softmax and log cancel each other's Jacobians.
/// Exponentials and the loss are computed in Double and rounded to Float.
///
/// `referenceForward` computes the loss and then, separately, `softmax` for backward — every
/// exponential twice. `forward` does both in one pass over each row, keeping the row's
/// Double exponentials between the two uses: the same maximum, the same exponentials, the
/// same sum in the same order, so the same loss and probabilities bit for bit.
public final class SoftmaxCrossEntropy {
    /// Cache for backward: the probabilities [N][V] and the targets.
    private var probabilities: Tensor?
    private var targets: [Int] = []

    public init() {}

    /// Softmax of each row of a [rows][V] tensor.
    public static func softmax(_ logits: Tensor) -> Tensor {
        let v = logits.cols
        var p = [Float](repeating: 0, count: logits.count)
        for r in 0..<logits.rows {
            let row = r * v
            var maxLogit = -Float.infinity
            for j in 0..<v { maxLogit = max(maxLogit, logits.data[row + j]) }
            var sum = 0.0
            var e = [Double](repeating: 0, count: v)
            for j in 0..<v {
                e[j] = Math.exp(Double(logits.data[row + j] - maxLogit))
                sum += e[j]
            }
            for j in 0..<v { p[row + j] = Float(e[j] / sum) }
        }
        return Tensor(shape: logits.shape, data: p)
    }

    /// The mean cross-entropy of `logits` ([N][V]) against `targets` ([N]); keeps the
    /// probabilities for `backward`. One exponential per logit (see the type's comment).
    public func forward(_ logits: Tensor, targets: [Int]) -> Float {
        precondition(
            logits.rows == targets.count,
            "SoftmaxCrossEntropy: \(logits.rows) rows but \(targets.count) targets")
        let v = logits.cols
        var loss = 0.0
        var p = [Float](repeating: 0, count: logits.count)
        var e = [Double](repeating: 0, count: v)  // exp(z − max) of the current row
        logits.data.withUnsafeBufferPointer { z in
            p.withUnsafeMutableBufferPointer { p in
                e.withUnsafeMutableBufferPointer { e in
                    for (r, target) in targets.enumerated() {
                        precondition(target >= 0 && target < v, "SoftmaxCrossEntropy: target \(target) outside 0..<\(v)")
                        let row = r &* v
                        var maxLogit = -Float.infinity
                        for j in 0..<v { maxLogit = max(maxLogit, z[row &+ j]) }
                        var sum = 0.0
                        for j in 0..<v {
                            e[j] = Math.exp(Double(z[row &+ j] - maxLogit))
                            sum += e[j]
                        }
                        loss += Math.log(sum) - Double(z[row &+ target] - maxLogit)
                        for j in 0..<v { p[row &+ j] = Float(e[j] / sum) }
                    }
                }
            }
        }
        probabilities = Tensor(shape: logits.shape, data: p)
        self.targets = targets
        return Float(loss / Double(max(targets.count, 1)))
    }

    /// The reference: the loss in one loop, then `softmax` for backward (exponentials twice).
    public func referenceForward(_ logits: Tensor, targets: [Int]) -> Float {
        precondition(
            logits.rows == targets.count,
            "SoftmaxCrossEntropy: \(logits.rows) rows but \(targets.count) targets")
        let v = logits.cols
        var loss = 0.0
        for (r, target) in targets.enumerated() {
            precondition(target >= 0 && target < v, "SoftmaxCrossEntropy: target \(target) outside 0..<\(v)")
            // −log p[target] = log Σ exp(z − max) − (z[target] − max), in Double.
            let row = r * v
            var maxLogit = -Float.infinity
            for j in 0..<v { maxLogit = max(maxLogit, logits.data[row + j]) }
            var sum = 0.0
            for j in 0..<v { sum += Math.exp(Double(logits.data[row + j] - maxLogit)) }
            loss += Math.log(sum) - Double(logits.data[row + target] - maxLogit)
        }
        probabilities = SoftmaxCrossEntropy.softmax(logits)
        self.targets = targets
        return Float(loss / Double(max(targets.count, 1)))
    }

    /// dL/dlogits = (p − onehot(target)) / N.
    public func backward() -> Tensor {
        guard var dz = probabilities else { preconditionFailure("SoftmaxCrossEntropy: backward called before forward") }
        let v = dz.cols
        let scale = 1 / Float(max(targets.count, 1))
        for (r, target) in targets.enumerated() {
            dz.data[r * v + target] -= 1
            for j in 0..<v { dz.data[r * v + j] *= scale }
        }
        return dz
    }
}
