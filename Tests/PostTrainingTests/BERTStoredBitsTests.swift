import BERT
import Core
import PostTraining
import Testing

/// Stored bits of every scheme on MiniLM's two weight shapes, by hand:
/// query-like [384, 384] (147 456 weights, rows of 384) and rows of output.dense's length,
/// [64, 1536] (1536 = 6 super-blocks of 256; 64 rows keep the k-quant searches quick).
@Suite struct BERTStoredBitsTests {
    static let square = SyntheticLayer.make(out: 384, in: 384, seed: 1220)
    static let wide = SyntheticLayer.make(out: 64, in: 1536, seed: 1221)

    /// Bytes per scheme on [384, 384]. Each line: codes + scales (+ zeros, + second level).
    static let squareBytes: [(BERTQuantizationScheme, Int)] = [
        (.absmaxInt8, 147_456 + 4),  // one float32 absmax for the matrix
        (.absmaxInt8Row, 147_456 + 4 * 384),  // one per row: 8.083 bits
        (.absmaxInt8Block, 147_456 + 4 * 2_304),  // 147 456 / 64 = 2 304 blocks: 8.5 bits
        (.zeropointInt8, 147_456 + 4 + 1),  // a float32 scale and an int8 zero point
        (.dynamic8, 147_456 + 4 * 36),  // 147 456 / 4 096 = 36 blocks
        (.nf4, 73_728 + 4 * 2_304),  // two codes per byte + 2 304 float32 absmax: 4.5 bits
        (.fp4, 73_728 + 4 * 2_304),
        // DQ: 2 304 one-byte absmax codes, 2 304 / 256 = 9 float32 second-level absmax and
        // one float32 offset: 76 072 bytes = 4.127 bits.
        (.nf4DQ, 73_728 + 2_304 + 4 * 9 + 4),
        (.fp4DQ, 73_728 + 2_304 + 4 * 9 + 4),
        (.llmInt8, 147_456 + 4 * 384),  // CB and SCB
        (.q8_0, 384 * 12 * 34),  // 12 blocks of 32 per row, 34 bytes each: 8.5 bits
        (.q4_0, 384 * 12 * 18),  // 4.5 bits
        (.q4_1, 384 * 12 * 20),  // 5 bits
        (.q5_0, 384 * 12 * 22),  // 5.5 bits
        (.q5_1, 384 * 12 * 24),  // 6 bits
        (.iq4_nl, 384 * 12 * 18),  // 4.5 bits
        (.mxfp4, 384 * 12 * 17),  // one E8M0 byte + 16 code bytes: 4.25 bits
        // k-quants: 384 is not a multiple of 256, llama.cpp's fallback type is stored.
        (.q2_k, 384 * 12 * 18), (.q3_k, 384 * 12 * 18),  // → Q4_0
        (.q4_k, 384 * 12 * 22),  // → Q5_0
        (.q5_k, 384 * 12 * 24),  // → Q5_1
        (.q6_k, 384 * 12 * 34),  // → Q8_0
    ]

    @Test(arguments: squareBytes)
    func storedBitsOfASquareLayer(scheme: BERTQuantizationScheme, bytes: Int) throws {
        let q = try BERTQuantization.quantize(Self.square, scheme: scheme)
        #expect(q.storedBits == 8 * bytes, "\(scheme.rawValue): \(q.storedBits / 8) bytes")
    }

    /// Rows of 1536 hold whole super-blocks: the k-quants are stored as themselves. Bytes per
    /// 256 values: Q2_K 84, Q3_K 110, Q4_K 144, Q5_K 176, Q6_K 210 (ggml-common.h's structs).
    @Test(arguments: [
        (BERTQuantizationScheme.q2_k, 84, "Q2_K"), (.q3_k, 110, "Q3_K"), (.q4_k, 144, "Q4_K"),
        (.q5_k, 176, "Q5_K"), (.q6_k, 210, "Q6_K"),
    ])
    func kQuantsKeepTheirTypeOnRowsOf1536(
        scheme: BERTQuantizationScheme, bytesPer256: Int, type: String
    ) throws {
        let q = try #require(
            try BERTQuantization.quantize(Self.wide, scheme: scheme) as? WeightOnlyLinear)
        #expect(q.storedType == type)
        #expect(q.storedBits == 8 * 64 * 6 * bytesPer256, "\(scheme.rawValue)")
    }

    /// On rows of 384 the fallback is what is stored (and named).
    @Test func kQuantsFallBackOnRowsOf384() throws {
        let q = try #require(
            try BERTQuantization.quantize(Self.square, scheme: .q4_k) as? WeightOnlyLinear)
        #expect(q.storedType == "Q5_0")
        #expect(q.bitsPerWeight == 5.5)  // 22 bytes per 32 values
    }

    /// GPTQ and AWQ, 4-bit in groups of 128 with a float16 scale and a 4-bit zero per group:
    /// 4 · 147 456 + 20 · 384 · 3 = 612 864 bits (4.156 per weight); AWQ alone on a layer also
    /// stores its 384 float16 input scales: + 6 144.
    @Test func calibratedSchemesCountCodesScalesAndZeros() throws {
        let x = SyntheticLayer.input(rows: 48, in: 384, seed: 1222)
        let gptq = try BERTQuantization.quantize(Self.square, scheme: .gptq, calibration: x)
        #expect(gptq.storedBits == 612_864)
        let awq = try BERTQuantization.quantize(Self.square, scheme: .awq, calibration: x)
        #expect(awq.storedBits == 612_864 + 6_144)
        let folded = try BERTQuantization.awq(
            [Self.square], calibration: x, clip: false, scalesAreFree: true)
        #expect(folded[0].storedBits == 612_864)
    }
}
