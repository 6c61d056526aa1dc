import Core
import Testing

/// Expected words come from scripts/reference/core_vectors.py, an independent Python
/// transcription of the authors' C reference code for SplitMix64 and xoshiro256**.
@Suite struct SeededRNGTests {
    @Test func splitMix64MatchesTheReferenceSequence() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func xoshiroMatchesTheReferenceSequence() {
        var g = SeededRNG(seed: 42)
        let expected: [UInt64] = [
            0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
            0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64,
        ]
        for (i, want) in expected.enumerated() {
            let got = g.next()
            #expect(got == want, "word \(i): expected \(String(want, radix: 16)), got \(String(got, radix: 16))")
        }
    }

    @Test func sameSeedGivesSameStreamDifferentSeedDiffers() {
        var a = SeededRNG(seed: 7)
        var b = SeededRNG(seed: 7)
        var c = SeededRNG(seed: 8)
        let sa = (0..<100).map { _ in a.normal() }
        let sb = (0..<100).map { _ in b.normal() }
        let sc = (0..<100).map { _ in c.normal() }
        #expect(sa == sb)
        #expect(sa != sc)
    }

    @Test func uniformStaysInUnitIntervalWithMeanOneHalf() {
        var g = SeededRNG(seed: 1)
        let xs = (0..<100_000).map { _ in g.uniform() }
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = xs.reduce(0, +) / Double(xs.count)
        // Standard error of the mean of U(0,1) over 1e5 draws is 0.29/316 ≈ 0.0009; 0.005 is > 5 SE.
        #expect(abs(mean - 0.5) < 0.005, "mean \(mean)")
    }

    @Test func normalSamplesHaveUnitMomentsAndGaussianTails() {
        var g = SeededRNG(seed: 2)
        let xs = g.normalFloats(200_000)
        let mean = Statistics.mean(xs)
        let std = Statistics.std(xs)
        // SE of the mean is 1/√2e5 ≈ 0.0022 and of the std ≈ 0.0016; allow ~5 SE.
        #expect(abs(mean) < 0.012, "mean \(mean)")
        #expect(abs(std - 1) < 0.008, "std \(std)")
        // P(|z| > 2) = 4.55 % for a standard normal.
        let tail = Double(xs.filter { abs($0) > 2 }.count) / Double(xs.count)
        #expect(abs(tail - 0.0455) < 0.003, "tail fraction \(tail)")
    }

    @Test func indexBelowCoversEveryValueAndNothingElse() {
        var g = SeededRNG(seed: 3)
        var seen = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { seen[g.index(below: 7)] += 1 }
        // Each count is Binomial(7000, 1/7): mean 1000, sd ≈ 29; 850…1150 is > 5 sd.
        #expect(seen.allSatisfy { (850...1150).contains($0) }, "counts \(seen)")
    }

    @Test func studentTHasHeavierTailsThanNormal() {
        var g = SeededRNG(seed: 4)
        let t = (0..<50_000).map { _ in g.studentT(degreesOfFreedom: 3) }
        let tail = Double(t.filter { abs($0) > 4 }.count) / Double(t.count)
        // P(|t₃| > 4) ≈ 2.8 %, versus 0.006 % for a normal.
        #expect(tail > 0.02 && tail < 0.036, "tail fraction \(tail)")
    }
}
