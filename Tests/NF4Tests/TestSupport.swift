import Core
import Foundation
import NF4
import TestSupport
import Testing
import TensorIO

/// The path of a file in Tests/NF4Tests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

func loadFloats(_ name: String) throws -> [Float] { try Fixtures(.module).floats(name) }
func loadBytes(_ name: String) throws -> [UInt8] { try Fixtures(.module).bytes(name) }

/// One unit in the last place of a float32 of magnitude |x|.
func ulp(_ x: Float) -> Float { abs(x).ulp }

/// The 4-bit codes in `packed`, unpacked by the tests themselves (byte i holds code 2i in its
/// high nibble and code 2i+1 in its low one), so that a suite can read the reference bytes
/// without Exercise 4d's `NibblePacking.unpack`.
func nibbles(_ packed: [UInt8], count: Int) -> [UInt8] {
    (0..<count).map { i in i / 2 < packed.count ? (i % 2 == 0 ? packed[i / 2] >> 4 : packed[i / 2] & 0x0F) : 0 }
}

/// One bitsandbytes `quantize_4bit` reference case (Fixtures/README.md): its parameters come
/// from the folder name, its shape from input.npy.
struct ReferenceCase: CustomStringConvertible {
    static let names = [
        "nf4_bs64_1d_mult_plain", "nf4_bs64_1d_mult_nested", "fp4_bs64_1d_mult_plain", "fp4_bs64_1d_mult_nested",
        "nf4_bs64_1d_nonmult_odd_plain", "nf4_bs64_1d_nonmult_odd_nested",
        "fp4_bs64_1d_nonmult_odd_plain", "fp4_bs64_1d_nonmult_odd_nested",
        "nf4_bs64_2d_weight_plain", "nf4_bs64_2d_weight_nested", "fp4_bs64_2d_weight_plain", "fp4_bs64_2d_weight_nested",
        "nf4_bs128_1d_mult_plain", "nf4_bs128_1d_mult_nested", "fp4_bs128_1d_mult_plain", "fp4_bs128_1d_mult_nested",
        "nf4_bs128_1d_nonmult_odd_plain", "nf4_bs128_1d_nonmult_odd_nested",
        "fp4_bs128_1d_nonmult_odd_plain", "fp4_bs128_1d_nonmult_odd_nested",
        "nf4_bs128_2d_weight_plain", "nf4_bs128_2d_weight_nested", "fp4_bs128_2d_weight_plain", "fp4_bs128_2d_weight_nested",
        "nf4_bs64_1d_many_blocks_plain", "nf4_bs64_1d_many_blocks_nested",
        "fp4_bs64_1d_many_blocks_plain", "fp4_bs64_1d_many_blocks_nested",
    ]
    static var plainNames: [String] { names.filter { $0.hasSuffix("_plain") } }
    static var nestedNames: [String] { names.filter { $0.hasSuffix("_nested") } }

    let name: String
    let type: FourBitDataType
    let blockSize: Int
    let nested: Bool
    let input: Tensor

    init(_ name: String) throws {
        let parts = name.split(separator: "_")
        self.name = name
        self.type = try #require(FourBitDataType.named(String(parts[0])))
        self.blockSize = try #require(Int(parts[1].dropFirst(2)))
        self.nested = name.hasSuffix("_nested")
        let raw = try NPY.read(contentsOf: fixturePath("bnb_4bit/\(name)/input.npy"))
        self.input = Tensor(shape: raw.shape, data: try raw.floats())
    }

    var description: String { name }

    func file(_ name: String) -> String { "bnb_4bit/\(self.name)/\(name)" }

    /// The reference's 4-bit codes (CUDA's sign rule for FP4's zeros), one per value.
    func referenceCodes() throws -> [UInt8] { nibbles(try loadBytes(file("packed.npy")), count: input.count) }

    /// The float32 absmax per block: absmax.npy of the plain case (the nested case of the same
    /// name has the same input, and stores these values double-quantized).
    func floatAbsmax() throws -> [Float] {
        try loadFloats("bnb_4bit/\(name.replacingOccurrences(of: "_nested", with: "_plain"))/absmax.npy")
    }

    /// The nested case's double-quantized pieces: 8-bit codes, second-level absmax, the code
    /// (the signed dynamic map) and the offset's float32 bits.
    func nestedPieces() throws -> (codes: [UInt8], secondLevel: [Float], code: [Float], offsetBits: UInt32) {
        let jsonData = try Data(contentsOf: URL(fileURLWithPath: fixturePath(file("nested.json"))))
        let json = try JSONSerialization.jsonObject(with: jsonData) as? [String: Any]
        let bits = try #require(json?["offset_f32_bits"] as? String)
        let offsetBits = try #require(UInt32(bits.dropFirst(2), radix: 16))
        return (
            try loadBytes(file("absmax.npy")), try loadFloats(file("nested_absmax.npy")),
            try loadFloats(file("nested_code.npy")), offsetBits
        )
    }
}
