import NF4
import Testing

/// QLoRA's equation (4) taken literally (`NF4Codebook.paperEquationTerms`): what it gives, and
/// that it is not the table bitsandbytes publishes.
@Suite struct NF4PaperFormulaTests {

    /// Reference: scipy 1.17.1, `0.5 * (norm.ppf(i/17) + norm.ppf((i+1)/17))` for i = 0 … 15,
    /// printed with 17 digits. Tolerance 1e-13: scipy's ndtri and our Acklam + Halley step
    /// agree to about 1e-15 here; the margin covers the sum of two quantiles.
    static let scipyTerms: [Double] = [
        -.infinity, -1.3757789520588086, -1.0578654622015446, -0.825210887814807,
        -0.6314586845557155, -0.4593935144788208, -0.30019988738446035, -0.14839955237431973,
        0.0, 0.14839955237431973, 0.30019988738446035, 0.45939351447882093,
        0.6314586845557155, 0.825210887814807, 1.0578654622015446, 1.3757789520588086,
    ]

    @Test func equationHasSixteenTermsAndTheFirstIsMinusInfinity() {
        let q = NF4Codebook.paperEquationTerms()
        #expect(q.count == 16)
        #expect(q[0] == -.infinity, "q_0 = ½(Q(0) + Q(1/17)) and Q(0) = −∞; got \(q[0])")
        let finiteCount = q.filter(\.isFinite).count
        #expect(finiteCount == 15, "q_1 … q_15 are finite: \(q)")
    }

    @Test func termsMatchScipy() {
        let q = NF4Codebook.paperEquationTerms()
        for i in 1..<16 {
            let scipy = Self.scipyTerms[i]
            #expect(abs(q[i] - scipy) < 1e-13, "q_\(i): ours \(q[i]), scipy \(scipy)")
        }
    }

    @Test func finiteTermsAreExactlySymmetricWithAnExactZero() {
        let q = NF4Codebook.paperEquationTerms()
        for i in 1..<16 {
            #expect(q[i] == -q[16 - i], "q_\(i) = \(q[i]) but q_\(16 - i) = \(q[16 - i])")
        }
        #expect(q[8] == 0 && q[8].sign == .plus, "the middle term ½(Q(8/17) + Q(9/17)): \(q[8])")
    }

    /// Each level is the mean of its bin's two edges, so it lies strictly inside the bin.
    @Test func eachLevelLiesInsideItsEqualMassBin() {
        let q = NF4Codebook.paperEquationTerms()
        for i in 1..<16 {
            let lower = StandardNormal.quantile(Double(i) / 17)
            let upper = StandardNormal.quantile(Double(i + 1) / 17)
            #expect(lower < q[i] && q[i] < upper, "q_\(i) = \(q[i]) outside (\(lower), \(upper))")
        }
    }

    @Test func normalizedTableHasFifteenSortedLevelsFromMinusOneToOne() {
        let t = NF4Codebook.paperFormulaTable()
        #expect(t.count == 15)
        #expect(zip(t, t.dropFirst()).allSatisfy { $0 < $1 }, "sorted ascending: \(t)")
        #expect(t.first == -1 && t.last == 1 && t[7] == 0, "ends ±1, exact 0 in the middle: \(t)")
        #expect(zip(t, t.reversed()).allSatisfy { $0 == -$1 }, "symmetric: \(t)")
        // scipy, as above, divided by q_15 and rounded to float32: 0.7689211 for q_14.
        #expect(abs(t[13] - 0.7689211) < 1e-6, "q_14 / q_15 = \(t[13])")
    }

    /// Not bitsandbytes' table: averaging moves every level, and the largest finite term sits
    /// at 1.376σ where bitsandbytes puts ±1 at Φ⁻¹(0.9677083) = 1.848σ.
    @Test func differsFromThePublishedNF4Table() {
        let q = NF4Codebook.paperEquationTerms()
        #expect(abs(q[15] - 1.3757789520588086) < 1e-13)
        #expect(abs(StandardNormal.quantile(NF4Codebook.offset) - q[15]) > 0.4)
        #expect(NF4Codebook.paperFormulaTable().count != NF4Codebook.table.count)
    }
}
