import Core
import NF4
import NN
import QLoRA
import TestSupport
import Testing

/// Exercise 7.1 — `NF4Linear.dequantizedWeight()`: the 4-bit weight turned back into float32
/// for one matrix product, and the forward pass built on it.
@Suite struct Ex7_1_DequantizeOnTheFlyTests {

    /// The readable loop reproduces `QuantizedBlockwise4.dequantize()` (Chapter 4's reference)
    /// bit for bit — with float32 and with double-quantized constants, for a weight whose size
    /// is not a multiple of the block (7 × 9 = 63 values: an odd count and a short last block).
    @Test(arguments: [(7, 9, false), (7, 9, true), (32, 64, true), (24, 100, true)])
    func dequantizedWeightMatchesChapter4(out: Int, in inFeatures: Int, doubleQuantization: Bool) throws {
        let linear = randomLinear(in: inFeatures, out: out, seed: 71)
        let layer = try NF4Linear(quantizing: linear, doubleQuantization: doubleQuantization)
        let mismatch = firstMismatch(layer.weight.dequantize().map(\.bitPattern), layer.dequantizedWeight().map(\.bitPattern))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// The forward pass is a float `Linear` holding Ŵ: the same products in the same order, so
    /// the outputs agree bit for bit.
    @Test func forwardEqualsFloatLinearOnTheDequantizedWeight() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 24, seed: 72))
        let x = randomTensor([2, 5, 64], seed: 73)
        let y = layer.forward(x)
        let reference = layer.dequantizedLinear().forward(x)
        #expect(y.shape == [2, 5, 24])
        let mismatch = firstMismatch(reference.data.map(\.bitPattern), y.data.map(\.bitPattern))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// The weight is stored as QLoRA stores it: NF4 codes (4 bits) plus double-quantized
    /// constants, 8/64 + 32/(64·256) bits more per weight — not as a `Parameter` an optimizer
    /// could see. (64 × 64: 2048 bytes of codes, 64 constant codes, one float c₁, one offset.)
    @Test func storageIsFourBitsPlusDoubleQuantizedConstants() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 64, seed: 74))
        #expect(layer.weight.type == .nf4 && layer.weight.blockSize == 64)
        #expect(layer.weight.storageBytes == 2048 + 64 + 4 + 4)
        #expect(layer.storageBytes == layer.weight.storageBytes + 4 * 64)
        #expect(layer.parameters.map(\.name) == ["proj.bias"] && layer.parameters.allSatisfy { !$0.isTrainable })
        let plain = try NF4Linear(quantizing: randomLinear(in: 64, out: 64, seed: 74), doubleQuantization: false)
        #expect(plain.weight.bitsPerParameter == 4.5)
    }

    /// Quantizing does not touch the float layer it reads, and the dequantized weight is close to
    /// it: every value within half the widest gap of the NF4 table times its block's absmax
    /// (plus 1 % for the double-quantized absmax).
    @Test func dequantizedWeightIsCloseToTheOriginal() throws {
        let linear = randomLinear(in: 64, out: 16, seed: 75)
        let original = linear.weight.value
        let w = try NF4Linear(quantizing: linear).dequantizedWeight()
        #expect(linear.weight.value == original)
        let table = FourBitDataType.nf4.values.sorted()
        let widestGap = zip(table.dropFirst(), table).map { Double($0 - $1) }.max()!
        for block in 0..<(original.count / 64) {
            let range = (block * 64)..<((block + 1) * 64)
            let absmax = original[range].map { abs(Double($0)) }.max()!
            for i in range {
                let error = abs(Double(w[i]) - Double(original[i]))
                #expect(error <= (0.5 * widestGap + 0.01) * absmax, "index \(i): \(original[i]) → \(w[i])")
            }
        }
    }
}
