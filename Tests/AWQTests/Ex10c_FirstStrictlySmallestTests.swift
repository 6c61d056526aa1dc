import AWQ
import Testing

/// Exercise 10c: the reference keeps a ratio only if its loss is strictly smaller than the
/// best so far (`if loss < best_error`), starting from +∞.
@Suite struct Ex10c_FirstStrictlySmallestTests {

    @Test func theFirstOfEqualSmallestWins() {
        #expect(ScaleSearch.firstStrictlySmallest([3, 1, 2, 1]) == 1)
    }

    @Test func theSmallestWinsWhereverItIs() {
        #expect(ScaleSearch.firstStrictlySmallest([5, 4, 3, 2.5, 2.75]) == 3)
        #expect(ScaleSearch.firstStrictlySmallest([0.5, 4, 3]) == 0)
    }

    /// NaN is never smaller than anything; only NaNs (or +∞) leave no winner.
    @Test func nanNeverWins() {
        #expect(ScaleSearch.firstStrictlySmallest([.nan, 2, .nan, 1]) == 3)
        #expect(ScaleSearch.firstStrictlySmallest([.nan, .infinity]) == nil)
    }

    /// On a reference case the search's best index is the reference's (search_qkv_g64, whose
    /// runner-up is only 0.34 % behind).
    @Test func searchPicksTheReferenceIndex() throws {
        let c = try SearchCase("search_qkv_g64")
        let result = ScaleSearch.searchLinears(
            x: c.x, tokens: c.tokens, weights: c.weights, bits: 4, groupSize: 64)
        #expect(result.bestIndex == 6)
    }
}
