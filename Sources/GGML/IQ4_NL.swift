/// IQ4_NL: 32 four-bit indices into a fixed non-uniform table and one fp16 scale, 4.5 bits
/// per weight — Q4_0's struct with a grid bent toward zero, like NF4's.
///
/// ```c
/// typedef struct { ggml_half d; uint8_t qs[QK4_NL / 2]; } block_iq4_nl;  // 18 bytes
/// ```
/// Bytes 0–1: fp16 `d`; bytes 2–17: indices, element `j` low nibble, `j + 16` high nibble.
/// Dequantize (`dequantize_row_iq4_nl`): `x = d · kvalues_iq4nl[q]`.
///
/// Quantize: `ggml_quantize_chunk` calls `quantize_iq4_nl` →
/// `quantize_row_iq4_nl_impl(32, 32, …, ntry 7)`, without an importance matrix the weights
/// `w = x²` (an imatrix is not supported here):
/// 1. A block with max |x| < 1e-15 stores d = 0 and every index 8 (the table's 1, nearest 0).
/// 2. `m` = the signed value of largest |x|; `d = m / 127`; each index is the nearest table
///    value to `x / d` (`best_index_int8`: a tie goes to the upper index); then the weighted
///    least-squares scale `d = Σ w q x / Σ w q²`, scored by `best = d · Σ w q x`.
/// 3. Fifteen more grids, `id = (t − 127) / m` for t = −7…7: re-pick the indices, and keep
///    `Σ w q x / Σ w q²` whenever `(Σ w q x)² > best · Σ w q²`.
/// 4. Store d as fp16; re-pick every index with `1 / d` of the float32 d.
///
/// Sums run in float32 in element order, `w · q · x` as `(w · q) · x`, as the C does.
public enum IQ4_NL: BlockFormat {
    public static let name = "IQ4_NL"
    /// 2 (fp16 d) + 16 (two indices per byte).
    public static let bytesPerBlock = 18

    /// `kvalues_iq4nl` (ggml-common.h).
    public static let values: [Float] = [
        -127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113,
    ]

    /// `best_index_int8`: the nearest table value by bisection; the upper one on a tie.
    public static func nearestIndex(_ x: Float) -> Int {
        // BEGIN EXERCISE 11e — IQ4_NL's nearest table entry
        if x <= values[0] { return 0 }
        if x >= values[15] { return 15 }
        var lower = 0
        var upper = 15
        while upper - lower > 1 {
            let middle = (lower + upper) / 2
            if x < values[middle] { upper = middle } else { lower = middle }
        }
        return x - values[upper - 1] < values[upper] - x ? upper - 1 : upper
        // END EXERCISE 11e
    }

    /// Σ w q x and Σ w q² for the indices picked with `id`.
    static func weightedSums(_ x: [Float], _ w: [Float], id: Float) -> (qx: Float, q2: Float) {
        var sumQX: Float = 0
        var sumQ2: Float = 0
        for j in x.indices {
            let q = values[nearestIndex(id * x[j])]
            sumQX += w[j] * q * x[j]
            sumQ2 += w[j] * q * q
        }
        return (sumQX, sumQ2)
    }

    /// Steps 1–3 above: the float32 scale (0 for a negligible block).
    static func bestScale(_ x: [Float]) -> Float {
        let w = x.map { $0 * $0 }
        var amax: Float = 0
        var m: Float = 0
        for v in x where abs(v) > amax {
            amax = abs(v)
            m = v
        }
        if amax < 1e-15 { return 0 }  // GROUP_MAX_EPS
        var d = -m / values[0]
        var sums = weightedSums(x, w, id: 1 / d)
        d = sums.q2 > 0 ? sums.qx / sums.q2 : 0
        var best = d * sums.qx
        for t in -7...7 {
            sums = weightedSums(x, w, id: Float(t - 127) / m)
            if sums.q2 > 0 && sums.qx * sums.qx > best * sums.q2 {
                d = sums.qx / sums.q2
                best = d * sums.qx
            }
        }
        return d
    }

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let x = Array(block)
        let d = bestScale(x)
        HalfField.append(d, to: &bytes)
        let id: Float = d != 0 ? 1 / d : 0
        let q = x.map { UInt8(nearestIndex(id * $0)) }
        for j in 0..<16 { bytes.append(q[j] | q[j + 16] << 4) }
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        let qs = Array(block.dropFirst(2))
        for j in 0..<16 { values.append(d * Self.values[Int(qs[j] & 0x0F)]) }
        for j in 0..<16 { values.append(d * Self.values[Int(qs[j] >> 4)]) }
    }
}
