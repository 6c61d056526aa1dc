import Core

/// An int8-quantized tensor: the codes, one scale (and zero point) per group, and the
/// granularity that says which values share a group.
///
/// ```
/// codes:      [shape.product] Int8, the input's row-major order (code i ↔ value i)
/// scales:     [groupCount] Float; absmax: s = 127 / absmax, zero-point: nd = 255 / range
/// zeroPoints: [groupCount] Int8 for .zeroPoint; empty for .absmax (implicitly 0)
/// absmax:     [groupCount] Float for .absmax, each group's max|x| as bitsandbytes stores it;
///             empty for .zeroPoint (and when built from scales alone)
/// ```
///
/// `absmax` is kept beside `scales` because 127 / s does not give it back: the division
/// rounds (127 / (127 / a) can differ from a in the last bit), and an all-zero group stores
/// scale 1 (see `Absmax.scale(forAbsmax:)`) where its absmax is 0.
///
/// Dequantization is x̂ᵢ = (qᵢ − zp_g) / s_g with g the group of value i.
public struct QuantizedInt8: Equatable, Sendable {
    public enum Scheme: String, Sendable {
        case absmax
        case zeroPoint = "zero-point"
    }

    public let scheme: Scheme
    public let shape: [Int]
    public let granularity: Granularity
    public let codes: [Int8]
    public let scales: [Float]
    public let zeroPoints: [Int8]
    /// Each group's largest magnitude (absmax scheme), the number bitsandbytes stores per
    /// group; empty when not known.
    public let absmax: [Float]

    public init(
        scheme: Scheme, shape: [Int], granularity: Granularity,
        codes: [Int8], scales: [Float], zeroPoints: [Int8], absmax: [Float] = []
    ) {
        precondition(codes.count == shape.reduce(1, *), "codes do not fill shape \(shape)")
        precondition(
            scales.count == granularity.groupCount(shape: shape),
            "\(scales.count) scales for \(granularity.groupCount(shape: shape)) groups")
        precondition(
            zeroPoints.isEmpty || zeroPoints.count == scales.count, "one zero point per group")
        precondition(absmax.isEmpty || absmax.count == scales.count, "one absmax per group")
        self.scheme = scheme
        self.shape = shape
        self.granularity = granularity
        self.codes = codes
        self.scales = scales
        self.zeroPoints = zeroPoints
        self.absmax = absmax
    }

    /// The number of quantized values.
    public var count: Int { codes.count }

    /// The group of value `index` (its scale is `scales[group(ofElement: index)]`).
    public func group(ofElement index: Int) -> Int {
        granularity.groupIndex(ofElement: index, shape: shape)
    }

    /// x̂ = (q − zp) / s for every value, in the input's shape.
    public func dequantize() -> Tensor {
        var out = [Float](repeating: 0, count: count)
        for i in codes.indices {
            let g = group(ofElement: i)
            let zp = zeroPoints.isEmpty ? 0 : zeroPoints[g]
            out[i] = Float(Int(codes[i]) - Int(zp)) / scales[g]
        }
        return Tensor(shape: shape, data: out)
    }

    /// Storage in bytes: one byte per code, a float32 per scale, and for the zero-point
    /// scheme one byte per zero point.
    public var storageBytes: Int {
        codes.count + 4 * scales.count + zeroPoints.count
    }

    /// Storage bits per quantized value, scales included: 8 + 32·groups/n (+ 8·groups/n).
    public var bitsPerParameter: Double {
        count == 0 ? 0 : Double(8 * storageBytes) / Double(count)
    }

    /// How often each code occurs: `counts[q + 128]` for q in −128…127 (the "levels
    /// actually used" figure of Chapter 2).
    public var codeCounts: [Int] {
        var counts = [Int](repeating: 0, count: 256)
        for q in codes { counts[Int(q) + 128] += 1 }
        return counts
    }

    /// The number of distinct codes that occur.
    public var distinctCodes: Int { codeCounts.filter { $0 > 0 }.count }
}
