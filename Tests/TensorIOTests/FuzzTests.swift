import Testing

@testable import TensorIO

/// Random damage to valid files never crashes a reader: each damaged file either decodes to a
/// tensor whose bytes match its shape, or throws a TensorFileError. Deterministic: a fixed seed.
@Suite struct FuzzTests {
    /// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so failures reproduce.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// One random change: overwrite a byte, insert a byte, delete a byte, or cut the file.
    static func damage(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var damaged = bytes
        let index = random.below(max(damaged.count, 1))
        let byte = UInt8(truncatingIfNeeded: random.next())
        switch random.below(4) {
        case 0 where !damaged.isEmpty: damaged[index] = byte
        case 1: damaged.insert(byte, at: min(index, damaged.count))
        case 2 where !damaged.isEmpty: damaged.remove(at: index)
        default: damaged = Array(damaged.prefix(index))
        }
        return damaged
    }

    static func expectNoCrash(_ name: String, _ seed: UInt64, _ original: [UInt8], decode: ([UInt8]) throws -> Void) {
        var random = SplitMix64(state: seed)
        for round in 0..<3000 {
            var bytes = original
            for _ in 0...random.below(3) { bytes = damage(bytes, &random) }
            do { try decode(bytes) } catch is TensorFileError {} catch {
                Issue.record("\(name) round \(round): unexpected error \(error)")
            }
        }
    }

    @Test func damagedNpyFilesNeverCrash() throws {
        let original = NPY.encode(RawTensor(int16: [1, -2, 3, -4, 5, -6], shape: [2, 3]))
        Self.expectNoCrash("npy", 42, original) { bytes in
            let tensor = try NPY.decode(bytes)
            #expect(tensor.bytes.count == tensor.count * tensor.elementType.byteWidth)
        }
    }

    @Test func damagedSafetensorsFilesNeverCrash() throws {
        let original = try Safetensors.encode(
            SafetensorsFile(
                tensors: [
                    ("weight", RawTensor(float32: [0.5, -1, 2], shape: [3])),
                    ("codes", RawTensor(uint8: [7, 9], shape: [1, 2])),
                ],
                metadata: ["format": "np"]))
        Self.expectNoCrash("safetensors", 7, original) { bytes in
            let file = try Safetensors.decode(bytes)
            for (_, tensor) in file.tensors {
                #expect(tensor.bytes.count == tensor.count * tensor.elementType.byteWidth)
            }
        }
    }
}
