import Testing

@testable import Plot

@Suite struct HistogramBinsTests {
    @Test func edgesAreEvenlySpacedAndHitTheEndsExactly() {
        let edges = HistogramBins.edges(lo: -0.3, hi: 0.7, bins: 10)
        #expect(edges.count == 11 && edges.first == -0.3 && edges.last == 0.7)
        for index in 1..<edges.count {
            #expect(
                abs(edges[index] - edges[index - 1] - 0.1) < 1e-12,
                "bin \(index - 1) width \(edges[index] - edges[index - 1])")
        }
    }

    /// NumPy 2.4.6: `np.histogram([3.5, -1.25, 7, 0, 2.5, -4, 10], bins=4, range=(-4, 10))`
    /// gives edges [-4, -0.5, 3, 6.5, 10] and counts [2, 2, 1, 2] (10 falls in the last bin).
    @Test func edgesAndCountsMatchNumpy() {
        let xs: [Double] = [3.5, -1.25, 7.0, 0.0, 2.5, -4.0, 10.0]
        let edges = HistogramBins.edges(lo: -4, hi: 10, bins: 4)
        #expect(edges == [-4.0, -0.5, 3.0, 6.5, 10.0])
        #expect(HistogramBins.counts(xs, edges: edges) == [2, 2, 1, 2])
    }

    @Test func logEdgesHaveAConstantRatio() {
        let edges = HistogramBins.edges(lo: 1e-4, hi: 1e2, bins: 6, scale: .log10)
        for index in 1..<edges.count {
            #expect(
                abs(edges[index] / edges[index - 1] - 10) < 1e-9,
                "ratio at edge \(index): \(edges[index] / edges[index - 1])")
        }
    }

    /// Each value is counted in exactly the bin whose half-open interval holds it (the last
    /// bin is closed); checked against a plain linear search over the edges.
    @Test func everyValueLandsInTheBinThatContainsIt() {
        var rng = TestRNG(seed: 5)
        let edges = HistogramBins.edges(lo: -2, hi: 3, bins: 17)
        var values = (0..<5000).map { _ in rng.normal() * 1.5 }
        values += edges  // every edge itself: the classic off-by-one
        values += [.nan, .infinity, -.infinity, -2.0000001, 3.0000001]
        var expected = [Int](repeating: 0, count: 17)
        for value in values where value.isFinite && value >= -2 && value <= 3 {
            let bin = value == 3 ? 16 : (0..<17).first { value >= edges[$0] && value < edges[$0 + 1] } ?? -1
            expected[bin] += 1
        }
        let counts = HistogramBins.counts(values, edges: edges)
        #expect(counts == expected)
    }

    @Test func logBinsSkipZeroAndNegativeValues() {
        let edges = HistogramBins.edges(lo: 0.01, hi: 100, bins: 4, scale: .log10)
        let counts = HistogramBins.counts([-5, 0, 0.05, 0.5, 5, 50, 100], edges: edges, scale: .log10)
        #expect(counts == [1, 1, 1, 2])
    }
}
