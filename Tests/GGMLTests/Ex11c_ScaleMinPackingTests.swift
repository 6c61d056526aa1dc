import Core
import GGML
import Testing

/// Exercise 11c: Q4_K's and Q5_K's 12 bytes of 6-bit scales and mins (the packing loop of
/// `quantize_row_q4_K_ref`; `get_scale_min_k4` reads it back).
@Suite struct Ex11c_ScaleMinPackingTests {
    /// sc = 1, 2, 3, 4, 63, 17, 32, 48 and m = 5, 6, 7, 8, 33, 0, 63, 16, worked out by hand:
    /// bytes 0–3 = sc[0…3] | (sc[4…7] >> 4) << 6 = 1|3<<6, 2|1<<6, 3|2<<6, 4|3<<6;
    /// bytes 4–7 = m[0…3] | (m[4…7] >> 4) << 6 = 5|2<<6, 6|0, 7|3<<6, 8|1<<6;
    /// bytes 8–11 = (sc[4…7] & 15) | (m[4…7] & 15) << 4 = 15|1<<4, 1|0, 0|15<<4, 0|0.
    @Test func handWorkedBlock() {
        let packed = ScaleMinPacking.pack(
            scales: [1, 2, 3, 4, 63, 17, 32, 48], mins: [5, 6, 7, 8, 33, 0, 63, 16])
        let expected: [UInt8] = [
            0xC1, 0x42, 0x83, 0xC4, 0x85, 0x06, 0xC7, 0x48, 0x1F, 0x01, 0xF0, 0x00,
        ]
        let differing = zip(packed, expected).filter { $0 != $1 }.count
        #expect(packed.count == 12 && differing == 0, "\(differing) of 12 bytes differ")
    }

    /// Every bit is used: all 63s pack to twelve 0xFF bytes.
    @Test func allOnesFillEveryBit() {
        let packed = ScaleMinPacking.pack(
            scales: [UInt8](repeating: 63, count: 8), mins: [UInt8](repeating: 63, count: 8))
        let full = packed == [UInt8](repeating: 0xFF, count: 12)
        #expect(full)
    }

    /// unpack(pack(sc, m)) = (sc, m) for 500 seeded draws of sixteen 6-bit values.
    @Test func unpackUndoesPack() {
        var rng = SeededRNG(seed: 1103)
        var wrong = 0
        for _ in 0..<500 {
            let sc = (0..<8).map { _ in UInt8(rng.index(below: 64)) }
            let m = (0..<8).map { _ in UInt8(rng.index(below: 64)) }
            let back = ScaleMinPacking.unpack(ScaleMinPacking.pack(scales: sc, mins: m))
            if back.scales != sc || back.mins != m { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of 500 round trips differ")
    }
}
