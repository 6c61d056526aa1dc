import Blockwise8

/// The fast dequantization path (see `BlockwiseQuantizer4.Fast` for the quantizer): per block, the 16
/// table values times the block's absmax are computed once — the same float32 products as
/// value · absmax per element — and every byte then costs two table lookups.
extension BlockwiseQuantizer4.Fast {
    /// Dequantize into a caller-owned buffer: out[i] = values[code[i]] · absmax[i / blockSize].
    ///
    /// ```
    /// packed: [(n + 1) / 2] bytes     absmax: [⌈n / blockSize⌉] Float     out: [n] Float
    /// ```
    public static func dequantize(
        packed: UnsafeBufferPointer<UInt8>, absmax: UnsafeBufferPointer<Float>,
        type: FourBitDataType = .nf4,
        blockSize: Int = 64, into out: UnsafeMutableBufferPointer<Float>
    ) {
        let n = out.count
        precondition(blockSize > 0 && blockSize % 2 == 0, "blocks hold an even number of values")
        precondition(
            packed.count == (n + 1) / 2 && absmax.count == (n + blockSize - 1) / blockSize,
            "buffer sizes")
        guard let src = packed.baseAddress, let dst = out.baseAddress else { return }
        let values = type.values + [Float](repeating: 0, count: 16 - type.values.count)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { table in
            let t = table.baseAddress!
            for b in 0..<absmax.count {
                let a = absmax[b]
                for k in 0..<16 { t[k] = values[k] * a }  // the same products as values[code] · a
                let start = b &* blockSize
                let end = min(start &+ blockSize, n)
                var i = start
                while i &+ 1 < end {
                    let byte = src[i &>> 1]
                    dst[i] = t[Int(byte &>> 4)]
                    dst[i &+ 1] = t[Int(byte & 0x0F)]
                    i &+= 2
                }
                // An odd count: the last value is a high nibble.
                if i < end { dst[i] = t[Int(src[i &>> 1] &>> 4)] }
            }
        }
    }

    /// x̂ = dequantize(quantize(x)) on the fast path: the same floats as
    /// `BlockwiseQuantizer4.quantize(values, …).dequantize()` under `.reference` rules
    /// (NF4FastPathTests), about 20× faster — what a sweep over block sizes wants.
    public static func roundTrip(
        _ values: [Float], type: FourBitDataType = .nf4, blockSize: Int = 64
    ) throws(BlockwiseQuantizationError) -> [Float]
    {
        dequantize(try quantize(values, type: type, blockSize: blockSize))
    }

    /// Array form of `dequantize`, for any constants (double-quantized ones are decompressed
    /// first).
    public static func dequantize(_ q: QuantizedBlockwise4) -> [Float] {
        var out = [Float](repeating: 0, count: q.count)
        let absmax = q.constants.absmax
        q.packed.withUnsafeBufferPointer { p in
            absmax.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { o in
                    dequantize(packed: p, absmax: a, type: q.type, blockSize: q.blockSize, into: o)
                }
            }
        }
        return out
    }
}
