import Foundation
import GGML
import GGUF
import TestSupport
import Testing

/// Writing then reading gives back the same file, and the bytes sit where the format says.
@Suite struct GGUFRoundTripTests {
    @Test func everyValueTypeAndEveryTensorTypeSurviveARoundTrip() throws {
        let file = GGUFFile(metadata: everyValue, tensors: try everyTensorType())
        let read = try GGUFFile(bytes: try file.encoded())
        #expect(read.metadata.count == everyValue.count)
        for ((key, value), (readKey, readValue)) in zip(file.metadata, read.metadata) {
            #expect(key == readKey)
            #expect(value == readValue, "\(key)")
        }
        #expect(read.tensors.count == GGMLType.allCases.count)
        for (tensor, readTensor) in zip(file.tensors, read.tensors) {
            #expect(tensor == readTensor, "\(tensor.name)")
        }
        #expect(read == file)
    }

    @Test func writeToAndContentsOfAgree() throws {
        let dir = try BuiltProducts.temporaryDirectory()
        let path = dir.appendingPathComponent("x.gguf").path
        let file = GGUFFile(metadata: everyValue, tensors: try everyTensorType())
        try file.write(to: path)
        #expect(try GGUFFile(contentsOf: path) == file)
        // Nothing else is left in the directory (the temporary file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.gguf"])
    }

    @Test func headerFieldsSitAtTheirSpecifiedOffsets() throws {
        let file = GGUFFile(
            metadata: [("k", .uint16(0x0102))],
            tensors: [GGUFTensor(name: "t", type: .F32, shape: [2, 3], data: Array(0..<24))])
        let bytes = try file.encoded()
        // docs/gguf.md: magic, u32 version, u64 n_tensors, u64 n_kv, then KV pairs.
        #expect(Array(bytes[0..<4]) == Array("GGUF".utf8))
        #expect(Array(bytes[4..<8]) == [3, 0, 0, 0])
        #expect(Array(bytes[8..<16]) == [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[16..<24]) == [1, 0, 0, 0, 0, 0, 0, 0])
        // key "k": u64 length 1, 'k', u32 type 2 (UINT16), value 0x0102 low byte first.
        #expect(Array(bytes[24..<39]) == [1, 0, 0, 0, 0, 0, 0, 0, 0x6B, 2, 0, 0, 0, 2, 1])
        // tensor info "t": name, n_dims 2, ne = [3, 2] (innermost first), type 0, offset 0.
        let info: [UInt8] =
            [1, 0, 0, 0, 0, 0, 0, 0, 0x74, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]
            + [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(Array(bytes[39..<80]) == info)
        // 80 bytes of header, padded to 96 (alignment 32), then 24 data bytes padded to 32.
        #expect(bytes.count == 96 + 32)
        #expect(bytes[80..<96].allSatisfy { $0 == 0 })
        #expect(Array(bytes[96..<120]) == Array(0..<24))
        #expect(bytes[120...].allSatisfy { $0 == 0 })
    }

    @Test func tensorsArePaddedToTheAlignmentFromGeneralAlignment() throws {
        for alignment: UInt32 in [1, 8, 32, 64, 256] {
            let file = GGUFFile(
                metadata: [("general.alignment", .uint32(alignment))],
                tensors: [
                    GGUFTensor(
                        name: "a", type: .F32, shape: [5], data: Array(repeating: 7, count: 20)),
                    GGUFTensor(name: "b", type: .I8, shape: [3], data: [1, 2, 3]),
                ])
            let (dataOffset, placements) = try file.placements()
            let a = Int(alignment)
            let expectedOffsets = [0, (20 + a - 1) / a * a]
            #expect(dataOffset % a == 0)
            #expect(placements.map(\.offset) == expectedOffsets, "alignment \(alignment)")
            let bytes = try file.encoded()
            #expect(bytes.count == dataOffset + expectedOffsets[1] + (3 + a - 1) / a * a)
            let gap = bytes[(dataOffset + 20)..<(dataOffset + expectedOffsets[1])]
            #expect(gap.allSatisfy { $0 == 0 }, "padding bytes are zero")
            #expect(try GGUFFile(bytes: bytes) == file)
        }
    }

    @Test func defaultAlignmentIs32() throws {
        #expect(try GGUFFile().alignment() == 32)  // GGUF_DEFAULT_ALIGNMENT
        #expect(try GGUFFile().encoded().count == 32)  // 24 header bytes, padded
    }

    @Test func writerRefusesWhatLlamaCppWouldRefuse() throws {
        let t = GGUFTensor(name: "t", type: .F32, shape: [1], data: [0, 0, 0, 0])
        let refused: [(String, GGUFFile, GGUFError)] = [
            (
                "duplicate key", GGUFFile(metadata: [("k", .bool(true)), ("k", .bool(false))]),
                .duplicateKey("k")
            ),
            ("duplicate tensor", GGUFFile(tensors: [t, t]), .duplicateTensorName("t")),
            (
                "alignment type", GGUFFile(metadata: [("general.alignment", .uint64(32))]),
                .badAlignment("type UINT64, expected UINT32")
            ),
            (
                "alignment 48", GGUFFile(metadata: [("general.alignment", .uint32(48))]),
                .badAlignment("48 is not a power of two")
            ),
            (
                "mixed array", GGUFFile(metadata: [("m", .array(.uint8, [.int8(1)]))]),
                .arrayElementTypeMismatch(key: "m", expected: .uint8, found: .int8)
            ),
            (
                "data size",
                GGUFFile(tensors: [GGUFTensor(name: "d", type: .F32, shape: [2], data: [])]),
                .dataSizeMismatch(tensor: "d", expected: 8, actual: 0)
            ),
            (
                "five dims",
                GGUFFile(tensors: [
                    GGUFTensor(name: "f", type: .I8, shape: [1, 1, 1, 1, 1], data: [0])
                ]),
                .tooManyDimensions(tensor: "f", count: 5, limit: 4)
            ),
            (
                "partial block",
                GGUFFile(tensors: [GGUFTensor(name: "p", type: .Q8_0, shape: [16], data: [])]),
                .rowNotWholeBlocks(tensor: "p", type: .Q8_0, rowLength: 16)
            ),
        ]
        for (label, file, expected) in refused {
            #expect(throws: expected, "\(label)") { try file.encoded() }
        }
        let longName = String(repeating: "x", count: 64)
        #expect(throws: GGUFError.nameTooLong(tensor: longName, bytes: 64, limit: 64)) {
            try GGUFFile(tensors: [GGUFTensor(name: longName, type: .I8, shape: [], data: [1])])
                .encoded()
        }
    }

    @Test func aFailedWriteLeavesNoFile() throws {
        let dir = try BuiltProducts.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.gguf").path
        let bad = GGUFFile(metadata: [("k", .bool(true)), ("k", .bool(true))])
        #expect(throws: GGUFError.self) { try bad.write(to: path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func quantizingThenDequantizingMatchesTheGGMLFormat() throws {
        let values = (0..<64).map { Float($0 % 17) / 3 - 2 }
        for type in GGMLType.allCases where type.format != nil {
            let format = try #require(type.format)
            let count = format.blockSize * 2
            let row = (0..<count).map { values[$0 % values.count] }
            let tensor = try GGUFTensor.quantizing(
                name: "x", values: row, shape: [1, count], type: type)
            #expect(tensor.data == (try format.quantize(row)), "\(type.name) bytes")
            #expect(try tensor.float32Values() == (try format.dequantize(tensor.data)))
        }
        // F32 is exact; F16 and BF16 round to nearest even: 1 + 2⁻¹¹ is a tie in fp16 and
        // goes to 1; 1 + 2⁻⁸ is a tie in bf16 and goes to 1 too.
        let plain: [Float] = [1 + 0x1p-11, 1 + 0x1p-8, -3.5]
        let f32 = try GGUFTensor.quantizing(name: "a", values: plain, shape: [3], type: .F32)
        let f16 = try GGUFTensor.quantizing(name: "b", values: plain, shape: [3], type: .F16)
        let bf16 = try GGUFTensor.quantizing(name: "c", values: plain, shape: [3], type: .BF16)
        #expect(try f32.float32Values() == plain)
        #expect(try f16.float32Values() == [1, 1 + 0x1p-8, -3.5])
        #expect(try bf16.float32Values() == [1, 1, -3.5])
    }

    @Test func quantizingRefusesPartialBlocksAndMissingQuantizers() throws {
        #expect(throws: GGUFError.rowNotWholeBlocks(tensor: "w", type: .Q4_0, rowLength: 48)) {
            try GGUFTensor.quantizing(
                name: "w", values: Array(repeating: 0, count: 96), shape: [2, 48], type: .Q4_0)
        }
        #expect(throws: GGUFError.invalidShape(tensor: "w", shape: [2, 32])) {
            try GGUFTensor.quantizing(name: "w", values: [1], shape: [2, 32], type: .F32)
        }
        #expect(throws: GGUFError.noQuantizer(.IQ2_XXS)) {
            try GGUFTensor.quantizing(
                name: "w", values: Array(repeating: 0, count: 256), shape: [256], type: .IQ2_XXS)
        }
        let file = GGUFFile(tensors: [
            GGUFTensor(name: "k", type: .TQ2_0, shape: [256], data: Array(repeating: 0, count: 66))
        ])
        #expect(throws: GGUFError.cannotDequantize(.TQ2_0)) { try file.float32Values(named: "k") }
        #expect(throws: GGUFError.tensorNotFound("nope")) { try file.tensor(named: "nope") }
    }
}
