import Core
import Testing

/// Expected values from NumPy 2.4.6 via scripts/reference/core_vectors.py.
@Suite struct StatisticsTests {
    let xs: [Float] = [3.5, -1.25, 7.0, 0.0, 2.5, -4.0, 10.0]

    @Test func quantilesMatchNumpyLinearInterpolation() {
        let got = Statistics.quantiles(xs, [0, 0.1, 0.25, 0.5, 0.9, 1.0])
        let want = [-4.0, -2.3499999999999996, -0.625, 2.5, 8.200000000000001, 10.0]
        for i in want.indices {
            // Both sides compute (a + (b − a)·f) in Double; allow 1e-12 for rounding order.
            #expect(abs(got[i] - want[i]) < 1e-12, "q[\(i)]: expected \(want[i]), got \(got[i])")
        }
    }

    @Test func meanAndPopulationStdMatchNumpy() {
        #expect(abs(Statistics.mean(xs) - 2.5357142857142856) < 1e-12)
        #expect(abs(Statistics.std(xs) - 4.472991511418783) < 1e-12)
    }

    @Test func errorMeasuresOnAHandCheckedPair() {
        let x: [Float] = [1, -2, 3, 4]
        let xHat: [Float] = [1, -1.5, 3, 3]
        // errors 0, -0.5, 0, 1 → MSE = (0.25 + 1)/4, max 1, SQNR = 10 log10(30 / 1.25).
        #expect(Statistics.mse(x, xHat) == 0.3125)
        #expect(Statistics.maxAbsError(x, xHat) == 1)
        #expect(abs(Statistics.sqnr(x, xHat) - 13.802112417116060) < 1e-9)
        #expect(Statistics.sqnr(x, x) == .infinity)
    }

    /// A NaN in the reconstruction is an unknown error, never a smaller one (issue #14: the
    /// JSON report said max_abs_error 0.0 for an all-NaN result; JSON writes NaN as null).
    @Test func maxAbsErrorOfANaNReconstructionIsNaN() {
        #expect(Statistics.maxAbsError([1, 2, 3], [1, .nan, 3]).isNaN)
        #expect(Statistics.maxAbsError([1, 2], [.nan, .nan]).isNaN)
    }

    @Test func absmaxAndMinMaxSkipNothingButNaN() {
        #expect(Statistics.absmax(xs) == 10)
        let mm = Statistics.minMax([2, .nan, -3])
        #expect(mm?.min == -3 && mm?.max == 2)
        #expect(Statistics.minMax([]) == nil)
    }
}

@Suite struct TensorTests {
    @Test func rowMajorIndexingAndTranspose() {
        let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.shape == [2, 3])
        #expect(m[1, 0] == 4)
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.column(2) == [3, 6])
        let t = m.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.data == [1, 4, 2, 5, 3, 6])
    }

    @Test func scalarShapeHoldsOneValue() {
        #expect(Tensor.elementCount([]) == 1)
        #expect(Tensor.elementCount([0, 3]) == 0)
    }
}
