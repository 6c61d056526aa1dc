import Book
import Core
import LoRA
import NN
import TinyGPT

/// 6.2: one LoRA layer on the trained model's first query projection.
func loraLayerSection(_ book: Notebook, base: BaseModel, seed: UInt64, alpha: Double) {
    book.section("6.2", "One LoRA layer: a frozen W plus s * B * A, starting at B = 0")
    book.say(
        """
        LoRA (Hu et al. 2021, §4.1) freezes a pretrained weight W0 (out x in) and learns its change
        as a product of two thin matrices: h = W0 x + s * B A x with A (r x in), B (out x r), s =
        alpha/r. A starts random (Kaiming-uniform, as peft does), B at zero, so training starts
        exactly at the pretrained model. Here is the trained model's first query projection with an
        adapter of rank 4:
        """)
    let copy = FineTuneRecipe.chapters6And7.freshCopy(of: base.model)
    let query = copy.blocks[0].attention.query as! Linear
    var adapterRNG = SeededRNG(seed: seed + 2)
    let demo = LoRALinear(base: query, config: LoRAConfig(rank: 4, alpha: alpha), rng: &adapterRNG)
    var inputRNG = SeededRNG(seed: seed + 3)
    let rows = 512
    let channels = copy.config.channels
    let input = Tensor(shape: [rows, channels], data: inputRNG.normalFloats(rows * channels))
    let difference = zip(query.forward(input).data, demo.forward(input).data).map { abs($0 - $1) }
        .max()!
    book.table(
        ["W_q of block 0", "values", "trainable"],
        [
            [
                "W0 (64 x 64) + bias", Fmt.grouped(query.weight.count + query.bias!.count),
                "no (frozen)",
            ],
            ["A (4 x 64), B (64 x 4)", Fmt.grouped(demo.loraA.count + demo.loraB.count), "yes"],
        ])
    print()
    print("s = alpha / r = \(Fmt.g(alpha)) / 4 = \(Fmt.g(Double(demo.scaling)))")
    print(
        "max |LoRA(x) - W0 x - b| over \(rows) random inputs, B = 0: \(Fmt.g(Double(difference)))")
    print()
    book.say(
        """
        Per adapted 64 x 64 matrix LoRA trains r * (64 + 64) values instead of 4096: 3 % at r = 1,
        50 % at r = 16. AdamW keeps two float32 moments per trainable value, so its state shrinks by
        the same factor — LoRA's main memory saving (§4.2). Exercises 6d-6f write this layer's
        forward, backward and merge.
        """)
}
