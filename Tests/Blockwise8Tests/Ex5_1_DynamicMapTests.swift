import TestSupport
import Blockwise8
import Testing

/// Exercise 5.1 — `DynamicMap.create(signed:maxExponentBits:totalBits:)`.
@Suite struct Ex5_1_DynamicMapTests {

    @Test(arguments: [true, false])
    func dynamicMapMatchesBitsandbytesBitForBit(signed: Bool) throws {
        let expected = try loadFloats("bnb_codebooks/dynamic_\(signed ? "signed" : "unsigned")/values.npy")
        let map = DynamicMap.create(signed: signed)
        #expect(firstBitMismatch(expected, map) == nil, "\(firstBitMismatch(expected, map) ?? "")")
        #expect((signed ? DynamicMap.signed : DynamicMap.unsigned) == map)
    }

    @Test func signedMapIsSortedWithOneZeroEndingAtOneButNotMinusOne() {
        let map = DynamicMap.signed
        #expect(map.count == 256)
        #expect(zip(map, map.dropFirst()).allSatisfy { $0 < $1 }, "strictly ascending: no duplicates")
        #expect(map.filter { $0 == 0 }.count == 1)
        #expect(map.last == 1)
        #expect(map.first == -0.99296874, "the most negative level is −(0.99297), there is no −1")
        #expect(map[127] == 0 && map[128] > 0, "code 127 is zero")
    }

    @Test func unsignedMapStartsAtZeroAndEndsAtOne() {
        let map = DynamicMap.unsigned
        #expect(map.count == 256 && map.first == 0 && map.last == 1)
        #expect(map.allSatisfy { $0 >= 0 })
        #expect(zip(map, map.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Each decade 10^(i−6) holds 2^i positive levels in the signed map: one extra leading
    /// zero bit = one decade more range, one fraction bit less.
    @Test func eachDecadeHalvesTheLevelsOfTheOneAbove() {
        let positive = DynamicMap.signed.filter { $0 > 0 && $0 < 1 }
        for i in 0..<7 {
            // decade i: 10^(i−6) · (0.1 … 1), i.e. [10^(i−7), 10^(i−6))
            let high = Float(DynamicMapDecade.scale(i)), low = high / 10
            let inDecade = positive.filter { $0 >= low && $0 < high }.count
            #expect(inDecade == 1 << i, "decade \(i): \(inDecade) levels in [\(low), \(high))")
        }
    }

    /// Why `TorchLinspace` fuses multiply and add: with two roundings per point, 42 entries
    /// of the signed map (31 of the unsigned) come out one ulp away from bitsandbytes'.
    @Test func unfusedLinspaceWouldMissBitsandbytesTables() throws {
        func unfusedLinspace(_ start: Float, _ end: Float, _ steps: Int) -> [Float] {
            let step = (end - start) / Float(steps - 1)
            return (0..<steps).map { i in
                i < steps / 2 ? start + step * Float(i) : end - step * Float(steps - 1 - i)
            }
        }
        for (signed, expectedMisses) in [(true, 42), (false, 31)] {
            var data: [Float] = []
            for i in 0..<7 {
                let levels = 1 << (i + (signed ? 0 : 1))
                let b = unfusedLinspace(0.1, 1, levels + 1)
                let decade = Float(DynamicMapDecade.scale(i))
                let centres = (0..<levels).map { (b[$0] + b[$0 + 1]) / 2 }
                data += centres.map { decade * $0 }
                if signed { data += centres.map { -decade * $0 } }
            }
            let map = (data + [0, 1]).sorted()
            let reference = try loadFloats("bnb_codebooks/dynamic_\(signed ? "signed" : "unsigned")/values.npy")
            let misses = zip(map, reference).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(misses == expectedMisses, "signed \(signed): \(misses) entries differ")
        }
    }

    @Test func linspaceHitsBothEndsExactly() {
        for steps in [2, 3, 9, 65, 129] {
            let x = TorchLinspace.float32(from: 0.1, to: 1, count: steps)
            #expect(x.count == steps && x.first == 0.1 && x.last == 1, "steps \(steps)")
            #expect(zip(x, x.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(TorchLinspace.float32(from: 3, to: 4, count: 1) == [3])
        #expect(TorchLinspace.float32(from: 3, to: 4, count: 0).isEmpty)
    }

    /// A 4-bit dynamic map (bitsandbytes pads the 16 values with zeros to 256 entries).
    @Test func smallerMapsArePaddedWithZeros() {
        let map = DynamicMap.create(signed: true, maxExponentBits: 2, totalBits: 4)
        #expect(map.count == 256)
        #expect(map.filter { $0 != 0 }.count == 15, "2·(levels of 2 decades + 1 extra) + 1.0")
        #expect(map.last == 1)
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
