import Book
import NN
import QLoRA
import TinyGPT

/// What 7.1 hands on: the NF4 + double quantization base, its layers and its losses.
struct QuantizedBase {
    let model: TinyGPTModel
    let layers: [NF4Linear]
    let weightCount: Int
    let fables: Double
    let diary: Double
    var bytes: Int { layers.reduce(0) { $0 + $1.weight.storageBytes } }
}

/// 7.1: the twelve block matrices in NF4, with and without double quantization.
func fourBitBaseSection(_ book: Notebook, setup: QLoRASetup) -> QuantizedBase {
    book.section("7.1", "The base in 4 bits: NF4 with double quantization")
    book.say(
        """
        QLoRA (Dettmers et al. 2023, §3) stores the frozen pretrained weights in 4-bit NormalFloat
        (Chapter 4): blocks of 64 weights share one absmax, and the absmax values are quantized
        again to 8 bits in blocks of 256 (double quantization), for 4 + 8/64 + 32/(64*256) = 4.127
        bits per weight. The twelve block matrices of Chapter 6's model go to 4 bits; the
        embeddings, LayerNorms, biases and output head stay float32, as transformers keeps lm_head
        and the norms in 16 bits.
        """)
    let floatBase = setup.freshBase()
    let plain = book.attempt("quantize") {
        try setup.quantizedBase(adapters: false, doubleQuantization: false)
    }
    let nf4 = book.attempt("quantize") { try setup.quantizedBase(adapters: false) }
    let floats = floatBase.linearLayers.compactMap { $0.layer as? Linear }.filter {
        !$0.weight.name.hasPrefix("head")
    }
    let weightCount = floats.reduce(0) { $0 + $1.weight.count }
    let layers = QLoRAInjection.quantizedBases(in: nf4.linearLayers.map(\.layer))
    let plainLayers = QLoRAInjection.quantizedBases(in: plain.linearLayers.map(\.layer))
    var squaredError = 0.0
    var squaredWeight = 0.0
    for (float, q) in zip(floats, layers) {
        for (w, wHat) in zip(float.weight.value, q.dequantizedWeight()) {
            squaredError += Double(wHat - w) * Double(wHat - w)
            squaredWeight += Double(w) * Double(w)
        }
    }
    let corpora = setup.corpora
    let floatLoss = corpora.heldOutLosses(floatBase)
    let plainLoss = corpora.heldOutLosses(plain)
    let nf4Loss = corpora.heldOutLosses(nf4)
    let storage = { (l: [NF4Linear]) in l.reduce(0) { $0 + $1.weight.storageBytes } }
    let bits = { (l: [NF4Linear]) in Fmt.f(8 * Double(storage(l)) / Double(weightCount), 3) }
    book.table(
        [
            "12 block matrices (\(Fmt.grouped(weightCount)) weights)", "bytes", "bits / weight",
            "fables loss", "diary loss",
        ],
        [
            [
                "float32", Fmt.grouped(4 * weightCount), "32", Fmt.f(floatLoss.fables, 4),
                Fmt.f(floatLoss.diary, 4),
            ],
            [
                "NF4, float32 absmax", Fmt.grouped(storage(plainLayers)), bits(plainLayers),
                Fmt.f(plainLoss.fables, 4), Fmt.f(plainLoss.diary, 4),
            ],
            [
                "NF4 + double quantization", Fmt.grouped(storage(layers)), bits(layers),
                Fmt.f(nf4Loss.fables, 4),
                Fmt.f(nf4Loss.diary, 4),
            ],
        ])
    print()
    print(
        "relative RMS error of the 4-bit weights: "
            + "\(Fmt.f(100 * (squaredError / squaredWeight).squareRoot(), 2)) %"
    )
    print()
    book.say(
        """
        4-bit storage costs the base \(Fmt.f(nf4Loss.fables - floatLoss.fables, 3)) nats on its own
        domain. (This tiny model's matrices carry a few more bits than 4.127: a 64 x 64 matrix has
        only 64 blocks, and they share one float32 second-level absmax and one offset —
        \(bits(layers)) bits per weight.) Double quantization shrinks the constants from 0.5 to
        0.127 bits per weight and
        moves the fables loss by \(Fmt.e(abs(nf4Loss.fables - plainLoss.fables), 1)) nats.
        """)
    return QuantizedBase(
        model: nf4, layers: layers, weightCount: weightCount, fables: nf4Loss.fables,
        diary: nf4Loss.diary)
}

/// 7.1, continued: the three 4-bit formats of Chapter 4 ranked by what the model loses.
func formatsComparison(_ book: Notebook, setup: QLoRASetup) {
    book.say(
        """
        Chapter 4 ranked the 4-bit formats by weight error; the QLoRA paper ranks them by model
        quality (§4, Table 2: NF4 beats FP4, which beats Int4, on perplexity). The same comparison
        here: every block matrix stored in each format, blocks of 64, float32 absmax, nothing else
        changed:
        """)
    let floatLoss = setup.corpora.heldOutLosses(setup.freshBase())
    var rows: [[String]] = [["float32", Fmt.f(floatLoss.fables, 4), "", Fmt.f(floatLoss.diary, 4)]]
    var fables: [(format: String, loss: Double)] = []
    for format in FourBitType.allCases {
        let model = book.attempt("quantize") {
            try setup.quantizedBase(adapters: false, doubleQuantization: false, storage: format)
        }
        let loss = setup.corpora.heldOutLosses(model)
        fables.append((format.rawValue, loss.fables))
        rows.append([
            format.rawValue + ", blocks of 64", Fmt.f(loss.fables, 4),
            (loss.fables >= floatLoss.fables ? "+" : "") + Fmt.f(loss.fables - floatLoss.fables, 4),
            Fmt.f(loss.diary, 4),
        ])
    }
    book.table(["12 block matrices in", "fables loss", "vs float32", "diary loss"], rows)
    print()
    let order = fables.sorted { $0.loss < $1.loss }.map(\.format)
    let spread = fables.map(\.loss).max()! - fables.map(\.loss).min()!
    book.say(
        """
        On held-out fables the order here is \(order.joined(separator: " < ")) (lowest loss first)
        — \(order == ["NF4", "FP4", "Int4"] ? "the paper's order" : "not the paper's order"), with
        all three within \(Fmt.f(spread, 4)) nats of each other. On a model this small such
        differences are small next to the noise of a single run (compare the batch-order spread
        in 7.3); the paper measured models of 125M to 65B parameters, and Chapter 4 showed that
        the order by weight error depends on how the weights are distributed.
        """)
}
