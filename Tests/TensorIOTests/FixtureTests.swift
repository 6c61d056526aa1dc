import Foundation
import Testing

@testable import TensorIO

/// Files written by numpy 2.4.6 and safetensors 0.8.0 (Fixtures/make_fixtures.py; the values
/// below are copied from that script) must load with exactly the values the script put in.
@Suite struct FixtureTests {
    // The script's arrays, in C order. Keep in step with make_fixtures.py.
    // np.float16(0.1) is 0.0999755859375; 2**-14 is 6.103515625e-05.
    static let float16Values: [Float] = [1.0, -2.5, 0.0999755859375, 65504.0, 6.103515625e-05, -.infinity]
    static let float32Values: [Float] = [1.5, -2.25, 0.1, 65504.0, -0.0, 3.4028235e38]
    static let float64Values: [Double] = [1.0 / 3.0, -1e300, 5e-324, 2.5]
    static let int8Values: [Int8] = [-128, -1, 0, 1, 7, 100, 127]
    static let uint8Values: [UInt8] = [0, 1, 2, 3, 128, 200, 254, 255]
    static let int16Values: [Int16] = (0..<24).map { Int16($0 * 1000 - 12000) }  // arange(24) * 1000 - 12000
    static let uint16Values: [UInt16] = [0, 1, 65535]
    static let int32Values: [Int32] = [-2_147_483_648, -1, 7, 2_147_483_647]
    static let uint32Values: [UInt32] = [0, 0x1234_5678, 4_294_967_295]
    static let int64Values: [Int64] = [.min, -2, .max]
    static let uint64Values: [UInt64] = [0x0123_4567_89AB_CDEF, .max]
    static let boolValues: [Bool] = [true, true, false, true, false]
    static let bfloat16Bits: [UInt16] = [0x3F80, 0xC040, 0x3EAB, 0x7F80]  // 1.0, -3.0, 0.333984375, +inf

    /// Checks one tensor, wherever it came from, against the script's values for its name.
    static func checkValues(_ tensor: RawTensor, npyName name: String) throws {
        switch name {
        case "f2_6.npy":
            #expect(tensor.elementType == .float16 && tensor.shape == [6])
            #expect(firstBitMismatch(try tensor.floats(), float16Values) == nil)
        case "f4_2x3.npy":
            #expect(tensor.elementType == .float32 && tensor.shape == [2, 3])
            #expect(firstBitMismatch(try tensor.floats(), float32Values) == nil)
        case "f8_2x2.npy":
            #expect(tensor.elementType == .float64 && tensor.shape == [2, 2])
            #expect(firstMismatch(try tensor.float64s().map(\.bitPattern), float64Values.map(\.bitPattern)) == nil)
        case "i1_7.npy":
            #expect(tensor.elementType == .int8 && tensor.shape == [7])
            #expect(firstMismatch(try tensor.int8s(), int8Values) == nil)
        case "u1_2x4.npy":
            #expect(tensor.elementType == .uint8 && tensor.shape == [2, 4])
            #expect(firstMismatch(try tensor.uint8s(), uint8Values) == nil)
        case "i2_2x3x4.npy":
            #expect(tensor.elementType == .int16 && tensor.shape == [2, 3, 4])
            #expect(firstMismatch(try tensor.int16s(), int16Values) == nil)
        case "u2_3.npy":
            #expect(tensor.elementType == .uint16 && tensor.shape == [3])
            #expect(firstMismatch(try tensor.uint16s(), uint16Values) == nil)
        case "i4_2x2.npy":
            #expect(tensor.elementType == .int32 && tensor.shape == [2, 2])
            #expect(firstMismatch(try tensor.int32s(), int32Values) == nil)
        case "u4_3.npy":
            #expect(tensor.elementType == .uint32 && tensor.shape == [3])
            #expect(firstMismatch(try tensor.uint32s(), uint32Values) == nil)
        case "i8_3.npy":
            #expect(tensor.elementType == .int64 && tensor.shape == [3])
            #expect(firstMismatch(try tensor.int64s(), int64Values) == nil)
        case "u8_2.npy":
            #expect(tensor.elementType == .uint64 && tensor.shape == [2])
            #expect(firstMismatch(try tensor.uint64s(), uint64Values) == nil)
        case "b1_5.npy":
            #expect(tensor.elementType == .bool && tensor.shape == [5])
            #expect(firstMismatch(try tensor.bools(), boolValues) == nil)
        case "scalar_f8.npy":
            #expect(tensor.elementType == .float64 && tensor.shape == [] && tensor.count == 1)
            #expect(try tensor.float64s() == [-7.25])
        case "empty_f4_0x3.npy":
            #expect(tensor.elementType == .float32 && tensor.shape == [0, 3] && tensor.count == 0)
            #expect(tensor.bytes.isEmpty)
        default:
            Issue.record("no expected values for \(name)")
        }
    }

    static let npySaveFixtures = [
        "f2_6.npy", "f4_2x3.npy", "f8_2x2.npy", "i1_7.npy", "u1_2x4.npy", "i2_2x3x4.npy", "u2_3.npy",
        "i4_2x2.npy", "u4_3.npy", "i8_3.npy", "u8_2.npy", "b1_5.npy", "scalar_f8.npy", "empty_f4_0x3.npy",
    ]

    @Test(arguments: npySaveFixtures)
    func numpyFilesLoadWithTheirValues(name: String) throws {
        try Self.checkValues(NPY.read(contentsOf: fixturePath(name)), npyName: name)
    }

    /// Our encoder reproduces `np.save` byte for byte: same header text, padding and alignment.
    @Test(arguments: npySaveFixtures)
    func reEncodingANumpyFileGivesIdenticalBytes(name: String) throws {
        let original = try fixtureBytes(name)
        #expect(firstMismatch(NPY.encode(try NPY.decode(original)), original) == nil)
    }

    @Test(arguments: ["v2_f4_3.npy", "v3_f4_3.npy"])
    func formatVersions2And3Load(name: String) throws {
        let bytes = try fixtureBytes(name)
        #expect(bytes[6] == (name.hasPrefix("v2") ? 2 : 3))
        let tensor = try NPY.decode(bytes)
        #expect(tensor.shape == [3])
        #expect(try tensor.floats() == [0.5, -1.0, 2.0])
    }

    /// np.save(np.asfortranarray(arange(6).reshape(2, 3))) — numpy.load gives the same
    /// [[0, 1, 2], [3, 4, 5]] as the C-ordered array (make_fixtures.py); so must we.
    @Test func numpyFortranOrderFileReadsAsNumPyLoadsIt() throws {
        let tensor = try NPY.read(contentsOf: fixturePath("fortran_f4_2x3.npy"))
        #expect(tensor.shape == [2, 3])
        #expect(try tensor.floats() == [0, 1, 2, 3, 4, 5])
    }

    /// [1, 2, 3] saved as '>f4' (make_fixtures.py).
    @Test func numpyBigEndianFileReadsAsNumPyLoadsIt() throws {
        let tensor = try NPY.read(contentsOf: fixturePath("bigendian_f4_3.npy"))
        #expect(tensor.elementType == .float32 && tensor.shape == [3])
        #expect(try tensor.floats() == [1, 2, 3])
    }

    /// Each tensor in all_dtypes.safetensors holds the same values as the npy fixture it was made from.
    @Test func safetensorsFileWithEveryDtypeLoadsWithItsValues() throws {
        let file = try Safetensors.read(contentsOf: fixturePath("all_dtypes.safetensors"))
        #expect(file.metadata == ["source": "make_fixtures.py"])
        let sources = [
            "f16": "f2_6.npy", "f32": "f4_2x3.npy", "f64": "f8_2x2.npy", "i8": "i1_7.npy", "u8": "u1_2x4.npy",
            "i16": "i2_2x3x4.npy", "u16": "u2_3.npy", "i32": "i4_2x2.npy", "u32": "u4_3.npy", "i64": "i8_3.npy",
            "u64": "u8_2.npy", "mask": "b1_5.npy", "scalar": "scalar_f8.npy", "empty": "empty_f4_0x3.npy",
        ]
        for (name, npyName) in sources {
            let tensor = try #require(file[name], "tensor \(name) missing")
            try Self.checkValues(tensor, npyName: npyName)
        }
        let bf16 = try #require(file["bf16"])
        #expect(bf16.elementType == .bfloat16 && bf16.shape == [2, 2])
        #expect(try bf16.bfloat16Bits() == Self.bfloat16Bits)
        #expect(try bf16.floats() == [1.0, -3.0, 0.333984375, .infinity])
        #expect(file.tensors.count == sources.count + 1)
    }

    /// Tensors come back in file order, which the library chose: alignment descending, then name.
    @Test func safetensorsTensorsComeBackInFileOrder() throws {
        let file = try Safetensors.read(contentsOf: fixturePath("all_dtypes.safetensors"))
        #expect(
            file.tensors.map(\.name) == [
                "u64", "i64", "f64", "scalar", "empty", "f32", "u32", "i32", "bf16", "f16", "u16", "i16", "i8", "u8",
                "mask",
            ])
    }

    /// Our encoder reproduces the library's `serialize` byte for byte (one metadata key, so
    /// the library's hash-map order cannot differ from our sorted order).
    @Test(arguments: ["all_dtypes.safetensors", "no_tensors.safetensors"])
    func reEncodingASafetensorsFileGivesIdenticalBytes(name: String) throws {
        let original = try fixtureBytes(name)
        #expect(firstMismatch(try Safetensors.encode(Safetensors.decode(original)), original) == nil)
    }

    @Test func safetensorsMetadataWithEscapesAndUnicodeLoads() throws {
        let file = try Safetensors.read(contentsOf: fixturePath("metadata.safetensors"))
        #expect(file.metadata == ["format": "np", "note": "héllo \"quoted\"\n/slash", "empty": ""])
        #expect(try file["weight"]?.floats() == [1.0, 2.0, 3.0, -4.0, 5.5, 6.0])
        #expect(file["weight"]?.shape == [2, 3])
        // Our encoding differs only in metadata key order; it must decode to the same file.
        let again = try Safetensors.decode(Safetensors.encode(file))
        #expect(again.metadata == file.metadata)
        #expect(again["weight"] == file["weight"])
    }

    @Test func safetensorsFileWithNoTensorsLoads() throws {
        let file = try Safetensors.read(contentsOf: fixturePath("no_tensors.safetensors"))
        #expect(file.tensors.isEmpty && file.metadata.isEmpty)
    }
}
