/// # PostTraining — quantizing a whole trained model after training
///
/// Chapters 9 (GPTQ) and 10 (AWQ) quantize one weight matrix at a time given its inputs;
/// this module applies them — and the data-free baselines of the earlier chapters (round to
/// nearest, NF4) — to every linear layer of a trained TinyGPT, in the order the reference
/// code does it, and measures what the posts ask about: the whole model's held-out loss,
/// bits per weight, and the calibration time a data-aware method costs.
///
/// ```
/// PostTraining.float(base)                                    32 bits, the reference
/// PostTraining.roundToNearest(base, bits: 4, groupSize: 32)   GPTQ's grid, no feedback
/// PostTraining.nf4(base, doubleQuantization: true)            bitsandbytes at load time
/// PostTraining.gptq(base, configuration: …, calibration: …)   block by block (opt_sequential)
/// ```
///
/// Every scheme returns a `QuantizedModel` and leaves `base` untouched (it works on
/// `base.copy()`).
///
/// - `QuantizedModel`: the result of one scheme on one model — the model that computes with
///   the dequantized weights, its bits per weight, the time the quantization took and, for
///   GPTQ, what each layer's calibration measured (`LayerCalibration`).
/// - `TinyGPTModel.blockLinearNames` / `blockLinears`: the slots a scheme quantizes (every
///   linear layer of the blocks; the head stays float32 as in Chapter 7, and as GPTQ's
///   reference leaves OPT's `lm_head` alone).
/// - `Calibration`: random windows of the training text. Calibration inputs come from
///   `TinyGPTModel.linearInputs` (TinyGPT): every linear layer's input rows while the model
///   reads calibration text.
/// - `StoredGPTQLayer`: a GPTQ or RTN result as a GPTQ checkpoint stores it (float16 scales)
///   and its honest bit count.
public enum PostTraining {}
