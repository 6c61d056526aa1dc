import Blockwise8
import Testing

/// `TorchLinspace`: PyTorch's float32 `linspace`, the building block of the dynamic maps.
@Suite struct TorchLinspaceTests {

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
}
