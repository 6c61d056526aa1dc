import Core
import GPTQ
import TestSupport
import Testing

/// `HessianAccumulator.hessianBlocked` against `accumulate(...).h`: the same float32 sums,
/// so the same bits.
@Suite struct HessianFastPathTests {

    /// 300 columns (a 256-wide stripe and a short one), 70 rows fed as one call and as runs
    /// of 16 (five calls, the last one short: the running average's shrink and scale).
    @Test(arguments: [nil, 16] as [Int?])
    func blockedHessianIsTheRunningAverageBitForBit(sequenceLength: Int?) {
        let (samples, columns) = (70, 300)
        var rng = SeededRNG(seed: 41)
        var x = rng.normalFloats(samples * columns)
        for p in 0..<samples { x[p * columns + 7] = 0 }  // a dead input stays exactly 0
        let readable = HessianAccumulator.accumulate(
            x, samples: samples, columns: columns, sequenceLength: sequenceLength
        ).h
        let fast = HessianAccumulator.hessianBlocked(
            x, samples: samples, columns: columns, sequenceLength: sequenceLength)
        let m = firstBitMismatch(readable, fast)
        #expect(m == nil, "H (runs of \(sequenceLength.map(String.init) ?? "all")): \(m ?? "")")
    }
}
