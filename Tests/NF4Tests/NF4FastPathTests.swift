import TestSupport
import Blockwise8
import Core
import NF4
import Testing

/// `BlockwiseQuantizer4.Fast` computes the same function as `BlockwiseQuantizer4` (reference rules):
/// the same float32 operations on the same values, so equality is exact — no tolerance.
@Suite struct NF4FastPathTests {

    static let shapes: [(count: Int, blockSize: Int)] = [
        (64 * 50, 64), (64 * 50 + 37, 64), (1001, 32), (4096 * 2 + 1, 4096), (300, 128), (17, 64), (1, 32),
    ]

    @Test(arguments: shapes)
    func fastQuantizeMatchesThePlainOneBitForBit(count: Int, blockSize: Int) throws {
        var x = sampleValues(count, seed: UInt64(count))
        if count > 200 { for i in 64..<128 { x[i] = 0 } }  // an all-zero block
        if count > 10 { x[3] = 1 / 7.0 * x.map(abs).max()! }  // near a midpoint or not, the rule decides
        for type in FourBitDataType.all {
            let plain = try BlockwiseQuantizer4.quantize(x, type: type, blockSize: blockSize)
            let fast = try BlockwiseQuantizer4.Fast.quantize(x, type: type, blockSize: blockSize)
            let label = "\(type) n=\(count) bs=\(blockSize)"
            #expect(firstMismatch(plain.packed, fast.packed) == nil, "\(label): \(firstMismatch(plain.packed, fast.packed) ?? "")")
            let absmaxMismatch = firstBitMismatch(plain.constants.absmax, fast.constants.absmax)
            #expect(absmaxMismatch == nil, "\(label) absmax: \(absmaxMismatch ?? "")")
            let plainBack = plain.dequantize(), fastBack = BlockwiseQuantizer4.Fast.dequantize(fast)
            #expect(firstBitMismatch(plainBack, fastBack) == nil, "\(type): \(firstBitMismatch(plainBack, fastBack) ?? "")")
        }
    }

    /// Values placed exactly on every NF4 midpoint (scaled by an absmax of 1) and one float
    /// either side: the branch-free count must break ties exactly as `bucketize` does.
    /// `roundTrip` is the readable quantizer's round trip, bit for bit, for every type.
    @Test func roundTripEqualsTheReadableRoundTrip() throws {
        var rng = SeededRNG(seed: 31)
        let x = rng.normalFloats(1000 + 37, std: 0.02)
        for type in FourBitDataType.all {
            let fast = try BlockwiseQuantizer4.Fast.roundTrip(x, type: type, blockSize: 64)
            let readable = try BlockwiseQuantizer4.quantize(x, type: type, blockSize: 64).dequantize()
            let mismatch = fast.indices.first { fast[$0].bitPattern != readable[$0].bitPattern }
            #expect(mismatch == nil, "\(type.displayName): first mismatch at \(mismatch ?? -1)")
        }
    }

    @Test func fastPathBreaksMidpointTiesLikeBucketize() throws {
        var x: [Float] = [1]
        for m in FourBitDataType.nf4.nearest.midpoints { x += [m, m.nextDown, m.nextUp] }
        x += [Float](repeating: 0.5, count: 64 - x.count)
        let plain = try BlockwiseQuantizer4.quantize(x, blockSize: 64)
        let fast = try BlockwiseQuantizer4.Fast.quantize(x, blockSize: 64)
        #expect(firstMismatch(plain.packed, fast.packed) == nil, "\(firstMismatch(plain.packed, fast.packed) ?? "")")
        #expect(fast.codes[1] == 0 && fast.codes[3] == 1, "on midpoint 0 → code 0, above → code 1")
    }

    @Test func fastDequantizeHandlesDoubleQuantizedConstants() throws {
        let x = sampleValues(64 * 300 + 5, seed: 71)
        let q = try BlockwiseQuantizer4.quantize(x, blockSize: 64, doubleQuantization: true)
        #expect(firstBitMismatch(q.dequantize(), BlockwiseQuantizer4.Fast.dequantize(q)) == nil)
    }

    /// The pointer API writes exactly the bytes the array API returns.
    @Test func pointerAPIFillsCallerBuffers() throws {
        let x = sampleValues(64 * 8 + 3, seed: 72)
        var packed = [UInt8](repeating: 0xEE, count: (x.count + 1) / 2)
        var absmax = [Float](repeating: -1, count: 9)
        try x.withUnsafeBufferPointer { (input) throws(BlockwiseQuantizationError) in
            try packed.withUnsafeMutableBufferPointer { (p) throws(BlockwiseQuantizationError) in
                try absmax.withUnsafeMutableBufferPointer { (a) throws(BlockwiseQuantizationError) in
                    try BlockwiseQuantizer4.Fast.quantize(input, blockSize: 64, packed: p, absmax: a)
                }
            }
        }
        let reference = try BlockwiseQuantizer4.quantize(x, blockSize: 64)
        #expect(firstMismatch(reference.packed, packed) == nil && firstBitMismatch(reference.constants.absmax, absmax) == nil)
        var out = [Float](repeating: .nan, count: x.count)
        packed.withUnsafeBufferPointer { p in
            absmax.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { o in
                    BlockwiseQuantizer4.Fast.dequantize(packed: p, absmax: a, blockSize: 64, into: o)
                }
            }
        }
        #expect(firstBitMismatch(reference.dequantize(), out) == nil, "\(firstBitMismatch(reference.dequantize(), out) ?? "")")
    }
}

/// A custom type whose midpoints reach ±1 cannot skip the clamp: the fast path hands it to
/// the plain code and still returns the same bytes.
@Suite struct FastPathFallbackTests {
    @Test func typeWithMidpointsOnTheUnitEdgesFallsBackToThePlainCode() throws {
        let wide = try FourBitDataType(name: "wide", values: [-2, -0.5, 0, 0.5, 2])
        let x = sampleValues(64 * 3 + 9, seed: 73)
        let plain = try BlockwiseQuantizer4.quantize(x, type: wide, blockSize: 64)
        let fast = try BlockwiseQuantizer4.Fast.quantize(x, type: wide, blockSize: 64)
        #expect(firstMismatch(plain.packed, fast.packed) == nil && firstBitMismatch(plain.constants.absmax, fast.constants.absmax) == nil)
        #expect(firstBitMismatch(plain.dequantize(), BlockwiseQuantizer4.Fast.dequantize(fast)) == nil)
    }
}
