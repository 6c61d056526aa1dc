/// # TinyGPT — a character-level GPT trained from scratch on text whose entropy we know
///
/// A decoder-only transformer in the shape of GPT-2 (Radford et al., "Language Models are
/// Unsupervised Multitask Learners", 2019), built from `NN`'s hand-written layers the way
/// Andrej Karpathy's **nanoGPT** (`model.py`) and **llm.c** (`train_gpt2.c`) build theirs,
/// and trained on text from a seeded probabilistic grammar (`ProbabilisticGrammar`) whose true
/// entropy per character is computed exactly, so the loss has a floor we can print.
///
/// ```
/// ids: [B][T] Int (characters)
/// x   = wte[ids] + wpe[0..<T]                                   [B][T][C]
/// for each block:                                               (pre-LayerNorm, as GPT-2)
///     x = x + attn(ln1(x))          causal multi-head self-attention
///     x = x + mlp(ln2(x))           mlp = proj(GELU(fc(·))),  C → 4C → C
/// logits = head(lnf(x))                                         [B][T][V]
/// loss   = mean over the B·T positions of −log softmax(logits)[next character]
/// ```
///
/// Parameter names follow the module tree (`wte.weight`, `blocks.0.ln1.weight`,
/// `blocks.0.attn.query.weight`, `blocks.0.mlp.fc.weight`, `lnf.bias`, `head.weight`), the
/// way PyTorch's `state_dict` names them, so a checkpoint reads like nanoGPT's.
///
/// ## Properties (each one is tested in `TinyGPTTests`)
/// - The whole model's backward pass agrees with central finite differences.
/// - Causality: the logits at position t do not change when characters after t do.
/// - Save → load through `.safetensors` gives back every parameter bit for bit.
/// - The grammar's entropy rate matches a brute-force estimate from sampled text, and the
///   generator is deterministic for a seed.
/// - A short training run lowers the loss. (The full run ending far below the unigram
///   entropy, and near the entropy rate, is measured in Chapter 6 — see `chapter(…)`.)
///
/// ## What nanoGPT and llm.c do differently
/// - They **tie** the output head to the token embedding (`lm_head.weight = wte.weight`). We
///   keep an untied `head` (a plain `Linear`, no bias): the embedding's backward stays a
///   scatter, and the head is one more `Linear` that LoRA can target. It costs V·C
///   parameters (29 × 64 here, under 2% of the chapter's model).
/// - GPT-2 initialises Linear weights N(0, 0.02) and scales residual projections by 1/√(2L);
///   we keep PyTorch's default `nn.Linear` initialisation (uniform ±1/√in) from `NN.Linear`,
///   and N(0, 0.02) for the two embeddings as GPT-2 does; at this size that trains well.
/// - No dropout, no learning-rate schedule, no gradient clipping, one CPU thread.
///
/// ### See Also
/// `CharacterVocabulary`, `ProbabilisticGrammar`, `Corpus`, `TinyGPTModel`,
/// `TransformerBlock`, `Trainer`, `TinyGPTCheckpoint`; `NN` for the layers.
public struct GPTConfig: Codable, Equatable, Sendable {
    /// V: the number of distinct characters (the vocabulary's size).
    public var vocabularySize: Int
    /// T: the longest context the position embedding covers.
    public var contextLength: Int
    /// C: the width of the residual stream.
    public var channels: Int
    /// Attention heads; C must split evenly into them.
    public var heads: Int
    /// Transformer blocks.
    public var layers: Int
    /// Hidden width of each block's MLP as a multiple of C (4 in GPT-2).
    public var mlpRatio: Int

    public init(vocabularySize: Int, contextLength: Int, channels: Int, heads: Int, layers: Int, mlpRatio: Int = 4) {
        precondition(vocabularySize > 0 && contextLength > 0 && channels > 0 && layers > 0 && mlpRatio > 0,
                     "GPTConfig: every size must be positive")
        precondition(heads > 0 && channels % heads == 0,
                     "GPTConfig: \(channels) channels do not split into \(heads) heads")
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.channels = channels
        self.heads = heads
        self.layers = layers
        self.mlpRatio = mlpRatio
    }

    /// The model the chapters train: 2 blocks of width 64, 4 heads of 16, context 64 —
    /// 107,904 parameters for the 29-character alphabet. Measured on this project's 2-core
    /// machines (release build, one thread, machine shared with other builds): 800 steps of
    /// 8 × 64 characters with AdamW (lr 3e-3, no weight decay) take 43 s of CPU time, 55–75 s
    /// wall-clock (5,800–7,500 tokens/s), and reach 0.44 nats/char on held-out fables — against
    /// an entropy rate of 0.374 and a unigram entropy of 2.78. A third block gains ≈ 0.02 nats
    /// for 1.5× the time.
    public static func chapter(vocabularySize: Int) -> GPTConfig {
        GPTConfig(vocabularySize: vocabularySize, contextLength: 64, channels: 64, heads: 4, layers: 2)
    }

    /// A model small enough for finite-difference checks and debug-build tests.
    public static func tiny(vocabularySize: Int) -> GPTConfig {
        GPTConfig(vocabularySize: vocabularySize, contextLength: 8, channels: 8, heads: 2, layers: 1)
    }

    /// The number of parameters this configuration has, counted from the shapes:
    ///
    /// ```
    /// wte V·C + wpe T·C
    /// per block: 2 LayerNorms 4C, attention 4(C² + C), MLP C·H + H + H·C + C   (H = mlpRatio·C)
    /// lnf 2C + head V·C
    /// ```
    public var parameterCount: Int {
        let c = channels, h = mlpRatio * channels
        let block = 4 * c + 4 * (c * c + c) + (c * h + h + h * c + c)
        return vocabularySize * c + contextLength * c + layers * block + 2 * c + vocabularySize * c
    }
}
