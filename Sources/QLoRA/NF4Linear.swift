import Core
import FloatFormats
import NF4
import NN

/// A frozen linear layer whose weight lives in 4 bits — bitsandbytes' `Linear4bit` with
/// `quant_type="nf4"`, `compress_statistics=True`, and its autograd function `MatMul4Bit`.
///
/// ```
/// W:  [out][in] float32, quantized once, row-major, in blocks of 64 along the flattened rows
/// weight.packed:    [out·in / 2] bytes, two NF4 codes per byte, first element in the high nibble
/// weight.constants: double-quantized absmax — [blocks] UInt8 codes + [⌈blocks/256⌉] Float + one offset
/// b:  [out] float32, frozen (peft's bias="none"; LLaMA has no biases at all)
///
/// forward:   Ŵ = dequantize(weight)        [out][in] float32, built here and dropped at return
///            y = x · Ŵᵀ + b
/// backward:  Ŵ = dequantize(weight)        again — nothing of it was kept
///            dx = dy · Ŵ                   no dW: the 4-bit weight is frozen
/// ```
///
/// QLoRA §3: "QLoRA has one low-precision storage data type, in our case usually 4-bit, and one
/// computation data type that is usually BFloat16. In practice, this means whenever a QLoRA
/// weight tensor is used, we dequantize the tensor to BFloat16, and then perform a matrix
/// multiplication in 16-bit." Storage type and compute type are separate choices: the storage
/// type (NF4) decides what is resident between steps, the compute type what the matrix product
/// multiplies. By default we compute in float32 (every layer of this project does), so the
/// forward and the input gradient are bit-identical to a float `Linear` holding Ŵ (tested).
/// With `computeType = .bfloat16` both operands of each product — Ŵ and x forward, Ŵ and dy
/// backward — are rounded to bfloat16 (round-to-nearest-even, `FloatFormats.FloatFormat.Fast`)
/// before the product, which still accumulates in float32, as tensor cores do; the output
/// stays float32 (PyTorch would also round it to bf16) and the adapters stay float32.
///
/// What bitsandbytes does differently: the dequantization is one CUDA kernel writing a
/// temporary 16-bit weight (or, for a single token, a fused 4-bit GEMV that never writes it);
/// ours is a readable loop over the codes. The point is the same: between steps only
/// ≈ 4.127 bits per weight are resident, not 16 or 32.
///
/// ### See Also
/// `QLoRALinear` (this layer plus a LoRA adapter), `NF4.BlockwiseQuantizer4`,
/// `NF4.QuantizedBlockwise4`, `NF4.DoubleQuantizedAbsmax`.
public final class NF4Linear: Layer {
    /// The layer's dotted name without `.weight` (`blocks.0.attn.query`).
    public let name: String
    public let inFeatures: Int
    public let outFeatures: Int
    /// W in 4 bits, shape [out, in].
    public let weight: QuantizedBlockwise4
    /// b: [out], frozen float32, or nil.
    public let bias: Parameter?

    /// The type the matrix products multiply in (`bnb_4bit_compute_dtype`); float32 by default.
    public var computeType: ComputeType = .float32

    /// Cache for backward: the input x, [rows][in].
    private var input: Tensor?

    /// Quantizes `linear`'s weight (NF4, blocks of `blockSize`, double-quantized constants by
    /// default — QLoRA's storage) and keeps its bias, frozen. `linear` itself is not changed.
    /// Throws what `BlockwiseQuantizer4.quantize` throws (a non-finite weight, a bad block size).
    /// `type` picks the 4-bit code book (NF4 for QLoRA; FP4 and Int4 to compare, Chapter 4).
    public convenience init(
        quantizing linear: Linear, type: FourBitDataType = .nf4, blockSize: Int = 64, doubleQuantization: Bool = true
    ) throws {
        let q = try BlockwiseQuantizer4.quantize(
            linear.weight.tensor, type: type, blockSize: blockSize, doubleQuantization: doubleQuantization)
        let bias = linear.bias.map { Parameter(name: $0.name, shape: $0.shape, value: $0.value, isTrainable: false) }
        self.init(name: String(linear.weight.name.dropLast(".weight".count)), weight: q, bias: bias)
    }

    /// A layer from a quantized [out, in] weight and an optional [out] bias (frozen here).
    public init(name: String, weight: QuantizedBlockwise4, bias: Parameter?) {
        precondition(weight.shape.count == 2, "NF4Linear \(name): the weight must be out × in, got \(weight.shape)")
        self.name = name
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        if let bias {
            precondition(bias.shape == [outFeatures], "NF4Linear \(name): bias must be [\(outFeatures)]")
            bias.isTrainable = false
        }
        self.weight = weight
        self.bias = bias
    }

    /// Only the (frozen) bias: the 4-bit weight is not a `Parameter` — nothing trains it, and
    /// an optimizer must never see it.
    public var parameters: [Parameter] { bias.map { [$0] } ?? [] }

    /// Ŵ[o][i] = NF4[code] · absmax[block], [out][in] float32 — a fresh array on every call
    /// (exercise 7a).
    ///
    /// ```
    /// absmax:  [blocks] Float     weight.constants.absmax: the double-quantized constants
    ///                             decompressed, ĉ₂[b] = dynamicMap[code[b]] · c₁[b / 256] + offset
    /// code i:  weight.packed[i / 2], high nibble for even i, low nibble for odd i
    /// Ŵ[i]  =  weight.type.values[code i] · absmax[i / blockSize]     one float32 product
    /// ```
    ///
    /// Bit-identical to Chapter 4's `QuantizedBlockwise4.dequantize()` (tested): one rounding,
    /// the product of the table value and the block's absmax.
    public func dequantizedWeight() -> [Float] {
        // BEGIN EXERCISE 7a — dequantize the 4-bit weight on the fly
        let absmax = weight.constants.absmax  // [blocks] Float, the second level undone
        let levels = weight.type.values  // the 16 NF4 values, by code
        var w = [Float](repeating: 0, count: weight.count)
        for i in w.indices {
            let byte = weight.packed[i / 2]  // element 2j in the high nibble, 2j + 1 in the low one
            let code = i % 2 == 0 ? byte >> 4 : byte & 0x0F
            w[i] = levels[Int(code)] * absmax[i / weight.blockSize]
        }
        return w
        // END EXERCISE 7a
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == inFeatures, "NF4Linear \(name): input has \(x.cols) features, expected \(inFeatures)")
        input = x
        let w = computeType.rounded(dequantizedWeight())  // lives until this function returns
        var y = Matmul.productTransposingB(computeType.rounded(x.data), w, m: x.rows, k: inFeatures, n: outFeatures)
        if let bias {
            for r in 0..<x.rows {
                for o in 0..<outFeatures { y[r * outFeatures + o] += bias.value[o] }
            }
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [outFeatures], data: y)
    }

    /// dx = dy · Ŵ, [rows][out] · [out][in] → [rows][in], with Ŵ dequantized again (exercise 7b).
    /// Accumulates nothing: W is frozen in 4 bits and b is frozen too. The product is
    /// `Matmul.product(dy, Ŵ)` — what a float `Linear` holding Ŵ computes, bit for bit.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("NF4Linear \(name): backward called before forward") }
        precondition(dy.rows == x.rows && dy.cols == outFeatures, "NF4Linear \(name): dy has shape \(dy.shape)")
        // BEGIN EXERCISE 7b — backward through the frozen 4-bit weight
        // The gradient still has to flow *through* W to reach the adapters of earlier layers:
        // dx = dy · Ŵ, with Ŵ dequantized again (bitsandbytes' MatMul4Bit.backward:
        // grad_A = grad_output @ dequantize_4bit(B)). No dW is formed.
        let w = computeType.rounded(dequantizedWeight())
        let dx = Matmul.product(computeType.rounded(dy.data), w, m: x.rows, k: outFeatures, n: inFeatures)
        return Tensor(shape: x.shape, data: dx)
        // END EXERCISE 7b
    }

    /// Resident bytes: packed codes, the (double-quantized) constants, and the float32 bias.
    public var storageBytes: Int { weight.storageBytes + 4 * (bias?.count ?? 0) }

    /// in · out.
    public var weightCount: Int { weight.count }

    /// A float32 `Linear` holding Ŵ and a copy of the bias (frozen): "the dequantized base".
    public func dequantizedLinear() -> Linear {
        let w = Parameter(name: name + ".weight", shape: [outFeatures, inFeatures], value: dequantizedWeight(),
                          isTrainable: false)
        let b = bias.map { Parameter(name: $0.name, shape: $0.shape, value: $0.value, isTrainable: false) }
        return Linear(weight: w, bias: b)
    }
}

/// The number type a 4-bit layer computes in — the compute type beside the storage type
/// (transformers' `bnb_4bit_compute_dtype`).
public enum ComputeType: String, Equatable, Sendable {
    /// Operands used as they are (float32): the default of this project.
    case float32
    /// Operands rounded to bfloat16 (8 exponent bits, 7 mantissa bits) before the product,
    /// QLoRA's compute type; the product accumulates in float32.
    case bfloat16

    /// `values` rounded to this type and held in float32 (unchanged for `.float32`).
    public func rounded(_ values: [Float]) -> [Float] {
        guard self == .bfloat16 else { return values }
        return values.map { Float(bitPattern: UInt32(FloatFormat.Fast.bfloat16Bits(fromFloatBits: $0.bitPattern)) << 16) }
    }
}
