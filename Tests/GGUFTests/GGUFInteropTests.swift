import Foundation
import GGUF
import TensorIO
import TestSupport
import Testing

/// Files written by gguf-py (llama.cpp's Python package, gguf 0.19.0) with
/// Fixtures/make_fixtures.py: we read every key, value, tensor name, type and shape, and the
/// dequantized data equals gguf-py's `quants.dequantize`, saved beside as .npy.
@Suite struct GGUFInteropTests {
    let fixtures = Fixtures(.module)

    @Test func everyKeyAndValueWrittenByGgufPyIsRead() throws {
        let file = try GGUFFile(contentsOf: fixtures.path("gguf_py_types.gguf"))
        // The values make_fixtures.py passes to GGUFWriter, in its order; general.architecture
        // is added first by GGUFWriter's constructor.
        let expected: [(String, GGUFValue)] = [
            ("general.architecture", .string("lowbit-test")),
            ("t.uint8", .uint8(200)), ("t.int8", .int8(-100)), ("t.uint16", .uint16(60000)),
            ("t.int16", .int16(-30000)), ("t.uint32", .uint32(4_000_000_000)),
            ("t.int32", .int32(-2_000_000_000)), ("t.float32", .float32(0.1)),
            ("t.bool", .bool(true)), ("t.string", .string("héllo, GGUF ✓")),
            ("t.empty_string", .string("")), ("t.uint64", .uint64(18_000_000_000_000_000_000)),
            ("t.int64", .int64(-9_000_000_000_000_000_000)), ("t.float64", .float64(-2.5e-300)),
            ("a.uint8", .array(.uint8, [.uint8(0), .uint8(255)])),
            ("a.int8", .array(.int8, [.int8(-128), .int8(127)])),
            ("a.uint16", .array(.uint16, [.uint16(0), .uint16(65535)])),
            ("a.int16", .array(.int16, [.int16(-32768), .int16(32767)])),
            ("a.uint32", .array(.uint32, [.uint32(0), .uint32(4_294_967_295)])),
            ("a.int32", .array(.int32, [.int32(-2_147_483_648), .int32(7)])),
            ("a.float32", .array(.float32, [.float32(1.5), .float32(-0.0)])),
            ("a.bool", .array(.bool, [.bool(false), .bool(true)])),
            ("a.uint64", .array(.uint64, [.uint64(.max)])),
            ("a.int64", .array(.int64, [.int64(.min)])),
            ("a.float64", .array(.float64, [.float64(3.141592653589793)])),
            ("a.string", .array(.string, [.string("a"), .string(""), .string("ß")])),
            (
                "a.array",
                .array(
                    .array,
                    [
                        .array(.int32, [.int32(1), .int32(2)]), .array(.int32, [.int32(3)]),
                        .array(.int32, [.int32(4), .int32(5), .int32(6)]),
                    ])
            ),
            ("a.long", .array(.int32, (0..<100).map { GGUFValue.int32(Int32($0)) })),
        ]
        #expect(file.version == 3)
        #expect(file.metadata.map(\.key) == expected.map(\.0))
        for ((key, value), (_, readValue)) in zip(expected, file.metadata) {
            #expect(readValue == value, "\(key)")
        }
    }

    @Test(arguments: [
        ("w.f32", GGMLType.F32, [3, 64]), ("w.f16", .F16, [3, 64]), ("w.bf16", .BF16, [3, 64]),
        ("w.q8_0", .Q8_0, [3, 64]), ("w.q4_0", .Q4_0, [3, 64]), ("w.q6_k", .Q6_K, [2, 256]),
    ])
    func tensorsWrittenByGgufPyDequantizeToGgufPysValues(name: String, type: GGMLType, shape: [Int])
        throws
    {
        let file = try GGUFFile(contentsOf: fixtures.path("gguf_py_types.gguf"))
        let tensor = try file.tensor(named: name)
        #expect(tensor.type == type)
        #expect(tensor.shape == shape)
        let expected = try fixtures.raw("gguf_py_types.\(name).npy")
        #expect(expected.shape == shape)
        // Exact: every format's dequantization is one float multiply (and add) per value, the
        // same operations in numpy's float32 as in ours.
        let mismatch = firstBitMismatch(try expected.floats(), try file.float32Values(named: name))
        #expect(mismatch == nil, "\(name): \(mismatch ?? "")")
    }

    @Test func tensorOrderAndOffsetsMatchGgufPys() throws {
        let file = try GGUFFile(contentsOf: fixtures.path("gguf_py_types.gguf"))
        #expect(
            file.tensors.map(\.name) == ["w.f32", "w.f16", "w.bf16", "w.q8_0", "w.q4_0", "w.q6_k"])
        // gguf-py's GGUFReader: data_offset 1696, 2464, 2848, 3232, 3456, 3584 (absolute),
        // n_bytes 768, 384, 384, 204, 108, 420.
        let (dataOffset, placements) = try file.placements()
        #expect(placements.map { dataOffset + $0.offset } == [1696, 2464, 2848, 3232, 3456, 3584])
        #expect(placements.map(\.byteCount) == [768, 384, 384, 204, 108, 420])
    }

    @Test func alignment64FromGgufPyIsHonoured() throws {
        let path = try fixtures.path("gguf_py_align64.gguf")
        let file = try GGUFFile(contentsOf: path)
        #expect(file["general.alignment"] == .uint32(64))
        #expect(try file.alignment() == 64)
        #expect(try file.float32Values(named: "a") == fixtures.floats("gguf_py_align64.a.npy"))
        #expect(try file.float32Values(named: "b") == fixtures.floats("gguf_py_align64.b.npy"))
        #expect(try file.tensor(named: "b").shape == [2, 3])
    }

    @Test func rewritingGgufPysFilesReproducesTheirBytes() throws {
        // Same layout rules as gguf-py's GGUFWriter: our encoding of what we read is identical.
        for name in ["gguf_py_types.gguf", "gguf_py_align64.gguf"] {
            let path = try fixtures.path(name)
            let original = try readWholeFile(atPath: path)
            #expect(try GGUFFile(bytes: original).encoded() == original, "\(name)")
        }
    }
}
