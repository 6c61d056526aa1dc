import Foundation
import Testing

@testable import TensorIO

/// Every malformed .safetensors file throws the TensorFileError that names its problem. The
/// rules are the reference library's (safetensors/src/tensor.rs, `read_metadata` and `validate`).
@Suite struct SafetensorsMalformedTests {
    static let weight = #"{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}"#
    static let buffer24 = [UInt8](repeating: 0x42, count: 24)

    /// A file with one tensor entry `"w": entry`, and the given data buffer.
    static func oneTensor(_ entry: String, buffer: [UInt8] = buffer24) -> [UInt8] {
        safetensorsBytes(json: #"{"w":"# + entry + "}", buffer: buffer)
    }

    /// Decodes `bytes` and checks that the TensorFileError thrown satisfies `check`.
    static func expectError(_ bytes: [UInt8], _ comment: String = "", check: (TensorFileError) -> Bool) {
        let error = tensorFileError { try Safetensors.decode(bytes) }
        #expect(error.map(check) == true, "got \(String(describing: error)) \(comment)")
    }

    @Test func theValidBaselineDecodes() throws {
        #expect(try Safetensors.decode(Self.oneTensor(Self.weight))["w"]?.shape == [2, 3])
    }

    @Test func fileShorterThanTheLengthFieldIsTruncated() {
        #expect(throws: TensorFileError.truncatedHeader(declared: 8, available: 3)) {
            try Safetensors.decode([1, 2, 3])
        }
    }

    @Test func headerLengthBeyondTheFileIsRefused() {
        var bytes = Self.oneTensor(Self.weight)
        bytes[0...7] = [0xE8, 0x03, 0, 0, 0, 0, 0, 0]  // claims a 1000-byte header
        #expect(throws: TensorFileError.truncatedHeader(declared: 1000, available: bytes.count - 8)) {
            try Safetensors.decode(bytes)
        }
    }

    @Test func absurdHeaderLengthIsRefusedBeforeReading() {
        var bytes = Self.oneTensor(Self.weight)
        bytes[0...7] = [0x01, 0xE1, 0xF5, 0x05, 0, 0, 0, 0]  // 100_000_001: one over the library's cap
        #expect(throws: TensorFileError.headerTooLarge(length: 100_000_001, limit: 100_000_000)) {
            try Safetensors.decode(bytes)
        }
        bytes[0...7] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: TensorFileError.headerTooLarge(length: .max, limit: 100_000_000)) {
            try Safetensors.decode(bytes)
        }
        // An .npy file read as safetensors: its magic makes an absurd length.
        let npy = NPY.encode(RawTensor(uint8: [1], shape: [1]))
        Self.expectError(npy) { if case .headerTooLarge = $0 { true } else { false } }
    }

    @Test(arguments: [
        #"{"w": "#, #"{not json}"#, "", #"{"w":{"dtype":"F32" "shape":[6]}}"#, "{\"w\u{0}\":1}", #"{"w":{}} {}"#,
    ])
    func badJSONIsRefused(json: String) {
        Self.expectError(safetensorsBytes(json: json)) {
            if case .malformedHeader(let reason) = $0 { reason.hasPrefix("header is not valid JSON") } else { false }
        }
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Self.oneTensor(Self.weight)
        bytes[10] = 0xFF  // inside the name "w"
        Self.expectError(bytes) { if case .malformedHeader = $0 { true } else { false } }
    }

    @Test func headerThatIsNotAnObjectIsRefused() {
        #expect(throws: TensorFileError.malformedHeader(reason: "header JSON is not an object")) {
            try Safetensors.decode(safetensorsBytes(json: "[1, 2]"))
        }
    }

    @Test(arguments: ["F8_E4M3", "C64", "F4", "float32", "f32"])
    func unsupportedDtypesAreRefused(dtype: String) {
        let bytes = Self.oneTensor(#"{"dtype":"\#(dtype)","shape":[6],"data_offsets":[0,24]}"#)
        Self.expectError(bytes) {
            if case .unsupportedDtype(let text) = $0 { text.contains("'\(dtype)'") } else { false }
        }
    }

    @Test func offsetsOutOfRangeAreRefused() {
        let entry = #"{"dtype":"F32","shape":[2,3],"data_offsets":[0,4096]}"#
        #expect(
            throws: TensorFileError.invalidOffsets(
                name: "w", reason: "[0, 4096] runs past the end of the 24-byte data buffer")
        ) {
            try Safetensors.decode(Self.oneTensor(entry))
        }
    }

    @Test func offsetsThatDisagreeWithShapeAreRefused() {
        let entry = #"{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}"#
        #expect(
            throws: TensorFileError.invalidOffsets(name: "w", reason: "[0, 24] holds 24 bytes, but F32 [2, 2] needs 16")
        ) {
            try Safetensors.decode(Self.oneTensor(entry))
        }
    }

    @Test func reversedOffsetsAreRefused() {
        let entry = #"{"dtype":"U8","shape":[0],"data_offsets":[24,0]}"#
        Self.expectError(Self.oneTensor(entry)) {
            $0 == .invalidOffsets(name: "w", reason: "[24, 0] ends before it begins")
        }
    }

    @Test func overlappingTensorsAreRefused() {
        let json =
            #"{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[4,12]}}"#
        Self.expectError(safetensorsBytes(json: json, buffer: [UInt8](repeating: 1, count: 12))) {
            $0 == .invalidOffsets(name: "b", reason: "[4, 12] overlaps the previous tensor, which ends at 8")
        }
    }

    @Test func gapsBetweenTensorsAreRefused() {
        let json =
            #"{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[4],"data_offsets":[12,16]}}"#
        Self.expectError(safetensorsBytes(json: json, buffer: [UInt8](repeating: 1, count: 16))) {
            $0 == .invalidOffsets(name: "b", reason: "[12, 16] leaves a gap: the previous tensor ends at 8")
        }
        // A gap before the first tensor, too.
        let late = #"{"dtype":"U8","shape":[4],"data_offsets":[4,8]}"#
        Self.expectError(Self.oneTensor(late, buffer: [0, 0, 0, 0, 1, 2, 3, 4])) {
            $0 == .invalidOffsets(name: "w", reason: "[4, 8] leaves a gap: the previous tensor ends at 0")
        }
    }

    @Test func bytesNotCoveredByAnyTensorAreRefused() {
        #expect(throws: TensorFileError.trailingBytes(count: 5)) {
            try Safetensors.decode(Self.oneTensor(Self.weight, buffer: Self.buffer24 + [1, 2, 3, 4, 5]))
        }
    }

    @Test func truncatedDataIsRefused() {
        #expect(
            throws: TensorFileError.invalidOffsets(
                name: "w", reason: "[0, 24] runs past the end of the 20-byte data buffer")
        ) {
            try Safetensors.decode(Self.oneTensor(Self.weight, buffer: Array(Self.buffer24[..<20])))
        }
    }

    @Test(arguments: ["[-1,3]", "[1.5]", "[true]", #"["2"]"#, "[18446744073709551616]", "[9223372036854775808]"])
    func nonIntegerOrNegativeDimensionsAreInvalid(shape: String) {
        let entry = #"{"dtype":"U8","shape":\#(shape),"data_offsets":[0,24]}"#
        Self.expectError(Self.oneTensor(entry), "shape \(shape)") { if case .invalidShape = $0 { true } else { false } }
    }

    @Test func overflowingShapeIsRefused() {
        let entry = #"{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,24]}"#
        #expect(throws: TensorFileError.shapeOverflow(shape: [1 << 40, 1 << 40])) {
            try Safetensors.decode(Self.oneTensor(entry))
        }
    }

    @Test(arguments: [
        #"{"shape":[6],"data_offsets":[0,24]}"#,
        #"{"dtype":"F32","data_offsets":[0,24]}"#,
        #"{"dtype":"F32","shape":[6]}"#,
        #"{"dtype":"F32","shape":[6],"data_offsets":[0]}"#,
        #"{"dtype":"F32","shape":[6],"data_offsets":[0,24,48]}"#,
        #"{"dtype":"F32","shape":[6],"data_offsets":[-8,24]}"#,
        #"{"dtype":"F32","shape":6,"data_offsets":[0,24]}"#,
        #"{"dtype":"F32","shape":[6],"data_offsets":[0,24],"extra":1}"#,
        #""a string""#,
    ])
    func malformedTensorEntriesAreRefused(entry: String) {
        Self.expectError(Self.oneTensor(entry), "entry \(entry)") {
            if case .invalidTensorEntry(name: "w", _) = $0 { true } else { false }
        }
    }

    @Test(arguments: [#"{"k":1}"#, #"{"k":null}"#, #""text""#, #"[]"#])
    func nonStringMetadataIsRefused(metadata: String) {
        let json = #"{"__metadata__":\#(metadata),"w":\#(Self.weight)}"#
        Self.expectError(safetensorsBytes(json: json, buffer: Self.buffer24)) {
            if case .malformedHeader(let reason) = $0 { reason.contains("__metadata__") } else { false }
        }
    }

    @Test func nullMetadataReadsAsEmpty() throws {
        let json = #"{"__metadata__":null,"w":\#(Self.weight)}"#
        #expect(try Safetensors.decode(safetensorsBytes(json: json, buffer: Self.buffer24)).metadata == [:])
    }

    /// Every prefix of a valid file, and every single-byte flip in its header, fails cleanly.
    @Test func everyTruncationAndByteFlipFailsCleanly() throws {
        let valid = try Safetensors.encode(
            SafetensorsFile(
                tensors: [("a", RawTensor(float32: [1, 2], shape: [2])), ("b", RawTensor(uint8: [3], shape: [1]))],
                metadata: ["m": "v"]))
        for length in 0..<valid.count {
            #expect(tensorFileError { try Safetensors.decode(Array(valid[..<length])) } != nil, "prefix \(length)")
        }
        for index in 0..<(valid.count - 9) {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = valid
                bytes[index] ^= flip
                do { _ = try Safetensors.decode(bytes) } catch is TensorFileError {} catch {
                    Issue.record("byte \(index) ^ \(flip): unexpected error \(error)")
                }
            }
        }
    }
}
