import TestSupport
import Absmax
import Blockwise8
import NF4
import Testing

/// FP4 and Int4 beside NF4.
@Suite struct CodebookTests {

    /// Bit for bit, signs of zero included: code 8 (sign bit set) holds +0, because
    /// bitsandbytes' `-0` is a Python integer.
    @Test func fp4TableMatchesBitsandbytesInCodeOrder() throws {
        let expected = try loadFloats("bnb_codebooks/fp4/values.npy")
        #expect(firstBitMismatch(expected, FP4Codebook.table) == nil, "\(firstBitMismatch(expected, FP4Codebook.table) ?? "")")
        #expect(FP4Codebook.table[8] == 0 && FP4Codebook.table[8].sign == .plus)
    }

    @Test func fp4MagnitudesFollowTheBackwardsExponent() {
        let magnitudes = (UInt8(0)..<8).map(FP4Codebook.magnitude(ofCode:))
        #expect(magnitudes == [0, 0.0625, 8, 12, 4, 6, 2, 3])
        #expect(FP4Codebook.table[3] == 1 && FP4Codebook.table[11] == -1)
    }

    @Test func fp4IsSearchedThroughItsArgsort() {
        let fp4 = FourBitDataType.fp4
        #expect(!fp4.isSorted)
        #expect(fp4.sortedCodes == [11, 10, 13, 12, 15, 14, 9, 0, 8, 1, 6, 7, 4, 5, 2, 3])
        #expect(fp4.zeroCode == 0, "a scaled 0 maps to +0, as the reference says")
        #expect(FourBitDataType.nf4.isSorted && FourBitDataType.nf4.zeroCode == 7)
    }

    @Test func int4GridIsSymmetricWithFifteenLevels() {
        let t = Int4Grid.table
        #expect(t.count == 15 && t.first == -1 && t.last == 1 && t[7] == 0)
        #expect(zip(t, t.reversed()).allSatisfy { $0 == -$1 })
        #expect(FourBitDataType.int4.zeroCode == 7)
    }

    /// The midpoint rule on the Int4 grid is Chapter 2's round(x · 7/absmax), except on exact
    /// ties (midpoint rule: lower level; `Absmax.quantize`: ties to even).
    @Test func int4MidpointRuleIsChapterTwoRoundingAwayFromTies() throws {
        let x = sampleValues(2000, seed: 41)
        let absmax = x.map(abs).max()!
        let reciprocal = BlockScaling.reciprocal(ofAbsmax: absmax)
        var log = MismatchLog("Int4 midpoint rule against Chapter 2's rounding")
        for value in x {
            let scaled = BlockScaling.clampToUnit(value * reciprocal)
            let viaMidpoints = BlockwiseQuantizer4.code(forScaled: scaled, type: .int4)
            let viaAbsmax = Int4Grid.absmaxCode(value, absmax: absmax)
            // The two roundings see slightly different float32 numbers (x·(1/a) against
            // float32 midpoints; x·(7/a) against k + ½), so allow a disagreement only within
            // 1e-5 of a tie.
            let t = Double(scaled) * 7
            let nearTie = abs(t - t.rounded(.down) - 0.5) < 1e-5
            if !(viaMidpoints == viaAbsmax || nearTie) { log.add("x \(value): midpoints \(viaMidpoints), absmax \(viaAbsmax)") }
        }
        log.expectEmpty()
        // A hand-made tie: 0.5/7 is halfway between levels 0 and 1/7.
        #expect(BlockwiseQuantizer4.code(forScaled: 1.0 / 14, type: .int4) == 7)
    }

    @Test func typesAreFoundByName() {
        #expect(FourBitDataType.named("NF4") == .nf4 && FourBitDataType.named("fp4") == .fp4)
        #expect(FourBitDataType.named("int4") == .int4 && FourBitDataType.named("e2m1") == nil)
    }

    @Test func oversizedFourBitTableIsATypedError() {
        #expect(throws: BlockwiseQuantizationError.self) {
            try FourBitDataType(name: "too-big", values: (0..<17).map(Float.init))
        }
    }
}
