import Book
import Foundation
import GGML
import GGUF
import PostTraining
import TinyGPT

/// 11.7: the whole model at llama.cpp's file types, with llama.cpp's fallback for rows a
/// super-block does not fit and a Q4_K_M-like mixture, each written as a GGUF file and read back.
func wholeModelSection(
    _ book: Notebook, setup: GGUFSetup, types: [any BlockFormat.Type],
    mixture: (base: any BlockFormat.Type, promoted: any BlockFormat.Type)
) {
    book.section("11.7", "TinyGPT as a GGUF file at llama.cpp's file types")
    let floatLoss = setup.heldOutLoss(setup.base)
    let layers = setup.base.config.layers
    let mixed = PostTraining.mediumMixture(
        base: mixture.base, promoted: mixture.promoted, layers: layers)
    let promoted = setup.base.blockLinearNames.filter { mixed($0).name == mixture.promoted.name }
    book.say(
        """
        A GGML row is a tensor's innermost dimension: for a linear layer's [out][in] weight,
        one row per output, in values long. TinyGPT's attention and fc layers read 64 values, a
        quarter of a k-quant super-block; only mlp.proj reads 256. llama-quantize meets such
        tensors in real models too and falls back to a legacy type with the same block of 32
        (tensor_type_fallback in llama.cpp's src/llama-quant.cpp): Q2_K and Q3_K -> Q4_0,
        Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0. We do the same (PostTraining.ggml), so a
        "Q4_K" TinyGPT stores 2 tensors in Q4_K and 10 in Q5_0. The head stays float32, as in
        every chapter (llama.cpp would store output.weight in Q6_K, or Q8_0 when its rows do not
        divide by 256).

        The _M row follows llama_tensor_get_type for Q4_K_M: attn_v and ffn_down get Q6_K in
        the layers use_more_bits picks (the first and last eighth of the layers and every third
        one between; of \(layers) layers that is layer 1): here
        \(promoted.map(PostTraining.llamaTensorName).joined(separator: " and ")). Those are the
        tensors llama.cpp's authors measured to be the most sensitive - v is the one attention
        input whose error flows straight into the output, ffn_down writes straight into the
        residual stream - so they get bits first; ffn_down's 256-wide rows take Q6_K, attn_v's
        64-wide rows its fallback, Q8_0.

        Each model is written as a GGUF v3 file (module GGUF: metadata, tensor infos, aligned
        data; every parameter one tensor, general.architecture = tinygpt), read back, checked
        equal to what was written, and scored from the tensors read back. Held-out loss
        (float32: \(Fmt.f(floatLoss, 4))):
        """)
    var runs: [(String, (String) -> any BlockFormat.Type)] = types.map { t in
        (t.name, { _ in t })
    }
    runs.append(("\(mixture.base.name)_M-like", mixed))
    var rows: [[String]] = []
    var losses: [Double] = []
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("lowbit-ch11-\(ProcessInfo.processInfo.processIdentifier)")
    book.attempt("a scratch folder") {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    defer { try? FileManager.default.removeItem(at: directory) }
    for (label, typeFor) in runs {
        let (q, stored) = book.attempt(label) {
            try PostTraining.ggml(setup.base, label: label, typeFor: typeFor)
        }
        let path = directory.appendingPathComponent("\(label).gguf").path
        let (read, size) = book.attempt("\(label).gguf") { () throws -> (GGUFFile, Int) in
            let file = try PostTraining.ggufFile(
                setup.base, storedTypes: stored, metadata: metadata(setup.base, label: label))
            try file.write(to: path)
            let read = try GGUFFile(contentsOf: path)
            book.check(read == file, "\(label): the file read back equals the file written")
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            return (read, size ?? 0)
        }
        let fromFile = book.attempt("\(label) from its file") {
            try PostTraining.model(setup.base, from: read)
        }
        let loss = setup.heldOutLoss(fromFile)
        book.check(loss == setup.heldOutLoss(q.model), "\(label): the file scores as in memory")
        losses.append(loss)
        var counts: [String: Int] = [:]
        for t in stored.values { counts[t, default: 0] += 1 }
        rows.append([
            label, counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                .joined(separator: ", "),
            Fmt.f(q.bitsPerWeight, 3), Fmt.grouped(size), Fmt.f(loss, 4),
            Fmt.f(loss - floatLoss, 4),
        ])
    }
    book.table(
        ["file type", "block linears stored as", "bits", "file bytes", "loss", "vs float"],
        rows, leftAligned: [0, 1])
    print()
    book.check(losses[0] - floatLoss < 0.01, "the widest type is within 0.01 of float")
    book.check(losses[0] <= losses.dropLast().last!, "the narrowest type loses the most")
    let spread = losses.dropFirst().dropLast(2).map { $0 - floatLoss }
    book.say(
        """
        File bytes include the float32 embeddings, LayerNorms, biases and head, which do not
        shrink; the bits column counts the block linears alone. Every file above reads back
        byte for byte and scores exactly as the model in memory.

        The losses do not fall in step with the bits. Between the widest and the narrowest file
        the middle ones cost \(Fmt.f(spread.min()!, 4)) to \(Fmt.f(spread.max()!, 4)) nats, and
        in that range the loss of a 108K-parameter model depends on which way a few rounding
        errors happen to fall as much as on their size: the layer errors of 11.2-11.5 order the
        formats cleanly, a single held-out loss need not. llama.cpp's tables of perplexity
        against file type are measured on billions of weights, where those accidents average
        out.
        """)
}

/// The file's metadata: what a reader needs to rebuild TinyGPT, llama.cpp-style keys.
private func metadata(_ model: TinyGPTModel, label: String) -> [(String, GGUFValue)] {
    let c = model.config
    return [
        ("general.architecture", .string("tinygpt")),
        ("general.name", .string("tinygpt-fables \(label)")),
        ("general.quantization_version", .uint32(2)),  // GGML_QNT_VERSION
        ("tinygpt.context_length", .uint32(UInt32(c.contextLength))),
        ("tinygpt.embedding_length", .uint32(UInt32(c.channels))),
        ("tinygpt.block_count", .uint32(UInt32(c.layers))),
        ("tinygpt.attention.head_count", .uint32(UInt32(c.heads))),
        ("tinygpt.vocab_size", .uint32(UInt32(c.vocabularySize))),
    ]
}
