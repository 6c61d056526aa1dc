import Core
import GPTQ
import NF4
import PostTraining
import Testing
import TensorIO
import TinyGPT

/// Bits per weight, counted from the shapes — and the counts match the bytes a checkpoint holds.
@Suite struct BitsPerWeightTests {
    /// (out, in) of the small model's twelve block linears.
    let shapes = SmallModel.make().blockLinears.map { ($0.layer.outFeatures, $0.layer.inFeatures) }
    var weights: Int { shapes.reduce(0) { $0 + $1.0 * $1.1 } }

    /// b bits per code, 16 + b per (row, group): 4 + 20/16 with groups of 16; per row
    /// 4 + 20/in for each layer.
    @Test func roundToNearestCountsCodesScalesAndZeros() throws {
        let base = SmallModel.make()
        let grouped = try PostTraining.roundToNearest(base, bits: 4, groupSize: 16)
        #expect(abs(grouped.bitsPerWeight - 5.25) < 1e-12)
        let perRow = try PostTraining.roundToNearest(base, bits: 3)
        let expected = shapes.reduce(0) { $0 + 3 * $1.0 * $1.1 + 19 * $1.0 }
        #expect(abs(perRow.bitsPerWeight - Double(expected) / Double(weights)) < 1e-12)
    }

    /// Act-order stores g_idx: 32 bits per input column on top of the codes, scales and zeros.
    @Test func actOrderAddsTheGroupIndex() throws {
        let q = try PostTraining.gptq(
            SmallModel.make(),
            configuration: GPTQConfiguration(bits: 4, groupSize: 16, actOrder: true),
            calibration: SmallModel.calibration)
        let expected = shapes.reduce(0) { $0 + 4 * $1.0 * $1.1 + 20 * $1.0 * $1.1 / 16 + 32 * $1.1 }
        #expect(abs(q.bitsPerWeight - Double(expected) / Double(weights)) < 1e-12)
    }

    /// The count equals the bytes of qweight, qzeros, scales and g_idx as packed for a file.
    @Test func storageBitsEqualTheCheckpointTensors() throws {
        let (rows, columns) = (32, 128)
        var rng = SeededRNG(seed: 95)
        let w = (0..<(rows * columns)).map { _ in Float(rng.normal()) }
        let result = RoundToNearest.quantize(
            weight: w, rows: rows, columns: columns, bits: 3, groupSize: 32)
        let stored = try StoredGPTQLayer(result, bits: 3, storesGroupIndex: true)
        let layer = try CheckpointLayer(
            bits: 3, outFeatures: rows, inFeatures: columns, codes: result.codes,
            scales: result.scales, zeros: result.zeros.map { UInt8($0) },
            groupIndex: result.gIdx.map { Int32($0) })
        let tensors = CheckpointTensors(packing: layer)
        let bytes = [tensors.qweight, tensors.qzeros, tensors.scales, tensors.groupIndex]
            .reduce(0) { $0 + $1.bytes.count }
        #expect(stored.storageBits == 8 * bytes)
        // And the stored weight is the checkpoint's: float32 scales rounded to float16.
        #expect(stored.weight == (try tensors.unpacked(bits: 3).dequantized()))
    }

    /// NF4: 4 + 32/64 = 4.5 exactly; with double quantization 4 + 8/64 plus, per matrix, one
    /// float32 second-level absmax per 256 blocks and one float32 offset.
    @Test func nf4CountsItsConstants() throws {
        let base = SmallModel.make()
        #expect(try PostTraining.nf4(base, doubleQuantization: false).bitsPerWeight == 4.5)
        let dq = try PostTraining.nf4(base, doubleQuantization: true)
        let bytes = shapes.reduce(0) { total, shape in
            let blocks = shape.0 * shape.1 / 64
            return total + shape.0 * shape.1 / 2 + blocks + 4 * ((blocks + 255) / 256) + 4
        }
        #expect(abs(dq.bitsPerWeight - 8 * Double(bytes) / Double(weights)) < 1e-12)
    }
}
