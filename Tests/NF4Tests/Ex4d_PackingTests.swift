import Core
import NF4
import TestSupport
import Testing

/// Exercise 4d — `NibblePacking.pack(_:padding:)` and `unpack(_:count:)`: two codes per
/// byte, in bitsandbytes' order.
@Suite struct Ex4d_PackingTests {

    @Test func firstElementGoesInTheHighNibble() {
        #expect(NibblePacking.pack([0x1, 0xA, 0xF, 0x0], padding: 7) == [0x1A, 0xF0])
        #expect(NibblePacking.unpack([0x1A, 0xF0], count: 4) == [0x1, 0xA, 0xF, 0x0])
    }

    @Test func oddCountIsPaddedInTheLastLowNibble() {
        #expect(NibblePacking.pack([0x3, 0xC, 0x5], padding: 7) == [0x3C, 0x57])
        #expect(NibblePacking.pack([0x3], padding: 0) == [0x30])
        #expect(NibblePacking.unpack([0x3C, 0x57], count: 3) == [0x3, 0xC, 0x5], "padding dropped")
        #expect(NibblePacking.pack([], padding: 7).isEmpty && NibblePacking.unpack([], count: 0).isEmpty)
    }

    /// `count` may be smaller than the bytes hold: only the first `count` codes come back.
    @Test func unpackReadsOnlyTheFirstCountCodes() {
        #expect(NibblePacking.unpack([0x12, 0x34, 0x56], count: 3) == [0x1, 0x2, 0x3])
    }

    @Test(arguments: [1, 2, 63, 64, 65, 1001])
    func packThenUnpackIsTheIdentity(count: Int) {
        var rng = SeededRNG(seed: UInt64(count))
        let codes = (0..<count).map { _ in UInt8(rng.index(below: 16)) }
        let packed = NibblePacking.pack(codes, padding: 0)
        #expect(packed.count == (count + 1) / 2)
        let back = NibblePacking.unpack(packed, count: count)
        #expect(firstMismatch(codes, back) == nil, "\(firstMismatch(codes, back) ?? "")")
    }

    @Test func unpackThenPackIsTheIdentityOnWholeBytes() {
        let bytes = (0...255).map { UInt8($0) }
        let back = NibblePacking.pack(NibblePacking.unpack(bytes, count: 512), padding: 0)
        #expect(firstMismatch(bytes, back) == nil, "\(firstMismatch(bytes, back) ?? "")")
    }

    /// The reference's first bytes, decoded by hand: dequantized[0] = code[byte0 >> 4]·absmax.
    @Test func referenceBytesDecodeHighNibbleFirst() throws {
        let packed = try loadBytes("bnb_4bit/nf4_bs64_1d_mult_plain/packed.npy")
        let absmax = try loadFloats("bnb_4bit/nf4_bs64_1d_mult_plain/absmax.npy")
        let dequantized = try loadFloats("bnb_4bit/nf4_bs64_1d_mult_plain/dequantized.npy")
        #expect(dequantized[0] == NF4Codebook.table[Int(packed[0] >> 4)] * absmax[0])
        #expect(dequantized[1] == NF4Codebook.table[Int(packed[0] & 0xF)] * absmax[0])
    }

    /// Every bitsandbytes reference byte string: packing its codes (with the code of 0.0 as
    /// padding, as `quantize_4bit` pads) gives packed.npy, and unpacking packed.npy gives them
    /// back — odd counts and 2-D shapes included.
    @Test func packingReproducesEveryBitsandbytesByteString() throws {
        var log = MismatchLog("pack / unpack against bitsandbytes' packed.npy")
        for name in ReferenceCase.plainNames {
            let c = try ReferenceCase(name)
            let bytes = try loadBytes(c.file("packed.npy"))
            let codes = try c.referenceCodes()
            if let m = firstMismatch(bytes, NibblePacking.pack(codes, padding: c.type.zeroCode)) { log.add("\(name) pack: \(m)") }
            if let m = firstMismatch(codes, NibblePacking.unpack(bytes, count: c.input.count)) { log.add("\(name) unpack: \(m)") }
        }
        log.expectEmpty()
    }
}
