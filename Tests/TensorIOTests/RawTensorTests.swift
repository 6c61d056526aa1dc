import Testing

@testable import TensorIO

/// RawTensor holds exactly count × width little-endian bytes, and its typed views decode what
/// its typed initialisers encoded.
@Suite struct RawTensorTests {
    @Test func elementsAreStoredLittleEndianLowByteFirst() {
        #expect(RawTensor(uint32: [0x1234_5678], shape: [1]).bytes == [0x78, 0x56, 0x34, 0x12])
        #expect(RawTensor(int16: [-2], shape: [1]).bytes == [0xFE, 0xFF])
        #expect(RawTensor(float32: [1.0], shape: []).bytes == [0x00, 0x00, 0x80, 0x3F])  // 0x3F800000
        #expect(RawTensor(bool: [true, false, true], shape: [3]).bytes == [1, 0, 1])
    }

    @Test func countIsTheProductOfTheShape() throws {
        #expect(try patternTensor(.float32, shape: []).count == 1)
        #expect(try patternTensor(.float32, shape: [0, 3]).count == 0)
        #expect(try patternTensor(.int16, shape: [2, 3, 4]).count == 24)
    }

    @Test func typedInitialisersAndAccessorsRoundTrip() throws {
        #expect(try RawTensor(int8: [-128, 5, 127], shape: [3]).int8s() == [-128, 5, 127])
        #expect(try RawTensor(uint8: [0, 200], shape: [2]).uint8s() == [0, 200])
        #expect(try RawTensor(int16: [-300, 300], shape: [2]).int16s() == [-300, 300])
        #expect(try RawTensor(uint16: [65535, 7], shape: [2, 1]).uint16s() == [65535, 7])
        #expect(try RawTensor(int32: [.min, 9], shape: [2]).int32s() == [.min, 9])
        #expect(try RawTensor(uint32: [.max, 3], shape: [2]).uint32s() == [.max, 3])
        #expect(try RawTensor(int64: [.min, -1], shape: [2]).int64s() == [.min, -1])
        #expect(try RawTensor(uint64: [.max, 1 << 40], shape: [2]).uint64s() == [.max, 1 << 40])
        #expect(
            try RawTensor(float64: [-0.0, 1e-310], shape: [2]).float64s().map(\.bitPattern) == [
                (-0.0).bitPattern, 1e-310.bitPattern,
            ])
        #expect(try RawTensor(float16Bits: [0x3C00, 0x8001], shape: [2]).float16Bits() == [0x3C00, 0x8001])
        #expect(try RawTensor(bfloat16Bits: [0x3F80, 0xFF80], shape: [2]).bfloat16Bits() == [0x3F80, 0xFF80])
        #expect(try RawTensor(bool: [false, true], shape: [2]).bools() == [false, true])
        let floats: [Float] = [0.1, -3.5, .leastNonzeroMagnitude, -.infinity]
        #expect(firstBitMismatch(try RawTensor(float32: floats, shape: [2, 2]).floats(), floats) == nil)
    }

    @Test func float16WidensExactly() throws {
        let bits: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0400, 0x8000, 0x7C00, 0x3555]
        let expected: [Float] = [1, -2, 65504, 0x1p-24, 0x1p-14, -0.0, .infinity, 0.333251953125]
        #expect(firstBitMismatch(try RawTensor(float16Bits: bits, shape: [8]).floats(), expected) == nil)
    }

    @Test func bfloat16IsTheTopHalfOfAFloat32() throws {
        let bits: [UInt16] = [0x3F80, 0xC040, 0x3EAB, 0x0001, 0x7F7F, 0x8000]
        let expected: [Float] = [
            1, -3, 0.333984375, Float(bitPattern: 0x0001_0000), Float(bitPattern: 0x7F7F_0000), -0.0,
        ]
        #expect(firstBitMismatch(try RawTensor(bfloat16Bits: bits, shape: [6]).floats(), expected) == nil)
    }

    @Test func float64RoundsToTheNearestFloat() throws {
        // 1 + 2^-24 is exactly halfway between 1 and the next Float: ties go to even (1).
        // 1 + 3·2^-24 is halfway between 1 + 2^-23 and 1 + 2^-22: even is 1 + 2^-22.
        let doubles: [Double] = [0.1, 1 + 0x1p-24, 1 + 3 * 0x1p-24, 1e300, -1e-50]
        let expected: [Float] = [0.1, 1, 1 + 0x1p-22, .infinity, -0.0]
        #expect(firstBitMismatch(try RawTensor(float64: doubles, shape: [5]).floats(), expected) == nil)
    }

    @Test(arguments: [ElementType.int8, .uint8, .int16, .uint16, .int32, .uint32, .int64, .uint64, .bool])
    func floatsOfAnIntegerTensorThrows(type: ElementType) throws {
        let tensor = try patternTensor(type, shape: [2])
        #expect(throws: TensorFileError.unsupportedElementType(type, operation: "floats()")) { try tensor.floats() }
    }

    @Test func accessorsRefuseOtherElementTypes() {
        let tensor = RawTensor(float32: [1, 2], shape: [2])
        #expect(throws: TensorFileError.elementTypeMismatch(requested: .uint8, actual: .float32)) {
            try tensor.uint8s()
        }
        #expect(throws: TensorFileError.elementTypeMismatch(requested: .int32, actual: .float32)) {
            try tensor.int32s()
        }
        #expect(throws: TensorFileError.elementTypeMismatch(requested: .uint16, actual: .float16)) {
            try RawTensor(float16Bits: [1], shape: [1]).uint16s()
        }
    }

    @Test func checkedInitialiserValidatesShapeAndBytes() {
        #expect(throws: TensorFileError.byteCountMismatch(expected: 24, actual: 23)) {
            try RawTensor(elementType: .float32, shape: [2, 3], bytes: [UInt8](repeating: 0, count: 23))
        }
        #expect(throws: TensorFileError.invalidShape(reason: "negative dimension -2 in [3, -2]")) {
            try RawTensor(elementType: .uint8, shape: [3, -2], bytes: [])
        }
        #expect(throws: TensorFileError.shapeOverflow(shape: [1 << 32, 1 << 32])) {
            try RawTensor(elementType: .uint8, shape: [1 << 32, 1 << 32], bytes: [])
        }
        #expect(throws: TensorFileError.shapeOverflow(shape: [1 << 62])) {
            try RawTensor(elementType: .uint32, shape: [1 << 62], bytes: [])
        }
    }

    @Test func everyElementTypeHasItsWidth() {
        let widths = ElementType.allCases.map { "\($0.rawValue):\($0.byteWidth)" }
        #expect(
            widths == [
                "float16:2", "bfloat16:2", "float32:4", "float64:8", "int8:1", "uint8:1", "int16:2", "uint16:2",
                "int32:4", "uint32:4", "int64:8", "uint64:8", "bool:1",
            ])
    }

    @Test func everyErrorDescriptionIsOneLine() {
        let errors: [TensorFileError] = [
            .fileNotFound(path: "a"), .notARegularFile(path: "a"), .readFailed(path: "a", reason: "r"),
            .writeFailed(path: "a", reason: "r"), .badMagic(format: ".npy"), .unsupportedVersion(major: 9, minor: 1),
            .truncatedHeader(declared: 1, available: 0), .truncatedData(declared: 1, available: 0),
            .trailingBytes(count: 1), .headerTooLarge(length: 1, limit: 0), .malformedHeader(reason: "r"),
            .unsupportedDtype("x"), .invalidShape(reason: "r"),
            .shapeOverflow(shape: [1]), .invalidTensorEntry(name: "w", reason: "r"),
            .invalidOffsets(name: "w", reason: "r"),
            .duplicateTensorName("w"), .byteCountMismatch(expected: 1, actual: 0),
            .unsupportedElementType(.int8, operation: "floats()"),
            .elementTypeMismatch(requested: .int8, actual: .uint8),
        ]
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.contains("\n"), "\(error)")
        }
    }
}
