import Blockwise8
import NF4
import Testing

/// Exercise 4.3 — `BlockwiseQuantizer4.code(forScaled:type:rules:)`.
@Suite struct Ex4_3_NearestCodeTests {

    @Test func eachNF4LevelMapsToItsOwnCode() {
        for (code, value) in NF4Codebook.table.enumerated() {
            #expect(BlockwiseQuantizer4.code(forScaled: value, type: .nf4) == UInt8(code))
        }
    }

    /// On a midpoint → the lower code; one float above → the upper code. `.upperCode` is the
    /// other rule the chapter compares.
    @Test func valueOnAMidpointTakesTheLowerCode() {
        let midpoints = FourBitDataType.nf4.nearest.midpoints
        for (i, m) in midpoints.enumerated() {
            #expect(BlockwiseQuantizer4.code(forScaled: m, type: .nf4) == UInt8(i))
            #expect(BlockwiseQuantizer4.code(forScaled: m.nextUp, type: .nf4) == UInt8(i + 1))
            let upper = Quantization4Rules(midpointTie: .upperCode)
            #expect(BlockwiseQuantizer4.code(forScaled: m, type: .nf4, rules: upper) == UInt8(i + 1))
        }
    }

    /// FP4, CUDA's rule (the reference): a value that rounds to zero keeps its sign in bit 3.
    /// The PyTorch path gives the opposite sign, because the midpoint between −0 and +0 is 0.
    @Test func fp4ZeroCodeKeepsTheSignOfTheInput() {
        let tinyPositive: Float = 0.001, tinyNegative: Float = -0.001
        #expect(BlockwiseQuantizer4.code(forScaled: tinyPositive, type: .fp4) == 0b0000)
        #expect(BlockwiseQuantizer4.code(forScaled: tinyNegative, type: .fp4) == 0b1000)
        #expect(BlockwiseQuantizer4.code(forScaled: 0, type: .fp4) == 0b0000)
        #expect(BlockwiseQuantizer4.code(forScaled: -0.0, type: .fp4) == 0b0000, "−0 < 0 is false")
        let pytorch = Quantization4Rules.pytorchPath
        #expect(BlockwiseQuantizer4.code(forScaled: tinyPositive, type: .fp4, rules: pytorch) == 0b1000)
        #expect(BlockwiseQuantizer4.code(forScaled: tinyNegative, type: .fp4, rules: pytorch) == 0b0000)
        #expect(BlockwiseQuantizer4.code(forScaled: 0, type: .fp4, rules: pytorch) == 0b0000)
    }

    @Test func fp4NonzeroValuesAreUnaffectedBySignRule() {
        for code in UInt8(0)..<16 where FP4Codebook.table[Int(code)] != 0 {
            let v = FP4Codebook.table[Int(code)]
            #expect(BlockwiseQuantizer4.code(forScaled: v, type: .fp4) == code)
            #expect(BlockwiseQuantizer4.code(forScaled: v, type: .fp4, rules: .pytorchPath) == code)
        }
    }

    @Test func nanGetsTheLargestValuesCode() {
        #expect(BlockwiseQuantizer4.code(forScaled: .nan, type: .nf4) == 15)
        #expect(BlockwiseQuantizer4.code(forScaled: .nan, type: .fp4) == 3, "FP4's 1.0 is code 0b0011")
    }
}
