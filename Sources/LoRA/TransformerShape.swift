/// LoRA arithmetic for real models, from nothing but their shapes.
///
/// ```
/// d = hidden size, L = layers, I = MLP intermediate size, V = vocabulary
/// attention per layer:  W_q, W_k, W_v, W_o, each d × d                  (no grouped-query attention)
/// MLP per layer:        gated (LLaMA's SwiGLU): gate, up d → I; down I → d   — 3 matrices
///                       plain (GPT-3):          fc d → I; proj I → d           — 2 matrices
/// LoRA on a d_in → d_out matrix at rank r:  r · (d_in + d_out) parameters
/// ```
///
/// So LoRA on W_q and W_v costs L · 2 · r · 2d, and on every linear layer of LLaMA
/// L · r · (4 · 2d + 3 · (d + I)). Checks against the papers (tested): LLaMA-7B has
/// 6,738,415,616 parameters (Touvron et al. 2023, "7B"); LoRA on GPT-3 175B's W_q and W_v at
/// r = 4 has 18.9M parameters, "roughly 35MB if stored in FP16" (Hu et al., §7.1).
public struct TransformerShape: Equatable, Sendable {
    public let name: String
    public let hidden: Int
    public let layers: Int
    public let intermediate: Int
    public let vocabulary: Int
    /// True for a SwiGLU MLP with three matrices (LLaMA); false for two (GPT).
    public let gatedMLP: Bool
    /// GPT-3 has biases on every linear layer and learned position embeddings; LLaMA has
    /// neither (RMSNorm with one weight vector, rotary positions).
    public let biasesAndPositions: Int

    public init(name: String, hidden: Int, layers: Int, intermediate: Int, vocabulary: Int, gatedMLP: Bool,
                contextForPositions: Int = 0) {
        self.name = name
        self.hidden = hidden
        self.layers = layers
        self.intermediate = intermediate
        self.vocabulary = vocabulary
        self.gatedMLP = gatedMLP
        biasesAndPositions = contextForPositions * hidden
    }

    /// LLaMA-7B (Touvron et al. 2023, Table 2): d 4096, 32 layers, I 11008, V 32000.
    public static let llama7B = TransformerShape(
        name: "LLaMA-7B", hidden: 4096, layers: 32, intermediate: 11008, vocabulary: 32000, gatedMLP: true)
    /// LLaMA-13B: d 5120, 40 layers, I 13824.
    public static let llama13B = TransformerShape(
        name: "LLaMA-13B", hidden: 5120, layers: 40, intermediate: 13824, vocabulary: 32000, gatedMLP: true)
    /// LLaMA-65B: d 8192, 80 layers, I 22016 — the model QLoRA fine-tunes on one 48 GB GPU.
    public static let llama65B = TransformerShape(
        name: "LLaMA-65B", hidden: 8192, layers: 80, intermediate: 22016, vocabulary: 32000, gatedMLP: true)
    /// GPT-3 175B (Brown et al. 2020, Table 2.1): d 12288, 96 layers, I = 4d, V 50257, context 2048.
    public static let gpt3 = TransformerShape(
        name: "GPT-3 175B", hidden: 12288, layers: 96, intermediate: 4 * 12288, vocabulary: 50257, gatedMLP: false,
        contextForPositions: 2048)

    /// Which matrices get adapters.
    public enum Targets: String, CaseIterable, Sendable {
        /// W_q and W_v (the LoRA paper's default).
        case queryValue
        /// W_q, W_k, W_v, W_o.
        case attention
        /// Every linear layer in every block (QLoRA's default), the output head excluded.
        case allLinear
    }

    /// (d_in, d_out) of every matrix one block holds.
    public var attentionMatrices: [(input: Int, output: Int)] { Array(repeating: (hidden, hidden), count: 4) }
    public var mlpMatrices: [(input: Int, output: Int)] {
        let inputSide = gatedMLP ? [(hidden, intermediate), (hidden, intermediate)] : [(hidden, intermediate)]
        return inputSide + [(intermediate, hidden)]
    }

    /// All parameters: embeddings, blocks, final norm and head.
    ///
    /// ```
    /// LLaMA:  2·V·d + L·(4d² + 3dI + 2d) + d        untied head; two RMSNorm weights per block
    /// GPT-3:  V·d + T·d + L·(4d² + 2dI + 5d + I + 4d) + 2d
    ///         tied head; learned positions; biases (5d + I); two LayerNorms (4d) per block
    /// ```
    public var parameterCount: Int {
        let d = hidden
        let weights = (attentionMatrices + mlpMatrices).reduce(0) { $0 + $1.input * $1.output }
        if gatedMLP {
            return 2 * vocabulary * d + layers * (weights + 2 * d) + d
        }
        let biases = (attentionMatrices + mlpMatrices).reduce(0) { $0 + $1.output }
        return vocabulary * d + biasesAndPositions + layers * (weights + biases + 4 * d) + 2 * d
    }

    /// Trainable LoRA parameters at rank r: Σ over the targeted matrices of r · (d_in + d_out).
    public func loraParameters(rank r: Int, targets: Targets) -> Int {
        let perLayer: [(input: Int, output: Int)]
        switch targets {
        case .queryValue: perLayer = [(hidden, hidden), (hidden, hidden)]
        case .attention: perLayer = attentionMatrices
        case .allLinear: perLayer = attentionMatrices + mlpMatrices
        }
        return layers * perLayer.reduce(0) { $0 + r * ($1.input + $1.output) }
    }

    /// Memory of a fine-tuning run, in bytes, counted per category.
    public struct Memory: Equatable, Sendable {
        public let weights: Int
        public let gradients: Int
        public let optimizerStates: Int
        public var total: Int { weights + gradients + optimizerStates }
    }

    /// Full fine-tuning: every parameter trainable, with `weightBytes` per weight and per
    /// gradient (2 for 16-bit) and `stateBytes` per parameter of optimizer state (8: 32-bit Adam).
    ///
    /// ```
    /// 2 + 2 + 8      = 12 bytes   16-bit weights and gradients, fp32 Adam m and v
    /// 2 + 2 + 4 + 8  = 16 bytes   the same plus fp32 master weights (masterWeightBytes: 4),
    ///                             what standard mixed-precision training keeps (Micikevicius
    ///                             et al. 2018; ZeRO §3 counts the same 16 bytes)
    /// ```
    ///
    /// The master copy is counted with the optimizer states, as ZeRO does.
    public func fullFineTuningMemory(weightBytes: Int = 2, stateBytes: Int = 8, masterWeightBytes: Int = 0) -> Memory {
        Memory(weights: weightBytes * parameterCount, gradients: weightBytes * parameterCount,
               optimizerStates: (stateBytes + masterWeightBytes) * parameterCount)
    }

    /// LoRA: the frozen base at `baseBytes` per weight (2 for 16-bit, 0.5 + a little for
    /// 4-bit), adapters and their gradients at `adapterBytes`, states at `stateBytes`, all per
    /// adapter parameter. Activations are left out (they depend on batch and sequence length).
    public func loraMemory(
        rank: Int, targets: Targets, baseBytes: Double = 2, adapterBytes: Int = 2, stateBytes: Int = 8
    ) -> Memory {
        let adapters = loraParameters(rank: rank, targets: targets)
        let base = Int((Double(parameterCount) * baseBytes).rounded())
        return Memory(weights: base + adapterBytes * adapters, gradients: adapterBytes * adapters,
                      optimizerStates: stateBytes * adapters)
    }
}
