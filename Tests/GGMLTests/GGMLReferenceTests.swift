import Foundation
import GGML
import TestSupport
import Testing

/// Every reference case of the block types (legacy, IQ4_NL, MXFP4, the k-quants, Q4_K with an
/// importance matrix): llama.cpp's C (`ggml_quants`) and gguf-py's
/// numpy (`gguf_quants`). Exact: the bytes, and the dequantized float32 bit patterns.
@Suite struct GGMLReferenceTests {
    @Test func everyFixtureFolderIsListed() throws {
        var onDisk: [String] = []
        for group in ["ggml_quants", "gguf_quants", "ggml_quants_extra", "extra_ref"] {
            let folder = try Fixtures(.module).path(group)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            onDisk += names.map { "\(group)/\($0)" }
        }
        let mismatch = firstMismatch(ReferenceCase.all.sorted(), onDisk.sorted())
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Quantizing each input row gives the reference's bytes, block for block.
    @Test(arguments: ReferenceCase.all)
    func quantizedBytesEqualTheReference(folder: String) throws {
        let c = try ReferenceCase(folder)
        let input = try c.floats("input.npy")
        let expected = try c.bytes("quantized.npy")
        let rowBytes = c.columns / c.format.blockSize * c.format.bytesPerBlock
        try #require(input.count == c.rows * c.columns && expected.count == c.rows * rowBytes)
        var log = MismatchLog(folder)
        for r in 0..<c.rows {
            let ours = try c.quantize(Array(input[r * c.columns..<(r + 1) * c.columns]))
            let theirs = Array(expected[r * rowBytes..<(r + 1) * rowBytes])
            if let m = firstMismatch(theirs, ours) { log.add("row \(r): \(m)") }
        }
        log.expectEmpty()
    }

    /// Dequantizing the reference's bytes gives its float32 values, every bit — through
    /// `dequantize` (a type's fast decoder where it has one, BlockFormat+Fast.swift) and
    /// through the readable `appendValues`, block by block.
    @Test(arguments: ReferenceCase.all)
    func dequantizedValuesEqualTheReferenceBitForBit(folder: String) throws {
        let c = try ReferenceCase(folder)
        let bytes = try c.bytes("quantized.npy")
        let expected = try c.floats("dequantized.npy")
        for (decoder, values) in [
            ("dequantize", try c.format.dequantize(bytes)),
            ("readable", try c.format.dequantizeBlockByBlock(bytes)),
        ] {
            let mismatch = firstBitMismatch(expected, values)
            #expect(mismatch == nil, "\(folder) \(decoder): \(mismatch ?? "")")
        }
    }

    /// The struct size in llama.cpp's case.json ("type_size") is ours.
    @Test(arguments: ReferenceCase.llamaCpp + ReferenceCase.llamaCppExtra + ReferenceCase.lead)
    func blockSizeAndBytesMatchCaseJSON(folder: String) throws {
        let c = try ReferenceCase(folder)
        let path = try Fixtures(.module).path("\(folder)/case.json")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["type_size"] as? Int == c.format.bytesPerBlock)
        #expect(json["block_size"] as? Int == c.format.blockSize)
        #expect(json["type"] as? String == c.format.name)
    }
}
