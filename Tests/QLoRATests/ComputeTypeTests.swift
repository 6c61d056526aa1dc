import Core
import LoRA
import NF4
import NN
import QLoRA
import TestSupport
import NNTestSupport
import Testing

/// Storage type and compute type are separate choices on a 4-bit layer: which code book the
/// weights are stored in (`bnb_4bit_quant_type`) and what the products multiply in
/// (`bnb_4bit_compute_dtype`).
@Suite struct ComputeTypeTests {

    /// bfloat16 rounding, hand-checked: 1 + 2⁻⁸ is a tie between 1 and 1 + 2⁻⁷ and goes to the
    /// even mantissa (1); 1 + 3·2⁻⁸ rounds up to 1 + 2⁻⁶; values bf16 holds stay; float32 is the identity.
    @Test func bfloat16RoundsToNearestEven() {
        let values: [Float] = [1 + 0x1p-8, 1 + 3 * 0x1p-8, 1.5, -0.375, 1 + 0x1p-20]
        #expect(ComputeType.bfloat16.rounded(values) == [1, 1 + 0x1p-6, 1.5, -0.375, 1])
        #expect(ComputeType.float32.rounded(values).map(\.bitPattern) == values.map(\.bitPattern))
    }

    /// With compute type bf16 the layer is a float `Linear` whose weight is bf16(Ŵ), fed bf16(x):
    /// forward and input gradient bit for bit (backward rounds dy too); and it differs from the
    /// float32-compute layer (the rounding is not a no-op).
    @Test func bfloat16ComputeRoundsBothOperandsOfEachProduct() throws {
        let linear = randomLinear(in: 64, out: 24, seed: 211)
        let layer = try NF4Linear(quantizing: linear)
        layer.computeType = .bfloat16
        let x = randomTensor([5, 64], seed: 212), dy = randomTensor([5, 24], seed: 213)
        let reference = layer.dequantizedLinear()
        reference.weight.value = ComputeType.bfloat16.rounded(reference.weight.value)
        let y = layer.forward(x)
        let yRef = reference.forward(Tensor(shape: x.shape, data: ComputeType.bfloat16.rounded(x.data)))
        #expect(firstMismatch(y.data.map(\.bitPattern), yRef.data.map(\.bitPattern)) == nil, "forward")
        let dx = layer.backward(dy)
        let dxRef = reference.backward(Tensor(shape: dy.shape, data: ComputeType.bfloat16.rounded(dy.data)))
        #expect(firstMismatch(dx.data.map(\.bitPattern), dxRef.data.map(\.bitPattern)) == nil, "backward")
        let float32 = try NF4Linear(quantizing: linear)
        // bf16 compute must change the output (a count, not two 120-value arrays, on failure).
        let changed = zip(float32.forward(x).data, y.data).filter { $0.0 != $0.1 }.count
        #expect(changed > 0, "bf16 compute left all \(y.count) outputs equal to float32 compute")
    }

    /// The storage type reaches the layer: FP4 and Int4 layers hold what Chapter 4's quantizer
    /// stores for that type (the same dequantized weights, bit for bit), and injection passes
    /// the config's storage and compute types to every 4-bit layer.
    @Test func storageTypeIsTheQuantizersType() throws {
        let linear = randomLinear(in: 64, out: 8, seed: 214)
        for type in [FourBitDataType.fp4, .int4, .nf4] {
            let layer = try NF4Linear(quantizing: linear, type: type, doubleQuantization: false)
            let direct = try BlockwiseQuantizer4.quantize(linear.weight.tensor, type: type, blockSize: 64,
                                                          doubleQuantization: false)
            #expect(layer.weight.type == type)
            #expect(firstMismatch(layer.dequantizedWeight().map(\.bitPattern), direct.dequantize().map(\.bitPattern)) == nil,
                    "\(type)")
        }
        var rng = SeededRNG(seed: 215)
        let config = QLoRAConfig(lora: LoRAConfig(rank: 2, alpha: 4, targetModules: ["proj"]),
                                 storageType: .fp4, computeType: .bfloat16)
        let adapted = try QLoRAInjection.adapt(linear, named: "blocks.0.mlp.proj", config: config, rng: &rng)
        let base = try #require(QLoRAInjection.quantizedBases(in: [adapted]).first)
        #expect(adapted is QLoRALinear && base.weight.type == .fp4 && base.computeType == .bfloat16)
    }
}
