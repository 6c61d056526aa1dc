import Absmax
import Core
import Testing

/// `QuantizedInt8.absmax`: each group's largest magnitude, kept beside the scale because the
/// scale alone does not give it back.
@Suite struct QuantizedInt8AbsmaxTests {
    /// Blocks of 3 over [2][4], values by hand: block 0 = (0.5, −2, 1) → 2, block 1 =
    /// (0, 0, 0) → 0 (scale 1), block 2 = (−0.25, 0.125) → 0.25.
    @Test func absmaxIsEachGroupsLargestMagnitude() throws {
        let t = Tensor(shape: [2, 4], data: [0.5, -2, 1, 0, 0, 0, -0.25, 0.125])
        let q = try Absmax.quantize(t, granularity: .blockwise(blockSize: 3))
        #expect(q.absmax == [2, 0, 0.25])
        #expect(q.scales == [63.5, 1, 508], "127 / absmax, and 1 for the all-zero block")
        let perRow = try Absmax.quantize(t, granularity: .perRow)
        #expect(perRow.absmax == [2, 0.25])
    }

    /// 127 / (127 / a) ≠ a for some float32 a: the reason the absmax is stored. 0.011026 is the
    /// first such value found by stepping up from 0.01 (0.1, 0.5, 3, 7 … happen to round-trip).
    @Test func absmaxIsNotRecoverableFromTheScale() throws {
        let a: Float = 0.011026
        let q = try Absmax.quantize([a, -0.005])
        #expect(q.absmax == [a])
        let recovered = 127 / q.scales[0]
        #expect(recovered != a, "if 127 / (127 / a) were exact, this test would show nothing")
    }

    @Test func zeroPointSchemeHasNoAbsmax() throws {
        #expect(try ZeroPoint.quantize([0.1, -0.05, 0.3]).absmax.isEmpty)
    }
}
