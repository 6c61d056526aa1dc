import BERT
import Foundation
import GGML
import GGUF
import PostTraining
import TestSupport
import Testing

/// What llama.cpp's own converter wrote for all-MiniLM-L6-v2 (`convert_hf_to_gguf.py` of
/// llama.cpp 0c1e57098, read back by gguf-py 0.19.0): `Fixtures/llamacpp/gguf_bert_metadata.json`,
/// a copy of the shared reference `gguf_bert/metadata.json`.
struct ConverterListing {
    let files: [String: [String: Any]]

    static func load() throws -> ConverterListing {
        let path = try Fixtures(.module).path("llamacpp/gguf_bert_metadata.json")
        let data = try #require(FileManager.default.contents(atPath: path))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return ConverterListing(files: try #require(object["files"] as? [String: [String: Any]]))
    }

    func keys(_ file: String) throws -> [[String: Any]] {
        try #require(files[file]?["kv"] as? [[String: Any]])
    }

    func tensors(_ file: String) throws -> [[String: Any]] {
        try #require(files[file]?["tensors"] as? [[String: Any]])
    }

    /// The keys gguf-py guesses from the model card (README.md) that we do not write.
    static func isModelCardKey(_ key: String) -> Bool {
        let card = ["general.name", "general.organization", "general.size_label",
                    "general.license", "general.tags", "general.languages"]
        return card.contains(key) || key.hasPrefix("general.dataset.")
    }
}

/// The model is loaded once for the suite (90 MB of safetensors).
enum LoadedMiniLM {
    static let checkpoint: Result<BERTCheckpoint, any Error> = Result {
        guard ModelFolder.isPresent(ModelFolder.miniLM) else {
            throw BERTError.missingFile(ModelFolder.miniLM.path)
        }
        return try BERTCheckpoint.load(folder: ModelFolder.miniLM)
    }

    static func get() throws -> BERTCheckpoint {
        _ = try miniLMFolder()  // says how to fetch the model when it is missing
        return try checkpoint.get()
    }

    /// The f32 and q8_0 files, written and read back by our GGUF reader once for all tests
    /// (encoding and parsing 90 MB is the slow part).
    static let f32File: Result<GGUFFile, any Error> = Result {
        try GGUFFile(bytes: try PostTraining.bertGGUF(try checkpoint.get(), type: .F32).encoded())
    }
    static let q8_0File: Result<GGUFFile, any Error> = Result {
        try GGUFFile(bytes: try PostTraining.bertGGUF(try checkpoint.get(), type: .Q8_0).encoded())
    }

    static func readBack(_ type: GGMLType) throws -> GGUFFile {
        _ = try get()
        return type == .Q8_0 ? try q8_0File.get() : try f32File.get()
    }
}

@Suite struct BERTGGUFTests {

    /// gguf-py's name of a value's type: "UINT32", "ARRAY[STRING]" …
    static func typeName(_ value: GGUFValue) -> String {
        if case .array(let element, _) = value { return "ARRAY[\(element.name)]" }
        return value.type.name
    }

    /// The JSON listing's scalar as our value of the type it names (nil if it does not fit).
    static func expectedScalar(_ entry: [String: Any]) -> GGUFValue? {
        switch entry["type"] as? String {
        case "UINT32": return (entry["value"] as? Int).map { .uint32(UInt32($0)) }
        case "BOOL": return (entry["value"] as? Bool).map { .bool($0) }
        case "STRING": return (entry["value"] as? String).map { .string($0) }
        case "FLOAT32":
            // value_float32_hex: the four bytes as stored, little-endian.
            guard let hex = entry["value_float32_hex"] as? String,
                let bits = UInt32(hex, radix: 16)
            else { return nil }
            return .float32(Float(bitPattern: bits.byteSwapped))
        default: return nil
        }
    }

    /// Every key of the converter's f32 file but the model card's, in its order, with its
    /// type and value (arrays: count, first elements and the ids the listing selects).
    @Test func f32FileHasTheConvertersKeysTypesAndValues() throws {
        let listing = try ConverterListing.load()
        let file = try PostTraining.bertGGUF(try LoadedMiniLM.get(), type: .F32)
        let expected = try listing.keys("f32").filter {
            !ConverterListing.isModelCardKey($0["key"] as? String ?? "")
        }
        #expect(file.metadata.map(\.key) == expected.map { $0["key"] as? String ?? "?" })
        var log = MismatchLog("keys")
        for entry in expected {
            let key = entry["key"] as? String ?? "?"
            guard let value = file[key] else { continue }
            if Self.typeName(value) != entry["type"] as? String {
                log.add("\(key): type \(Self.typeName(value))")
                continue
            }
            if let elements = value.arrayElements {
                let count = entry["count"] as? Int ?? -1
                if elements.count != count { log.add("\(key): \(elements.count) of \(count)") }
                var selected: [(Int, Any)] = []
                for (i, first) in (entry["first"] as? [Any] ?? []).enumerated() {
                    selected.append((i, first))
                }
                for (id, want) in entry["selected"] as? [String: Any] ?? [:] {
                    selected.append((Int(id) ?? -1, want))
                }
                for (i, want) in selected where i >= 0 && i < elements.count {
                    let got = elements[i]
                    let same = (want as? String).map { got == .string($0) }
                        ?? (want as? Int).map { got == .int32(Int32($0)) } ?? false
                    if !same { log.add("\(key)[\(i)] = \(got)") }
                }
            } else if Self.expectedScalar(entry) != value {
                log.add("\(key) = \(value)")
            }
        }
        log.expectEmpty()
    }

    /// No token of MiniLM's keeps a "##" (as bytes): the 5,828 continuations of vocab.txt lose
    /// it and nothing else starts with "▁##" — the 16 continuations whose first character is a
    /// combining mark included (llamacpp_bert.py checks the whole list's sha256 against the
    /// converter's).
    @Test func everyContinuationLosesItsHashes() throws {
        let vocabulary = try LoadedMiniLM.get().vocabulary
        let (tokens, _) = PostTraining.phantomSpaceVocabulary(vocabulary, control: [])
        let hashes = Array("##".utf8)
        let continuations = vocabulary.filter { Array($0.utf8).starts(with: hashes) }.count
        let kept = tokens.filter { Array($0.utf8).starts(with: Array("\u{2581}##".utf8)) }.count
        #expect(continuations == 5828)
        #expect(kept == 0)
    }

    /// Names, order, types, dims (innermost first), byte sizes and data offsets of all 101
    /// tensors are the converter's, for its three files. (The metadata is smaller — no model
    /// card — so only offsets inside the data section can agree.)
    @Test(arguments: [("f32", GGMLType.F32), ("f16", .F16), ("q8_0", .Q8_0)])
    func tensorListingIsTheConverters(file name: String, type: GGMLType) throws {
        let listing = try ConverterListing.load().tensors(name)
        let config = try BERTConfig.load(folder: try miniLMFolder())
        let plan = try PostTraining.bertGGUFTensors(config, type: type)
        // Zero bytes of the right size: the layout does not depend on the values.
        let tensors = try plan.map { t in
            let tensor = GGUFTensor(name: t.name, type: t.type, shape: t.shape, data: [])
            let count = try tensor.expectedByteCount()
            return GGUFTensor(name: t.name, type: t.type, shape: t.shape, data: .init(
                repeating: 0, count: count))
        }
        let placements = try GGUFFile(tensors: tensors).placements().tensors
        #expect(placements.count == listing.count)
        var log = MismatchLog(name)
        for (ours, theirs) in zip(zip(plan, placements), listing) {
            let (t, placement) = ours
            let dims = Array(t.shape.reversed())
            // The listing names the HF source of the F32 tensors only.
            let source = theirs["hf_safetensors_name"] == nil ? "" : t.hfName
            let row = "\(t.name) \(t.type.name) \(dims) \(placement.byteCount) "
                + "\(placement.offset) \(source)"
            let want = "\(theirs["name"] ?? "") \(theirs["ggml_type"] ?? "") "
                + "\((theirs["ne"] as? [Int]) ?? []) \(theirs["n_bytes"] ?? "") "
                + "\(theirs["offset_in_data_section"] ?? "") \(theirs["hf_safetensors_name"] ?? "")"
            if row != want { log.add("expected \(want), got \(row)") }
        }
        log.expectEmpty()
    }

    /// The f32 file, written and read back by our GGUF reader, holds every tensor of the
    /// checkpoint bit for bit (the converter's f32 tensors are the safetensors bytes).
    @Test func f32TensorsEqualTheCheckpointBitForBit() throws {
        let checkpoint = try LoadedMiniLM.get()
        let file = try LoadedMiniLM.readBack(.F32)
        let back = try PostTraining.bertCheckpoint(from: file, base: checkpoint)
        var log = MismatchLog("f32 tensors")
        for t in try PostTraining.bertGGUFTensors(checkpoint.config, type: .F32) {
            let values = back.tensors[t.hfName]?.data ?? []
            let original = checkpoint.tensors[t.hfName]?.data ?? []
            if let mismatch = firstBitMismatch(original, values) {
                log.add("\(t.name): \(mismatch)")
            }
        }
        log.expectEmpty()
        #expect(file.tensors.count == 101)
    }

    /// A Q4_K file read back: each weight holds the bytes GGML's quantizer of its stored type
    /// gives for the checkpoint's weights (Q5_0 for the 384-wide rows, Q4_K for ffn_down's
    /// 1536, Q8_0 for token_embd) — so it decodes to what that quantizer gives, which the
    /// Q4_K tensors check once more through the reader's decoder; F32 tensors are the weights.
    @Test func q4KFileDecodesToGGMLsQuantizerOfEachStoredType() throws {
        let checkpoint = try LoadedMiniLM.get()
        let file = try GGUFFile(
            bytes: try PostTraining.bertGGUF(checkpoint, type: .Q4_K).encoded())
        #expect(file["general.file_type"] == .uint32(15))
        var hfNames: [String: String] = [:]
        for t in try PostTraining.bertGGUFTensors(checkpoint.config, type: .F32) {
            hfNames[t.name] = t.hfName
        }
        var log = MismatchLog("q4_k tensors")
        var typeCounts: [String: Int] = [:]
        for tensor in file.tensors {
            typeCounts[tensor.type.name, default: 0] += 1
            let original = checkpoint.tensors[hfNames[tensor.name] ?? ""]?.data ?? []
            if let format = tensor.type.format {
                let bytes = try format.quantize(original)
                if bytes != tensor.data { log.add("\(tensor.name) \(tensor.type.name): bytes") }
                if tensor.type == .Q4_K, let mismatch = firstBitMismatch(
                    try format.dequantize(bytes), try tensor.float32Values())
                {
                    log.add("\(tensor.name) Q4_K: \(mismatch)")
                }
            } else if let mismatch = firstBitMismatch(original, try tensor.float32Values()) {
                log.add("\(tensor.name) \(tensor.type.name): \(mismatch)")
            }
        }
        log.expectEmpty()
        // 6 ffn_down in Q4_K, the other 5 × 6 Linears in Q5_0, token_embd in Q8_0, and the
        // 64 biases, norms and position/token-type embeddings in F32 (101 tensors).
        #expect(typeCounts == ["F32": 64, "Q4_K": 6, "Q5_0": 30, "Q8_0": 1])
    }
}
