import Core
import GGUF

/// Metadata with every value type: the 12 scalars, empty and non-ASCII strings, an empty
/// array, arrays of every type, and arrays of arrays (one of them empty).
let everyValue: [(String, GGUFValue)] = [
    ("general.architecture", .string("lowbit-test")),
    ("s.uint8", .uint8(255)), ("s.int8", .int8(-128)), ("s.uint16", .uint16(65535)),
    ("s.int16", .int16(-32768)), ("s.uint32", .uint32(4_294_967_295)),
    ("s.int32", .int32(-2_147_483_648)), ("s.uint64", .uint64(.max)), ("s.int64", .int64(.min)),
    ("s.float32", .float32(-0.0)), ("s.float64", .float64(.nan)), ("s.bool.true", .bool(true)),
    ("s.bool.false", .bool(false)), ("s.string", .string("héllo ✓ \u{0}")),
    ("s.empty", .string("")), ("", .string("an empty key is allowed")),
    ("a.empty", .array(.float64, [])),
    ("a.uint8", .array(.uint8, [0, 1, 255].map(GGUFValue.uint8))),
    ("a.int8", .array(.int8, [-1].map(GGUFValue.int8))),
    ("a.uint16", .array(.uint16, [7].map(GGUFValue.uint16))),
    ("a.int16", .array(.int16, [-7].map(GGUFValue.int16))),
    ("a.uint32", .array(.uint32, [7].map(GGUFValue.uint32))),
    ("a.int32", .array(.int32, [-7].map(GGUFValue.int32))),
    ("a.uint64", .array(.uint64, [7].map(GGUFValue.uint64))),
    ("a.int64", .array(.int64, [-7].map(GGUFValue.int64))),
    ("a.float32", .array(.float32, [1.5, .infinity].map(GGUFValue.float32))),
    ("a.float64", .array(.float64, [1e-300].map(GGUFValue.float64))),
    ("a.bool", .array(.bool, [true, false].map(GGUFValue.bool))),
    ("a.string", .array(.string, ["", "a", "ß"].map(GGUFValue.string))),
    (
        "a.array",
        .array(
            .array,
            [
                .array(.int32, [.int32(1), .int32(2)]), .array(.string, []),
                .array(.array, [.array(.bool, [.bool(true)])]),
            ])
    ),
]

/// One tensor of every GGML type, shape [2, 2 × blockSize]: quantized from seeded normal
/// values where `GGML` has the format, random bytes otherwise (the reader and writer move
/// bytes; they never look inside a block).
func everyTensorType(seed: UInt64 = 12) throws -> [GGUFTensor] {
    var rng = SeededRNG(seed: seed)
    return try GGMLType.allCases.map { type in
        let shape = [2, 2 * type.blockSize]
        let name = "t.\(type.name.lowercased())"
        if type.format != nil || [.F32, .F16, .BF16].contains(type) {
            let values = (0..<(shape[0] * shape[1])).map { _ in Float(rng.normal()) }
            return try GGUFTensor.quantizing(name: name, values: values, shape: shape, type: type)
        }
        let bytes = (0..<(4 * type.typeSize)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        return GGUFTensor(name: name, type: type, shape: shape, data: bytes)
    }
}

/// A small valid file for the malformed-file and fuzz tests: a few keys of different types
/// and three tensors, 1-D to 3-D.
func smallValidFile() throws -> GGUFFile {
    GGUFFile(
        metadata: [
            ("general.architecture", .string("tiny")), ("n", .uint32(3)),
            ("names", .array(.string, [.string("a"), .string("bc")])),
            ("nested", .array(.array, [.array(.uint8, [.uint8(1)])])),
            ("flag", .bool(true)),
        ],
        tensors: [
            try GGUFTensor.quantizing(
                name: "a", values: [1, 2, 3], shape: [3], type: .F32),
            try GGUFTensor.quantizing(
                name: "q", values: (0..<64).map { Float($0) / 8 }, shape: [2, 32], type: .Q8_0),
            try GGUFTensor.quantizing(
                name: "h", values: [1, -2, 0.5, 4], shape: [1, 2, 2], type: .F16),
        ])
}
