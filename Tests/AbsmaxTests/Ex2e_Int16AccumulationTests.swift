import Absmax
import Testing

/// Exercise 2.5 — `Int16Accumulation.dot`: where a 16-bit accumulator overflows.
@Suite struct Ex2_5_Int16AccumulationTests {

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

    @Test func onlyTwoAbsmaxProductsAlwaysFit() {
        #expect(Int16Accumulation.safeTerms() == 2)
    }
}
