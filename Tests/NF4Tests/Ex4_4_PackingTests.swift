import Core
import NF4
import Testing

/// Exercise 4.4 — `NibblePacking.pack(_:padding:)` and `unpack(_:count:)`.
@Suite struct Ex4_4_PackingTests {

    @Test func firstElementGoesInTheHighNibble() {
        #expect(NibblePacking.pack([0x1, 0xA, 0xF, 0x0], padding: 7) == [0x1A, 0xF0])
        #expect(NibblePacking.unpack([0x1A, 0xF0], count: 4) == [0x1, 0xA, 0xF, 0x0])
    }

    @Test func oddCountIsPaddedInTheLastLowNibble() {
        #expect(NibblePacking.pack([0x3, 0xC, 0x5], padding: 7) == [0x3C, 0x57])
        #expect(NibblePacking.unpack([0x3C, 0x57], count: 3) == [0x3, 0xC, 0x5], "padding dropped")
        #expect(NibblePacking.pack([], padding: 7).isEmpty && NibblePacking.unpack([], count: 0).isEmpty)
    }

    @Test(arguments: [1, 2, 63, 64, 65, 1001])
    func packThenUnpackIsTheIdentity(count: Int) {
        var rng = SeededRNG(seed: UInt64(count))
        let codes = (0..<count).map { _ in UInt8(rng.index(below: 16)) }
        let packed = NibblePacking.pack(codes, padding: 0)
        #expect(packed.count == (count + 1) / 2)
        #expect(NibblePacking.unpack(packed, count: count) == codes)
    }

    @Test func unpackThenPackIsTheIdentityOnWholeBytes() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(NibblePacking.pack(NibblePacking.unpack(bytes, count: 512), padding: 0) == bytes)
    }

    /// The reference's first bytes, decoded by hand: dequantized[0] = code[byte0 >> 4]·absmax.
    @Test func referenceBytesDecodeHighNibbleFirst() throws {
        let packed = try loadBytes("bnb_4bit/nf4_bs64_1d_mult_plain/packed.npy")
        let absmax = try loadFloats("bnb_4bit/nf4_bs64_1d_mult_plain/absmax.npy")
        let dequantized = try loadFloats("bnb_4bit/nf4_bs64_1d_mult_plain/dequantized.npy")
        #expect(dequantized[0] == NF4Codebook.table[Int(packed[0] >> 4)] * absmax[0])
        #expect(dequantized[1] == NF4Codebook.table[Int(packed[0] & 0xF)] * absmax[0])
    }
}
