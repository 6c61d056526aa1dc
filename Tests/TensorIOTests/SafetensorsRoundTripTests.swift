import Foundation
import Testing

@testable import TensorIO

/// decode(encode(f)) holds the same tensors and metadata, for every dtype and shape kind,
/// and the layout follows the reference library.
@Suite struct SafetensorsRoundTripTests {
    @Test(arguments: ElementType.allCases, roundTripShapes)
    func encodeThenDecodeGivesBackTheSameTensor(type: ElementType, shape: [Int]) throws {
        let tensor = try patternTensor(type, shape: shape)
        let file = SafetensorsFile(tensors: [("t", tensor)], metadata: ["shape": "\(shape)"])
        let decoded = try Safetensors.decode(Safetensors.encode(file))
        #expect(decoded["t"] == tensor)
        #expect(decoded.metadata == file.metadata)
    }

    @Test func everyDtypeInOneFileRoundTrips() throws {
        var tensors: [(name: String, tensor: RawTensor)] = []
        for (index, type) in ElementType.allCases.enumerated() {
            tensors.append(
                (name: "\(type.rawValue)", tensor: try patternTensor(type, shape: roundTripShapes[index % 4])))
        }
        let decoded = try Safetensors.decode(Safetensors.encode(SafetensorsFile(tensors: tensors)))
        #expect(decoded.tensors.count == tensors.count)
        for (name, tensor) in tensors {
            #expect(decoded[name] == tensor, "tensor \(name)")
        }
    }

    /// The library sorts by dtype alignment (largest first), then by name, whatever order we give.
    @Test func tensorsAreWrittenByAlignmentThenName() throws {
        let file = SafetensorsFile(tensors: [
            ("b_u8", RawTensor(uint8: [1, 2, 3], shape: [3])),
            ("z_f32", RawTensor(float32: [0.5], shape: [1])),
            ("a_u8", RawTensor(uint8: [9], shape: [1])),
            ("a_bf16", RawTensor(bfloat16Bits: [0x4040], shape: [1])),
            ("c_f64", RawTensor(float64: [2.5], shape: [1])),
        ])
        let decoded = try Safetensors.decode(Safetensors.encode(file))
        #expect(decoded.tensors.map(\.name) == ["c_f64", "z_f32", "a_bf16", "a_u8", "b_u8"])
    }

    @Test func headerIsPaddedWithSpacesToAMultipleOf8() throws {
        for length in 0..<9 {
            let name = String(repeating: "w", count: length + 1)
            let bytes = try Safetensors.encode(SafetensorsFile(tensors: [(name, RawTensor(uint8: [1], shape: [1]))]))
            let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
            #expect(headerLength % 8 == 0)
            #expect(bytes.count == 8 + headerLength + 1)
            #expect(bytes[8 + headerLength - 1] == 0x7D || bytes[8 + headerLength - 1] == 0x20)  // '}' or ' '
        }
    }

    @Test func jsonStringsAreEscapedLikeSerdeJson() {
        #expect(Safetensors.jsonString("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(Safetensors.jsonString("\n\t\u{1}é") == "\"\\n\\t\\u0001é\"")
    }

    @Test func duplicateOrReservedNamesAreRefused() {
        let one = RawTensor(uint8: [1], shape: [1])
        #expect(throws: TensorFileError.duplicateTensorName("w")) {
            try Safetensors.encode(SafetensorsFile(tensors: [("w", one), ("w", one)]))
        }
        #expect(throws: TensorFileError.duplicateTensorName("__metadata__")) {
            try Safetensors.encode(SafetensorsFile(tensors: [("__metadata__", one)]))
        }
    }

    @Test func writeThenReadGivesBackTheSameFile() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = SafetensorsFile(
            tensors: [("w", RawTensor(float16Bits: [0x3C00, 0xC000], shape: [2]))], metadata: ["k": "v"])
        try Safetensors.write(file, to: directory + "/m.safetensors")
        let read = try Safetensors.read(contentsOf: directory + "/m.safetensors")
        #expect(read["w"] == file["w"] && read.metadata == ["k": "v"])
        #expect(try read["w"]?.floats() == [1.0, -2.0])
    }
}
