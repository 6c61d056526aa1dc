import Core
import Testing

@testable import TensorIO

/// Random damage to valid files never crashes a reader: each damaged file either decodes to a
/// tensor whose bytes match its shape, or throws a TensorFileError. Deterministic: a fixed seed.
@Suite struct FuzzTests {
    /// One random change: overwrite a byte, insert a byte, delete a byte, or cut the file.
    static func damage(_ bytes: [UInt8], _ random: inout SeededRNG) -> [UInt8] {
        var damaged = bytes
        let index = random.index(below: max(damaged.count, 1))
        let byte = UInt8(truncatingIfNeeded: random.next())
        switch random.index(below: 4) {
        case 0 where !damaged.isEmpty: damaged[index] = byte
        case 1: damaged.insert(byte, at: min(index, damaged.count))
        case 2 where !damaged.isEmpty: damaged.remove(at: index)
        default: damaged = Array(damaged.prefix(index))
        }
        return damaged
    }

    static func expectNoCrash(_ name: String, _ seed: UInt64, _ original: [UInt8], decode: ([UInt8]) throws -> Void) {
        var random = SeededRNG(seed: seed)  // Core's generator: failures reproduce
        for round in 0..<3000 {
            var bytes = original
            for _ in 0...random.index(below: 3) { bytes = damage(bytes, &random) }
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
