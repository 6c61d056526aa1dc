import BERT
import Foundation

/// The BERT folder a Chapter 12 command reads: `--model DIR`, or all-MiniLM-L6-v2's folder
/// (`ModelFolder.miniLM`). A folder without the model's three files is one error line that
/// says what a model folder holds and how to fetch all-MiniLM-L6-v2.
func bertModelFolder(_ model: String?) throws -> URL {
    let folder = model.map { URL(fileURLWithPath: $0) } ?? ModelFolder.miniLM
    guard ModelFolder.isPresent(folder) else {
        throw CLIError(
            "no BERT model in \(folder.path) (a BERT model folder holds config.json, vocab.txt "
                + "and model.safetensors); \(ModelFolder.howToFetch)")
    }
    return folder
}
