import GGUF
import Testing

/// Little-endian bytes of a hand-made GGUF file, so a test can write exactly the lie it needs.
struct RawFile {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) {
        for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> s)) }
    }
    mutating func u64(_ v: UInt64) {
        for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> s)) }
    }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }

    /// "GGUF", version, n_tensors, n_kv.
    static func header(tensors: UInt64, keys: UInt64, version: UInt32 = 3) -> RawFile {
        var file = RawFile(bytes: Array("GGUF".utf8))
        file.u32(version)
        file.u64(tensors)
        file.u64(keys)
        return file
    }

    /// A tensor info: name, n_dims, ne (innermost first), type, offset.
    mutating func tensorInfo(_ name: String, ne: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(ne.count))
        for n in ne { u64(n) }
        u32(type)
        u64(offset)
    }

    /// Zero padding to a multiple of `alignment`, then `count` data bytes.
    mutating func dataSection(alignment: Int = 32, count: Int) {
        while bytes.count % alignment != 0 { u8(0) }
        bytes += [UInt8](repeating: 0x3F, count: count)
    }
}

/// Each malformed file is a thrown `GGUFError` with the problem named, never a crash.
@Suite struct GGUFMalformedFileTests {
    /// A file of one key "k" with a value of type `type` written by `value`.
    func oneKey(type: UInt32, _ value: (inout RawFile) -> Void) -> [UInt8] {
        var f = RawFile.header(tensors: 0, keys: 1)
        f.string("k")
        f.u32(type)
        value(&f)
        return f.bytes
    }

    /// A file of tensors given as (name, ne, type, offset), with `dataBytes` of data.
    func tensors(_ infos: [(String, [UInt64], UInt32, UInt64)], dataBytes: Int) -> [UInt8] {
        var f = RawFile.header(tensors: UInt64(infos.count), keys: 0)
        for (name, ne, type, offset) in infos {
            f.tensorInfo(name, ne: ne, type: type, offset: offset)
        }
        f.dataSection(count: dataBytes)
        return f.bytes
    }

    @Test func everyStrictPrefixOfAValidFileIsRefused() throws {
        let bytes = try smallValidFile().encoded()
        #expect(try GGUFFile(bytes: bytes) == smallValidFile())
        var accepted = 0
        for length in 0..<bytes.count {
            do {
                _ = try GGUFFile(bytes: Array(bytes[..<length]))
                accepted += 1
            } catch is GGUFError {}
        }
        #expect(accepted == 0)
    }

    @Test func badMagicAndVersionsAreRefused() throws {
        var magic = RawFile.header(tensors: 0, keys: 0)
        magic.bytes[3] = UInt8(ascii: "X")
        #expect(throws: GGUFError.badMagic(Array("GGUX".utf8))) { try GGUFFile(bytes: magic.bytes) }
        for version: UInt32 in [0, 1, 4, 0x0300_0000] {  // 0x03000000: a big-endian v3
            let file = RawFile.header(tensors: 0, keys: 0, version: version)
            #expect(throws: GGUFError.unsupportedVersion(version)) {
                try GGUFFile(bytes: file.bytes)
            }
        }
        let v2 = RawFile.header(tensors: 0, keys: 0, version: 2)  // same layout as v3
        #expect(try GGUFFile(bytes: v2.bytes).version == 2)
        #expect(GGUFError.unsupportedVersion(0x0300_0000).description.contains("big-endian"))
    }

    @Test func countsThatLieAreRefusedBeforeAllocating() throws {
        for count in [UInt64.max, 1 << 40, 2] {
            #expect(throws: GGUFError.countTooLarge(what: "n_tensors", count: count, remaining: 8))
            {
                try GGUFFile(
                    bytes: RawFile.header(tensors: count, keys: 0).bytes + [0, 0, 0, 0, 0, 0, 0, 0])
            }
            #expect(throws: GGUFError.countTooLarge(what: "n_kv", count: count, remaining: 0)) {
                try GGUFFile(bytes: RawFile.header(tensors: 0, keys: count).bytes)
            }
        }
        // A key whose length claims more bytes than remain.
        var key = RawFile.header(tensors: 0, keys: 1)
        key.u64(.max)
        key.bytes += Array("k".utf8) + [UInt8](repeating: 0, count: 12)
        #expect(
            throws: GGUFError.truncated(what: "key 0", offset: 32, needed: Int.max, available: 13)
        ) {
            try GGUFFile(bytes: key.bytes)
        }
        // A string value and an array whose lengths lie.
        let string = oneKey(type: 8) {
            $0.u64(1 << 62)
            $0.bytes += [0x41]
        }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: string) }
        let array = oneKey(type: 9) {
            $0.u32(4)
            $0.u64(.max)
            $0.u32(1)
        }
        #expect(
            throws: GGUFError.countTooLarge(what: "array length of 'k'", count: .max, remaining: 4)
        ) {
            try GGUFFile(bytes: array)
        }
        let strings = oneKey(type: 9) {
            $0.u32(8)
            $0.u64(3)
            $0.bytes += [UInt8](repeating: 0, count: 16)
        }
        #expect(
            throws: GGUFError.countTooLarge(what: "array length of 'k'", count: 3, remaining: 16)
        ) {
            try GGUFFile(bytes: strings)
        }
    }

    @Test func dimensionsThatLieAreRefused() throws {
        let huge = tensors([("t", [1 << 63], 0, 0)], dataBytes: 0)
        #expect(throws: GGUFError.shapeTooLarge(tensor: "t", dimensions: [1 << 63])) {
            try GGUFFile(bytes: huge)
        }
        let product = tensors([("t", [1 << 32, 1 << 32], 0, 0)], dataBytes: 0)
        #expect(throws: GGUFError.shapeTooLarge(tensor: "t", dimensions: [1 << 32, 1 << 32])) {
            try GGUFFile(bytes: product)
        }
        let bytes = tensors([("t", [1 << 61], 0, 0)], dataBytes: 0)  // 2⁶¹ × 4 bytes overflows
        #expect(throws: GGUFError.shapeTooLarge(tensor: "t", dimensions: [1 << 61])) {
            try GGUFFile(bytes: bytes)
        }
        let big = tensors([("t", [1 << 20], 0, 0)], dataBytes: 64)  // 4 MiB claimed, 64 present
        #expect(throws: GGUFError.dataPastEnd(tensor: "t", end: 4 << 20, available: 64)) {
            try GGUFFile(bytes: big)
        }
        var five = RawFile.header(tensors: 1, keys: 0)
        five.string("t")
        five.u32(5)
        five.bytes += [UInt8](repeating: 1, count: 60)
        #expect(throws: GGUFError.tooManyDimensions(tensor: "t", count: 5, limit: 4)) {
            try GGUFFile(bytes: five.bytes)
        }
        let partial = tensors([("q", [16], 8, 0)], dataBytes: 64)  // Q8_0 rows of 16 values
        #expect(throws: GGUFError.rowNotWholeBlocks(tensor: "q", type: .Q8_0, rowLength: 16)) {
            try GGUFFile(bytes: partial)
        }
    }

    @Test func offsetsOutOfPlaceAreRefused() throws {
        // Two F32 tensors of 4 values (16 bytes, padded to 32): offsets must be 0 and 32.
        #expect(
            try GGUFFile(bytes: tensors([("a", [4], 0, 0), ("b", [4], 0, 32)], dataBytes: 64))
                .tensors.count == 2)
        let cases: [(String, UInt64, UInt64, GGUFError)] = [
            ("misaligned", 0, 16, .badOffset(tensor: "b", offset: 16, expected: 32)),
            ("overlapping", 0, 0, .badOffset(tensor: "b", offset: 0, expected: 32)),
            ("gap", 0, 64, .badOffset(tensor: "b", offset: 64, expected: 32)),
            ("first not at 0", 32, 64, .badOffset(tensor: "a", offset: 32, expected: 0)),
            ("past the end", 0, .max, .badOffset(tensor: "b", offset: .max, expected: 32)),
        ]
        for (label, a, b, error) in cases {
            #expect(throws: error, "\(label)") {
                try GGUFFile(bytes: tensors([("a", [4], 0, a), ("b", [4], 0, b)], dataBytes: 64))
            }
        }
        #expect(throws: GGUFError.dataPastEnd(tensor: "b", end: 48, available: 40)) {
            try GGUFFile(bytes: tensors([("a", [4], 0, 0), ("b", [4], 0, 32)], dataBytes: 40))
        }
    }

    @Test func unknownTypesAreRefused() throws {
        #expect(throws: GGUFError.unknownValueType(key: "k", rawValue: 13)) {
            try GGUFFile(bytes: oneKey(type: 13) { $0.u64(0) })
        }
        #expect(throws: GGUFError.unknownValueType(key: "k", rawValue: 99)) {
            try GGUFFile(
                bytes: oneKey(type: 9) {
                    $0.u32(99)
                    $0.u64(0)
                })
        }
        // Q4_2, Q4_3 (4, 5), Q4_0_4_4 … (31–33), IQ4_NL_4_4 … (36–38), past Q1_0 (42 …).
        for removed: UInt32 in [4, 5, 31, 32, 33, 36, 37, 38, 42, 1000] {
            #expect(throws: GGUFError.unknownTensorType(tensor: "t", rawValue: removed)) {
                try GGUFFile(bytes: tensors([("t", [32], removed, 0)], dataBytes: 64))
            }
        }
    }

    @Test func duplicatesAreRefused() throws {
        var keys = RawFile.header(tensors: 0, keys: 2)
        for _ in 0..<2 {
            keys.string("k")
            keys.u32(0)
            keys.u8(1)
        }
        #expect(throws: GGUFError.duplicateKey("k")) { try GGUFFile(bytes: keys.bytes) }
        #expect(throws: GGUFError.duplicateTensorName("a")) {
            try GGUFFile(bytes: tensors([("a", [4], 0, 0), ("a", [4], 0, 32)], dataBytes: 64))
        }
    }

    @Test func badValuesAreRefused() throws {
        #expect(throws: GGUFError.invalidBool(key: "k", byte: 2)) {
            try GGUFFile(bytes: oneKey(type: 7) { $0.u8(2) })
        }
        #expect(throws: GGUFError.invalidUTF8(what: "value of 'k'")) {
            try GGUFFile(
                bytes: oneKey(type: 8) {
                    $0.u64(2)
                    $0.bytes += [0xC3, 0x28]
                })
        }
        for (type, value, reason) in [
            (UInt32(10), UInt64(32), "type UINT64, expected UINT32"),
            (4, 0, "0 is not a power of two"),
            (4, 24, "24 is not a power of two"),
        ] {
            var f = RawFile.header(tensors: 0, keys: 1)
            f.string("general.alignment")
            f.u32(type)
            if type == 4 { f.u32(UInt32(value)) } else { f.u64(value) }
            #expect(throws: GGUFError.badAlignment(reason)) { try GGUFFile(bytes: f.bytes) }
        }
        let deep = oneKey(type: 9) { f in
            for _ in 0..<20 {
                f.u32(9)
                f.u64(1)
            }  // arrays of arrays, 20 deep
            f.bytes += [UInt8](repeating: 0, count: 64)
        }
        #expect(throws: GGUFError.arrayNestingTooDeep(key: "k", limit: 16)) {
            try GGUFFile(bytes: deep)
        }
        let long = String(repeating: "n", count: 64)
        #expect(throws: GGUFError.nameTooLong(tensor: long, bytes: 64, limit: 64)) {
            try GGUFFile(bytes: tensors([(long, [4], 0, 0)], dataBytes: 32))
        }
    }

    @Test func errorsDescribeThemselvesInOneLine() throws {
        let errors: [GGUFError] = [
            .truncated(what: "n_kv", offset: 16, needed: 8, available: 3),
            .countTooLarge(what: "n_tensors", count: .max, remaining: 8),
            .badOffset(tensor: "b", offset: 16, expected: 32),
        ]
        for error in errors {
            #expect(!error.description.contains("\n") && !error.description.isEmpty)
        }
        #expect(errors[0].description == "truncated: n_kv needs 8 bytes at offset 16, 3 remain")
    }
}
