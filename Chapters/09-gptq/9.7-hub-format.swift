import Book
import Foundation
import GPTQ
import PostTraining
import TensorIO

/// 9.7: one TinyGPT layer written as an AutoGPTQ checkpoint and read back.
func hubFormatSection(
    _ book: Notebook, study: LayerStudy, setup: GPTQSetup, quantized: QuantizedModel
) {
    book.section("9.7", "The format users meet on the Hub")
    let c = setup.configuration(bits: 4, groups: true, actOrder: true)
    let result = book.attempt("GPTQ") { try study.gptq(c) }
    let layer = book.attempt("checkpoint") {
        try CheckpointLayer(
            bits: 4, outFeatures: study.out, inFeatures: study.n, codes: result.codes,
            scales: result.scales, zeros: result.zeros.map { UInt8($0) },
            groupIndex: result.gIdx.map { Int32($0) })
    }
    book.say(
        """
        A GPTQ model on the Hub (TheBloke's Llama-2 GPTQ files, anything AutoGPTQ or GPTQModel
        saved) stores each quantized Linear as four tensors beside the float ones, and
        quantize_config.json says how to read them (bits, group_size, desc_act, sym,
        checkpoint_format). \(study.name), GPTQ int4 g\(setup.groupSize) act-order, packed as
        AutoGPTQ packs it (GPTQ's Checkpoint API):
        """)
    let tensors = CheckpointTensors(packing: layer).named(prefix: study.name)
    book.table(
        ["tensor", "dtype", "shape", "bytes"],
        tensors.map { named in
            [
                named.name, "\(named.tensor.elementType)",
                named.tensor.shape.map(String.init).joined(separator: " x "),
                Fmt.grouped(named.tensor.bytes.count),
            ]
        })
    print()
    let word = CheckpointPacking.pack(layer.codes[0..<8].map(UInt32.init), bits: 4)[0]
    let firstCodes = layer.codes[0..<8].reversed().map(String.init).joined(separator: " ")
    print(
        "qweight[0, 0] = 0x\(String(word, radix: 16, uppercase: true)): codes of row 0, "
            + "columns 7 ... 0 = \(firstCodes)")
    print()
    let file = "lowbit-ch09-\(ProcessInfo.processInfo.processIdentifier).safetensors"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(file).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let back = book.attempt("checkpoint") {
        try CheckpointFile.write([(study.name, layer)], to: path)
        return try CheckpointFile.read(contentsOf: path, prefix: study.name, bits: 4)
    }
    let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let stored = book.attempt("checkpoint") {
        try StoredGPTQLayer(result, bits: 4, storesGroupIndex: true)
    }
    book.check(
        back.codes == layer.codes && back.zeros == layer.zeros
            && back.groupIndex == layer.groupIndex, "codes, zeros and g_idx read back equal")
    book.check(back.scales == layer.scales.map { Float(Float16($0)) }, "scales are float16")
    book.check(back.dequantized() == stored.weight, "the file holds the weight 9.6 evaluates")
    let modelLayer = quantized.model.blockLinears.first { $0.name == study.name }
    let modelWeight = modelLayer?.layer.weight.value
    book.check(modelWeight == stored.weight, "9.6's model computes with this layer")
    let scaleChange = zip(result.dequantized, stored.weight).map { abs($0 - $1) }.max()!
    book.say(
        """
        The file (\(Fmt.grouped(fileBytes)) bytes of .safetensors, header included) reads back
        with the same codes, zeros and g_idx, and scales rounded to float16 (checked). Its
        dequantized weight is the one 9.6's GPTQ model computes with, bit for bit: block 0 is
        calibrated on the float model's rows, the same rows as here (checked). Rounding the
        scales to float16 moves weights by at most \(Fmt.e(Double(scaleChange), 1)).

        Two traps of the format. The zeros: AutoGPTQ's "gptq" format (v1) stores zero - 1 in
        each 4-bit field of qzeros and adds 1 back when it loads; GPTQModel keeps the zero
        itself (gptq_v2) and converts at the edges (CheckpointFormat). And g_idx: with
        desc_act the groups follow the processing order, so a loader that assumes
        g_idx[c] = c / group_size reads the wrong scale for most columns — here
        \(layer.groupIndex.enumerated().filter { Int($1) != $0 / setup.groupSize }.count) of
        \(study.n). The tests in Tests/GPTQTests/CheckpointTests compare our packing with bytes
        written by auto-gptq 0.7.1 itself.
        """)
}
