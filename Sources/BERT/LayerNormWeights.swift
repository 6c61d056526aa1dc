import Core
import NN

/// The γ and β of one of BERT's LayerNorms and its ε (1e-12 in MiniLM's config.json: far below
/// PyTorch's default 1e-5, so it only guards against a row of equal values).
///
/// ```
/// γ (weight), β (bias): [hidden]      y = γ ⊙ (x − μ) / √(σ² + ε) + β, per row
/// ```
///
/// The arithmetic is NN's (`LayerNorm.normalizeRows`, the same Floats as
/// `LayerNorm.referenceForward`); this type only holds the checkpoint's values.
public struct LayerNormWeights: Sendable {
    public let gamma: [Float]
    public let beta: [Float]
    public let epsilon: Float

    public init(gamma: [Float], beta: [Float], epsilon: Float) {
        precondition(gamma.count == beta.count, "LayerNorm: γ and β differ in length")
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    /// `<prefix>.weight` and `<prefix>.bias` of a checkpoint (shapes checked when it loaded).
    init(_ checkpoint: BERTCheckpoint, _ prefix: String) throws {
        guard let gamma = checkpoint.tensors[prefix + ".weight"],
            let beta = checkpoint.tensors[prefix + ".bias"]
        else { throw BERTError.badTensor("no tensor \(prefix).weight or .bias") }
        self.init(gamma: gamma.data, beta: beta.data, epsilon: checkpoint.config.layerNormEpsilon)
    }

    /// Each row of x normalised: x [rows][hidden] → [rows][hidden].
    public func apply(_ x: Tensor) -> Tensor {
        Tensor(
            shape: x.shape,
            data: LayerNorm.normalizeRows(
                x.data, features: gamma.count, gamma: gamma, beta: beta, epsilon: epsilon))
    }
}
