import BERT
import Core
import NF4

/// bitsandbytes' `Linear4bit` on the CPU with `compute_dtype=torch.float32` (QLoRA, Dettmers
/// et al. 2023, arXiv:2305.14314, §3; bitsandbytes 0.50.2 `nn.Linear4bit.forward` →
/// `matmul_4bit` → `dequantize_4bit` then `torch.nn.functional.linear`):
///
/// ```
/// stored:  W [out, in] flattened row-major, blocks of 64, NF4 (or FP4) codes + one absmax
///          per block (float32, or double-quantized: 8-bit codes in blocks of 256 + offset)
/// forward: Ŵ = dequantize(codes, absmax)      every call, as bitsandbytes does
///          y = x · Ŵᵀ + b                     float32
/// ```
///
/// The weight really is held as 4-bit codes here (`quantized`): the float Ŵ exists only
/// inside `forward`. Because Ŵ is bit for bit bitsandbytes' (Chapter 4's NF4 tests) and the
/// product is float32, our NF4 encoder's embeddings differ from the reference's
/// `embeddings_nf4.npy` only by the order the sums are added in.
public struct FourBitLinear: QuantizedEncoderLinear {
    public let scheme: BERTQuantizationScheme
    /// The packed codes and block constants of W ([out, in]).
    public let quantized: QuantizedBlockwise4
    /// b: [out], float32 (bitsandbytes keeps the bias unquantized).
    public let bias: [Float]

    /// Quantizes `weight` ([out, in]) as `scheme` says (nf4, nf4-dq, fp4 or fp4-dq) in blocks
    /// of `blockSize`. Throws for a non-finite weight.
    public init(
        weight: Tensor, bias: [Float], scheme: BERTQuantizationScheme,
        blockSize: Int = BERTQuantizationScheme.fourBitBlockSize
    ) throws {
        precondition(
            weight.rank == 2 && bias.count == weight.shape[0], "weight [out, in], bias [out]")
        let fourBit: [BERTQuantizationScheme: (FourBitDataType, Bool)] = [
            .nf4: (.nf4, false), .nf4DQ: (.nf4, true), .fp4: (.fp4, false), .fp4DQ: (.fp4, true),
        ]
        guard let entry = fourBit[scheme] else {
            preconditionFailure("FourBitLinear: \(scheme.rawValue) is not a 4-bit scheme")
        }
        let (type, doubleQuantization) = entry
        quantized = try BlockwiseQuantizer4.quantize(
            weight, type: type, blockSize: blockSize, doubleQuantization: doubleQuantization)
        self.bias = bias
        self.scheme = scheme
    }

    public var inFeatures: Int { quantized.shape[1] }
    public var outFeatures: Int { quantized.shape[0] }
    /// Packed codes plus the block constants (`QuantizedBlockwise4.storageBytes`).
    public var storedBits: Int { 8 * quantized.storageBytes }
    public var dequantizedWeight: Tensor {
        Tensor(shape: quantized.shape, data: BlockwiseQuantizer4.Fast.dequantize(quantized))
    }

    /// y = x · Ŵᵀ + b with Ŵ dequantized from the 4-bit codes on this call. x: [rows, in],
    /// y: [rows, out].
    public func forward(_ x: Tensor) -> Tensor {
        let rows = x.count / inFeatures
        // BEGIN EXERCISE 12d — a quantized Linear swapped in
        let w = BlockwiseQuantizer4.Fast.dequantize(quantized)  // Ŵ: [out][in]
        let y = Matmul.productTransposingB(
            x.data, w, m: rows, k: inFeatures, n: outFeatures, bias: bias)
        return Tensor(shape: [rows, outFeatures], data: y)
        // END EXERCISE 12d
    }
}
