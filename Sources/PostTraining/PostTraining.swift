/// # PostTraining — quantizing a whole trained model after training
///
/// Chapters 9 (GPTQ) and 10 (AWQ) quantize one weight matrix at a time given its inputs;
/// this module applies them — and the data-free baselines of the earlier chapters (round to
/// nearest, NF4) — to every linear layer of a trained TinyGPT, in the order the reference
/// code does it, and measures what the posts ask about: the whole model's held-out loss,
/// bits per weight, and the calibration time a data-aware method costs.
///
/// - `QuantizedModel`: the result of one scheme on one model — the model that computes with
///   the dequantized weights, its bits per weight and the time the quantization took.
/// - `TinyGPTModel.blockLinearNames`: the slots a scheme quantizes (every linear layer of
///   the blocks; the head stays float32 as in Chapter 7, and as GPTQ's reference leaves
///   OPT's `lm_head` alone).
/// - Calibration inputs come from `TinyGPTModel.linearInputs` (TinyGPT): every linear
///   layer's input rows while the model reads calibration text.
public enum PostTraining {}
