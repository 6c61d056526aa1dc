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

/// llama.cpp's k-quants: super-blocks of 256, with the importance-matrix and no-search paths.
var kQuantFormats: [String: any KQuantFormat.Type] {
    ["Q2_K": Q2_K.self, "Q3_K": Q3_K.self, "Q4_K": Q4_K.self, "Q5_K": Q5_K.self, "Q6_K": Q6_K.self]
}

/// Every block type of the module by llama.cpp's name.
var blockFormats: [String: any BlockFormat.Type] {
    legacyFormats.merging(kQuantFormats.mapValues { $0 as any BlockFormat.Type }) { a, _ in a }
}

/// One reference case folder under Fixtures/ (see Fixtures/README.md):
/// `ggml_quants/Q4_0_16x512` from llama.cpp's C, `gguf_quants/Q4_0_8x128` from gguf-py; the
/// type is the folder name's prefix; a folder ending in `_imatrix` holds `imatrix.npy`, one
/// importance weight per column, used for every row.
struct ReferenceCase: CustomStringConvertible {
    static let llamaCpp = [
        "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "MXFP4", "IQ4_NL", "Q6_K",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q4_K_16x512_imatrix",
    ].map { $0.hasSuffix("imatrix") ? "ggml_quants/\($0)" : "ggml_quants/\($0)_16x512" }
    static let ggufPy = ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "MXFP4"].map {
        "gguf_quants/\($0)_8x128"
    }
    /// Our own extra cases from llama.cpp's C (Fixtures/make_kquant_fixtures.py): every k-quant
    /// with an importance matrix, and on edge-case and NaN/±Inf super-blocks with and without
    /// one.
    static let llamaCppExtra = ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"].flatMap { type in
        (type == "Q4_K" ? [] : ["\(type)_16x512_imatrix"])
            + ["\(type)_8x768_edges", "\(type)_8x768_edges_imatrix"]
            + ["\(type)_4x768_nonfinite", "\(type)_4x768_nonfinite_imatrix"]
    }.map { "ggml_quants_extra/\($0)" }
    /// More cases from llama.cpp's C (Fixtures/extra_ref_generate.py, on other inputs): the
    /// k-quants with an importance matrix, and every type on edge-case rows.
    static let lead = ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"].flatMap { type in
        ["extra_ref/\(type)_16x512_imatrix", "extra_ref/\(type)_8x768_edges"]
    } + ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "MXFP4"].map {
        "extra_ref/\($0)_8x768_edges"
    }
    static let all = llamaCpp + ggufPy + llamaCppExtra + lead

    let folder: String
    let format: any BlockFormat.Type
    /// The importance weights (one per column) of an `_imatrix` case, nil otherwise.
    let importance: [Float]?
    /// Rows and row length, from the folder name ("16x512").
    let rows: Int
    let columns: Int

    init(_ folder: String) throws {
        self.folder = folder
        let name = try #require(folder.split(separator: "/").last)
        var parts = name.split(separator: "_")  // "IQ4", "NL", "16x512"
        let hasImportance = parts.last == "imatrix"
        if hasImportance { parts.removeLast() }
        if parts.last == "edges" || parts.last == "nonfinite" { parts.removeLast() }
        format = try #require(blockFormats[parts.dropLast().joined(separator: "_")])
        importance = hasImportance ? try Fixtures(.module).floats("\(folder)/imatrix.npy") : nil
        let shape = try #require(parts.last).split(separator: "x")
        rows = try #require(Int(shape[0]))
        columns = try #require(Int(shape[1]))
    }

    var description: String { folder }

    /// Quantizes one row the way the case's C call did: with its importance weights if any.
    func quantize(_ row: [Float]) throws -> [UInt8] {
        guard let importance else { return try format.quantize(row) }
        let kQuant = try #require(format as? any KQuantFormat.Type)
        return try kQuant.quantize(row, importance: importance)
    }

    func floats(_ file: String) throws -> [Float] {
        try Fixtures(.module).floats("\(folder)/\(file)")
    }

    func bytes(_ file: String) throws -> [UInt8] {
        try Fixtures(.module).bytes("\(folder)/\(file)")
    }
}
