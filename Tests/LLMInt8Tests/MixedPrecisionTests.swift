import Core
import LLMInt8
import TestSupport
import Testing

/// The mixed-precision decomposition in `Linear8bit.forward`: the int8 part (Exercises 3a–3c)
/// plus the float part of the outlier columns (Exercise 3d).
@Suite struct MixedPrecisionTests {
    let w = randomMatrix(5, 6, seed: 81, std: 0.3)

    /// X whose only non-zero column is an outlier column: the int8 part is exactly 0 and the
    /// output is the float product of that column — no quantization error at all with the
    /// paper's original weights.
    @Test func outlierColumnsStayInFloat() throws {
        var x = Tensor(shape: [4, 6], repeating: 0)
        for (i, v) in [10, -7, 8, 12.5].enumerated() { x[i, 2] = Float(v) }
        let paper = try LLMInt8.matmul(x, w, options: LLMInt8Options(outlierWeights: .original))
        #expect(paper.outlierColumns == [2])
        #expect(paper.int8Part.data.allSatisfy { $0 == 0 })
        // bitsandbytes' default multiplies by the int8-dequantized weight column instead.
        let bnb = try LLMInt8.matmul(x, w)
        let layer = try Linear8bit(weight: w)
        var log = MismatchLog("output = x[i, 2] · w[j, 2]")
        for i in 0..<4 {
            for j in 0..<5 {
                let paperWant = x[i, 2] * w[j, 2]
                if paper.output[i, j] != paperWant { log.add("paper [\(i), \(j)]: \(paper.output[i, j]), expected \(paperWant)") }
                let bnbWant = x[i, 2] * layer.outlierWeights[j, 2]
                if bnb.output[i, j] != bnbWant { log.add("bitsandbytes [\(i), \(j)]: \(bnb.output[i, j]), expected \(bnbWant)") }
            }
        }
        log.expectEmpty()
    }

    @Test func outputIsInt8PartPlusFloatPart() throws {
        var x = randomMatrix(6, 6, seed: 82)
        x[1, 4] = -9
        let p = try LLMInt8.matmul(x, w, bias: [0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(p.outlierColumns == [4])
        #expect(p.floatPart.data.contains { $0 != 0 })
        let sum = zip(p.int8Part.data, p.floatPart.data).map { $0 + $1 }
        #expect(firstBitMismatch(sum, p.output.data) == nil, "\(firstBitMismatch(sum, p.output.data) ?? "")")
    }

    @Test func thresholdZeroTurnsTheDecompositionOff() throws {
        var x = randomMatrix(6, 6, seed: 83)
        x[0, 0] = 50
        let p = try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: 0))
        #expect(p.outlierColumns.isEmpty && p.fractionInFloat == 0)
        #expect(p.floatPart.data.allSatisfy { $0 == 0 })
        #expect(firstBitMismatch(p.int8Part.data, p.output.data) == nil)
    }

    @Test func decompositionRescuesRowsWithAnOutlier() throws {
        // One feature at 20…40 in every token sets every row's absmax, so the other values
        // of the row get a step 10× too coarse; taking that column out in float restores them.
        var rng = SeededRNG(seed: 84)
        let generator = EmergentOutlierGenerator(
            tokens: 32, features: 64, outlierFeatures: [11], outlierMagnitude: 40, tokenFraction: 1)
        let x = generator.sample(rng: &rng)
        let w = randomMatrix(16, 64, seed: 85, std: 0.05)
        let study = try OutlierStudy.compare(x: x, w: w)
        #expect(study.outlierColumns == [11])
        // What is left is the int8 error of the ordinary values (and of W), the same in
        // both schemes: about 0.5% here against 1.5% with the outlier left in.
        #expect(study.llmInt8Error * 2 < study.vectorwiseError, "\(study)")
        #expect(study.vectorwiseError < study.perTensorError, "\(study)")
    }

    /// The paper multiplies the outlier columns by the original weights, bitsandbytes by
    /// the int8-dequantized ones: the outputs differ by the weights' quantization error on
    /// those columns only — small next to the output, but not zero.
    @Test func paperAndBitsandbytesOutlierWeightsDifferSlightly() throws {
        var x = randomMatrix(8, 6, seed: 86)
        x[3, 1] = 25
        let bnb = try LLMInt8.matmul(x, w).output
        let paper = try LLMInt8.matmul(x, w, options: LLMInt8Options(outlierWeights: .original)).output
        let difference = OutlierStudy.relativeError(bnb, reference: paper)
        #expect(difference > 0 && difference < 0.01, "relative difference \(difference)")
        #expect(zip(bnb.data, paper.data).filter { $0 != $1 }.count > 0)
    }
}
