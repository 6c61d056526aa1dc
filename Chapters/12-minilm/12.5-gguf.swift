import BERT
import Book
import Core
import Foundation
import GGUF
import PostTraining
import TensorIO

/// 12.5: the model as a GGUF file llama.cpp loads, and llama.cpp's own embeddings of it.
func ggufSection(_ book: Notebook, setup: MiniLMSetup) {
    book.section("12.5", "Handing the model to llama.cpp: a BERT GGUF file")
    book.say(
        """
        lowbit gguf convert writes the file llama.cpp's convert_hf_to_gguf.py writes for this \
        model - its 27 keys that are not model-card text (bert.* architecture, the WordPiece \
        vocabulary with ## stripped from continuations and other tokens prefixed with a \
        phantom space, special token ids; general.name, license, tags and the other 43 \
        model-card keys are left out), the same 101 tensor names (token_embd, blk.N.attn_q, \
        ...), order and bytes - and, for block types, what llama-quantize makes of it: 1-D \
        tensors and the position and token-type embeddings stay F32, the word embeddings \
        take Q8_0, and 384-wide rows that a k-quant cannot cut into 256s take llama.cpp's \
        fallback (in the Q4_K file only ffn_down, 1536 wide, is Q4_K). Each file below is built in memory, read back with \
        our GGUF reader, and run by our encoder on the weights llama.cpp would compute with; \
        llama.cpp's column is llama.cpp itself (llama-cpp-python 0.3.36) on the file lowbit \
        wrote, recorded once by Tests/BERTTests/Fixtures/llamacpp/llamacpp_bert.py.
        """)
    let folder = "Tests/BERTTests/Fixtures/llamacpp"
    let (sentences, reference) = book.attempt("the llama.cpp fixtures") {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/sentences.json"))
        let raw = try NPY.read(contentsOf: "\(folder)/reference_embeddings.npy")
        return (
            try JSONSerialization.jsonObject(with: data) as? [String] ?? [],
            Tensor(shape: raw.shape, data: try raw.floats())
        )
    }
    var rows: [[String]] = []
    var worstAgreement = 1.0
    for type in [GGMLType.F16, .Q8_0, .Q4_K, .Q4_0] {
        let (bytes, ours, llama) = book.attempt("the \(type.name) file") {
            let file = try PostTraining.bertGGUF(setup.checkpoint, type: type)
            let bytes = try file.encoded()
            let back = try PostTraining.bertCheckpoint(
                from: try GGUFFile(bytes: bytes), base: setup.checkpoint)
            let embedder = setup.embedder.with(encoder: try BERTEncoder(checkpoint: back))
            let raw = try NPY.read(contentsOf: "\(folder)/llamacpp_\(type.name.lowercased()).npy")
            return (
                bytes.count, try embedder.embed(sentences),
                Tensor(shape: raw.shape, data: try raw.floats())
            )
        }
        let n = sentences.count
        let agreement = (0..<n).map { rowCosine(ours, llama, $0) }.min()!
        worstAgreement = min(worstAgreement, agreement)
        rows.append([
            type.name, Fmt.f(Double(bytes) / 1e6, 1),
            Fmt.f((0..<n).map { rowCosine(ours, reference, $0) }.min()!, 5),
            Fmt.f((0..<n).map { rowCosine(llama, reference, $0) }.min()!, 5),
            Fmt.f(agreement, 5),
        ])
    }
    book.table(
        ["file type", "MB", "ours: min cosine", "llama.cpp: min cosine", "ours vs llama.cpp"],
        rows)
    print()
    book.check(worstAgreement >= 0.999, "our encoder and llama.cpp agree on every file")
    book.say(
        """
        Cosines are the minimum over \(sentences.count) sentences, against float32 \
        sentence-transformers. Our encoder on the file's weights and llama.cpp on the file \
        agree to \(Fmt.f(worstAgreement, 4)) or better; what is left between them is \
        llama.cpp's arithmetic: it multiplies block-quantized weights by activations it \
        quantizes to 8 bits itself, and sums in another order.
        """)
}
