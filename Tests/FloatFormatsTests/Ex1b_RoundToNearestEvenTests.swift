import FloatFormats
import TestSupport
import Testing

/// Exercise 1b — round to nearest, ties to even (`roundShiftRightTiesToEven` in Encode.swift),
/// and the properties of the whole encoder that follow from it.
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

    /// The exact midpoint between two neighbouring codes encodes to the one whose last bit
    /// is 0; one float32 ulp either side goes to the nearer one. Every pair of positive
    /// neighbours for fp8/fp4, every 7th pair for the 16- and 19-bit formats.
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func tiesGoToEven(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let stride = format.codeBits > 8 ? 7 : 1
        var log = MismatchLog("\(format.name) ties")
        for low in Swift.stride(from: UInt32(0), to: format.largestFiniteCode, by: stride) {
            let high = low + 1
            let a = format.decode(low << shift)
            let b = format.decode(high << shift)
            // Exact in float32: the midpoint needs one bit more than the format has.
            let midpoint = Float((Double(a) + Double(b)) / 2)
            let even = low & 1 == 0 ? low : high
            let checks: [(Float, UInt32)] = [
                (midpoint, even), (midpoint.nextDown, low), (midpoint.nextUp, high),
            ]
            for (x, expected) in checks where format.encode(x) >> shift != expected {
                log.add(
                    "\(x) (\(hex(x))) between \(hex(low)) and \(hex(high)): "
                        + "expected \(hex(expected)), got \(hex(format.encode(x) >> shift))")
            }
        }
        log.expectEmpty()
    }

    /// Round to *nearest*: no other code is closer to x than the one chosen (checked against
    /// both neighbours, in Double, which holds every difference exactly).
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func encodingPicksTheNearestCode(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let inputs = samplePatterns(for: format, count: 20_000, seed: 12)
        var log = MismatchLog("\(format.name) nearest code")
        for x in inputs where x.isFinite {
            let (bits, overflowed) = format.encodeReportingOverflow(x, overflow: .ieee)
            if overflowed { continue }
            let magnitude = (bits >> shift) & ~format.signMask
            let value = Double(format.decode(bits))
            let error = abs(value - Double(x))
            for neighbour in [magnitude &- 1, magnitude + 1]
            where neighbour <= format.largestFiniteCode && neighbour < format.signMask {
                let other = Double(
                    format.decode((bits >> shift & format.signMask | neighbour) << shift))
                if abs(other - Double(x)) < error {
                    log.add("\(x): chose \(value), but \(other) is nearer")
                }
            }
        }
        log.expectEmpty()
    }
}
