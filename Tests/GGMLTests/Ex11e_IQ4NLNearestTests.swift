import GGML
import Testing

/// Exercise 11e: IQ4_NL's nearest table entry (`best_index_int8` over `kvalues_iq4nl` =
/// −127, −104, −83, −65, −49, −35, −22, −10, 1, 13, 25, 38, 53, 69, 89, 113).
@Suite struct Ex11e_IQ4NLNearestTests {
    /// The ends clamp: at or beyond −127 → 0, at or beyond 113 → 15.
    @Test func valuesBeyondTheEndsClamp() {
        #expect(IQ4_NL.nearestIndex(-1000) == 0)
        #expect(IQ4_NL.nearestIndex(-127) == 0)
        #expect(IQ4_NL.nearestIndex(113) == 15)
        #expect(IQ4_NL.nearestIndex(500) == 15)
    }

    /// Exact midpoints go to the upper entry: 7 between 1 and 13 → 9; −115.5 between −127
    /// and −104 → 1; 0 is nearer 1 than −10 → 8.
    @Test func aTieGoesToTheUpperEntry() {
        #expect(IQ4_NL.nearestIndex(7) == 9)
        #expect(IQ4_NL.nearestIndex(-115.5) == 1)
        #expect(IQ4_NL.nearestIndex(6.99) == 8)
        #expect(IQ4_NL.nearestIndex(0) == 8)
    }

    /// Against a linear scan (smallest |v − x|, the later index on a tie) on a grid of quarter
    /// steps from −140 to 140 (1121 points, every midpoint among them or between them).
    @Test func agreesWithALinearScan() {
        var wrong = 0
        for k in -560...560 {
            let x = Float(k) / 4
            var best = 0
            for i in 1..<16 where abs(IQ4_NL.values[i] - x) <= abs(IQ4_NL.values[best] - x) {
                best = i
            }
            if IQ4_NL.nearestIndex(x) != best { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of 1121 points differ")
    }
}
