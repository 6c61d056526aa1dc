import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct TicksTests {
    /// Ranges a chapter might meet: unit, asymmetric, tiny, wide, negative, narrow far from 0.
    static let ranges: [(Double, Double)] = [
        (0, 1), (-3.7, 12.2), (1e-6, 3e-6), (0.001, 1000), (-1e5, 2.5e5), (99.5, 100.5), (-0.013, 0.0071),
    ]

    @Test(arguments: ranges)
    func linearTicksStepByOneTwoOrFiveTimesAPowerOfTen(range: (Double, Double)) {
        let (lo, hi) = range
        let ticks = Ticks.linear(lo, hi, target: 6).major
        #expect(ticks.count >= 3 && ticks.count <= 12, "\(lo)…\(hi): \(ticks.count) ticks \(ticks)")
        let step = ticks[1] - ticks[0]
        let mantissa = step / pow(10, log10(step).rounded(.down))
        #expect(
            [1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-6 },
            "\(lo)…\(hi): step \(step) has mantissa \(mantissa), not 1, 2 or 5")
        for (index, tick) in ticks.enumerated() {
            #expect(tick >= lo - step * 1e-9 && tick <= hi + step * 1e-9, "tick \(index) = \(tick) outside \(lo)…\(hi)")
            let multiple = tick / step
            #expect(abs(multiple - multiple.rounded()) < 1e-6, "tick \(tick) is not a multiple of the step \(step)")
            if index > 0 {
                #expect(
                    abs((tick - ticks[index - 1]) - step) < step * 1e-6, "uneven spacing at tick \(index): \(ticks)")
            }
        }
        // Covering: no room for another tick beyond either end.
        #expect(
            ticks[0] - step < lo + step * 1e-9 && ticks[ticks.count - 1] + step > hi - step * 1e-9,
            "\(ticks) leaves a whole step uncovered in \(lo)…\(hi)")
    }

    @Test func linearTicksAreExactMultiplesWithoutDrift() {
        let ticks = Ticks.linear(0, 1, target: 10)
        #expect(
            ticks.major.contains(0.3),
            "0.1 × 3 should be computed as 3 × 0.1 = 0.30000000000000004 nowhere: \(ticks.major)")
        #expect(ticks.labels == ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"])
    }

    @Test func degenerateLinearRangesGiveAtMostOneTickAndNeverCrash() {
        #expect(Ticks.linear(5, 5).major == [5])
        #expect(Ticks.linear(.nan, 1).major.isEmpty)
        #expect(Ticks.linear(1e20, 1e20 + 1e5).major.count >= 2)
        #expect(Ticks.linear(-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude).major.count >= 2)
    }

    @Test(arguments: [(1e-3, 1e3), (2e-9, 7e4), (1e-30, 1e30), (3.0, 3e5), (0.05, 2e4)])
    func logTicksArePowersOfTen(range: (Double, Double)) {
        let ticks = Ticks.log10(range.0, range.1)
        #expect(ticks.major.count >= 2 && ticks.major.count <= 10, "\(range): \(ticks.major)")
        for (value, label) in zip(ticks.major, ticks.labels) {
            let exponent = log10(value).rounded()
            #expect(value == pow(10, exponent), "\(value) is not exactly a power of ten")
            #expect(value >= range.0 && value <= range.1)
            #expect(label == NumberFormat.powerOfTen(Int(exponent)))
        }
    }

    @Test func logTickLabelsReadLikeOneEMinusThree() {
        #expect(NumberFormat.powerOfTen(-3) == "1e-3")
        #expect(NumberFormat.powerOfTen(-1) == "0.1")
        #expect(NumberFormat.powerOfTen(0) == "1")
        #expect(NumberFormat.powerOfTen(2) == "100")
        #expect(NumberFormat.powerOfTen(5) == "1e5")
        #expect(Ticks.log10(1e-4, 1e-1).labels == ["1e-4", "1e-3", "0.01", "0.1"])
    }

    @Test func logTicksOverOneDecadeGetMinorTicksAtTwoToNine() {
        let ticks = Ticks.log10(1, 1000)
        #expect(ticks.major == [1, 10, 100, 1000])
        #expect(ticks.minor.count == 3 * 8, "2…9 × 1, 10, 100: \(ticks.minor)")
    }

    @Test func narrowLogRangesUseOneTwoFive() {
        let ticks = Ticks.log10(3, 70)
        #expect(ticks.major == [5, 10, 20, 50])
        #expect(ticks.labels == ["5", "10", "20", "50"])
    }

    @Test func manyDecadesAreThinnedToAtMostNineLabels() {
        let ticks = Ticks.log10(1e-30, 1e30)
        #expect(ticks.major.count <= 9, "\(ticks.labels)")
        #expect(ticks.major.contains(1), "the thinned powers should stay aligned on 10^0: \(ticks.labels)")
    }

    @Test func logTicksOfNonPositiveRangesAreEmpty() {
        #expect(Ticks.log10(-1, 10).major.isEmpty)
        #expect(Ticks.log10(0, 0).major.isEmpty)
    }
}

@Suite struct NumberFormatTests {
    @Test func tickLabelsShareTheirDecimals() {
        #expect(NumberFormat.tickLabels([0, 0.5, 1, 1.5], step: 0.5) == ["0", "0.5", "1.0", "1.5"])
        #expect(NumberFormat.tickLabels([-1, -0.5, 0], step: 0.5) == ["-1.0", "-0.5", "0"])
        #expect(NumberFormat.tickLabels([0, 200, 400], step: 200) == ["0", "200", "400"])
    }

    @Test func largeTicksUseSIPrefixes() {
        #expect(NumberFormat.tickLabels([0, 20000, 40000], step: 20000) == ["0", "20k", "40k"])
        #expect(NumberFormat.tickLabels([1.2e6, 1.25e6], step: 5e4) == ["1.20M", "1.25M"])
    }

    @Test func smallTicksUseScientificNotation() {
        #expect(NumberFormat.tickLabels([1e-5, 2e-5], step: 1e-5) == ["1e-5", "2e-5"])
        #expect(NumberFormat.tickLabels([1.2e-4, 1.4e-4], step: 2e-5) == ["1.2e-4", "1.4e-4"])
    }

    @Test func compactKeepsThreeSignificantDigits() {
        #expect(NumberFormat.compact(0.1) == "0.1")
        #expect(NumberFormat.compact(-3.14159) == "-3.14")
        #expect(NumberFormat.compact(2500) == "2500")
        #expect(NumberFormat.compact(65504) == "65.5k")
        #expect(NumberFormat.compact(0.000012345) == "1.23e-5")
        #expect(NumberFormat.compact(9.999e-7) == "1e-6")
        #expect(NumberFormat.compact(.nan) == "nan")
    }

    @Test func fixedRoundsHalfAwayFromZeroAndNeverPrintsMinusZero() {
        #expect(NumberFormat.fixed(2.5, decimals: 0) == "3")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(-12.345, decimals: 1) == "-12.3")
        #expect(NumberFormat.fixed(0.05, decimals: 3) == "0.050")
    }
}
