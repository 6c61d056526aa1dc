/// Parameters and bytes of a Mixtral-style model, from its configuration alone
/// (Jiang et al. 2024, abstract: "each token has access to 47B parameters, but only uses 13B
/// active parameters during inference"; Table 1 and §2.1).
///
/// Why "8x7B" holds 46.7B and not 8 × 7.24B = 57.9B: the eight experts replace only the
/// feed-forward network of each layer. Attention, norms, embeddings and the output head exist
/// once and every token uses them (`sharedParameters`).
///
/// ```
/// attention / layer  = H · (n_q · d) + 2 · H · (n_kv · d) + (n_q · d) · H     W_q, W_k, W_v, W_o
/// one expert         = 3 · H · I                                               W1, W3: I × H; W2: H × I
/// router / layer     = E · H
/// norms / layer      = 2 · H                                                   two RMSNorm weights
/// embeddings         = V · H (input) + V · H (output head, not tied) + H (final norm)
/// total  = L · (attention + E · expert + router + norms) + embeddings
/// active = L · (attention + K · expert + router + norms) + embeddings
/// ```
///
/// Every token's compute follows the *active* count (≈ 2 · active FLOPs per token for the
/// matrix products), but every expert must be in memory because the next token may choose
/// any of them: memory follows the *total*. The byte counts below store every parameter at
/// one width; real quantized checkpoints keep norms (and often the embeddings and router) in
/// 16 bits, a rounding error at this size.
public struct MixtralArithmetic: Equatable, Sendable {
    public var hidden: Int
    public var intermediate: Int
    public var layers: Int
    public var experts: Int
    public var topK: Int
    public var queryHeads: Int
    public var keyValueHeads: Int
    public var headDimension: Int
    public var vocabulary: Int

    public init(
        hidden: Int, intermediate: Int, layers: Int, experts: Int, topK: Int, queryHeads: Int, keyValueHeads: Int,
        headDimension: Int, vocabulary: Int
    ) {
        self.hidden = hidden
        self.intermediate = intermediate
        self.layers = layers
        self.experts = experts
        self.topK = topK
        self.queryHeads = queryHeads
        self.keyValueHeads = keyValueHeads
        self.headDimension = headDimension
        self.vocabulary = vocabulary
    }

    /// Mixtral 8x7B (`mistralai/Mixtral-8x7B-v0.1`, config.json).
    public static let mixtral8x7B = MixtralArithmetic(
        hidden: 4096, intermediate: 14336, layers: 32, experts: 8, topK: 2, queryHeads: 32, keyValueHeads: 8,
        headDimension: 128, vocabulary: 32000)

    // Exercise 8f: the five properties below whose bodies are fenced; the router and the norms
    // are given.

    /// W_q [n_q·d][H], W_k and W_v [n_kv·d][H] (grouped-query attention), W_o [H][n_q·d].
    public var attentionPerLayer: Int {
        // BEGIN EXERCISE 8f — Mixtral's parameter arithmetic
        let q = queryHeads * headDimension
        let kv = keyValueHeads * headDimension
        return hidden * q + 2 * hidden * kv + q * hidden
        // END EXERCISE 8f
    }
    /// W1 and W3 [I][H], W2 [H][I].
    public var parametersPerExpert: Int {
        // BEGIN EXERCISE 8f — Mixtral's parameter arithmetic
        return 3 * hidden * intermediate
        // END EXERCISE 8f
    }
    /// W_g [E][H].
    public var routerPerLayer: Int { experts * hidden }
    /// Two RMSNorm weights of H.
    public var normsPerLayer: Int { 2 * hidden }
    /// Input embedding [V][H], output head [V][H] (not tied) and the final norm [H].
    public var embeddingsAndHead: Int {
        // BEGIN EXERCISE 8f — Mixtral's parameter arithmetic
        return 2 * vocabulary * hidden + hidden
        // END EXERCISE 8f
    }

    /// Every parameter: all E experts of every layer.
    public var totalParameters: Int {
        // BEGIN EXERCISE 8f — Mixtral's parameter arithmetic
        return layers * (attentionPerLayer + experts * parametersPerExpert + routerPerLayer + normsPerLayer)
            + embeddingsAndHead
        // END EXERCISE 8f
    }
    /// The parameters one token passes through: only K experts per layer.
    public var activeParameters: Int {
        // BEGIN EXERCISE 8f — Mixtral's parameter arithmetic
        return layers * (attentionPerLayer + topK * parametersPerExpert + routerPerLayer + normsPerLayer)
            + embeddingsAndHead
        // END EXERCISE 8f
    }

    /// Parameters held by the experts alone (all layers).
    public var expertParameters: Int { layers * experts * parametersPerExpert }

    /// What every token uses and no expert replicates: attention and the two norms of every
    /// layer, the embeddings, the output head and the final norm (1.60B for Mixtral 8x7B).
    public var sharedParameters: Int { layers * (attentionPerLayer + normsPerLayer) + embeddingsAndHead }

    /// The dense model with the same configuration: one FFN per layer and no router —
    /// Mistral 7B for Mixtral's configuration (7.24B). "8x7B" is not 8 × this: only the FFN
    /// (`layers · parametersPerExpert`) is copied eight times, so
    /// total = sharedParameters + E · layers · parametersPerExpert + layers · routerPerLayer.
    public var denseParameters: Int { sharedParameters + layers * parametersPerExpert }

    /// The expected number of distinct experts one layer reads for a batch of `tokens` tokens,
    /// if every token chose its K experts uniformly at random (a balanced router):
    /// E · (1 − (1 − K/E)^tokens). One token reads K = 2 of 8; sixteen tokens read 7.9.
    public func expectedExpertsTouched(tokens: Int) -> Double {
        let missed = 1 - Double(topK) / Double(experts)
        var power = 1.0
        for _ in 0..<max(tokens, 0) { power *= missed }
        return Double(experts) * (1 - power)
    }

    /// Bytes to store `parameters` at `bitsPerParameter` (constants included in the bits).
    public static func bytes(_ parameters: Int, bitsPerParameter: Double) -> Double {
        Double(parameters) * bitsPerParameter / 8
    }
}

/// Storage widths for the memory table, in bits per parameter including per-block constants.
public enum StorageWidth: String, CaseIterable, Sendable {
    case fp16 = "fp16 / bf16"
    /// One int8 code per weight; the per-row float scale adds 32/4096 ≈ 0.008 bit (ignored).
    case int8 = "int8"
    /// NF4 codes in blocks of 64 with one float32 absmax each: 4 + 32/64.
    case nf4 = "NF4 (block 64)"
    /// NF4 with double quantization (QLoRA §3): 4 + 8/64 + 32/(64 · 256).
    case nf4DoubleQuantized = "NF4 + double quant."

    public var bitsPerParameter: Double {
        switch self {
        case .fp16: return 16
        case .int8: return 8
        case .nf4: return 4 + 32.0 / 64
        case .nf4DoubleQuantized: return 4 + 8.0 / 64 + 32.0 / (64 * 256)
        }
    }
}
