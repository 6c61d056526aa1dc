import TestSupport
import Absmax
import Core
import LLMInt8
import Testing

/// Exercise 3.3 — `LLMInt8.dequantizeProduct`: the Int32 product back to float.
@Suite struct Ex3_3_DequantizeProductTests {

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
        #expect(abs(y[0] - 4.5) < 1e-6 && abs(y[1] + 2) < 1e-6, "\(y)")
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
}
