import LoRA
import NF4

/// # QLoRA — LoRA adapters trained through a frozen 4-bit base (Chapter 7)
///
/// Source: Dettmers, Pagnoni, Holtzman & Zettlemoyer, "QLoRA: Efficient Finetuning of Quantized
/// LLMs" (NeurIPS 2023; arXiv 2305.14314), §3 (4-bit NormalFloat, double quantization, paged
/// optimizers, and the QLoRA layer, eqs. 5–6) and §4 (QLoRA vs. standard finetuning: adapters
/// on *every* linear layer are what match 16-bit finetuning, Figure 2); the reference code is
/// `qlora.py` (artidoro/qlora), bitsandbytes' `Linear4bit` / `MatMul4Bit`, and peft's
/// `lora.Linear4bit`.
///
/// ```
/// storage:   W^NF4 [out][in] 4-bit codes, blocks of 64;  c₂ absmax → 8-bit codes, c₁ per 256 blocks
/// forward:   Y = X · doubleDequant(c₁, c₂, W^NF4)ᵀ + s · X · L₁ · L₂           (eq. 5, L₁ = Aᵀ, L₂ = Bᵀ)
/// backward:  ∂E/∂X through the dequantized W (for earlier layers' adapters);
///            ∂E/∂L₁, ∂E/∂L₂ only — never ∂E/∂W
/// optimizer: paged 8-bit AdamW over L₁, L₂ (states blockwise in 8 bits, in pages that can
///            leave the accelerator during a memory spike)
/// ```
///
/// The memory it buys (QLoRA §1: a 65B model from more than 780 GB to under 48 GB):
///
/// ```
/// 16-bit full finetuning:  2 (weights) + 2 (gradients) + 8 (Adam m, v in fp32)  = 12 bytes/param
///                          (+ 4 for fp32 master weights in standard mixed precision = 16)
/// QLoRA:                   ≈ 4.127 bits per frozen weight + adapters, their gradients and
///                          states (a fraction of a percent of the parameters) + activations
/// ```
///
/// ## Properties (each one is tested in `QLoRATests`)
/// - `NF4Linear` dequantizes exactly as `NF4.QuantizedBlockwise4.dequantize()`; its forward and
///   input gradient equal a float `Linear` holding the dequantized weight, bit for bit.
/// - Backward through the 4-bit base agrees with central finite differences (input, A, B), and
///   leaves the codes untouched.
/// - With B = 0 a QLoRA layer — and a whole QLoRA network — computes exactly what the
///   dequantized base computes.
/// - `LoRAAdapter` on a float base is `LoRALinear`, bit for bit.
/// - Merging into the dequantized weight equals keeping the adapter apart to float rounding;
///   re-quantizing the merged weight moves each value by at most half an NF4 step of its block.
/// - The memory arithmetic: 12 bytes/param for 16-bit finetuning (780 GB at 65B), and a QLoRA
///   total for LLaMA-65B under 48 GB.
/// - On a short fine-tuning run QLoRA stays within a stated margin of LoRA on the float base.
///
/// ## What QLoRA / bitsandbytes / peft do differently
/// They compute in BFloat16 and keep adapters in BF16 (or fp32), quantize on the GPU in one
/// kernel, keep `lm_head` and embeddings in 16 bit (so do we: the head is never quantized here),
/// use gradient checkpointing, and `qlora.py` defaults to `paged_adamw_32bit` — we use the 8-bit
/// paged AdamW of Chapter 5 (bitsandbytes' `PagedAdamW8bit`, transformers' `paged_adamw_8bit`).
/// Everything here is float32 on one CPU core, and "paging" is Chapter 5's simulated accelerator.
///
/// ### See Also
/// `NF4Linear` (exercises 7a, 7b), `QLoRALinear`, `QLoRAInjection`, `QLoRAMerge`,
/// `QLoRAMemory` (exercise 7c); `LoRA.LoRAAdapter`, `LoRA.LoRALinear`; `NF4` for the data type
/// and double quantization; `Optimizers.PagedAdamW8bit`.
public struct QLoRAConfig: Equatable, Sendable {
    /// Rank, α, dropout and target modules of the adapters (QLoRA §4: all linear layers).
    public var lora: LoRAConfig
    /// Weights per absmax constant (QLoRA: 64).
    public var blockSize: Int
    /// Quantize the absmax constants again (8-bit, blocks of 256) — QLoRA's double quantization.
    public var doubleQuantization: Bool
    /// Linear layers that stay in float (transformers keeps `lm_head` out of 4-bit by default;
    /// `qlora.py` puts no adapter on it either). Matched like `LoRAConfig.targetModules`.
    public var keepInFloat: [String]
    /// The storage type of the frozen weights (`bnb_4bit_quant_type`: NF4; FP4 and Int4 to compare).
    public var storageType: FourBitDataType
    /// What the 4-bit layers multiply in (`bnb_4bit_compute_dtype`): float32 here by default,
    /// bfloat16 in QLoRA.
    public var computeType: ComputeType

    public init(
        lora: LoRAConfig, blockSize: Int = 64, doubleQuantization: Bool = true, keepInFloat: [String] = ["head"],
        storageType: FourBitDataType = .nf4, computeType: ComputeType = .float32
    ) {
        self.lora = lora
        self.blockSize = blockSize
        self.doubleQuantization = doubleQuantization
        self.keepInFloat = keepInFloat
        self.storageType = storageType
        self.computeType = computeType
    }

    /// True when the linear layer `name` stays in float.
    public func keepsInFloat(_ name: String) -> Bool {
        keepInFloat.contains { name == $0 || name.hasSuffix("." + $0) }
    }
}
