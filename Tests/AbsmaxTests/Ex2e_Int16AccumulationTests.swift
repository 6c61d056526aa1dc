import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2e — `Int16Accumulation.dot`: where a 16-bit accumulator overflows.
@Suite struct Ex2e_Int16AccumulationTests {

    @Test func thirdProductOf127sOverflows() {
        let ones = [Int8](repeating: 127, count: 4)
        let trace = Int16Accumulation.dot(ones, ones)
        #expect(trace.firstOverflow == 2, "16 129 · 3 = 48 387 > 32 767")
        #expect(trace.exactPartialSums == [16_129, 32_258, 48_387, 64_516])
        #expect(trace.wrappedPartialSums == [16_129, 32_258, -17_149, -1_020])  // − 65 536
        #expect(trace.wrappedSum == -1_020 && trace.exactSum == 64_516)
    }

    @Test func smallProductsNeverOverflow() {
        let a: [Int8] = [3, -7, 12, 5, -9]
        let b: [Int8] = [10, 4, -2, 8, 1]
        let trace = Int16Accumulation.dot(a, b)
        #expect(trace.firstOverflow == nil)
        #expect(Int32(trace.wrappedSum) == trace.exactSum && trace.exactSum == 30 - 28 - 24 + 40 - 9)
    }

    @Test func negativeOverflowIsFoundToo() {
        let a = [Int8](repeating: -128, count: 3)
        let b = [Int8](repeating: 127, count: 3)
        let trace = Int16Accumulation.dot(a, b)
        #expect(trace.firstOverflow == 2, "−16 256 · 3 = −48 768 < −32 768")
        #expect(trace.wrappedSum == Int16(truncatingIfNeeded: -48_768))
    }

    /// Overflow can happen again after the sum has wrapped back into range: the trace
    /// reports the *first* one.
    @Test func theFirstOfSeveralOverflowsIsReported() {
        let ones = [Int8](repeating: 127, count: 7)
        let trace = Int16Accumulation.dot(ones, ones)
        // 16 129, 32 258, −17 149 (overflow), −1 020, 15 109, 31 238, −18 169 (overflow again)
        #expect(trace.wrappedPartialSums == [16_129, 32_258, -17_149, -1_020, 15_109, 31_238, -18_169])
        #expect(trace.firstOverflow == 2)
    }

    @Test func emptyVectorsGiveAnEmptyTrace() {
        let trace = Int16Accumulation.dot([], [])
        #expect(trace.wrappedPartialSums.isEmpty && trace.exactPartialSums.isEmpty && trace.firstOverflow == nil)
        #expect(trace.wrappedSum == 0 && trace.exactSum == 0)
    }

    /// 300 random code vectors of length 512 (the chapter's dot products), against a second
    /// implementation that adds in Int32 and wraps by hand: every partial sum of both kinds
    /// and the first overflow.
    @Test func randomDotProductsMatchAnInt32Reference() {
        var rng = SeededRNG(seed: 51)
        var log = MismatchLog("random dot products")
        for trial in 0..<300 {
            let a = (0..<512).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let b = (0..<512).map { _ in Int8(truncatingIfNeeded: rng.next() % 64) }
            var wrapped: Int32 = 0, exact: Int32 = 0
            var first: Int?
            var wantWrapped: [Int16] = [], wantExact: [Int32] = []
            for t in a.indices {
                let product = Int32(a[t]) * Int32(b[t])
                let sum = wrapped + product
                if first == nil && (sum > Int32(Int16.max) || sum < Int32(Int16.min)) { first = t }
                wrapped = Int32(Int16(truncatingIfNeeded: sum))
                exact += product
                wantWrapped.append(Int16(wrapped))
                wantExact.append(exact)
            }
            let trace = Int16Accumulation.dot(a, b)
            if let message = firstMismatch(wantWrapped, trace.wrappedPartialSums) { log.add("trial \(trial) wrapped sums: \(message)") }
            if let message = firstMismatch(wantExact, trace.exactPartialSums) { log.add("trial \(trial) exact sums: \(message)") }
            if trace.firstOverflow != first {
                log.add("trial \(trial): first overflow expected at \(first.map(String.init) ?? "none"), got \(trace.firstOverflow.map(String.init) ?? "none")")
            }
        }
        log.expectEmpty()
    }

    @Test func onlyTwoAbsmaxProductsAlwaysFit() {
        #expect(Int16Accumulation.safeTerms() == 2)
    }
}
