import Foundation
import Core
import GGML
import Testing

/// Exercise 11d: MXFP4's shared E8M0 exponent (`quantize_row_mxfp4_ref`):
/// e = floor(log2 amax) − 2 + 127, or 0 for an all-zero block.
@Suite struct Ex11d_MXFP4ExponentTests {
    static func block(largest: Float) -> ArraySlice<Float> {
        var b = [Float](repeating: 0.01, count: 32)
        b[7] = largest
        return b[...]
    }

    /// amax 6 (E2M1's largest): floor(log2 6) = 2, e = 127, scale 1. amax 1: e = 125 (scale
    /// 1/4, 1 = 4 · 1/4). amax 0.75: floor(−0.415) = −1, e = 124. amax −8: e = 128.
    @Test func exponentIsFloorLog2MinusTwoPlusBias() {
        #expect(MXFP4.sharedExponent(Self.block(largest: 6)) == 127)
        #expect(MXFP4.sharedExponent(Self.block(largest: 1)) == 125)
        #expect(MXFP4.sharedExponent(Self.block(largest: 0.75)) == 124)
        #expect(MXFP4.sharedExponent(Self.block(largest: -8)) == 128)
    }

    @Test func zeroBlockStoresExponentZero() {
        #expect(MXFP4.sharedExponent([Float](repeating: 0, count: 32)[...]) == 0)
    }

    /// For any block, amax / 2^(e − 127) lies in [4, 8): the top binade of E2M1 (seeded
    /// normal blocks of 32 at scales 1e-3 … 1e3).
    @Test func largestValueLandsInTheTopBinade() {
        var rng = SeededRNG(seed: 1111)
        var outside = 0
        for k in 0..<200 {
            let scale = Float(pow(10, Double(k % 7) - 3))
            let b = rng.normalFloats(32).map { $0 * scale }
            let amax = b.map(abs).max()!
            let e = Int(MXFP4.sharedExponent(b[...]))
            let ratio = amax / Float(sign: .plus, exponent: e - 127, significand: 1)
            if !(ratio >= 4 && ratio < 8) { outside += 1 }
        }
        #expect(outside == 0, "\(outside) of 200 blocks outside [4, 8)")
    }
}
