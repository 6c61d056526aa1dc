/// # FloatFormats — binary floating point from the bits up
///
/// One value type, ``FloatFormat``, describes every format in the chapter: a sign bit,
/// `exponentBits` of biased exponent, `mantissaBits` of stored fraction, and the rules a
/// format uses to spell infinity and NaN. Everything else — decoding, rounding, the largest
/// finite value, machine epsilon — is derived from that description with integer arithmetic
/// on `UInt32` bit patterns, so the same code teaches fp16 and FP4.
///
/// A finite code with sign `s`, exponent field `E` and mantissa field `M` means
///
/// ```
/// normal    (0 < E):  x = (−1)^s × (1 + M / 2^m) × 2^(E − bias)
/// subnormal (E = 0):  x = (−1)^s × (0 + M / 2^m) × 2^(1 − bias)
/// ```
///
/// and encoding a float32 `x` is: find the spacing `q = 2^(max(⌊log2|x|⌋, 1 − bias) − m)`
/// of the grid `x` falls on, round `x / q` to the nearest integer with ties to even, and
/// write the result back as fields; anything that rounds past the largest finite value is
/// handled by the format's overflow rule.
///
/// ## Sources
///
/// - IEEE 754-2008, *Standard for Floating-Point Arithmetic*: §3.4 (binary interchange
///   encoding), §4.3.1 (roundTiesToEven), §7.4 (overflow), §6.2.3 (NaN propagation).
/// - OCP *8-bit Floating Point Specification (OFP8)*, rev. 1.0 (2023): E4M3 (no infinity,
///   only S.1111.111 is NaN, max 448) and E5M2 (IEEE-like, max 57344); §5 on saturation.
/// - OCP *Microscaling Formats (MX) Specification* v1.0 (2023), §5.3.3: FP4 E2M1, which has
///   neither infinity nor NaN — an MX block signals NaN through its shared scale instead.
/// - NVIDIA *A100 Tensor Core GPU Architecture* whitepaper (2020): TF32, float32's 8-bit
///   exponent with a 10-bit mantissa, stored in a 32-bit register.
/// - `ml_dtypes` 0.6.0 (bfloat16, float8_e4m3fn, float8_e5m2, float4_e2m1fn) and NumPy 2.4.6
///   (float16): the reference vectors in `Tests/FloatFormatsTests/Fixtures` come from them.
///
/// ## What ml_dtypes and NumPy do at the edges (and so do we)
///
/// - Rounding is round-to-nearest, ties-to-even, in the subnormal range too.
/// - Overflow is decided *after* rounding: fp16 turns 65519.996 into 65504 but 65520 (a tie
///   whose even neighbour is 2^16) into +inf. E4M3 has no infinity, so values from 464 up
///   become NaN with the sign kept — 464 itself is a tie that goes to the even code 448.
///   FP4 has neither and saturates to ±6.
/// - ±inf becomes ±inf where the format has it, NaN in E4M3, ±6 in FP4.
/// - NaN: ml_dtypes writes its canonical quiet NaN with the input's sign (bf16 0x7fc0, E5M2
///   0x7e, E4M3 0x7f); NumPy's float16 keeps the sign and the top 10 payload bits (setting
///   the lowest bit if they are all zero, so the result stays NaN) — see ``NaNPayloadRule``.
/// - FP4 has no NaN. ml_dtypes 0.6.0 turns NaN into a zero with the *opposite* sign, an
///   artefact we do not copy: we keep the sign (NaN → ±0), see ``NaNEncoding/none``.
///
/// What we simplify: hardware converters also offer round-toward-zero and stochastic
/// rounding, and raise IEEE exception flags (inexact, overflow); we do neither.
///
/// ### See Also
/// - ``FloatFormat/encode(_:)``, ``FloatFormat/decode(_:)``, ``FloatFormat/explain(_:)``
/// - `FloatFormat+Fast.swift`: branch-light bulk fp16/bf16 kernels checked against these.
/// - Chapter 01 (`Chapters/01-float-formats`) plots the grids these formats put on the line.
public struct FloatFormat: Sendable, Hashable, CustomStringConvertible {
    /// The name used by the CLI and the chapter: "fp16", "fp8-e4m3", …
    public let name: String
    /// Width of the biased exponent field.
    public let exponentBits: Int
    /// Width of the stored fraction ("mantissa") field; the leading 1 of normal numbers is implicit.
    public let mantissaBits: Int
    /// Exponent bias: a normal number with exponent field E is scaled by 2^(E − bias).
    public let bias: Int
    /// Bits one value occupies in memory. Equals ``codeBits`` except for TF32, which lives in a
    /// 32-bit register with its low 13 mantissa bits zero.
    public let storageBits: Int
    /// How (whether) the format spells ±infinity.
    public let infinity: InfinityEncoding
    /// Which codes are NaN.
    public let nan: NaNEncoding
    /// What a float32 NaN's payload becomes when it is encoded.
    public let nanPayload: NaNPayloadRule
    /// What ``encode(_:)`` does with values beyond the largest finite one.
    public let overflow: OverflowMode

    /// Describe a format. The checks keep every value exactly representable as a float32,
    /// which is what lets ``decode(_:)`` return `Float`.
    public init(
        name: String, exponentBits: Int, mantissaBits: Int, bias: Int, storageBits: Int? = nil,
        infinity: InfinityEncoding, nan: NaNEncoding, nanPayload: NaNPayloadRule = .canonicalQuiet,
        overflow: OverflowMode = .ieee
    ) {
        precondition((1...8).contains(exponentBits), "exponentBits must be 1...8 to fit float32")
        precondition((0...23).contains(mantissaBits), "mantissaBits must be 0...23 to fit float32")
        let codeBits = 1 + exponentBits + mantissaBits
        let storage = storageBits ?? codeBits
        precondition((codeBits...32).contains(storage), "storageBits must be codeBits...32")
        precondition(1 - bias >= -126, "smallest normal exponent 1 − bias must be ≥ −126")
        let topField = (1 << exponentBits) - 1  // reserved for inf/NaN in IEEE-style formats
        let largestFiniteField = infinity == .ieee || nan == .ieee ? topField - 1 : topField
        precondition(largestFiniteField - bias <= 127, "largest finite exponent must be ≤ 127")
        precondition(infinity == .none || nan == .ieee, "IEEE infinity comes with IEEE NaNs")
        precondition(nan == .none || mantissaBits >= 1, "a NaN needs at least one mantissa bit")
        self.name = name
        self.exponentBits = exponentBits
        self.mantissaBits = mantissaBits
        self.bias = bias
        self.storageBits = storage
        self.infinity = infinity
        self.nan = nan
        self.nanPayload = nanPayload
        self.overflow = overflow
    }

    public var description: String {
        "\(name) (1-\(exponentBits)-\(mantissaBits), bias \(bias))"
    }
}

/// How a format spells infinity.
public enum InfinityEncoding: Sendable, Hashable {
    /// IEEE 754: exponent field all ones, mantissa zero (fp32, fp16, bf16, tf32, E5M2).
    case ieee
    /// No infinity (E4M3, FP4). Infinite inputs become NaN if the format has one, else ±max.
    case none
}

/// Which codes are NaN.
public enum NaNEncoding: Sendable, Hashable {
    /// IEEE 754: exponent field all ones, mantissa non-zero — 2 × (2^m − 1) NaN codes.
    case ieee
    /// Only S.1…1.1…1 is NaN (OCP E4M3, ml_dtypes `float8_e4m3fn`); the all-ones exponent
    /// with any other mantissa holds ordinary numbers, which is how E4M3 reaches 448.
    case onlyAllOnes
    /// No NaN (FP4 E2M1). Our choice: a NaN input encodes as a zero with the NaN's sign.
    /// Zero is the value that does least damage in a dot product (±6 would look like a real
    /// outlier), and keeping the sign keeps `encode(−x) == encode(x) ^ signBit` true for
    /// every input. (ml_dtypes 0.6.0 flips the sign; the MX spec puts NaN in the block scale.)
    case none
}

/// What happens to the payload (the mantissa bits) of a float32 NaN on encoding.
/// The sign is kept in every case; the rules below are the ones the reference libraries use.
public enum NaNPayloadRule: Sendable, Hashable {
    /// The format's canonical quiet NaN: top mantissa bit set (all bits for E4M3). ml_dtypes.
    case canonicalQuiet
    /// Keep the top m payload bits; if they are all zero set the lowest bit so the code is
    /// still a NaN, not infinity. NumPy's float16 (0x7fa00000 → 0x7d00), and float32 itself.
    case truncated
    /// Keep the top m payload bits and force the quiet bit on (the TF32 reference).
    case truncatedQuiet
}

/// What encoding does with finite values that round past the largest finite value, and with ±inf.
public enum OverflowMode: Sendable, Hashable {
    /// IEEE 754 §7.4 (OCP calls it "non-saturating"): overflow becomes ±inf; a format without
    /// infinity produces NaN (E4M3, sign kept); a format with neither saturates (FP4).
    case ieee
    /// Clamp to ±largest finite value, as OCP OFP8 §5 and MX permit. ±inf saturate too;
    /// NaN stays NaN where the format has one.
    case saturate
}
