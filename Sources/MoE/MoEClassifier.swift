import Core
import NN

/// Chapter 8's tiny model: one feed-forward block with a residual connection and a linear
/// classifier on top, the block being either a sparse MoE layer or a dense SwiGLU FFN.
///
/// ```
/// x: [N][H]
/// h = x + FFN(x)                FFN = SparseMoE (E experts of width I, top-K)
///                                   or SwiGLUExpert of width K · I (the dense baseline)
/// logits = h · W_headᵀ + b      [N][classes]
/// L = cross-entropy(logits, labels) + α · L_aux + β · L_z     (the last two: MoE only)
/// ```
///
/// With width K · I the dense FFN has as many parameters as the K experts a token passes
/// through, so both models spend the same multiply-adds per token; the MoE model has E/K
/// times as many expert parameters in total (plus the router's E · H). That is the bargain
/// Mixtral makes at scale.
public final class MoEClassifier {
    public enum Block {
        case sparse(SparseMoE)
        case dense(SwiGLUExpert)
    }

    public let block: Block
    public let head: Linear
    private let criterion = SoftmaxCrossEntropy()

    /// One training step's numbers.
    public struct StepResult: Sendable {
        /// Mean cross-entropy.
        public let taskLoss: Double
        /// L_aux (0 for the dense model).
        public let auxLoss: Double
        /// L_z (0 for the dense model).
        public let zLoss: Double
        /// Slots per expert in this batch (empty for the dense model).
        public let tokensPerExpert: [Int]
    }

    /// A MoE classifier.
    public init(moe configuration: MoEConfiguration, classes: Int, rng: inout SeededRNG) throws(MoEError) {
        block = .sparse(try SparseMoE(configuration, name: "moe", rng: &rng))
        head = Linear(inFeatures: configuration.hidden, outFeatures: classes, name: "head", rng: &rng)
    }

    /// The dense baseline with a SwiGLU FFN of the given width.
    public init(denseHidden hidden: Int, intermediate: Int, classes: Int, rng: inout SeededRNG) {
        block = .dense(SwiGLUExpert(hidden: hidden, intermediate: intermediate, name: "ffn", rng: &rng))
        head = Linear(inFeatures: hidden, outFeatures: classes, name: "head", rng: &rng)
    }

    public var parameters: [Parameter] {
        switch block {
        case .sparse(let moe): return moe.parameters + head.parameters
        case .dense(let ffn): return ffn.parameters + head.parameters
        }
    }

    /// Parameters one token passes through: router, K experts (or the dense FFN), head.
    public var activeParameterCount: Int {
        switch block {
        case .sparse(let moe):
            let perExpert = moe.experts[0].parameters.totalCount
            return moe.router.parameters.totalCount + moe.configuration.topK * perExpert + head.parameters.totalCount
        case .dense: return parameters.totalCount
        }
    }

    /// Logits [N][classes].
    public func forward(_ x: Tensor) throws(MoEError) -> Tensor {
        let f: Tensor
        switch block {
        case .sparse(let moe): f = try moe.forward(x)
        case .dense(let ffn): f = ffn.forward(x)
        }
        var h = x
        for i in h.data.indices { h.data[i] += f.data[i] }
        return head.forward(h)
    }

    /// Zeroes the gradients, runs forward and backward, and leaves dL/dθ in every `grad`.
    public func lossAndGradients(_ x: Tensor, labels: [Int]) throws(MoEError) -> StepResult {
        parameters.zeroGrad()
        let logits = try forward(x)
        let loss = criterion.forward(logits, targets: labels)
        let dh = head.backward(criterion.backward())
        var dx: Tensor
        switch block {
        case .sparse(let moe): dx = moe.backward(dh)
        case .dense(let ffn): dx = ffn.backward(dh)
        }
        for i in dx.data.indices { dx.data[i] += dh.data[i] }  // the residual path (x is data: unused)
        if case .sparse(let moe) = block, let stats = moe.lastStatistics {
            return StepResult(
                taskLoss: Double(loss), auxLoss: stats.loadBalancing.value, zLoss: stats.zLoss,
                tokensPerExpert: stats.routing.tokensPerExpert)
        }
        return StepResult(taskLoss: Double(loss), auxLoss: 0, zLoss: 0, tokensPerExpert: [])
    }

    /// Mean cross-entropy and accuracy without touching gradients.
    public func evaluate(_ x: Tensor, labels: [Int]) throws(MoEError) -> (loss: Double, accuracy: Double) {
        let logits = try forward(x)
        let loss = SoftmaxCrossEntropy().forward(logits, targets: labels)
        var correct = 0
        for (r, label) in labels.enumerated() {
            let row = logits.row(r)
            if TopK.indices(of: row, k: 1, tieBreaking: .lowerIndexFirst)[0] == label { correct += 1 }
        }
        return (Double(loss), Double(correct) / Double(max(labels.count, 1)))
    }
}
