import GGML
import TestSupport
import Testing

/// The GGML block types of this module by llama.cpp's name.
var legacyFormats: [String: any BlockFormat.Type] {
    [
        "Q8_0": Q8_0.self, "Q4_0": Q4_0.self, "Q4_1": Q4_1.self, "Q5_0": Q5_0.self,
        "Q5_1": Q5_1.self,
        "MXFP4": MXFP4.self, "IQ4_NL": IQ4_NL.self, "Q6_K": Q6_K.self,
    ]
}

/// One reference case folder under Fixtures/ (see Fixtures/README.md):
/// `ggml_quants/Q4_0_16x512` from llama.cpp's C, `gguf_quants/Q4_0_8x128` from gguf-py; the
/// type is the folder name's prefix.
struct ReferenceCase: CustomStringConvertible {
    static let llamaCpp = ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "MXFP4", "IQ4_NL", "Q6_K"].map {
        "ggml_quants/\($0)_16x512"
    }
    static let ggufPy = ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "MXFP4"].map {
        "gguf_quants/\($0)_8x128"
    }
    static let all = llamaCpp + ggufPy

    let folder: String
    let format: any BlockFormat.Type
    /// Rows and row length, from the folder name ("16x512").
    let rows: Int
    let columns: Int

    init(_ folder: String) throws {
        self.folder = folder
        let name = try #require(folder.split(separator: "/").last)
        let parts = name.split(separator: "_")  // "IQ4", "NL", "16x512"
        format = try #require(legacyFormats[parts.dropLast().joined(separator: "_")])
        let shape = try #require(parts.last).split(separator: "x")
        rows = try #require(Int(shape[0]))
        columns = try #require(Int(shape[1]))
    }

    var description: String { folder }

    func floats(_ file: String) throws -> [Float] {
        try Fixtures(.module).floats("\(folder)/\(file)")
    }

    func bytes(_ file: String) throws -> [UInt8] {
        try Fixtures(.module).bytes("\(folder)/\(file)")
    }
}
