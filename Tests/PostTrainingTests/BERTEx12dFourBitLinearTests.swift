import BERT
import Core
import NF4
import PostTraining
import Testing

/// Exercise 12d — a quantized Linear swapped in: `FourBitLinear.forward` computes
/// y = x · Ŵᵀ + b with Ŵ the NF4 (or FP4) weight dequantized from its 4-bit codes, as
/// bitsandbytes' `Linear4bit` does on the CPU with a float32 compute dtype.
@Suite struct Ex12d_FourBitLinearTests {
    /// The product must be Core's `Matmul.productTransposingB` of x and the NF4 module's
    /// dequantized weight, bias added: bit for bit the same floats.
    @Test(arguments: [BERTQuantizationScheme.nf4, .nf4DQ, .fp4])
    func forwardIsTheDequantizedWeightsProduct(scheme: BERTQuantizationScheme) throws {
        let float = SyntheticLayer.make(out: 12, in: 128, seed: 1240)
        let x = SyntheticLayer.input(rows: 5, in: 128, seed: 1241)
        let layer = try FourBitLinear(weight: float.weight, bias: float.bias, scheme: scheme)
        let w = BlockwiseQuantizer4.dequantize(layer.quantized).data
        let expected = Matmul.productTransposingB(
            x.data, w, m: 5, k: 128, n: 12, bias: float.bias)
        let y = layer.forward(x)
        #expect(y.shape == [5, 12])
        let differ = zip(expected, y.data).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differ == 0, "\(scheme.rawValue): \(differ) of 60 outputs differ")
    }

    /// And it is close to the float layer: NF4's half-gap (0.139 of a block's absmax) bounds
    /// each weight's error, so each output is within ‖x_row‖₁ · 0.139 · max |W| of y.
    @Test func forwardIsCloseToTheFloatLayer() throws {
        let float = SyntheticLayer.make(out: 12, in: 128, seed: 1242)
        let x = SyntheticLayer.input(rows: 5, in: 128, seed: 1243)
        let y = float.forward(x)
        let yq = try FourBitLinear(weight: float.weight, bias: float.bias, scheme: .nf4).forward(x)
        let wMax = float.weight.data.map(abs).max()!
        var over = 0
        for r in 0..<5 {
            let l1 = x.row(r).map(abs).reduce(0, +)
            for j in 0..<12 where abs(y[r, j] - yq[r, j]) > l1 * 0.139 * wMax { over += 1 }
        }
        #expect(over == 0, "\(over) of 60 outputs beyond the NF4 bound")
        #expect(yq.data != y.data, "the NF4 layer returned the float layer's output")
    }
}
