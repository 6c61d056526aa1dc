import Book
import GGML
import PostTraining

/// 11.6: the whole model at llama.cpp's file types, with llama.cpp's fallback for rows a
/// super-block does not fit, and a Q4_K_M-like mixture.
func wholeModelSection(
    _ book: Notebook, setup: GGUFSetup, types: [any BlockFormat.Type],
    mixture: (base: any BlockFormat.Type, promoted: any BlockFormat.Type)
) {
    book.section("11.6", "TinyGPT at llama.cpp's file types")
    let floatLoss = setup.heldOutLoss(setup.base)
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
        divide by 256). Held-out loss (float32: \(Fmt.f(floatLoss, 4))):
        """)
    var rows: [[String]] = []
    var results: [(String, Double, Double)] = []
    let layers = setup.base.config.layers
    var runs: [(String, (String) -> any BlockFormat.Type)] = types.map { t in
        (t.name, { _ in t })
    }
    let mixed = "\(mixture.base.name)_M-like"
    runs.append(
        (mixed, PostTraining.mediumMixture(
            base: mixture.base, promoted: mixture.promoted, layers: layers)))
    for (label, typeFor) in runs {
        let (q, stored) = book.attempt(label) {
            try PostTraining.ggml(setup.base, label: label, typeFor: typeFor)
        }
        let loss = setup.heldOutLoss(q.model)
        results.append((label, q.bitsPerWeight, loss))
        var counts: [String: Int] = [:]
        for t in stored.values { counts[t, default: 0] += 1 }
        rows.append([
            label, counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                .joined(separator: ", "),
            Fmt.f(q.bitsPerWeight, 3), Fmt.f(loss, 4), Fmt.f(loss - floatLoss, 4),
        ])
    }
    book.table(
        ["file type", "tensors stored as", "bits / weight", "held-out loss", "vs float"], rows,
        leftAligned: [0, 1])
    print()
    let promoted = setup.base.blockLinearNames.filter {
        PostTraining.mediumMixture(base: mixture.base, promoted: mixture.promoted, layers: layers)(
            $0
        ).name == mixture.promoted.name
    }
    book.check(results.first!.2 - floatLoss < 0.01, "the widest type is within 0.01 of float")
    book.say(
        """
        The _M mixture follows llama_tensor_get_type for Q4_K_M: attn_v and ffn_down get Q6_K in
        the layers use_more_bits picks (the first and last eighth of the layers and every third
        one between; of 2 layers that is layer 1): here
        \(promoted.map(PostTraining.llamaTensorName).joined(separator: " and ")). They are the
        tensors whose errors reach the output most directly - v is the only attention input that
        flows on to the output, ffn_down writes straight into the residual stream - so they get
        the bits first.
        """)
}
