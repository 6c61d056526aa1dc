/// The memory arithmetic of QLoRA's double quantization and of whole models, computed.
///
/// Source: QLoRA (Dettmers et al., 2023), §3 "Double Quantization", which works out that
/// quantizing the constants takes them from 32/64 = 0.5 to 8/64 + 32/(64·256) ≈ 0.127 bits
/// per parameter — 0.373 bits less, about 3 GB for a 65B model.
///
/// ```
/// constants, float32 absmax per block of 64:        32 / 64                 = 0.5   bits/param
/// double quantized (8-bit codes, float32 per 256):  8 / 64 + 32 / (64·256) ≈ 0.127 bits/param
/// saving                                                                     ≈ 0.373 bits/param
/// bytes = parameters · bits per parameter / 8
/// ```
///
/// Only weights are counted, every parameter quantized (real checkpoints keep norms and
/// often embeddings in 16 bit), and the double quantization's one float32 offset per tensor
/// and the shared code tables are left out: they are bytes, not bits per parameter.
/// Gigabytes are decimal (10⁹ bytes).
public enum MemoryArithmetic {
    /// LLaMA's 7B and 65B, as QLoRA's paper counts them.
    public static let parameters7B = 7_000_000_000
    public static let parameters65B = 65_000_000_000

    /// Bits per parameter spent on float32 absmax constants: 32 / blockSize.
    public static func constantBitsPerParameter(blockSize: Int = 64) -> Double {
        // BEGIN EXERCISE 4f — bits per parameter
        return 32 / Double(blockSize)
        // END EXERCISE 4f
    }

    /// Bits per parameter with double quantization: an 8-bit code per block, plus one float32
    /// per `secondBlockSize` blocks: 8 / blockSize + 32 / (blockSize · secondBlockSize).
    public static func doubleQuantizedConstantBitsPerParameter(
        blockSize: Int = 64, secondBlockSize: Int = 256
    ) -> Double {
        // BEGIN EXERCISE 4f — bits per parameter
        return 8 / Double(blockSize) + 32 / Double(blockSize * secondBlockSize)
        // END EXERCISE 4f
    }

    /// What double quantization saves per parameter (≈ 0.373 for blocks of 64 and 256).
    public static func doubleQuantizationSavingBitsPerParameter(
        blockSize: Int = 64, secondBlockSize: Int = 256
    ) -> Double {
        // BEGIN EXERCISE 4f — bits per parameter
        return constantBitsPerParameter(blockSize: blockSize)
            - doubleQuantizedConstantBitsPerParameter(
                blockSize: blockSize, secondBlockSize: secondBlockSize)
        // END EXERCISE 4f
    }

    /// Bytes for `parameters` values at `bitsPerParameter` each: parameters · bits / 8.
    public static func bytes(parameters: Int, bitsPerParameter: Double) -> Double {
        // BEGIN EXERCISE 4f — bits per parameter
        return Double(parameters) * bitsPerParameter / 8
        // END EXERCISE 4f
    }

    /// How a model's weights are stored.
    public enum Storage: String, CaseIterable, Sendable {
        case fp16
        /// LLM.int8() as transformers' `load_in_8bit` stores a weight (Chapter 3): an int8 code
        /// per value and one float32 absmax scale per output row (bitsandbytes' `SCB`), so
        /// 8 + 32/rowLength bits. We count rows of 4096 inputs (LLaMA-7B's hidden size; the
        /// MLP's down projection has longer rows, and 65B's are 8192), an upper bound. The
        /// outlier columns cost no storage: LLM.int8() picks them from the activations at run
        /// time and takes their weights from the same int8 codes.
        case int8
        /// 4 bits per value plus a float32 absmax per block of 64.
        case nf4
        /// 4 bits per value plus double-quantized constants (blocks of 64, then 256).
        case nf4DoubleQuant = "nf4+dq"

        public var bitsPerParameter: Double {
            switch self {
            case .fp16: 16
            case .int8: 8 + 32.0 / 4096  // one float32 scale per row of 4096 inputs
            case .nf4: 4 + MemoryArithmetic.constantBitsPerParameter(blockSize: 64)
            case .nf4DoubleQuant: 4 + MemoryArithmetic.doubleQuantizedConstantBitsPerParameter()
            }
        }
    }

    /// Bytes of a model's weights stored as `storage`.
    public static func totalBytes(parameters: Int, storage: Storage) -> Double {
        bytes(parameters: parameters, bitsPerParameter: storage.bitsPerParameter)
    }

    /// Bytes in decimal gigabytes.
    public static func gigabytes(_ bytes: Double) -> Double { bytes / 1e9 }
}
