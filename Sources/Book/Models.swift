import Foundation
import TinyGPT

/// Chapters hand trained models to later chapters through files in ``Notebook/modelsDirectory``
/// (`Models/` by default): Chapter 6 trains TinyGPT once, Chapters 7 and later load it.
extension Notebook {
    /// Saves `model` as `file` (float32 `.safetensors`, every parameter) and prints one
    /// `[model …]` line with its size; `note` says who uses it.
    public func saveModel(
        _ model: TinyGPTModel, vocabulary: CharacterVocabulary, as file: String,
        metadata: [String: String], note: String
    ) {
        let path = modelPath(file)
        attempt("could not save \(file)") {
            try TinyGPTCheckpoint.save(model, vocabulary: vocabulary, to: path, metadata: metadata)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("[model \(file)] \(Fmt.grouped(bytes)) bytes: \(note)")
    }

    /// Loads `file`, which chapter `trainedBy` writes; a missing or unreadable file stops the
    /// chapter with `error: …; run <trainedBy> first`.
    public func loadModel(_ file: String, trainedBy: String)
        -> (model: TinyGPTModel, vocabulary: CharacterVocabulary, metadata: [String: String])
    {
        let path = (modelsDirectory as NSString).appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: path) else {
            fail("\(file) not found in \(modelsDirectory); run \(trainedBy) first")
        }
        return attempt("cannot load \(file); run \(trainedBy) first") { try TinyGPTCheckpoint.load(from: path) }
    }
}
