import Blockwise8
import Core
import NF4
import TestSupport
import Testing

/// Exercise 4e — `DoubleQuantizedAbsmax.compress(_:)` and `decompress()`, against every
/// bitsandbytes nested reference case. The 8-bit quantizer underneath is Chapter 5's
/// (`BlockwiseQuantizer8`, `DynamicMap.signed`).
@Suite struct Ex4e_DoubleQuantizationTests {

    /// ĉ₂[b] = code[codes[b]] · c₁[b / 256] + offset, in float32.
    @Test func decompressIsCodeTimesSecondLevelAbsmaxPlusOffset() throws {
        let absmax = sampleValues(700, seed: 45).map { abs($0) + 0.5 }
        let dq = try DoubleQuantizedAbsmax.compress(absmax)
        #expect(dq.quantized.blockSize == 256 && dq.quantized.absmax.count == 3 && dq.quantized.count == 700)
        let back = dq.decompress()
        guard back.count == 700, dq.quantized.count == 700, dq.quantized.absmax.count == 3 else {
            Issue.record("expected 700 constants back and 3 second-level absmax, got \(back.count) and \(dq.quantized.absmax.count)")
            return
        }
        var log = MismatchLog("decompress")
        for b in absmax.indices {
            let code = Int(dq.quantized.codes[b])
            let expected = DynamicMap.signed[code] * dq.quantized.absmax[b / 256] + dq.offset
            if back[b].bitPattern != expected.bitPattern { log.add("constant \(b): \(back[b]), expected \(expected)") }
        }
        log.expectEmpty()
    }

    /// Centring: the offset is the mean, so the codes use both halves of the signed map.
    @Test func offsetIsTheMeanAndCodesSpanBothSigns() throws {
        let absmax = sampleValues(512, seed: 46).map { abs($0) + 1 }
        let dq = try DoubleQuantizedAbsmax.compress(absmax)
        #expect(abs(Double(dq.offset) - Statistics.mean(absmax)) < 1e-5)
        #expect(dq.quantized.codes.contains { $0 < 127 } && dq.quantized.codes.contains { $0 > 127 })
    }

    /// Every constant comes back within half a step of the dynamic map at its magnitude:
    /// the map's coarsest step near ±1 is 1/64·0.9, so within 0.8% of the block's range.
    @Test func constantsComeBackWithinHalfAMapStep() throws {
        let absmax = sampleValues(1000, seed: 47).map { abs($0) + 0.2 }
        let dq = try DoubleQuantizedAbsmax.compress(absmax)
        let back = dq.decompress()
        guard back.count == 1000, dq.quantized.absmax.count == 4 else {
            Issue.record("expected 1000 constants back and 4 second-level absmax, got \(back.count) and \(dq.quantized.absmax.count)")
            return
        }
        var log = MismatchLog("within half a map step")
        for b in absmax.indices {
            let range = dq.quantized.absmax[b / 256]
            if !(abs(back[b] - absmax[b]) <= 0.0071 * range) { log.add("constant \(b): \(absmax[b]) → \(back[b])") }
        }
        log.expectEmpty()
    }

    /// The weights hardly notice: 4-bit NF4 round-trip MSE with and without double
    /// quantization differ by under 1% on normal weights, while the bits drop from 4.5 to ~4.127.
    @Test func doubleQuantizationCostsAlmostNoAccuracy() throws {
        let x = DataTypeComparison.WeightDistribution.normal(std: 0.02).sample(64 * 512, seed: 48)
        let plain = try BlockwiseQuantizer4.quantize(x, blockSize: 64)
        let nested = try BlockwiseQuantizer4.quantize(x, blockSize: 64, doubleQuantization: true)
        let msePlain = Statistics.mse(x, plain.dequantize())
        let mseNested = Statistics.mse(x, nested.dequantize())
        #expect(abs(mseNested / msePlain - 1) < 0.01, "MSE \(msePlain) → \(mseNested)")
        #expect(plain.bitsPerParameter == 4.5)
        #expect(abs(nested.bitsPerParameter - 4.127) < 0.01, "\(nested.bitsPerParameter) bits")
    }

    /// PyTorch's summation order matters for the last bit of the offset: the reference case
    /// with 301 blocks misses with a left-to-right float32 sum and with a Double sum.
    @Test func offsetNeedsPyTorchsSummationOrder() throws {
        let absmax = try loadFloats("bnb_4bit/nf4_bs64_1d_many_blocks_plain/absmax.npy")
        let torch = TorchSum.mean(absmax)
        #expect(torch.bitPattern == 0x4027_58C1, "nested.json offset_f32_bits")
        let leftToRight = absmax.reduce(Float(0), +) / Float(absmax.count)
        let viaDouble = Float(absmax.reduce(0.0) { $0 + Double($1) } / Double(absmax.count))
        #expect(leftToRight != torch && viaDouble != torch)
    }

    @Test func torchSumHandlesEveryLengthWithoutTrapping() {
        for n in [0, 1, 3, 5, 7, 8, 9, 31, 33, 257, 4099] {
            let x = (0..<n).map { Float($0 % 7) * 0.5 }
            #expect(TorchSum.sum(x) == x.reduce(0, +), "small integers sum exactly in any order (n = \(n))")
        }
        #expect(TorchSum.mean([]).isNaN, "PyTorch's mean of nothing")
    }

    @Test func emptyAbsmaxCompressesToNothing() throws {
        let dq = try DoubleQuantizedAbsmax.compress([])
        #expect(dq.offset == 0 && dq.quantized.codes.isEmpty && dq.decompress().isEmpty)
    }

    @Test func nonFiniteAbsmaxIsATypedErrorUnlessPropagated() throws {
        #expect(throws: BlockwiseQuantizationError.self) { try DoubleQuantizedAbsmax.compress([1, .nan, 2]) }
        let propagated = try DoubleQuantizedAbsmax.compress([1, .infinity, 2], nonFinite: .propagate)
        #expect(propagated.quantized.count == 3 && !propagated.offset.isFinite)
    }

    /// First the values: compressing each reference case's float32 absmax gives an offset
    /// within 2 ulp of bitsandbytes' and constants that decompress within half a map step of
    /// bitsandbytes' own decompressed constants.
    @Test func compressWithinRoundingOfBitsandbytes() throws {
        var log = MismatchLog("double quantization against bitsandbytes (within rounding)")
        for name in ReferenceCase.nestedNames {
            let c = try ReferenceCase(name)
            let pieces = try c.nestedPieces()
            let wantOffset = Float(bitPattern: pieces.offsetBits)
            let dq = try DoubleQuantizedAbsmax.compress(try c.floatAbsmax())
            if !(abs(dq.offset - wantOffset) <= 2 * ulp(wantOffset)) {
                log.add("\(name): offset \(dq.offset), bitsandbytes \(wantOffset)")
            }
            let reference = try QuantizedBlockwise8(
                shape: [pieces.codes.count], blockSize: 256, code: pieces.code, codes: pieces.codes, absmax: pieces.secondLevel)
            let want = reference.dequantize().map { $0 + wantOffset }
            let got = dq.decompress()
            if let m = firstMismatch(want, got, tolerance: { 0.0071 * Double(pieces.secondLevel[$0 / 256]) + 4 * Double(ulp(wantOffset)) }) {
                log.add("\(name) decompressed: \(m)")
            }
        }
        log.expectEmpty()
    }

    /// Then the bits: the offset, every 8-bit code, the second-level absmax and the code of
    /// every nested reference case, exactly.
    @Test func compressIsBitExactWithBitsandbytes() throws {
        var log = MismatchLog("double quantization against bitsandbytes, bit for bit")
        for name in ReferenceCase.nestedNames {
            let c = try ReferenceCase(name)
            let pieces = try c.nestedPieces()
            let dq = try DoubleQuantizedAbsmax.compress(try c.floatAbsmax())
            if dq.offset.bitPattern != pieces.offsetBits {
                log.add("\(name): offset \(dq.offset) (0x\(String(dq.offset.bitPattern, radix: 16))), bitsandbytes 0x\(String(pieces.offsetBits, radix: 16))")
            }
            if let m = firstMismatch(pieces.codes, dq.quantized.codes) { log.add("\(name) codes: \(m)") }
            if let m = firstBitMismatch(pieces.secondLevel, dq.quantized.absmax) { log.add("\(name) second-level absmax: \(m)") }
            if let m = firstBitMismatch(pieces.code, dq.quantized.code) { log.add("\(name) code: \(m)") }
            if dq.quantized.blockSize != 256 { log.add("\(name): nested block size \(dq.quantized.blockSize), expected 256") }
        }
        if let summary = log.summary {
            Issue.record(
                """
                bit-exact with bitsandbytes needs the order the doc comment prescribes: offset = \
                TorchSum.mean(absmax) (PyTorch's summation order), centred = absmax − offset in float32, \
                then BlockwiseQuantizer8 with blocks of 256 and DynamicMap.signed — \(summary)
                """)
        }
    }

    /// decompress() on bitsandbytes' stored pieces, times the NF4 value of each reference
    /// code, is bitsandbytes' dequantize_4bit output bit for bit (FP4: the same values, up to
    /// the sign of zero — see Ex4c's pytorchPath test).
    @Test func decompressReproducesBitsandbytesDequantization() throws {
        var log = MismatchLog("dequantize_4bit with decompressed constants")
        for name in ReferenceCase.nestedNames {
            let c = try ReferenceCase(name)
            let pieces = try c.nestedPieces()
            let dq = DoubleQuantizedAbsmax(
                offset: Float(bitPattern: pieces.offsetBits),
                quantized: try QuantizedBlockwise8(
                    shape: [pieces.codes.count], blockSize: 256, code: pieces.code, codes: pieces.codes,
                    absmax: pieces.secondLevel))
            let absmax = dq.decompress()
            guard absmax.count == pieces.codes.count else {
                log.add("\(name): \(absmax.count) constants back from \(pieces.codes.count) codes")
                continue
            }
            let codes = try c.referenceCodes()
            let got = codes.indices.map { c.type.values[Int(codes[$0])] * absmax[$0 / c.blockSize] }
            let want = try loadFloats(c.file("dequantized.npy"))
            let m = c.type == .nf4 ? firstBitMismatch(want, got) : firstMismatch(want, got)
            if let m { log.add("\(name): \(m)") }
        }
        if let summary = log.summary {
            Issue.record(
                """
                bit-exact with bitsandbytes needs the order the doc comment prescribes: \
                (code[codes[b]] · c₁[b / 256]) + offset in float32 — \(summary)
                """)
        }
    }
}
