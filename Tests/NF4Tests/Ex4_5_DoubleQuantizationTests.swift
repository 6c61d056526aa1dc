import Blockwise8
import Core
import NF4
import Testing

/// Exercise 4.5 — `DoubleQuantizedAbsmax.compress(_:)` and `decompress()`. (The bit-for-bit
/// check against bitsandbytes' nested cases is in `ReferenceTests`.)
@Suite struct Ex4_5_DoubleQuantizationTests {

    /// ĉ₂[b] = code[codes[b]] · c₁[b / 256] + offset, in float32.
    @Test func decompressIsCodeTimesSecondLevelAbsmaxPlusOffset() throws {
        let absmax = sampleValues(700, seed: 45).map { abs($0) + 0.5 }
        let dq = try DoubleQuantizedAbsmax.compress(absmax)
        #expect(dq.quantized.blockSize == 256 && dq.quantized.absmax.count == 3)
        let back = dq.decompress()
        for b in absmax.indices {
            let expected = DynamicMap.signed[Int(dq.quantized.codes[b])] * dq.quantized.absmax[b / 256] + dq.offset
            #expect(back[b] == expected)
        }
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
        for b in absmax.indices {
            let range = dq.quantized.absmax[b / 256]
            #expect(abs(back[b] - absmax[b]) <= 0.0071 * range, "constant \(b): \(absmax[b]) → \(back[b])")
        }
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
}
