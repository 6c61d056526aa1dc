import Core
import LLMInt8
import Testing

/// Bad input never crashes: each case throws a typed `LLMInt8Error` with a one-line message.
@Suite struct LLMInt8BadInputTests {
    let x = randomMatrix(4, 5, seed: 91)
    let w = randomMatrix(3, 5, seed: 92)

    @Test func nonMatrixOperandsAreRejected() {
        #expect(throws: LLMInt8Error.notAMatrix(name: "X", shape: [2, 2, 5])) {
            try LLMInt8.matmul(Tensor(shape: [2, 2, 5], repeating: 1), w)
        }
        #expect(throws: LLMInt8Error.notAMatrix(name: "W", shape: [5])) {
            try LLMInt8.matmul(x, Tensor(shape: [5], repeating: 1))
        }
        #expect(throws: LLMInt8Error.notAMatrix(name: "X", shape: [5])) {
            try VectorwiseQuantizer.quantize(Tensor(shape: [5], repeating: 1))
        }
    }

    @Test func mismatchedInnerDimensionsAreRejected() {
        let wrong = randomMatrix(3, 6, seed: 93)
        #expect(throws: LLMInt8Error.innerDimensionMismatch(xShape: [4, 5], wShape: [3, 6])) {
            try LLMInt8.matmul(x, wrong)
        }
        #expect(throws: LLMInt8Error.innerDimensionMismatch(xShape: [4, 5], wShape: [3, 6])) {
            try OutlierStudy.compare(x: x, w: wrong)
        }
    }

    /// Policy: NaN or ±∞ anywhere in X or W throws, naming the matrix, row and column of
    /// the first one (row-major order). A NaN would otherwise become the row's absmax and
    /// turn the whole output row into NaN.
    @Test func nanInXThrowsNamingItsPosition() {
        var bad = x
        bad[2, 3] = .nan
        bad[3, 0] = .nan
        do {
            _ = try LLMInt8.matmul(bad, w)
            Issue.record("NaN in X must throw")
        } catch {
            guard case .nonFiniteValue(let name, let row, let column, let value) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name == "X" && row == 2 && column == 3 && value.isNaN)
            #expect(error.description == "X[2, 3] is nan; LLM.int8() needs finite inputs")
        }
    }

    @Test func infinityInWThrows() {
        var bad = w
        bad[1, 4] = -.infinity
        #expect(throws: LLMInt8Error.nonFiniteValue(name: "W", row: 1, column: 4, value: -.infinity)) {
            try Linear8bit(weight: bad)
        }
    }

    @Test func badBiasAndThresholdAreRejected() {
        #expect(throws: LLMInt8Error.biasLengthMismatch(expected: 3, got: 2)) {
            try LLMInt8.matmul(x, w, bias: [1, 2])
        }
        #expect(throws: LLMInt8Error.invalidThreshold(-1)) {
            try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: -1))
        }
        #expect(throws: LLMInt8Error.self) {
            try VectorwiseQuantizer.quantize(x, threshold: .nan)
        }
    }

    @Test func float16EmulationRejectsValuesThatWouldOverflow() {
        var big = x
        big[0, 1] = 70_000
        #expect(throws: LLMInt8Error.beyondFloat16Range(name: "X", row: 0, column: 1, value: 70_000)) {
            try LLMInt8.matmul(big, w, options: .bitsandbytesCPU())
        }
        // Without emulation the same matrix is fine (column 1 simply goes to float).
        #expect(throws: Never.self) { try LLMInt8.matmul(big, w) }
    }

    @Test func everyMessageIsOneLine() {
        let errors: [LLMInt8Error] = [
            .notAMatrix(name: "X", shape: [1, 2, 3]), .innerDimensionMismatch(xShape: [1, 2], wShape: [3, 4]),
            .innerDimensionTooLarge(200_000), .nonFiniteValue(name: "W", row: 0, column: 1, value: .nan),
            .beyondFloat16Range(name: "X", row: 1, column: 1, value: 1e6), .invalidThreshold(-2),
            .biasLengthMismatch(expected: 4, got: 5),
        ]
        for e in errors { #expect(!e.description.contains("\n") && !e.description.isEmpty) }
    }
}
