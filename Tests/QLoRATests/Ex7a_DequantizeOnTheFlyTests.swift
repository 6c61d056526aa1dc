import Core
import NF4
import NN
import QLoRA
import TestSupport
import NNTestSupport
import Testing

/// Exercise 7a — `NF4Linear.dequantizedWeight()`: the 4-bit weight turned back into float32
/// for one matrix product, and the forward pass built on it.
@Suite struct Ex7a_DequantizeOnTheFlyTests {

    /// Weights whose size is not a multiple of the block (7 × 9 = 63 values: an odd count and a
    /// short last block), with float32 and with double-quantized constants, and blocks of 32
    /// and 128 as well as QLoRA's 64.
    static let shapes = [(7, 9, false, 64), (7, 9, true, 64), (32, 64, true, 64), (24, 100, true, 64),
                         (24, 100, true, 32), (24, 100, false, 128)]

    /// Ŵ against Chapter 4's `QuantizedBlockwise4.dequantize()` to one float32 rounding.
    @Test(arguments: shapes)
    func dequantizedWeightWithinRoundingOfChapter4(out: Int, in inFeatures: Int, doubleQuantization: Bool, blockSize: Int)
        throws
    {
        let layer = try NF4Linear(
            quantizing: randomLinear(in: inFeatures, out: out, seed: 71), blockSize: blockSize,
            doubleQuantization: doubleQuantization)
        let want = layer.weight.dequantize()
        let mismatch = firstMismatch(want, layer.dequantizedWeight()) { 6e-8 * Double(abs(want[$0])) }
        #expect(mismatch == nil, "Ŵ against Chapter 4's dequantize(): \(mismatch ?? "")")
    }

    /// The readable loop reproduces Chapter 4's dequantization bit for bit.
    @Test(arguments: shapes)
    func dequantizedWeightIsBitExactWithChapter4(out: Int, in inFeatures: Int, doubleQuantization: Bool, blockSize: Int)
        throws
    {
        let layer = try NF4Linear(
            quantizing: randomLinear(in: inFeatures, out: out, seed: 71), blockSize: blockSize,
            doubleQuantization: doubleQuantization)
        let mismatch = firstBitMismatch(layer.weight.dequantize(), layer.dequantizedWeight())
        let order = "bit-exact with Chapter 4 (and bitsandbytes' dequantize_4bit) needs what the doc comment "
            + "prescribes: one float32 product, NF4 value × the block's absmax from weight.constants.absmax"
        #expect(mismatch == nil, "Ŵ: \(mismatch ?? ""); \(order)")
    }

    /// Two values by hand: a 1 × 2 weight [0.5, −1] in one block has absmax 1, so its codes are
    /// NF4's 0.5-ish level and −1 (code 0) — the first in the high nibble of the one byte.
    @Test func nibbleOrderByHand() throws {
        let linear = Linear(weight: Parameter(name: "p.weight", shape: [1, 2], value: [0.5, -1]), bias: nil)
        let layer = try NF4Linear(quantizing: linear, doubleQuantization: false)
        let levels = FourBitDataType.nf4.values
        let high = Int(layer.weight.packed[0] >> 4), low = Int(layer.weight.packed[0] & 0x0F)
        #expect(low == 0 && levels[low] == -1, "−1 is NF4 code 0, in the low nibble")
        #expect(layer.dequantizedWeight() == [levels[high], -1])
    }

    /// The forward pass is a float `Linear` holding Ŵ: the same products in the same order, so
    /// the outputs agree bit for bit.
    @Test func forwardEqualsFloatLinearOnTheDequantizedWeight() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 24, seed: 72))
        let x = randomTensor([2, 5, 64], seed: 73)
        let y = layer.forward(x)
        let reference = Linear(
            weight: Parameter(name: "w", shape: [24, 64], value: layer.weight.dequantize()),
            bias: layer.bias.map { Parameter(name: "b", shape: [24], value: $0.value) }
        ).forward(x)
        #expect(y.shape == [2, 5, 24])
        let mismatch = firstBitMismatch(reference.data, y.data)
        #expect(mismatch == nil, "forward against Linear on Chapter 4's Ŵ: \(mismatch ?? "")")
    }

    /// Quantizing does not touch the float layer it reads, and the dequantized weight is close to
    /// it: every value within half the widest gap of the NF4 table times its block's absmax
    /// (plus 1 % for the double-quantized absmax).
    @Test func dequantizedWeightIsCloseToTheOriginal() throws {
        let linear = randomLinear(in: 64, out: 16, seed: 75)
        let original = linear.weight.value
        let w = try NF4Linear(quantizing: linear).dequantizedWeight()
        #expect(linear.weight.value == original)
        #expect(w.count == original.count)
        guard w.count == original.count else { return }
        let table = FourBitDataType.nf4.values.sorted()
        let widestGap = zip(table.dropFirst(), table).map { Double($0 - $1) }.max() ?? 0
        var log = MismatchLog("Ŵ within half a step of W")
        for block in 0..<(original.count / 64) {
            let range = (block * 64)..<((block + 1) * 64)
            let absmax = original[range].map { abs(Double($0)) }.max() ?? 0
            for i in range where !(abs(Double(w[i]) - Double(original[i])) <= (0.5 * widestGap + 0.01) * absmax) {
                log.add("index \(i): \(original[i]) → \(w[i])")
            }
        }
        log.expectEmpty()
    }
}
