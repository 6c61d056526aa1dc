import Blockwise8
import NF4
import TestSupport
import Testing

/// Exercise 4b — `NF4Codebook.construct(offset:useExtraValue:)` (and `normalMap`, built from
/// it), against bitsandbytes' published tables; and the properties of the NF4 table.
/// `construct` calls Φ⁻¹, so this suite needs Exercise 4a too.
@Suite struct Ex4b_NF4TableTests {

    @Test func publishedTableMatchesBitsandbytesBitForBit() throws {
        let expected = try loadFloats("bnb_codebooks/nf4/values.npy")
        #expect(firstBitMismatch(expected, NF4Codebook.table) == nil, "\(firstBitMismatch(expected, NF4Codebook.table) ?? "")")
    }

    /// First the values: every constructed level within one ulp of the published one.
    @Test func constructedTableWithinOneUlpOfThePublishedOne() {
        let built = NF4Codebook.construct()
        #expect(built.count == 16)
        var log = MismatchLog("constructed NF4 within 1 ulp")
        for (i, (b, p)) in zip(built, NF4Codebook.table).enumerated() where !(abs(b - p) <= ulp(p)) {
            log.add("code \(i): built \(b), published \(p)")
        }
        log.expectEmpty()
    }

    /// Then the bits: doing bitsandbytes' steps in bitsandbytes' precisions (float32 linspace,
    /// Φ⁻¹ in Double, float32 rounding and division) gives all 16 entries exactly.
    @Test func constructedTableIsBitExactWithBitsandbytes() throws {
        let expected = try loadFloats("bnb_codebooks/nf4/values.npy")
        let message = firstBitMismatch(expected, NF4Codebook.construct())
        #expect(
            message == nil,
            """
            bit-exact with bitsandbytes needs the order the doc comment prescribes: float32 \
            linspace probabilities, Φ⁻¹ in Double, each level rounded to Float, one 0, sorted, then \
            divided by the largest in float32 — \(message ?? "")
            """)
    }

    @Test func normalMapMatchesBitsandbytesBitForBit() throws {
        let expected = try loadFloats("bnb_codebooks/normal_map/values.npy")
        let map = NF4Codebook.normalMap()
        #expect(firstBitMismatch(expected, map) == nil, "\(firstBitMismatch(expected, map) ?? "")")
    }

    /// The same steps at the offsets the chapter compares, and for the 15-level variant: the
    /// prescribed construction transcribed, bit for bit.
    @Test func otherOffsetsAndTheSymmetricVariantFollowTheSameSteps() {
        func prescribed(_ offset: Double, _ extra: Bool) -> [Float] {
            func quantiles(_ count: Int) -> [Double] {
                TorchLinspace.float32(from: Float(offset), to: 0.5, count: count).dropLast()
                    .map { StandardNormal.quantile(Double($0)) }
            }
            var levels = (quantiles(extra ? 9 : 8) + quantiles(8).map { -$0 }).map { Float($0) } + [0]
            levels.sort()
            return levels.map { $0 / levels[levels.count - 1] }
        }
        var log = MismatchLog("construct(offset:useExtraValue:)")
        for offset in [0.9, 0.93, 0.95, NF4Codebook.offset, 0.98, 0.99, 0.995] {
            for extra in [true, false] {
                if let m = firstBitMismatch(prescribed(offset, extra), NF4Codebook.construct(offset: offset, useExtraValue: extra)) {
                    log.add("offset \(offset), useExtraValue \(extra): \(m)")
                }
            }
        }
        log.expectEmpty()
    }

    @Test func tableIsSortedHasExactlyOneZeroAndEndsAtMinusOneAndOne() {
        for t in [NF4Codebook.table, NF4Codebook.construct()] {
            #expect(t.count == 16)
            #expect(zip(t, t.dropFirst()).allSatisfy { $0 < $1 })
            #expect(t.filter { $0 == 0 }.count == 1 && t.count == 16 && t[7] == 0)
            #expect(t.first == -1 && t.last == 1)
            #expect(t.filter { $0 < 0 }.count == 7 && t.filter { $0 > 0 }.count == 8, "the extra value is positive")
        }
    }

    /// The construction's exact property: neighbouring levels, mapped back through
    /// Φ(level · Φ⁻¹(offset)), are equally spaced in probability — (offset − ½)/8 on the
    /// positive side, (offset − ½)/7 on the negative side. Tolerance 1e-6: the table is
    /// float32 (relative 6e-8 per level, times the density).
    @Test func neighbouringLevelsEncloseEqualProbabilityMass() {
        let scale = StandardNormal.quantile(NF4Codebook.offset)
        let p = NF4Codebook.table.map { StandardNormal.cdf(Double($0) * scale) }
        let positiveStep = (NF4Codebook.offset - 0.5) / 8
        let negativeStep = (NF4Codebook.offset - 0.5) / 7
        var log = MismatchLog("equal mass between neighbours")
        for i in 0..<15 {
            let step = p[i + 1] - p[i]
            let expected = i < 7 ? negativeStep : positiveStep
            if !(abs(step - expected) < 1e-6) { log.add("levels \(i)→\(i + 1): mass \(step), expected \(expected)") }
        }
        log.expectEmpty()
    }

    /// The quantizer's bins (midpoint to midpoint, outer bins to ±∞) hold *roughly* equal
    /// mass of N(0, 1/Φ⁻¹(offset)²): between 0.055 and 0.072, against 1/16 = 0.0625. Not
    /// exactly: bitsandbytes puts the *levels* at equal-probability steps, and the midpoint of
    /// two levels in value is not their midpoint in probability — least so in the tails, where
    /// the density bends most. (QLoRA's own formula averages two quantiles per level to centre
    /// the bins instead; the published table is this construction's.)
    @Test func midpointBinsHoldRoughlyEqualMass() {
        let scale = StandardNormal.quantile(NF4Codebook.offset)
        let midpoints = FourBitDataType.nf4.nearest.midpoints.map { Double($0) * scale }
        let edges = [-Double.infinity] + midpoints + [Double.infinity]
        let mass = (0..<16).map { StandardNormal.cdf(edges[$0 + 1]) - StandardNormal.cdf(edges[$0]) }
        #expect(abs(mass.reduce(0, +) - 1) < 1e-12)
        var log = MismatchLog("bin mass in (0.055, 0.072)")
        for (i, m) in mass.enumerated() where !(m > 0.055 && m < 0.072) { log.add("bin \(i) holds \(m)") }
        log.expectEmpty()
    }

    /// 0.9677083 ≈ 1 − ½(1/32 + 1/30): the middle of the last bin for 16 and for 15 bins.
    @Test func offsetIsTheMeanOfTwoHalfBinTailMasses() {
        #expect(abs(NF4Codebook.offset - (1 - 0.5 * (1.0 / 32 + 1.0 / 30))) < 1e-7)
        #expect(abs(StandardNormal.quantile(NF4Codebook.offset) - 1.848) < 1e-3, "±1 stands for ±1.848σ")
    }

    /// Why the quantizer uses the published table: the same levels divided in Double and
    /// rounded once land one ulp away at 6 of the 16 entries.
    @Test func dividingInDoubleWouldMoveSixEntriesByOneUlp() {
        let probabilities9 = TorchLinspace.float32(from: Float(NF4Codebook.offset), to: 0.5, count: 9).dropLast()
        let probabilities8 = TorchLinspace.float32(from: Float(NF4Codebook.offset), to: 0.5, count: 8).dropLast()
        var levels = probabilities9.map { StandardNormal.quantile(Double($0)) }
        levels += probabilities8.map { -StandardNormal.quantile(Double($0)) } + [0]
        levels.sort()
        let table = levels.map { Float($0 / levels.last!) }
        let moved = zip(table, NF4Codebook.table).filter { $0.bitPattern != $1.bitPattern }
        #expect(moved.count == 6)
        #expect(moved.allSatisfy { abs($0 - $1) <= ulp($1) })
    }

    @Test func symmetricVariantHasFifteenLevels() {
        let t = NF4Codebook.construct(useExtraValue: false)
        #expect(t.count == 15)
        #expect(t.count == 15 && t.first == -1 && t.last == 1 && t[7] == 0)
        #expect(zip(t, t.reversed()).allSatisfy { $0 == -$1 }, "7 + 0 + 7, mirror images")
    }
}
