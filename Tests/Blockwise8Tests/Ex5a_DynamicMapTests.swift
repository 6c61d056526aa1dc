import TestSupport
import Blockwise8
import Testing

/// Exercise 5a — `DynamicMap.create(signed:maxExponentBits:totalBits:)`: bitsandbytes'
/// `create_dynamic_map`, bit for bit.
@Suite struct Ex5a_DynamicMapTests {

    @Test(arguments: [true, false])
    func dynamicMapMatchesBitsandbytesBitForBit(signed: Bool) throws {
        let expected = try loadFloats("bnb_codebooks/dynamic_\(signed ? "signed" : "unsigned")/values.npy")
        let map = DynamicMap.create(signed: signed)
        #expect(firstBitMismatch(expected, map) == nil, "\(firstBitMismatch(expected, map) ?? "")")
        let stored = signed ? DynamicMap.signed : DynamicMap.unsigned
        #expect(firstBitMismatch(map, stored) == nil, "DynamicMap.\(signed ? "signed" : "unsigned") is create(signed: \(signed))")
    }

    @Test func signedMapIsSortedWithOneZeroEndingAtOneButNotMinusOne() {
        let map = DynamicMap.create(signed: true)
        #expect(map.count == 256)
        #expect(zip(map, map.dropFirst()).allSatisfy { $0 < $1 }, "strictly ascending: no duplicates")
        #expect(map.filter { $0 == 0 }.count == 1)
        #expect(map.last == 1)
        #expect(map.first == -0.99296874, "the most negative level is −(0.99297), there is no −1")
        #expect(map.count == 256 && map[127] == 0 && map[128] > 0, "code 127 is zero")
    }

    @Test func unsignedMapStartsAtZeroAndEndsAtOne() {
        let map = DynamicMap.create(signed: false)
        #expect(map.count == 256 && map.first == 0 && map.last == 1)
        #expect(map.allSatisfy { $0 >= 0 })
        #expect(zip(map, map.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Each decade 10^(i−6) holds 2^i positive levels in the signed map: one extra leading
    /// zero bit = one decade more range, one fraction bit less.
    @Test func eachDecadeHalvesTheLevelsOfTheOneAbove() {
        let positive = DynamicMap.create(signed: true).filter { $0 > 0 && $0 < 1 }
        var log = MismatchLog("levels per decade")
        for i in 0..<7 {
            // decade i: 10^(i−6) · (0.1 … 1), i.e. [10^(i−7), 10^(i−6))
            let high = Float(DynamicMapDecade.scale(i)), low = high / 10
            let inDecade = positive.filter { $0 >= low && $0 < high }.count
            if inDecade != 1 << i { log.add("decade \(i): \(inDecade) levels in [\(low), \(high)), expected \(1 << i)") }
        }
        log.expectEmpty()
    }

    /// A 4-bit map with 2 exponent bits (N = 3 non-sign bits, E = 2), worked by hand:
    /// step 0, decade 0.1: the centres of linspace(0.1, 1, 3) = [0.325, 0.775] → 0.0325, 0.0775;
    /// step 1, decade 1: the centres of linspace(0.1, 1, 5) → 0.2125, 0.4375, 0.6625, 0.8875;
    /// then 2^(N−E) − 1 = 1 more level in the last decade: the centre of linspace(0.1, 1, 2) = 0.55.
    /// Mirrored, plus 0 and 1: 16 values, padded with zeros to 256.
    @Test func smallerMapsAddTheLeftoverLevelsAndArePaddedWithZeros() {
        let map = DynamicMap.create(signed: true, maxExponentBits: 2, totalBits: 4)
        #expect(map.count == 256)
        #expect(map.filter { $0 != 0 }.count == 15, "2·(2 + 4 + 1) levels and 1.0")
        let positive = map.filter { $0 > 0 }
        let expected: [Float] = [0.0325, 0.0775, 0.2125, 0.4375, 0.55, 0.6625, 0.8875, 1]
        #expect(firstMismatch(expected, positive, tolerance: { 1e-6 * Double(expected[$0]) }) == nil,
                "\(firstMismatch(expected, positive, tolerance: { 1e-6 * Double(expected[$0]) }) ?? "")")
        #expect(map.filter { $0 < 0 }.map { -$0 }.sorted() == Array(positive.dropLast()), "the negative half mirrors all but 1")
    }
}

/// The decade scale 10^(i−6) of step i (i = 0 … 6), as 1 / 10^(6−i).
enum DynamicMapDecade {
    static func scale(_ i: Int) -> Double {
        var power = 1.0
        for _ in 0..<(6 - i) { power *= 10 }
        return 1 / power
    }
}
