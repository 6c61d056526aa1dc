import TestSupport
import Absmax
import Core
import LLMInt8
import Testing

/// LLMInt8 against bitsandbytes 0.50.2 on the CPU (see Fixtures/README.md), through the
/// public entry points (`VectorwiseQuantizer.quantize`, `Linear8bit`, `LLMInt8.matmul`). The
/// exercises' suites check the same vectors on each exercise's own function.
///
/// Exact: every code (CA, CB), every row statistic (row_stats, SCA, SCB) and every outlier
/// column list — these come from the same float32 operations in the same order.
/// To float rounding: the outputs — see each test for the tolerance and why.
@Suite struct LLMInt8ReferenceTests {

    @Test func vectorwiseCodesAndRowStatsMatchAtThresholdZero() throws {
        let a = try loadTensor("vectorwise_quant/activations.npy")
        let q = try VectorwiseQuantizer.quantize(a, threshold: 0)
        let ca = try loadInt8("vectorwise_quant/CA_t0.npy")
        let rowStats = try loadTensor("vectorwise_quant/row_stats_t0.npy").data
        #expect(firstMismatch(ca, q.codes) == nil, "CA_t0: \(firstMismatch(ca, q.codes) ?? "")")
        #expect(firstBitMismatch(rowStats, q.rowAbsmax) == nil, "row_stats_t0: \(firstBitMismatch(rowStats, q.rowAbsmax) ?? "")")
        #expect(q.outlierColumns.isEmpty, "threshold 0: bitsandbytes returns no outlier columns")
    }

    @Test func vectorwiseCodesRowStatsAndOutliersMatchAtThresholdSix() throws {
        let a = try loadTensor("vectorwise_quant/activations.npy")
        let q = try VectorwiseQuantizer.quantize(a, threshold: 6)
        let ca = try loadInt8("vectorwise_quant/CA_t6.npy")
        let rowStats = try loadTensor("vectorwise_quant/row_stats_t6.npy").data
        let outliers = try loadIndices("vectorwise_quant/outlier_cols_t6.npy")
        #expect(outliers == [7, 29, 50], "the planted columns")
        #expect(firstMismatch(outliers, q.outlierColumns) == nil)
        #expect(firstMismatch(ca, q.codes) == nil, "CA_t6: \(firstMismatch(ca, q.codes) ?? "")")
        #expect(firstBitMismatch(rowStats, q.rowAbsmax) == nil, "row_stats_t6: \(firstBitMismatch(rowStats, q.rowAbsmax) ?? "")")
    }

    /// The layer as bitsandbytes' CPU path computes it (float16 inputs, 6.200124e−05).
    func bitsandbytesLayer(threshold: Float) throws -> (Linear8bit, LLMInt8Product) {
        let w = try loadTensor("matmul/W.npy")
        let bias = try loadTensor("matmul/bias.npy").data
        let layer = try Linear8bit(weight: w, bias: bias, options: .bitsandbytesCPU(threshold: threshold))
        return (layer, try layer.forward(try loadTensor("matmul/X.npy")))
    }

    @Test func weightCodesAndScalesMatchExactly() throws {
        let (layer, _) = try bitsandbytesLayer(threshold: 6)
        let cb = try loadInt8("matmul/CB.npy")
        let scb = try loadTensor("matmul/SCB.npy").data
        #expect(firstMismatch(cb, layer.weight.codes) == nil, "CB: \(firstMismatch(cb, layer.weight.codes) ?? "")")
        #expect(firstBitMismatch(scb, layer.weight.rowAbsmax) == nil, "SCB: \(firstBitMismatch(scb, layer.weight.rowAbsmax) ?? "")")
    }

    @Test func activationCodesScalesAndOutliersInsideTheMatmulMatchExactly() throws {
        let (_, product) = try bitsandbytesLayer(threshold: 6)
        let ca = try loadInt8("matmul/CA.npy")
        let sca = try loadTensor("matmul/SCA.npy").data
        let outliers = try loadIndices("matmul/outlier_cols.npy")
        #expect(firstMismatch(ca, product.activations.codes) == nil, "CA: \(firstMismatch(ca, product.activations.codes) ?? "")")
        #expect(firstBitMismatch(sca, product.activations.rowAbsmax) == nil, "SCA: \(firstBitMismatch(sca, product.activations.rowAbsmax) ?? "")")
        #expect(firstMismatch(outliers, product.outlierColumns) == nil)
    }

    @Test func withoutFloat16EmulationTheCodesDiffer() throws {
        // Why the option exists: quantizing the float32 X directly gives other codes.
        let x = try loadTensor("matmul/X.npy")
        let direct = try VectorwiseQuantizer.quantize(x, threshold: 6)
        let ca = try loadInt8("matmul/CA.npy")
        #expect(firstMismatch(ca, direct.codes) != nil, "float32 X must give codes other than bitsandbytes' CA")
    }

    /// out_int8 (threshold 0): the Int32 product is exact and the rescale repeats bitsandbytes'
    /// float32 operations in its order — (acc · (SCA·SCB)) · c + bias — so we expect the very
    /// same floats (observed: all 512 identical); we allow 1 ulp in case a compiler fuses a
    /// multiply-add differently on another platform.
    @Test func int8OutputMatchesBitsandbytesToOneUlp() throws {
        let (_, product) = try bitsandbytesLayer(threshold: 0)
        let want = try loadTensor("matmul/out_int8.npy").data
        let got = product.output.data
        let message = firstMismatch(want, got) { ulp(want[$0]) }
        #expect(message == nil, "out_int8: \(message ?? "")")
        #expect(product.outlierColumns.isEmpty && product.floatPart.data.allSatisfy { $0 == 0 })
    }

    /// out_mixed: the int8 part as above, plus three outlier columns multiplied in float by
    /// BLAS `addmm`, whose order of summation (and use of FMA) we do not know. Each output
    /// may differ by a few roundings of the terms involved: we allow 4 · 2⁻²⁴ (about 2 ulp) of
    /// |int8 part| + Σ|x·w| over the outlier columns. Observed: 429 of 512 identical, the
    /// largest difference 9.5e−7 (median |output| 0.6, largest 10); the reference README's own
    /// float64 check of the formula against the library found 6.3e−7.
    @Test func mixedOutputMatchesBitsandbytesToFloatRounding() throws {
        let (layer, product) = try bitsandbytesLayer(threshold: 6)
        let want = try loadTensor("matmul/out_mixed.npy").data
        let x = try loadTensor("matmul/X.npy")
        let (m, n) = (x.rows, layer.outFeatures)
        var scale = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = Double(abs(product.int8Part[i, j]))
                for h in product.outlierColumns { s += Double(abs(x[i, h] * layer.outlierWeights[j, h])) }
                scale[i * n + j] = s
            }
        }
        let message = firstMismatch(want, product.output.data) { 4 * scale[$0] * 0x1p-24 }
        #expect(message == nil, "out_mixed: \(message ?? "")")
    }

    /// With the exact constant 1/127² (our default) every int8 output is smaller by the
    /// factor 6.200012e−05 / 6.200124e−05 ≈ 1 − 1.8·10⁻⁵ before the bias is added: we allow
    /// 2·10⁻⁵ of |int8 part without bias| plus 2 ulp for the rounding of the additions
    /// (observed: at most 1.8e−4 in absolute terms).
    @Test func exactConstantDiffersFromBitsandbytesCPUOnlyByItsTypo() throws {
        let w = try loadTensor("matmul/W.npy")
        let x = try loadTensor("matmul/X.npy")
        let bias = try loadTensor("matmul/bias.npy").data
        var options = LLMInt8Options.bitsandbytesCPU(threshold: 0)
        options.dequantizationConstant = .exact
        let exact = try LLMInt8.matmul(x, w, bias: bias, options: options).output.data
        let want = try loadTensor("matmul/out_int8.npy").data
        let n = bias.count
        let message = firstMismatch(want, exact) { i in
            2e-5 * Double(abs(want[i] - bias[i % n])) + 2 * ulp(want[i])
        }
        #expect(message == nil, "exact constant vs out_int8: \(message ?? "")")
        #expect(maxAbsDifference(want, exact) > 0, "the two constants must give different floats")
    }

    /// The float reference: our float32 X · Wᵀ + bias against torch's `linear`. Different
    /// summation orders over k = 64 products: allow 64 · 2⁻²⁴ · Σ|x·w| (the recursive-sum bound).
    @Test func floatProductMatchesTorchLinear() throws {
        let x = try loadTensor("matmul/X.npy")
        let w = try loadTensor("matmul/W.npy")
        let bias = try loadTensor("matmul/bias.npy").data
        var y = try OutlierStudy.floatProduct(x, w).data
        for i in y.indices { y[i] += bias[i % bias.count] }
        let want = try loadTensor("matmul/out_fp32.npy").data
        let (k, n) = (x.cols, w.rows)
        let message = firstMismatch(want, y) { index in
            let (i, j) = (index / n, index % n)
            var s = Double(abs(bias[j]))
            for p in 0..<k { s += Double(abs(x[i, p] * w[j, p])) }
            return Double(k + 1) * 0x1p-24 * s
        }
        #expect(message == nil, "out_fp32: \(message ?? "")")
    }
}
