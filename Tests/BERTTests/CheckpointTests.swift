import BERT
import Foundation
import Testing

/// all-MiniLM-L6-v2 is fetched by `make test` (scripts/fetch-minilm.sh); without it these
/// tests fail with the line that says how to get it.
func miniLMFolder() throws -> URL {
    let folder = ModelFolder.miniLM
    try #require(ModelFolder.isPresent(folder), "\(ModelFolder.howToFetch)")
    return folder
}

@Suite struct CheckpointTests {
    /// The numbers are the model's own config.json and sentence_bert_config.json (reference
    /// README, group J: 6 layers, hidden 384, 12 heads, ε 1e-12, max_seq_length 256).
    @Test func miniLMConfigIsReadFromTheFolder() throws {
        let config = try BERTConfig.load(folder: try miniLMFolder())
        #expect(config == BERTConfig(
            vocabularySize: 30522, hiddenSize: 384, layerCount: 6, headCount: 12,
            intermediateSize: 1536, maxPositions: 512, tokenTypeCount: 2,
            layerNormEpsilon: 1e-12, maxSequenceLength: 256))
    }

    /// [PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102 (reference README, group J).
    @Test func vocabularyIdsAreLineNumbers() throws {
        let checkpoint = try BERTCheckpoint.load(folder: try miniLMFolder())
        #expect(checkpoint.vocabulary.count == 30522)
        #expect(checkpoint.vocabulary[0] == "[PAD]" && checkpoint.vocabulary[100] == "[UNK]")
        #expect(checkpoint.vocabulary[101] == "[CLS]" && checkpoint.vocabulary[102] == "[SEP]")
        #expect(checkpoint.tensors["embeddings.position_ids"] == nil)
    }

    @Test func aFolderWithoutAConfigIsOneLineError() throws {
        let empty = FileManager.default.temporaryDirectory
            .appendingPathComponent("lowbit-bert-empty-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: BERTError.missingFile(empty.appendingPathComponent("config.json").path)) {
            _ = try BERTCheckpoint.load(folder: empty)
        }
    }
}
