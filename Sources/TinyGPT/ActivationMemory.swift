/// Activation memory: what the model keeps alive between its forward and its backward pass,
/// counted from the caches its layers declare (each `NN` layer says in a comment what it keeps).
///
/// ```
/// rows = B · T,  C = channels,  H = mlpRatio · C,  h = heads,  V = vocabulary
/// per block:  ln1 x̂ [rows][C] + rstd [rows]      W_q, W_k, W_v's shared input [rows][C]
///             attention q, k, v [rows][C] each    probabilities [B][h][T][T]
///             W_o's input [rows][C]               ln2 x̂ + rstd
///             fc's input [rows][C]                GELU's input [rows][H]    proj's input [rows][H]
/// final:      lnf x̂ + rstd, the head's input [rows][C], softmax probabilities [rows][V]
/// ids:        token ids, position ids and targets, [rows] Int each (8 bytes)
/// ```
///
/// A buffer several layers hold (the LayerNorm output that W_q, W_k and W_v all cache — Swift
/// arrays share storage until written) is counted once. Adapters add their own small caches
/// (LoRA's u = x̃·Aᵀ, [rows][r] per adapted layer); the caller adds those. Like PyTorch without
/// gradient checkpointing, every block's caches are alive at once, at the end of the forward.
extension TinyGPTModel {
    /// Bytes of cached activations for a batch of `batchSize` windows of `time` characters.
    public func activationBytes(batchSize: Int, time: Int) -> Int {
        let rows = batchSize * time, c = config.channels, h = config.mlpRatio * config.channels
        let layerNorm = rows * c + rows
        let block = layerNorm + rows * c + 3 * rows * c + batchSize * config.heads * time * time + rows * c
            + layerNorm + rows * c + 2 * rows * h
        let final = layerNorm + rows * c + rows * config.vocabularySize
        let floats = config.layers * block + final
        return 4 * floats + 8 * 3 * rows
    }
}
