/// One value taken apart, for the chapter's tables: which fields the encoder wrote, what they
/// mean, and what was lost.
///
/// ```
/// fp16.explain(0.1)
/// // 0.1 → fp16 0 01011 1001100110 = 0.0999755859375 (normal, 2^-4 × 1.599609375), rel. error 2.4e-04
/// ```
public struct Encoding: Sendable, Hashable, CustomStringConvertible {
    /// What kind of code was produced.
    public enum Kind: String, Sendable, Hashable {
        case zero, subnormal, normal, infinity, nan
    }

    /// The format the value was encoded in.
    public let format: FloatFormat
    /// The float32 that was encoded.
    public let input: Float
    /// The stored bits, as ``FloatFormat/encode(_:)`` returns them.
    public let bits: UInt32
    /// Sign bit (0 or 1).
    public let signBit: UInt32
    /// Biased exponent field.
    public let exponentField: UInt32
    /// Mantissa (fraction) field.
    public let mantissaField: UInt32
    /// The code's bits grouped as sign, exponent, mantissa: "0 01111 1001100110".
    /// (TF32 shows its 19 meaningful bits, not the 13 zero bits below them.)
    public let bitString: String
    /// The value the bits stand for, `decode(bits)`.
    public let value: Float
    /// Exponent field − bias, or 1 − bias for zero and subnormals (where the field is 0).
    /// Not meaningful for infinity and NaN.
    public let unbiasedExponent: Int
    /// |value − input| / |input| in Double; 0 if both are zero or equal infinities, infinity
    /// if a finite input became non-finite, NaN if the input was NaN.
    public let relativeError: Double
    /// Zero, subnormal, normal, infinity or NaN.
    public let kind: Kind
    /// The input was finite but rounded past the largest finite value.
    public let overflowed: Bool

    public var isSubnormal: Bool { kind == .subnormal }
    public var isNaN: Bool { kind == .nan }

    /// The significand the fields encode: 1.M for normals, 0.M for subnormals, as a Float.
    public var significand: Float {
        let fraction = Float(mantissaField) * powerOfTwo(-format.mantissaBits)
        return kind == .normal ? 1 + fraction : fraction
    }

    public var description: String {
        var text = "\(input) → \(format.name) \(bitString) = \(value) (\(kind.rawValue)"
        if kind == .normal || kind == .subnormal {
            text += ", 2^\(unbiasedExponent) × \(significand)"
        }
        text += ")"
        if overflowed { text += ", overflowed" }
        if input.isFinite && value.isFinite {
            text += ", rel. error \(relativeError)"
        }
        return text
    }
}

extension FloatFormat {
    /// Encode `x` with the default overflow mode and describe the result.
    public func explain(_ x: Float) -> Encoding { explain(x, overflow: overflow) }

    /// Encode `x` with `mode` and describe the result.
    public func explain(_ x: Float, overflow mode: OverflowMode) -> Encoding {
        let (bits, overflowed) = encodeReportingOverflow(x, overflow: mode)
        let (sign, exponentField, mantissaField) = fields(of: bits)
        let value = decode(bits)
        let kind: Encoding.Kind
        if isNaN(exponentField: exponentField, mantissaField: mantissaField) {
            kind = .nan
        } else if isInfinity(exponentField: exponentField, mantissaField: mantissaField) {
            kind = .infinity
        } else if exponentField == 0 {
            kind = mantissaField == 0 ? .zero : .subnormal
        } else {
            kind = .normal
        }
        return Encoding(
            format: self, input: x, bits: bits, signBit: sign, exponentField: exponentField,
            mantissaField: mantissaField,
            bitString: groupedBits(sign: sign, exponent: exponentField, mantissa: mantissaField),
            value: value,
            unbiasedExponent: exponentField == 0 ? minNormalExponent : Int(exponentField) - bias,
            relativeError: Self.relativeError(of: value, from: x), kind: kind,
            overflowed: overflowed)
    }

    /// "s eeeee mmmmmmmmmm" with each field zero-padded to its width.
    func groupedBits(sign: UInt32, exponent: UInt32, mantissa: UInt32) -> String {
        func padded(_ field: UInt32, _ width: Int) -> String {
            let digits = String(field, radix: 2)
            return String(repeating: "0", count: width - digits.count) + digits
        }
        var groups = [String(sign), padded(exponent, exponentBits)]
        if mantissaBits > 0 { groups.append(padded(mantissa, mantissaBits)) }
        return groups.joined(separator: " ")
    }

    static func relativeError(of value: Float, from input: Float) -> Double {
        if input.isNaN { return .nan }
        if value == input { return 0 }  // covers ±0 and equal infinities
        if input.isInfinite || !value.isFinite { return .infinity }
        if input == 0 { return .infinity }  // unreachable: 0 always encodes exactly
        return abs(Double(value) - Double(input)) / abs(Double(input))
    }
}
