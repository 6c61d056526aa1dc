/// Whole arrays at once, in the storage type each format needs:
///
/// | format | codes | bulk path |
/// |---|---|---|
/// | fp32, tf32 | `[UInt32]` | general loop |
/// | fp16, bf16 | `[UInt16]` | ``FloatFormat.Fast`` kernels |
/// | fp8-e4m3, fp8-e5m2 | `[UInt8]` | general loop |
/// | fp4-e2m1 | `[UInt8]`, one code per byte in the low nibble | general loop |
///
/// (Packing two FP4 codes per byte is a storage decision of the 4-bit chapters, not of the
/// format, so it is not done here.) Bulk results are identical to element-wise
/// ``FloatFormat/encode(_:)`` in every mode; the tests check that.
extension FloatFormat {
    /// True for the two formats with a branch-light kernel (fp16, bf16), default overflow mode.
    var hasFastPath: Bool { self == .fp16 || self == .bf16 }

    // MARK: 32-bit codes (any format)

    /// Encode every element; codes as ``encode(_:)`` returns them.
    public func encode(_ xs: [Float], overflow mode: OverflowMode? = nil) -> [UInt32] {
        let mode = mode ?? overflow
        if hasFastPath && mode == overflow {
            return encodeUInt16(xs).map { UInt32($0) }
        }
        return xs.map { encode($0, overflow: mode) }
    }

    /// Decode every code.
    public func decode(_ codes: [UInt32]) -> [Float] { codes.map { decode($0) } }

    // MARK: 16-bit codes (fp16, bf16)

    /// Encode into 16-bit codes. fp16 and bf16 (default overflow mode) use the fast kernels.
    public func encodeUInt16(_ xs: [Float], overflow mode: OverflowMode? = nil) -> [UInt16] {
        var codes: [UInt16] = []
        encode(xs, into: &codes, overflow: mode)
        return codes
    }

    /// Encode into an existing array, resized to `xs.count` only if needed — so a loop over
    /// many batches (or a benchmark) reuses one buffer instead of faulting in fresh pages.
    public func encode(
        _ xs: [Float], into codes: inout [UInt16], overflow mode: OverflowMode? = nil
    ) {
        precondition(storageBits <= 16, "\(name) codes do not fit in 16 bits")
        let mode = mode ?? overflow
        if codes.count != xs.count { codes = [UInt16](repeating: 0, count: xs.count) }
        xs.withUnsafeBufferPointer { source in
            codes.withUnsafeMutableBufferPointer { destination in
                if self == .fp16 && mode == overflow {
                    FloatFormat.Fast.encodeFP16(source, into: destination)
                } else if self == .bf16 && mode == overflow {
                    FloatFormat.Fast.encodeBF16(source, into: destination)
                } else {
                    for i in source.indices {
                        destination[i] = UInt16(
                            truncatingIfNeeded: encode(source[i], overflow: mode))
                    }
                }
            }
        }
    }

    /// Decode 16-bit codes. fp16 and bf16 use the fast kernels.
    public func decode(_ codes: [UInt16]) -> [Float] {
        var xs: [Float] = []
        decode(codes, into: &xs)
        return xs
    }

    /// Decode into an existing array, resized to `codes.count` only if needed.
    public func decode(_ codes: [UInt16], into xs: inout [Float]) {
        precondition(storageBits <= 16, "\(name) codes do not fit in 16 bits")
        if xs.count != codes.count { xs = [Float](repeating: 0, count: codes.count) }
        codes.withUnsafeBufferPointer { source in
            xs.withUnsafeMutableBufferPointer { destination in
                if self == .fp16 {
                    FloatFormat.Fast.decodeFP16(source, into: destination)
                } else if self == .bf16 {
                    FloatFormat.Fast.decodeBF16(source, into: destination)
                } else {
                    for i in source.indices { destination[i] = decode(UInt32(source[i])) }
                }
            }
        }
    }

    // MARK: 8-bit codes (fp8, fp4)

    /// Encode into one byte per value (FP4: the code in the low nibble, high nibble zero).
    public func encodeUInt8(_ xs: [Float], overflow mode: OverflowMode? = nil) -> [UInt8] {
        precondition(storageBits <= 8, "\(name) codes do not fit in 8 bits")
        let mode = mode ?? overflow
        return xs.map { UInt8(truncatingIfNeeded: encode($0, overflow: mode)) }
    }

    /// Decode one byte per value.
    public func decode(_ codes: [UInt8]) -> [Float] {
        precondition(storageBits <= 8, "\(name) codes do not fit in 8 bits")
        return codes.map { decode(UInt32($0)) }
    }

    /// Every element rounded onto this format's grid: `decode(encode(x))` element-wise.
    public func roundTrip(_ xs: [Float], overflow mode: OverflowMode? = nil) -> [Float] {
        let mode = mode ?? overflow
        if hasFastPath && mode == overflow { return decode(encodeUInt16(xs)) }
        return xs.map { roundTrip($0, overflow: mode) }
    }
}
