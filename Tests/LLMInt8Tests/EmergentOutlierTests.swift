import Core
import LLMInt8
import TestSupport
import Testing

/// The synthetic hidden states of §4, and the three schemes measured on them.
@Suite struct EmergentOutlierTests {
    func generator(magnitude: Float) -> EmergentOutlierGenerator {
        EmergentOutlierGenerator(
            tokens: 64, features: 256, outlierFeatures: [3, 77, 130, 201], outlierMagnitude: magnitude)
    }

    @Test func sameSeedSameHiddenStates() {
        var a = SeededRNG(seed: 5)
        var b = SeededRNG(seed: 5)
        let first = generator(magnitude: 30).sample(rng: &a).data
        let second = generator(magnitude: 30).sample(rng: &b).data
        #expect(firstBitMismatch(first, second) == nil, "\(firstBitMismatch(first, second) ?? "")")
    }

    @Test func outlierFeaturesAreLargeInMostTokensAndKeepTheirSign() {
        var rng = SeededRNG(seed: 6)
        let g = generator(magnitude: 40)
        let x = g.sample(rng: &rng)
        for f in g.outlierFeatures {
            let column = x.column(f)
            let large = column.filter { abs($0) >= 20 }
            let fraction = Double(large.count) / 64
            #expect(fraction > 0.6 && fraction < 0.9, "feature \(f): \(fraction) of tokens are large")
            #expect(large.allSatisfy { abs($0) <= 40 }, "magnitudes peak at 40")
            #expect(Set(large.map { $0.sign }).count == 1, "one sign per outlier feature")
        }
        let ordinary = (0..<256).filter { !g.outlierFeatures.contains($0) }
        #expect(ordinary.allSatisfy { f in x.column(f).allSatisfy { abs($0) < 6 } })
    }

    @Test func pickedFeaturesAreDistinctAndSorted() {
        var rng = SeededRNG(seed: 7)
        let picked = EmergentOutlierGenerator.pickFeatures(count: 6, of: 4096, rng: &rng)
        #expect(picked.count == 6 && Set(picked).count == 6 && picked == picked.sorted())
        #expect(picked.allSatisfy { (0..<4096).contains($0) })
    }

    /// The chapter's figure in one test: with large outliers, per-tensor absmax is worst,
    /// vector-wise helps, LLM.int8() is best — and keeps only the outlier features in float.
    @Test func llmInt8BeatsVectorwiseBeatsPerTensorOnLargeOutliers() throws {
        var rng = SeededRNG(seed: 8)
        let x = generator(magnitude: 60).sample(rng: &rng)
        let w = randomMatrix(32, 256, seed: 9, std: 0.05)
        let r = try OutlierStudy.compare(x: x, w: w)
        #expect(r.perTensorError > r.vectorwiseError && r.vectorwiseError > 3 * r.llmInt8Error, "\(r)")
        #expect(firstMismatch([3, 77, 130, 201], r.outlierColumns) == nil, "\(firstMismatch([3, 77, 130, 201], r.outlierColumns) ?? "")")
        #expect(r.floatFeatureFraction == 4.0 / 256)
        #expect(r.outlierValueFraction > 0 && r.outlierValueFraction < r.floatFeatureFraction)
    }

    @Test func withoutOutliersVectorwiseAndLLMInt8Coincide() throws {
        var rng = SeededRNG(seed: 10)
        let x = generator(magnitude: 0).sample(rng: &rng)
        let w = randomMatrix(32, 256, seed: 11, std: 0.05)
        let r = try OutlierStudy.compare(x: x, w: w)
        #expect(r.outlierColumns.isEmpty && r.floatFeatureFraction == 0)
        #expect(r.vectorwiseError == r.llmInt8Error)
        #expect(r.vectorwiseError < 0.02, "\(r)")
    }
}
