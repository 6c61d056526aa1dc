import LoRA
import NF4
import NN
import Optimizers

/// Where the memory of a fine-tuning run goes — measured on a model we hold, computed for one
/// we only know by its shape (QLoRA §1 and §3; the paper's Figure 1 draws the same parts for
/// full finetuning, LoRA and QLoRA).
///
/// ```
/// base weights      frozen: 4-bit codes + constants of every quantized linear weight,
///                           16 bits (here: float32) for everything kept in float
/// adapters          A and B of every adapted layer
/// gradients         one per trainable value (frozen weights have none)
/// optimizer states  AdamW: m and v per trainable value — 8 bytes in float32, ≈ 2.03 in 8 bits
/// activations       what the layers cache between forward and backward for one batch
/// ```
///
/// For a model given by its shape (exercise 7c, `qlora`), with d = hidden, I = MLP width, L = layers,
/// r = rank, T = tokens in a batch, h = heads, and bf16 (2 bytes) for everything not in 4 bits:
///
/// ```
/// linear weights   L · Σ d_in·d_out                       at 4 + 8/64 + 32/(64·256) ≈ 4.127 bits
/// other weights    embeddings, head, norms                 2 bytes each
/// adapters, grads  Σ r · (d_in + d_out) over the targets   2 bytes each
/// states           per adapter tensor: 8-bit blockwise Adam (2 bytes + 8 per 256) — or 8 in fp32
/// activations      gradient checkpointing: L · T · d kept (each layer's input) plus one layer
///                  recomputed in backward, ≈ T · (8d + 4I) + h · T² values — 2 bytes each
/// ```
///
/// Gigabytes are decimal (10⁹ bytes), as in the paper.
public enum QLoRAMemory {
    /// Bytes per part of a fine-tuning run.
    public struct Breakdown: Equatable, Sendable {
        /// The model's weights: the frozen base (4-bit and float parts) — or, for full
        /// fine-tuning, every weight, all of them trained.
        public var baseWeights: Double
        public var adapters: Double
        public var gradients: Double
        public var optimizerStates: Double
        public var activations: Double

        public init(baseWeights: Double, adapters: Double, gradients: Double, optimizerStates: Double, activations: Double) {
            self.baseWeights = baseWeights
            self.adapters = adapters
            self.gradients = gradients
            self.optimizerStates = optimizerStates
            self.activations = activations
        }

        public var total: Double { baseWeights + adapters + gradients + optimizerStates + activations }

        /// The five parts with their names, in table order.
        public var parts: [(name: String, bytes: Double)] {
            [("model weights", baseWeights), ("adapters", adapters), ("gradients", gradients),
             ("optimizer states", optimizerStates), ("activations", activations)]
        }
    }

    /// The breakdown of a model we hold: `parameters` is every float parameter (frozen ones
    /// count as base weights at 4 bytes, trainable ones as adapters, with one float32 gradient
    /// each); `quantizedLayers` adds the 4-bit weights' packed codes and constants as stored.
    public static func measure(
        parameters: [Parameter], quantizedLayers: [NF4Linear], optimizerStateBytes: Int, activationBytes: Int
    ) -> Breakdown {
        let frozen = parameters.filter { !$0.isTrainable }.totalCount
        let trainable = parameters.filter(\.isTrainable).totalCount
        let fourBit = quantizedLayers.reduce(0) { $0 + $1.weight.storageBytes }
        return Breakdown(
            baseWeights: Double(fourBit + 4 * frozen), adapters: Double(4 * trainable),
            gradients: Double(4 * trainable), optimizerStates: Double(optimizerStateBytes),
            activations: Double(activationBytes))
    }

    /// Weights in the linear layers of every block (the ones QLoRA stores in 4 bits).
    public static func linearWeights(_ shape: TransformerShape) -> Int {
        shape.layers * (shape.attentionMatrices + shape.mlpMatrices).reduce(0) { $0 + $1.input * $1.output }
    }

    /// (d_in, d_out) of every matrix one block adapts.
    public static func targetedMatrices(_ shape: TransformerShape, _ targets: TransformerShape.Targets)
        -> [(input: Int, output: Int)]
    {
        switch targets {
        case .queryValue: [(shape.hidden, shape.hidden), (shape.hidden, shape.hidden)]
        case .attention: shape.attentionMatrices
        case .allLinear: shape.attentionMatrices + shape.mlpMatrices
        }
    }

    /// Activations with gradient checkpointing, 2 bytes per value: every layer's input kept, one
    /// layer's caches rebuilt during backward (see the table above).
    public static func checkpointedActivationBytes(_ shape: TransformerShape, tokens: Int, heads: Int) -> Double {
        let kept = shape.layers * tokens * shape.hidden
        let oneLayer = tokens * (8 * shape.hidden + 4 * shape.intermediate) + heads * tokens * tokens
        return 2 * Double(kept + oneLayer)
    }

    /// QLoRA on a model given by its shape: 4-bit NF4 + double quantization for the block
    /// linears, bf16 for the rest and for adapters and gradients, paged AdamW with 8-bit states
    /// (or 32-bit with `eightBitStates: false`, `qlora.py`'s default), gradient checkpointing
    /// (exercise 7c). The five parts, in bytes:
    ///
    /// ```
    /// base weights     MemoryArithmetic.totalBytes(linearWeights, .nf4DoubleQuant)
    ///                  + 2 · (parameterCount − linearWeights)
    /// adapters         2 · L · Σ r · (d_in + d_out) over targetedMatrices(shape, targets)
    /// gradients        the same as the adapters
    /// optimizer states L · Σ over the adapter tensors (A: r·d_in values, B: d_out·r values) of
    ///                  Adam8bitRule().stateBytes(count:) — float32 states below its min8BitSize —
    ///                  or 8 bytes per value with eightBitStates false
    /// activations      checkpointedActivationBytes(shape, tokens:, heads:) — never 0
    /// ```
    public static func qlora(
        _ shape: TransformerShape, rank: Int = 64, targets: TransformerShape.Targets = .allLinear,
        tokens: Int = 512, heads: Int, eightBitStates: Bool = true
    ) -> Breakdown {
        // BEGIN EXERCISE 7c — the memory of QLoRA on a 65B model
        let linear = linearWeights(shape)
        let fourBit = MemoryArithmetic.totalBytes(parameters: linear, storage: .nf4DoubleQuant)
        let base = fourBit + 2 * Double(shape.parameterCount - linear)
        // Adapter tensors: A [r][d_in] and B [d_out][r] for every targeted matrix of every layer.
        let tensors = targetedMatrices(shape, targets).flatMap { [rank * $0.input, $0.output * rank] }
        let adapterCount = shape.layers * tensors.reduce(0, +)
        let rule = Adam8bitRule()
        let statesPerLayer = tensors.reduce(0) { $0 + (eightBitStates ? rule.stateBytes(count: $1) : 8 * $1) }
        return Breakdown(
            baseWeights: base, adapters: 2 * Double(adapterCount), gradients: 2 * Double(adapterCount),
            optimizerStates: Double(shape.layers * statesPerLayer),
            activations: checkpointedActivationBytes(shape, tokens: tokens, heads: heads))
        // END EXERCISE 7c
    }

    /// LoRA on a 16-bit base: the same adapters, states in fp32, base weights at 2 bytes.
    public static func lora16Bit(
        _ shape: TransformerShape, rank: Int = 64, targets: TransformerShape.Targets = .allLinear,
        tokens: Int = 512, heads: Int
    ) -> Breakdown {
        let adapters = Double(shape.loraParameters(rank: rank, targets: targets))
        return Breakdown(
            baseWeights: 2 * Double(shape.parameterCount), adapters: 2 * adapters, gradients: 2 * adapters,
            optimizerStates: 8 * adapters, activations: checkpointedActivationBytes(shape, tokens: tokens, heads: heads))
    }

    /// Full 16-bit fine-tuning with Adam: 2 + 2 + 8 = 12 bytes per parameter (16-bit weights
    /// and gradients, fp32 m and v: the paper's "more than 780 GB" for 65B), plus the same
    /// activations. With `masterWeights`, standard mixed precision (Micikevicius et al. 2018):
    /// an fp32 master copy of every weight as well, 2 + 2 + 4 + 8 = 16 bytes, counted with
    /// the optimizer states as ZeRO (Rajbhandari et al. 2020, §3) counts it.
    public static func fullFineTuning16Bit(
        _ shape: TransformerShape, tokens: Int = 512, heads: Int, masterWeights: Bool = false
    ) -> Breakdown {
        let p = Double(shape.parameterCount)
        return Breakdown(
            baseWeights: 2 * p, adapters: 0, gradients: 2 * p, optimizerStates: (masterWeights ? 12 : 8) * p,
            activations: checkpointedActivationBytes(shape, tokens: tokens, heads: heads))
    }
}
