import TestSupport
import Blockwise8
import Core
import Testing

/// Exercise 5b — `BlockwiseQuantizer8.quantizeBlocks`, through `quantize`. Every test passes
/// bitsandbytes' own codebook (from the fixtures), so this exercise does not depend on 5a.
@Suite struct Ex5b_BlockwiseQuantizeTests {
    /// bitsandbytes' signed and unsigned dynamic maps, as recorded.
    static func signedCode() throws -> [Float] { try loadFloats("bnb_codebooks/dynamic_signed/values.npy") }
    static func unsignedCode() throws -> [Float] { try loadFloats("bnb_codebooks/dynamic_unsigned/values.npy") }

    /// Codes, absmax and dequantized values bit for bit with bitsandbytes 0.50.2 (12 388
    /// values: full blocks and a short last one).
    @Test(arguments: [("bs256_1d", 256), ("bs4096_1d", 4096)])
    func blockwiseQuantizationMatchesBitsandbytes(folder: String, blockSize: Int) throws {
        let input = try loadFloats("bnb_blockwise8/\(folder)/input.npy")
        let code = try loadFloats("bnb_blockwise8/\(folder)/code.npy")
        let q = try BlockwiseQuantizer8.quantize(input, blockSize: blockSize, code: code)
        let codes = try loadBytes("bnb_blockwise8/\(folder)/codes.npy")
        let absmax = try loadFloats("bnb_blockwise8/\(folder)/absmax.npy")
        let dequantized = try loadFloats("bnb_blockwise8/\(folder)/dequantized.npy")
        #expect(firstMismatch(codes, q.codes) == nil, "codes: \(firstMismatch(codes, q.codes) ?? "")")
        #expect(firstBitMismatch(absmax, q.absmax) == nil, "absmax: \(firstBitMismatch(absmax, q.absmax) ?? "")")
        let xHat = q.dequantize()
        #expect(firstBitMismatch(dequantized, xHat) == nil, "dequantized: \(firstBitMismatch(dequantized, xHat) ?? "")")
    }

    /// Full blocks multiply by the float32 reciprocal 1/a of their absmax, the short last block
    /// divides by a (bitsandbytes' PyTorch kernel; `BlockScaling`). x·(1/a) and x/a differ by
    /// an ulp now and then — enough to cross a midpoint. Values placed on the map's midpoints
    /// times a make the two rules disagree; each kind of block must follow its own.
    @Test func fullBlocksMultiplyByTheReciprocalTheShortLastBlockDivides() throws {
        let code = try Self.signedCode()
        let nearest = try NearestCode(sortedValues: code)
        for a: Float in [0.7, 3, 0.011] {
            let reciprocal = BlockScaling.reciprocal(ofAbsmax: a)
            var values: [Float] = []
            for m in nearest.midpoints {
                for x in [m * a, (m * a).nextUp, (m * a).nextDown] where abs(x) < a && values.count < 200 {
                    let multiplied = nearest.index(of: BlockScaling.clampToUnit(x * reciprocal))
                    let divided = nearest.index(of: BlockScaling.clampToUnit(x / a))
                    if multiplied != divided { values.append(x) }
                }
            }
            try #require(!values.isEmpty, "absmax \(a): no value on which the two rules disagree")
            // One short block (fewer than 256 values), then one full block of 256.
            let short = try BlockwiseQuantizer8.quantize([a] + values, blockSize: 256, code: code)
            let full = try BlockwiseQuantizer8.quantize(
                [a] + values + [Float](repeating: 0, count: 255 - values.count), blockSize: 256, code: code)
            var log = MismatchLog("absmax \(a), \(values.count) values where x·(1/a) and x/a get different codes")
            for (k, x) in values.enumerated() {
                let divided = UInt8(nearest.index(of: BlockScaling.clampToUnit(x / a)))
                let multiplied = UInt8(nearest.index(of: BlockScaling.clampToUnit(x * reciprocal)))
                if short.codes[k + 1] != divided {
                    log.add("short block, x = \(x): code \(short.codes[k + 1]), dividing by the absmax gives \(divided)")
                }
                if full.codes[k + 1] != multiplied {
                    log.add("full block, x = \(x): code \(full.codes[k + 1]), multiplying by 1/absmax gives \(multiplied)")
                }
            }
            log.expectEmpty()
        }
    }

    /// The midpoint rule picks the nearest code (measured in Double), except on an exact tie,
    /// where it takes the lower one.
    @Test func everyCodeIsTheNearestLevel() throws {
        let x = sampleValues(5120, seed: 51)  // 20 full blocks
        let map = try Self.signedCode()
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, code: map)
        try #require(q.codes.count == x.count && q.absmax.count == 20)
        var log = MismatchLog("codes that are not the nearest level")
        for i in x.indices {
            let r = BlockScaling.reciprocal(ofAbsmax: q.absmax[i / 256])
            let s = Double(BlockScaling.clampToUnit(x[i] * r))
            let chosen = abs(Double(map[Int(q.codes[i])]) - s)
            let best = map.map { abs(Double($0) - s) }.min() ?? 0
            if chosen > best { log.add("value \(i): code \(q.codes[i]) is \(chosen) away, the best \(best)") }
        }
        log.expectEmpty()
    }

    /// A block's largest |x| has the code of ±1 (or −0.99297, the most negative level).
    @Test func eachBlocksLargestValueComesBackExactlyWhenPositive() throws {
        let x = sampleValues(4096, seed: 52).map { abs($0) }
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 512, code: Self.signedCode())
        let xHat = q.dequantize()
        var log = MismatchLog("blocks whose largest value does not come back exactly")
        for b in 0..<8 {
            let block = (b * 512)..<((b + 1) * 512)
            guard let i = block.max(by: { x[$0] < x[$1] }) else { continue }
            if xHat[i] != x[i] { log.add("block \(b): largest \(x[i]) came back as \(xHat[i])") }
        }
        log.expectEmpty()
    }

    @Test func allZeroBlockStoresAbsmaxZeroAndDequantizesToZero() throws {
        var x = sampleValues(256 * 3, seed: 53)
        for i in 256..<512 { x[i] = 0 }
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, code: Self.signedCode())
        try #require(q.absmax.count == 3 && q.codes.count == x.count)
        #expect(q.absmax[1] == 0)
        #expect(q.codes[256..<512].allSatisfy { $0 == 127 }, "code 127 is the map's 0.0")
        #expect(q.dequantize()[256..<512].allSatisfy { $0 == 0 && $0.sign == .plus })
    }

    /// The short last block divides by its absmax and stores it clamped to ≥ 1e-38; an
    /// all-zero short block therefore stores 1e-38, not 0 (bitsandbytes' PyTorch kernel).
    @Test func shortLastBlockStoresItsClampedAbsmax() throws {
        let x = [Float](repeating: 0.5, count: 256) + [0, 0, 0]
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, code: Self.signedCode())
        #expect(q.absmax == [0.5, BlockScaling.minimumAbsmax])
        #expect(BlockScaling.minimumAbsmax.bitPattern == 0x006C_E3EE, "1e-38 is a float32 subnormal")
        #expect(q.dequantize().suffix(3) == [0, 0, 0])
    }

    /// `.propagate` does what bitsandbytes does: a NaN poisons its block (absmax NaN, the
    /// last code, NaN back); the other blocks are untouched.
    @Test func propagatedNaNPoisonsOnlyItsBlock() throws {
        var x = sampleValues(768, seed: 55)
        x[300] = .nan
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, code: Self.signedCode(), nonFinite: .propagate)
        try #require(q.absmax.count == 3 && q.codes.count == x.count)
        #expect(q.absmax[1].isNaN && q.absmax[0].isFinite && q.absmax[2].isFinite)
        #expect(q.codes[256..<512].allSatisfy { $0 == 255 }, "NaN falls past every midpoint")
        let xHat = q.dequantize()
        #expect(xHat[256..<512].allSatisfy { $0.isNaN })
        #expect(xHat[0..<256].allSatisfy { $0.isFinite } && xHat[512...].allSatisfy { $0.isFinite })
    }

    @Test func propagatedInfinityTurnsItsBlockIntoNaNs() throws {
        var x = sampleValues(256, seed: 56)
        x[10] = .infinity
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, code: Self.signedCode(), nonFinite: .propagate)
        #expect(q.absmax == [.infinity])
        let xHat = q.dequantize()
        try #require(xHat.count == x.count)
        #expect(xHat[10] == .infinity, "∞ · 0 = NaN is the last code, 1 · ∞ = ∞")
        #expect(xHat.enumerated().allSatisfy { $0.offset == 10 || $0.element.isNaN }, "0 · ∞ = NaN")
    }

    /// The unsigned map (8-bit Adam's second moment) has no negative levels: negative values
    /// go to code 0 = 0.0.
    @Test func unsignedMapSendsNegativeValuesToZero() throws {
        let x = [-1, -0.5, 0.25, 1] + [Float](repeating: 0.1, count: 60)
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 64, code: Self.unsignedCode())
        try #require(q.codes.count == x.count)
        #expect(q.codes[0] == 0 && q.codes[1] == 0 && q.codes[3] == 255)
    }
}
