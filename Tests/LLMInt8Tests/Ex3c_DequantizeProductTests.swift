import Absmax
import Core
import LLMInt8
import TestSupport
import Testing

/// Exercise 3c — `LLMInt8.dequantizeProduct`: the Int32 product back to float, in
/// bitsandbytes' order. The bitsandbytes checks run the whole layer (`Linear8bit` at
/// threshold 0), so they also need Exercise 3a.
@Suite struct Ex3c_DequantizeProductTests {

    @Test func exactConstantIsOneOver127Squared() {
        #expect(DequantizationConstant.exact.value == Float(1.0 / 16129.0))
        #expect(DequantizationConstant.exact.value == 6.200012e-05, "bitsandbytes' CUDA MM_DEQUANT_CONST")
        let relative = DequantizationConstant.bitsandbytesCPU.value / DequantizationConstant.exact.value - 1
        #expect(relative > 1.8e-5 && relative < 1.82e-5, "the CPU constant is 1.81e-5 too large")
    }

    @Test func rescaleByHand() {
        // C = 16129 (= 127·127) with both absmax 2: y = 16129 · 4 / 16129 = 4 (+ bias 0.5).
        let y = LLMInt8.dequantizeProduct(
            [16129, -16129], rowAbsmaxX: [2], rowAbsmaxW: [2, 1], bias: [0.5, 0], constant: .exact)
        guard y.count == 2 else {
            Issue.record("expected 2 outputs (1 × 2), got \(y.count)")
            return
        }
        #expect(abs(y[0] - 4.5) < 1e-6 && abs(y[1] + 2) < 1e-6, "\(y)")
    }

    /// Row-major [m][n], the constant chosen, and no bias when there is none.
    @Test func layoutAndConstantByHand() {
        // m = 2, n = 3; C[i][j] = 16129 · (i + 1) · (j + 1) with all statistics 1:
        // y = (i + 1)(j + 1) (exact), ×(6.200124e−05 · 16129) with the CPU constant.
        var c: [Int32] = []
        for i in 1...2 {
            for j in 1...3 { c.append(Int32(16129 * i * j)) }
        }
        let y = LLMInt8.dequantizeProduct(c, rowAbsmaxX: [1, 1], rowAbsmaxW: [1, 1, 1], bias: nil, constant: .exact)
        #expect(y == [1, 2, 3, 2, 4, 6])
        let cpu = LLMInt8.dequantizeProduct(c, rowAbsmaxX: [1, 1], rowAbsmaxW: [1, 1, 1], bias: nil, constant: .bitsandbytesCPU)
        #expect(cpu.first == Float(16129) * DequantizationConstant.bitsandbytesCPU.value, "the constant the options ask for")
        // Distinct statistics per row of X and per row of W.
        let z = LLMInt8.dequantizeProduct(
            [16129, 16129, 16129, 16129], rowAbsmaxX: [1, 2], rowAbsmaxW: [4, 8], bias: [0.25, -0.5], constant: .exact)
        #expect(z == [4.25, 7.5, 8.25, 15.5])
    }

    /// With threshold 0 the LLM.int8() output equals the float product of the dequantized
    /// operands up to float rounding: the Int32 sum is exact, so only the rescale and the
    /// dequantization round. The float sum of k = 48 terms rounds ≤ 48 times: allow
    /// 2 · (k + 4) · 2⁻²⁴ · Σ|x̂ ŵ|.
    @Test func int8ProductEqualsFloatProductOfDequantizedValues() throws {
        let x = randomMatrix(10, 48, seed: 71)
        let w = randomMatrix(7, 48, seed: 72, std: 0.1)
        let product = try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: 0))
        let layer = try Linear8bit(weight: w, options: LLMInt8Options(threshold: 0))
        let xHat = product.activations.dequantized()
        let wHat = layer.weight.dequantized()
        var reference = [Float](repeating: 0, count: 70)
        var magnitude = [Double](repeating: 0, count: 70)
        for i in 0..<10 {
            for j in 0..<7 {
                for p in 0..<48 {
                    reference[i * 7 + j] += xHat[i, p] * wHat[j, p]
                    magnitude[i * 7 + j] += Double(abs(xHat[i, p] * wHat[j, p]))
                }
            }
        }
        let message = firstMismatch(reference, product.output.data) { 2 * 52 * 0x1p-24 * magnitude[$0] }
        #expect(message == nil, "\(message ?? "")")
    }

    /// bitsandbytes' CPU layer at threshold 0 (float16 inputs, 6.200124e−05) and its out_int8.
    func bitsandbytesInt8Output() throws -> (got: [Float], want: [Float], bias: [Float]) {
        let w = try loadTensor("matmul/W.npy")
        let bias = try loadTensor("matmul/bias.npy").data
        let layer = try Linear8bit(weight: w, bias: bias, options: .bitsandbytesCPU(threshold: 0))
        let got = try layer.forward(try loadTensor("matmul/X.npy")).output.data
        return (got, try loadTensor("matmul/out_int8.npy").data, bias)
    }

    /// First the value: within a few roundings of bitsandbytes' out_int8. Any order of the
    /// three multiplications is this close: 8 · 2⁻²⁴ · (|y − bias| + |bias|).
    @Test func int8OutputWithinRoundingOfBitsandbytes() throws {
        let (got, want, bias) = try bitsandbytesInt8Output()
        let n = bias.count
        let message = firstMismatch(want, got) { i in
            8 * 0x1p-24 * (Double(abs(want[i] - bias[i % n])) + Double(abs(bias[i % n])))
        }
        #expect(message == nil, "out_int8: \(message ?? "")")
    }

    /// Then the bits: the Int32 product is exact and the rescale repeats bitsandbytes' float32
    /// operations in its order, so all 512 outputs are the very same floats.
    @Test func int8OutputIsBitExactWithBitsandbytes() throws {
        let (got, want, _) = try bitsandbytesInt8Output()
        let message = firstBitMismatch(want, got)
        #expect(
            message == nil,
            """
            bit-exact with bitsandbytes needs the order the doc comment prescribes: \
            (Float(C) · (c_x · c_w)) · constant, then + bias — \(message ?? "")
            """)
    }
}
