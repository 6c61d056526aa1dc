import Blockwise8
import Core
import NF4
import TestSupport
import Testing

/// Exercise 4c — `BlockwiseQuantizer4.code(forScaled:type:rules:)`: the nearest 4-bit code of
/// a scaled value, for NF4, FP4 and Int4 and under every rule bitsandbytes' backends use.
@Suite struct Ex4c_NearestCodeTests {

    @Test func eachNF4LevelMapsToItsOwnCode() {
        var log = MismatchLog("NF4 level → its code")
        for (code, value) in NF4Codebook.table.enumerated() {
            let got = BlockwiseQuantizer4.code(forScaled: value, type: .nf4)
            if got != UInt8(code) { log.add("\(value): code \(got), expected \(code)") }
        }
        log.expectEmpty()
    }

    /// On a midpoint → the lower code; one float above → the upper code. `.upperCode` is the
    /// other rule the chapter compares.
    @Test func valueOnAMidpointTakesTheLowerCode() {
        let midpoints = FourBitDataType.nf4.nearest.midpoints
        let upper = Quantization4Rules(midpointTie: .upperCode)
        var log = MismatchLog("NF4 midpoints")
        for (i, m) in midpoints.enumerated() {
            let on = BlockwiseQuantizer4.code(forScaled: m, type: .nf4)
            let above = BlockwiseQuantizer4.code(forScaled: m.nextUp, type: .nf4)
            let onUpper = BlockwiseQuantizer4.code(forScaled: m, type: .nf4, rules: upper)
            if on != UInt8(i) { log.add("on midpoint \(i): code \(on), expected \(i) (the lower)") }
            if above != UInt8(i + 1) { log.add("just above midpoint \(i): code \(above), expected \(i + 1)") }
            if onUpper != UInt8(i + 1) { log.add("on midpoint \(i) with .upperCode: \(onUpper), expected \(i + 1)") }
        }
        log.expectEmpty()
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
        var log = MismatchLog("FP4 value → its code")
        for code in UInt8(0)..<16 where FP4Codebook.table[Int(code)] != 0 {
            let v = FP4Codebook.table[Int(code)]
            let reference = BlockwiseQuantizer4.code(forScaled: v, type: .fp4)
            let pytorch = BlockwiseQuantizer4.code(forScaled: v, type: .fp4, rules: .pytorchPath)
            if reference != code || pytorch != code { log.add("\(v): codes \(reference), \(pytorch), expected \(code)") }
        }
        log.expectEmpty()
    }

    @Test func nanGetsTheLargestValuesCode() {
        #expect(BlockwiseQuantizer4.code(forScaled: .nan, type: .nf4) == 15)
        #expect(BlockwiseQuantizer4.code(forScaled: .nan, type: .fp4) == 3, "FP4's 1.0 is code 0b0011")
        #expect(BlockwiseQuantizer4.code(forScaled: .nan, type: .int4) == 14)
    }

    /// The rule by brute force: the code whose value is nearest to x (a tie between two
    /// values: the lower one, or the upper one under `.upperCode`), computed in Double from
    /// the float32 midpoints; FP4's zero takes its sign as the rule says. Every type and rule,
    /// on the midpoints, one float either side of them, the levels and random values.
    @Test func codeIsTheNearestValueForEveryTypeAndRule() {
        var rng = SeededRNG(seed: 44)
        let ruleSets: [(String, Quantization4Rules)] = [
            ("reference", .reference), ("pytorchPath", .pytorchPath), ("cudaKernel", .cudaKernel),
            ("upperCode", Quantization4Rules(midpointTie: .upperCode)),
        ]
        var log = MismatchLog("nearest code")
        for type in FourBitDataType.all {
            let sorted = type.sortedCodes.map { type.values[Int($0)] }
            var xs: [Float] = [-1, 1, 0, -0.0] + sorted
            for m in type.nearest.midpoints { xs += [m, m.nextUp, m.nextDown] }
            for _ in 0..<2000 { xs.append(Float(rng.uniform(-1, 1))) }
            for (ruleName, rules) in ruleSets {
                for x in xs {
                    // The sorted index: how many midpoints lie below x (or at or below, for .upperCode).
                    let index = type.nearest.midpoints.filter { rules.midpointTie == .lowerCode ? $0 < x : $0 <= x }.count
                    var want = type.sortedCodes[index]
                    if let negativeZero = type.negativeZeroCode, rules.fp4ZeroSign == .signOfInput, type.values[Int(want)] == 0 {
                        want = x < 0 ? negativeZero : type.zeroCode
                    }
                    let got = BlockwiseQuantizer4.code(forScaled: x, type: type, rules: rules)
                    if got != want { log.add("\(type) \(ruleName) x = \(x): code \(got), expected \(want)") }
                }
            }
        }
        log.expectEmpty()
    }

    /// quantize_4bit's codes, computed with this exercise's function the way the quantizer
    /// applies it: full blocks multiply by 1/absmax, the short last block divides by the
    /// clamped absmax, the result is clamped to [−1, 1].
    static func codes(_ x: [Float], type: FourBitDataType, blockSize: Int, rules: Quantization4Rules = .reference) -> [UInt8] {
        var out: [UInt8] = []
        for start in stride(from: 0, to: x.count, by: blockSize) {
            let block = x[start..<min(start + blockSize, x.count)]
            let absmax = BlockScaling.absmax(block)
            let partial = block.count < blockSize
            for v in block {
                let scaled = partial ? v / BlockScaling.clampedAbsmax(absmax) : v * BlockScaling.reciprocal(ofAbsmax: absmax)
                out.append(BlockwiseQuantizer4.code(forScaled: BlockScaling.clampToUnit(scaled), type: type, rules: rules))
            }
        }
        return out
    }

    /// Every value of every bitsandbytes reference case gets bitsandbytes' code (its CUDA
    /// sign rule for FP4's zeros, which `.reference` follows).
    @Test func codesMatchEveryBitsandbytesReferenceCase() throws {
        var log = MismatchLog("codes against bitsandbytes' packed.npy")
        for name in ReferenceCase.plainNames {
            let c = try ReferenceCase(name)
            let got = Self.codes(c.input.data, type: c.type, blockSize: c.blockSize)
            if let m = firstMismatch(try c.referenceCodes(), got) { log.add("\(name): \(m)") }
        }
        log.expectEmpty()
    }

    /// The PyTorch path's FP4 codes differ from the reference bytes only in the sign bit of
    /// zero codes, and decoded as bitsandbytes decodes them (sign bit → −0 when the last
    /// dimension is even, a table lookup → +0 when it is odd) they give dequantized.npy bit
    /// for bit.
    @Test func pytorchPathCodesReproduceTheReferenceSignsOfZero() throws {
        var log = MismatchLog("FP4 .pytorchPath against dequantized.npy")
        for name in ReferenceCase.plainNames where name.hasPrefix("fp4") {
            let c = try ReferenceCase(name)
            let codes = Self.codes(c.input.data, type: c.type, blockSize: c.blockSize, rules: .pytorchPath)
            let reference = try c.referenceCodes()
            if let i = codes.indices.first(where: { codes[$0] != reference[$0] && (codes[$0] & 0b0111 != 0 || reference[$0] & 0b0111 != 0) }) {
                log.add("\(name) value \(i): codes \(codes[i]) and \(reference[i]) differ beyond the sign of zero")
            }
            let absmax = try loadFloats(c.file("absmax.npy"))
            let evenLastDimension = c.input.shape.last! % 2 == 0
            let decoded = codes.indices.map { i -> Float in
                let value = FP4Codebook.table[Int(codes[i])] * absmax[i / c.blockSize]
                return evenLastDimension && codes[i] == FP4Codebook.negativeZeroCode ? -value : value
            }
            if let m = firstBitMismatch(try loadFloats(c.file("dequantized.npy")), decoded) { log.add("\(name): \(m)") }
        }
        log.expectEmpty()
    }
}
