/// One quantized Linear layer as a GPTQ checkpoint stores it: b-bit codes, a float16 scale and
/// an integer zero point per (output row, group), and each input column's group.
///
/// GPTQ (Frantar et al. 2022, arXiv:2210.17323; grouping: §5 "Extreme Quantization", one
/// scale and zero per group of input columns) leaves every weight as
/// W[r, c] = scale[r, g] · (code[r, c] − zero[r, g]),
/// with g = g_idx[c] the group of input column c. Without act-order, g_idx[c] = c / groupSize;
/// with act-order (`desc_act`) the groups follow the processing order, so g_idx is not
/// monotone. AutoGPTQ and GPTQModel store the four arrays as four tensors per layer:
///
/// ```
/// <layer>.qweight  int32   [in·b/32, out]  column r = codes[r, 0..<in] as a bit stream,
///                                          LSB first, along the INPUT dimension
/// <layer>.qzeros   int32   [groups, out·b/32]  row g = zeros[0..<out, g] (v1: zero − 1),
///                                          a bit stream along the OUTPUT dimension
/// <layer>.scales   float16 [groups, out]   scales transposed
/// <layer>.g_idx    int32   [in]            the group of each input column
///
/// 4-bit, in = 16, out = 2:    qweight word [0, r] = codes[r, 7] … codes[r, 1] codes[r, 0]
///                             qweight word [1, r] = codes[r, 15] … codes[r, 8]
/// ```
///
/// (`CheckpointPacking` draws the bit stream, 3-bit included.) The zero points are the
/// format's trap: AutoGPTQ's format, which the Hub calls `checkpoint_format: "gptq"` ("v1"),
/// stores zero − 1 in each field; GPTQModel works with the zero itself ("gptq_v2") and
/// subtracts 1 again when it saves a "gptq" checkpoint. See `CheckpointFormat`.
///
/// Properties (tested in CheckpointTests): packing equals AutoGPTQ 0.7.1's bytes exactly;
/// unpacking returns the codes, zeros and g_idx exactly and the scales rounded to float16;
/// `dequantized()` is exact in float32 (a float16 scale times an integer below 2^9 needs at
/// most 20 significant bits).
///
/// ### See Also
/// - `CheckpointPacking`, `CheckpointFormat`, `CheckpointFile`, `CheckpointError`
public struct CheckpointLayer: Equatable, Sendable {
    /// Bits per code: 2, 3, 4 or 8.
    public let bits: Int
    public let outFeatures: Int
    public let inFeatures: Int
    public let groupCount: Int
    /// codes: [out][in], row-major, each 0 … 2^bits − 1.
    public let codes: [UInt8]
    /// scales: [out][groups] float32. A layer read from a file holds float16 values; writing
    /// rounds to float16 (nearest, ties to even, as torch's `.half()`).
    public let scales: [Float]
    /// zeros: [out][groups], the zero points themselves (0 … 2^bits − 1), whatever the format.
    public let zeros: [UInt8]
    /// groupIndex: [in], g_idx: the group of each input column, 0 ..< groupCount.
    public let groupIndex: [Int32]

    /// Checks every count and range, so that packing cannot fail afterwards.
    public init(
        bits: Int, outFeatures: Int, inFeatures: Int,
        codes: [UInt8], scales: [Float], zeros: [UInt8], groupIndex: [Int32]
    ) throws {
        guard CheckpointPacking.supportedBits.contains(bits) else {
            throw CheckpointError.unsupportedBits(bits)
        }
        guard outFeatures > 0, inFeatures > 0 else {
            throw CheckpointError.badShape("empty layer: out \(outFeatures), in \(inFeatures)")
        }
        // The packers' own requirement: both bit streams fill whole 32-bit words.
        guard inFeatures * bits % 32 == 0, outFeatures * bits % 32 == 0 else {
            throw CheckpointError.badShape(
                "\(bits)-bit codes need in·bits and out·bits to be multiples of 32 "
                    + "(in \(inFeatures), out \(outFeatures))")
        }
        guard codes.count == outFeatures * inFeatures else {
            throw CheckpointError.badShape(
                "codes: \(codes.count) values for \(outFeatures) × \(inFeatures)")
        }
        guard !scales.isEmpty, scales.count % outFeatures == 0, zeros.count == scales.count else {
            throw CheckpointError.badShape(
                "scales (\(scales.count)) and zeros (\(zeros.count)) must both be "
                    + "out × groups, out = \(outFeatures)"
            )
        }
        guard groupIndex.count == inFeatures else {
            throw CheckpointError.badShape(
                "g_idx: \(groupIndex.count) values for \(inFeatures) input columns")
        }
        let groups = scales.count / outFeatures
        let maxq = UInt8((1 << bits) - 1)
        if let index = codes.firstIndex(where: { $0 > maxq }) {
            throw CheckpointError.valueOutOfRange(
                "code \(codes[index]) at \(index) exceeds \(maxq)")
        }
        if let index = zeros.firstIndex(where: { $0 > maxq }) {
            throw CheckpointError.valueOutOfRange(
                "zero \(zeros[index]) at \(index) exceeds \(maxq)")
        }
        if let column = groupIndex.firstIndex(where: { $0 < 0 || Int($0) >= groups }) {
            throw CheckpointError.groupIndexOutOfRange(
                column: column, group: Int(groupIndex[column]), groups: groups)
        }
        self.bits = bits
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.groupCount = groups
        self.codes = codes
        self.scales = scales
        self.zeros = zeros
        self.groupIndex = groupIndex
    }

    /// The float weight the checkpoint stands for: [out][in] row-major, like a Linear's weight,
    /// W[r, c] = scale[r, g] · (code[r, c] − zero[r, g]) with g = g_idx[c].
    ///
    /// Computed in float32, where it is exact; kernels that multiply in float16 round it again.
    public func dequantized() -> [Float] {
        var weight = [Float](repeating: 0, count: outFeatures * inFeatures)
        for r in 0..<outFeatures {
            for c in 0..<inFeatures {
                let g = Int(groupIndex[c])
                let step = Float(Int(codes[r * inFeatures + c]) - Int(zeros[r * groupCount + g]))
                weight[r * inFeatures + c] = scales[r * groupCount + g] * step
            }
        }
        return weight
    }
}
