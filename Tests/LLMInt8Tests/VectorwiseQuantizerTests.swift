import Absmax
import Core
import LLMInt8
import TestSupport
import Testing

/// `VectorwiseQuantizer.quantize`: the checks, the outlier columns (Exercise 3b) and the rows
/// (Exercise 3a) put together.
@Suite struct VectorwiseQuantizerTests {

    @Test func quantizedCodesOfOutlierColumnsAreZeroAndTheyStayInFloat() throws {
        var x = randomMatrix(8, 16, seed: 62)
        x[2, 5] = 20
        let q = try VectorwiseQuantizer.quantize(x, threshold: 6)
        #expect(q.outlierColumns == [5])
        #expect((0..<8).allSatisfy { q.codes[$0 * 16 + 5] == 0 })
        #expect(q.rowAbsmax[2] < 6, "the outlier does not set its row's absmax")
    }

    @Test func thresholdZeroAgreesWithChapter2PerRowAbsmaxUpToExactTies() throws {
        // Chapter 2 scales by 127/absmax, bitsandbytes by (1/absmax)·127; the codes can
        // differ only where x·s lands within an ulp of a half-integer — never here.
        let x = randomMatrix(20, 50, seed: 52)
        let bnb = try VectorwiseQuantizer.quantize(x)
        let chapter2 = try Absmax.quantize(x, granularity: .perRow)
        #expect(firstMismatch(chapter2.codes, bnb.codes) == nil, "\(firstMismatch(chapter2.codes, bnb.codes) ?? "")")
    }
}
