import BERT
import Core
import Foundation
import NF4
import PostTraining
import Testing

/// Synthetic layers for the per-scheme properties: normal weights (std 0.05, MiniLM's dense
/// weights have std ≈ 0.04–0.06) with one planted large weight per layer, and normal inputs
/// with a few large features, as a LayerNorm's output has.
enum SyntheticLayer {
    static func make(out: Int, in n: Int, seed: UInt64) -> FloatLinear {
        var rng = SeededRNG(seed: seed)
        var w = rng.normalFloats(out * n, std: 0.05)
        w[3 * n + 7] = 0.9  // one outlier weight: absmax-per-tensor schemes feel it
        return FloatLinear(
            weight: Tensor(shape: [out, n], data: w), bias: rng.normalFloats(out, std: 0.1))
    }

    /// x: [rows, n], standard normal, column 5 scaled to reach |x| ≈ 10 (an outlier feature).
    static func input(rows: Int, in n: Int, seed: UInt64) -> Tensor {
        var rng = SeededRNG(seed: seed)
        var x = rng.normalFloats(rows * n)
        for r in 0..<rows { x[r * n + 5] = 10 * (r % 2 == 0 ? 1 : -0.7) }
        return Tensor(shape: [rows, n], data: x)
    }
}

/// The worst-case weight error of each data-free scheme as a fraction of max |W| (a group's
/// absmax is at most the tensor's), derived from its grid; ε16 = 2⁻¹¹ is float16's relative
/// rounding of a stored scale, which moves a value by at most |code| · d · ε16 ≤ a · ε16.
enum WorstCaseWeightError {
    static let fp16: Double = 1.0 / 2048

    /// Half the largest gap between neighbouring values of a 4-bit table on [−1, 1].
    static func halfLargestGap(_ type: FourBitDataType) -> Double {
        let v = type.values.map(Double.init).sorted()
        return zip(v.dropFirst(), v).map { $0 - $1 }.max()! / 2
    }

    static func fraction(_ scheme: BERTQuantizationScheme) -> Double? {
        switch scheme {
        // Symmetric int8: half a step of absmax / 127.
        case .absmaxInt8, .absmaxInt8Row, .absmaxInt8Block, .llmInt8: return 1.0 / 254
        // Zero point: step (max − min) / 255 ≤ 2a / 255; two roundings (x · nd, then the zero
        // point) can add up to one whole step.
        case .zeropointInt8: return 2.0 / 255
        // bitsandbytes' dynamic map: its widest gap is in the top decade, linspace(0.1, 1, 65)
        // midpoints, 0.9 / 64 = 0.014 apart: half of that, rounded up to 1/128.
        case .dynamic8: return 1.0 / 128
        case .nf4: return halfLargestGap(.nf4)  // (1 − 0.7230) / 2 = 0.1385
        case .fp4: return halfLargestGap(.fp4)  // (1 − 0.6667) / 2 = 0.1667
        // Double quantization stores each absmax with the dynamic map too (≤ 1/128 of it).
        case .nf4DQ: return halfLargestGap(.nf4) + 1.0 / 128
        case .fp4DQ: return halfLargestGap(.fp4) + 1.0 / 128
        case .q8_0: return 1.0 / 254 + fp16  // d = a / 127, half a step
        // d = m / −8 (m the signed extreme): codes −8 … 7, so −m clamps at 7 · d: one step.
        case .q4_0: return 1.0 / 8 + fp16
        case .q5_0: return 1.0 / 16 + fp16  // the same with −16 … 15
        // min and step (max − min) / 15 (or / 31), both float16: half a step ≤ a / 15.
        case .q4_1: return 1.0 / 15 + 3 * fp16
        case .q5_1: return 1.0 / 31 + 3 * fp16
        // IQ4_NL's table {−127, …, 89, 113}: the widest gap is 24 / 127 and its scale search
        // may stretch the grid so that one extreme clamps: one widest gap, 0.19.
        case .iq4_nl: return 24.0 / 127
        // MXFP4: d = 2^(⌊log₂ a⌋ − 3), |x| / d < 16 on the grid {…, 8, 12}: at most 4d ≤ a / 4.
        case .mxfp4: return 1.0 / 4
        // k-quants on whole super-blocks (rows of 512 here), scales and mins themselves
        // quantized (4 or 6 bits) and fitted by a weighted search that may clip: one step of
        // the code grid over [−a, a], 2a / (2^b − 1), as the bound.
        case .q2_k: return 2.0 / 3
        case .q3_k: return 2.0 / 7
        case .q4_k: return 2.0 / 15
        case .q5_k: return 2.0 / 31
        case .q6_k: return 2.0 / 63
        case .gptq, .awq: return nil  // error feedback and clipping move weights on purpose
        }
    }
}

@Suite struct BERTQuantizedLinearTests {
    static let dataFree = BERTQuantizationScheme.allCases.filter { !$0.needsCalibration }

    /// Every data-free scheme: |W − Ŵ| ≤ k · max |W| with k from `WorstCaseWeightError`, on
    /// rows of 512 (16 blocks of 32, 8 of 64, 2 super-blocks of 256: no fallback).
    @Test(arguments: dataFree)
    func weightErrorIsWithinTheSchemesGrid(scheme: BERTQuantizationScheme) throws {
        let float = SyntheticLayer.make(out: 24, in: 512, seed: 1201)
        let q = try BERTQuantization.quantize(float, scheme: scheme)
        let a = Double(float.weight.data.map(abs).max()!)
        let worst = zip(float.weight.data, q.dequantizedWeight.data)
            .map { Double(abs($0 - $1)) }.max()!
        let k = try #require(WorstCaseWeightError.fraction(scheme))
        #expect(worst <= k * a, "\(scheme.rawValue): max error \(worst / a) of max |W|, bound \(k)")
        #expect(worst > 0, "\(scheme.rawValue): quantization changed nothing")
    }

    /// y − ŷ = x · (W − Ŵ)ᵀ (+ (x − x̂) · Ŵᵀ for LLM.int8()), so each output is off by at most
    /// ‖x_row‖₁ · max |W − Ŵ| (+ Σ|x − x̂| · max |Ŵ|), plus float32 rounding of two sums of 512
    /// products: 512 · 2⁻²⁴ ≈ 3e−5 of Σ|x · w| — 1e−4 · ‖x_row‖₁ · max |W| covers it.
    @Test(arguments: dataFree)
    func outputIsWithinTheWeightErrorBound(scheme: BERTQuantizationScheme) throws {
        let float = SyntheticLayer.make(out: 24, in: 512, seed: 1202)
        let x = SyntheticLayer.input(rows: 6, in: 512, seed: 1203)
        let q = try BERTQuantization.quantize(float, scheme: scheme)
        let (y, yq) = (float.forward(x), q.forward(x))
        #expect(yq.shape == [6, 24])
        let dw = zip(float.weight.data, q.dequantizedWeight.data).map { abs($0 - $1) }.max()!
        let wMax = float.weight.data.map(abs).max()!
        let wqMax = q.dequantizedWeight.data.map(abs).max()!
        var over = 0
        for r in 0..<6 {
            let row = x.row(r)
            let l1 = row.map(abs).reduce(0, +)
            var bound = l1 * dw + 1e-4 * l1 * wMax
            if scheme == .llmInt8 {
                // Activations: half a step of the row's absmax over the non-outlier columns
                // (|x| < 6); the outlier column 5 is exact.
                let kept = row.filter { abs($0) < 6 }
                bound += Float(kept.count) * (kept.map(abs).max()! / 254) * wqMax
            }
            for j in 0..<24 where abs(y[r, j] - yq[r, j]) > bound { over += 1 }
        }
        #expect(over == 0, "\(scheme.rawValue): \(over) of 144 outputs beyond the bound")
    }

    /// Fewer bits, more error: on the same layer and input the output error grows as the
    /// format shrinks (8-bit < 6-bit < 4-bit < 2-bit), the ordering the chapter's table shows.
    @Test func outputErrorGrowsAsBitsShrink() throws {
        let float = SyntheticLayer.make(out: 24, in: 512, seed: 1204)
        let x = SyntheticLayer.input(rows: 6, in: 512, seed: 1205)
        let y = float.forward(x).data
        func error(_ s: BERTQuantizationScheme) throws -> Float {
            let yq = try BERTQuantization.quantize(float, scheme: s).forward(x).data
            return zip(y, yq).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }
        let errors = try [BERTQuantizationScheme.q8_0, .q6_k, .q4_k, .q2_k].map(error)
        #expect(errors[0] < errors[1] && errors[1] < errors[2] && errors[2] < errors[3],
                "errors \(errors)")
    }

    /// NF4's dequantized weight is the NF4 module's, bit for bit (blocks of 64 over W
    /// flattened row-major, as bitsandbytes' Params4bit quantizes it).
    @Test func nf4WeightEqualsTheNF4Modules() throws {
        let float = SyntheticLayer.make(out: 16, in: 384, seed: 1206)
        for (scheme, dq) in [(BERTQuantizationScheme.nf4, false), (.nf4DQ, true)] {
            let layer = try BERTQuantization.quantize(float, scheme: scheme)
            let expected = try BlockwiseQuantizer4.quantize(
                float.weight, type: .nf4, blockSize: 64, doubleQuantization: dq).dequantize()
            let same = layer.dequantizedWeight.data.map(\.bitPattern) == expected.map(\.bitPattern)
            #expect(same, "\(scheme.rawValue): dequantized weight differs from NF4's")
        }
    }

    /// LLM.int8() keeps the planted outlier feature (column 5, |x| = 10 ≥ 6) in float, and
    /// that decomposition is what keeps its error small: the same int8 × int8 product with
    /// threshold 0 (no decomposition) lets |x| = 10 set every row's step.
    @Test func llmInt8KeepsTheOutlierFeatureInFloat() throws {
        let float = SyntheticLayer.make(out: 24, in: 512, seed: 1207)
        let x = SyntheticLayer.input(rows: 6, in: 512, seed: 1208)
        let decomposed = try LLMInt8Linear(weight: float.weight, bias: float.bias)
        let plain = try LLMInt8Linear(weight: float.weight, bias: float.bias, threshold: 0)
        #expect(try decomposed.product(x).outlierColumns == [5])
        let y = float.forward(x).data
        func error(_ l: LLMInt8Linear) -> Float {
            zip(y, l.forward(x).data).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }
        #expect(error(decomposed) < error(plain) / 2, "\(error(decomposed)) vs \(error(plain))")
    }

    /// A non-finite input cannot be quantized; the layer answers NaN, as a float layer would.
    @Test func llmInt8OnANonFiniteInputGivesNaN() throws {
        let float = SyntheticLayer.make(out: 4, in: 64, seed: 1209)
        var x = SyntheticLayer.input(rows: 2, in: 64, seed: 1210)
        x.data[3] = .infinity
        let y = try LLMInt8Linear(weight: float.weight, bias: float.bias).forward(x)
        #expect(y.shape == [2, 4] && y.data.allSatisfy(\.isNaN))
    }

    @Test func calibratedSchemesWithoutCalibrationAreAnError() throws {
        let float = SyntheticLayer.make(out: 4, in: 128, seed: 1211)
        #expect(throws: BERTQuantizationError.needsCalibration(.gptq)) {
            _ = try BERTQuantization.quantize(float, scheme: .gptq)
        }
        let wrong = Tensor(shape: [3, 64], repeating: 1)
        #expect(throws: BERTQuantizationError.calibrationShape([3, 64], inFeatures: 128)) {
            _ = try BERTQuantization.quantize(float, scheme: .awq, calibration: wrong)
        }
    }

    /// A weight with NaN is refused by every scheme (each module's own check, or ours).
    @Test(arguments: dataFree)
    func nonFiniteWeightIsAnError(scheme: BERTQuantizationScheme) {
        var float = SyntheticLayer.make(out: 4, in: 256, seed: 1212)
        var w = float.weight
        w.data[17] = .nan
        float = FloatLinear(weight: w, bias: float.bias)
        #expect(throws: (any Error).self, "\(scheme.rawValue)") {
            _ = try BERTQuantization.quantize(float, scheme: scheme)
        }
    }

    /// The names are `lowbit quantize --scheme`'s (Sources/lowbit/QuantizationScheme.swift)
    /// plus the layer-only schemes.
    @Test func schemeNamesIncludeEveryLowbitQuantizeScheme() {
        let lowbit = [
            "absmax-int8", "absmax-int8-row", "absmax-int8-block", "zeropoint-int8", "nf4", "fp4",
            "dynamic8", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_k", "q3_k", "q4_k", "q5_k",
            "q6_k", "iq4_nl", "mxfp4",
        ]
        let ours = ["nf4-dq", "fp4-dq", "llm-int8", "gptq", "awq"]
        let missing = (lowbit + ours).filter { BERTQuantizationScheme(name: $0) == nil }
        #expect(missing.isEmpty, "unknown: \(missing)")
        #expect(BERTQuantizationScheme.allCases.count == lowbit.count + ours.count)
    }
}
