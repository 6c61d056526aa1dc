import Core
import FloatFormats
import TestSupport
import Testing

/// Exercise 1b — round to nearest, ties to even (`roundShiftRightTiesToEven` in Encode.swift).
/// The properties of the whole encoder that follow from it (ties go to the even code, the
/// nearest code wins) are Exercise 1c's, which calls this function.
@Suite struct Ex1b_RoundToNearestEvenTests {
    @Test func roundShiftWorkedExamples() {
        #expect(roundShiftRightTiesToEven(0b1011_0110, by: 4) == 0b1011)  // below half: down
        #expect(roundShiftRightTiesToEven(0b1011_1001, by: 4) == 0b1100)  // above half: up
        #expect(roundShiftRightTiesToEven(0b1011_1000, by: 4) == 0b1100)  // tie, odd → up
        #expect(roundShiftRightTiesToEven(0b1010_1000, by: 4) == 0b1010)  // tie, even → down
        #expect(roundShiftRightTiesToEven(0b1111_1000, by: 4) == 0b1_0000)  // carry out
        #expect(roundShiftRightTiesToEven(12345, by: 0) == 12345)
        #expect(roundShiftRightTiesToEven(0xffff_ffff, by: 32) == 1)  // > half of 2^32
        #expect(roundShiftRightTiesToEven(0x8000_0000, by: 32) == 0)  // tie with 0: even
        #expect(roundShiftRightTiesToEven(0xffff_ffff, by: 200) == 0)
    }

    /// `value / 2^shift` computed in Double is exact (a 32-bit value times a power of two
    /// fits in Double's 53 bits), so Double's own ties-to-even rounding is a second
    /// implementation. Every value below 2^12 at every shift 0…14; then random 32-bit values,
    /// with the exact tie at their shift and its two neighbours; then the huge shifts the
    /// encoder uses for tiny inputs (up to 148, a float32 subnormal into FP4).
    @Test func agreesWithRoundingInDouble() {
        var log = MismatchLog("roundShiftRightTiesToEven")
        func check(_ value: UInt32, _ shift: Int) {
            let scaled = Double(value) * Double(sign: .plus, exponent: -shift, significand: 1)
            let expected = UInt32(scaled.rounded(.toNearestOrEven))
            let actual = roundShiftRightTiesToEven(value, by: shift)
            if actual != expected { log.add("\(hex(value)) >> \(shift): expected \(hex(expected)), got \(hex(actual))") }
        }
        for value in 0..<UInt32(1 << 12) {
            for shift in 0...14 { check(value, shift) }
        }
        var rng = SeededRNG(seed: 13)
        for _ in 0..<20_000 {
            let value = UInt32(truncatingIfNeeded: rng.next())
            let shift = Int(rng.next() % 40)
            check(value, shift)
            if (1...31).contains(shift) {
                let tie = ((value >> shift) << shift) | (1 << (shift - 1))
                for v in [tie &- 1, tie, tie &+ 1] { check(v, shift) }
            }
        }
        for shift in 40...160 {
            for value: UInt32 in [0, 1, 0x7f_ffff, 0x80_0000, 0xff_ffff, 0x8000_0000, 0xffff_ffff] {
                check(value, shift)
            }
        }
        log.expectEmpty()
    }
}
