/// The formats of the chapter, in the order of its table (widest first).
///
/// | name | layout | bias | specials |
/// |---|---|---|---|
/// | fp32 | 1-8-23 | 127 | IEEE |
/// | fp16 | 1-5-10 | 15 | IEEE, max 65504 |
/// | bf16 | 1-8-7 | 127 | IEEE, float32's range |
/// | tf32 | 1-8-10 in 32 bits | 127 | IEEE |
/// | fp8-e4m3 | 1-4-3 | 7 | no infinity, only S.1111.111 is NaN, max 448 |
/// | fp8-e5m2 | 1-5-2 | 15 | IEEE-like, max 57344 |
/// | fp4-e2m1 | 1-2-1 | 1 | neither; 0, 0.5, 1, 1.5, 2, 3, 4, 6 |
extension FloatFormat {
    /// IEEE 754 binary32. Encoding is the identity (NaN payloads included).
    public static let fp32 = FloatFormat(
        name: "fp32", exponentBits: 8, mantissaBits: 23, bias: 127,
        infinity: .ieee, nan: .ieee, nanPayload: .truncated)

    /// IEEE 754 binary16, as NumPy's `float16` converts it.
    public static let fp16 = FloatFormat(
        name: "fp16", exponentBits: 5, mantissaBits: 10, bias: 15,
        infinity: .ieee, nan: .ieee, nanPayload: .truncated)

    /// bfloat16 (Google Brain): float32 with the low 16 bits dropped, as ml_dtypes converts it.
    public static let bf16 = FloatFormat(
        name: "bf16", exponentBits: 8, mantissaBits: 7, bias: 127,
        infinity: .ieee, nan: .ieee, nanPayload: .canonicalQuiet)

    /// NVIDIA TensorFloat-32: float32's exponent, fp16's 10-bit mantissa, kept in a 32-bit
    /// register whose low 13 bits are zero.
    public static let tf32 = FloatFormat(
        name: "tf32", exponentBits: 8, mantissaBits: 10, bias: 127, storageBits: 32,
        infinity: .ieee, nan: .ieee, nanPayload: .truncatedQuiet)

    /// OCP FP8 E4M3 (`float8_e4m3fn` in ml_dtypes: "f"inite, special "n"aN encoding).
    public static let fp8E4M3 = FloatFormat(
        name: "fp8-e4m3", exponentBits: 4, mantissaBits: 3, bias: 7,
        infinity: .none, nan: .onlyAllOnes, nanPayload: .canonicalQuiet)

    /// OCP FP8 E5M2: a truncated fp16, IEEE-like with infinities.
    public static let fp8E5M2 = FloatFormat(
        name: "fp8-e5m2", exponentBits: 5, mantissaBits: 2, bias: 15,
        infinity: .ieee, nan: .ieee, nanPayload: .canonicalQuiet)

    /// OCP MX FP4 E2M1 (`float4_e2m1fn`): eight magnitudes, no infinity, no NaN; saturates.
    public static let fp4E2M1 = FloatFormat(
        name: "fp4-e2m1", exponentBits: 2, mantissaBits: 1, bias: 1,
        infinity: .none, nan: .none, overflow: .saturate)

    /// Every catalogued format, in table order.
    public static let all: [FloatFormat] = [
        .fp32, .fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1,
    ]

    /// Look a format up by its CLI name ("fp32", "fp16", "bf16", "tf32", "fp8-e4m3",
    /// "fp8-e5m2", "fp4-e2m1"); `nil` for anything else.
    public init?(name: String) {
        guard let format = FloatFormat.all.first(where: { $0.name == name }) else { return nil }
        self = format
    }
}
