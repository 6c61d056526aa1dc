import FloatFormats

/// A block type with a second, faster decoder: the same values as its readable
/// `appendValues`, bit for bit (GGMLTests checks both against llama.cpp's `to_float` on every
/// reference case), but written on raw pointers so a row of blocks decodes without growing an
/// array value by value — the shape of ggml's `dequantize_row_*` loops. `dequantize(_:)` uses
/// it when a type has one; the readable decoder stays the one to read beside ggml-quants.c.
public protocol FastBlockDecoding: BlockFormat {
    /// Decodes the block at `block` (`bytesPerBlock` bytes) into `values` (`blockSize` floats).
    static func decode(_ block: UnsafePointer<UInt8>, into values: UnsafeMutablePointer<Float>)
}

extension FastBlockDecoding {
    /// Every whole block of `bytes` through `decode` (the caller checked the length).
    static func decodeAll(_ bytes: [UInt8]) -> [Float] {
        let blocks = bytes.count / bytesPerBlock
        return [Float](unsafeUninitializedCapacity: blocks * blockSize) { values, count in
            bytes.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress, let to = values.baseAddress else { return }
                for b in 0..<blocks {
                    decode(from + b * bytesPerBlock, into: to + b * blockSize)
                }
            }
            count = blocks * blockSize
        }
    }
}

/// The fp16 field at `p` (little-endian), as `HalfField.read` reads it.
@inline(__always)
func halfField(_ p: UnsafePointer<UInt8>) -> Float {
    Float(bitPattern: FloatFormat.Fast.floatBits(fromHalfBits: UInt16(p[0]) | UInt16(p[1]) << 8))
}

extension Q8_0: FastBlockDecoding {
    /// `dequantize_row_q8_0`: x = q · d.
    public static func decode(_ block: UnsafePointer<UInt8>, into values: UnsafeMutablePointer<Float>) {
        let d = halfField(block)
        for i in 0..<32 { values[i] = Float(Int8(bitPattern: block[2 + i])) * d }
    }
}

extension Q4_0: FastBlockDecoding {
    /// `dequantize_row_q4_0`: element j in the low nibble of byte j, j + 16 in its high nibble.
    public static func decode(_ block: UnsafePointer<UInt8>, into values: UnsafeMutablePointer<Float>) {
        let d = halfField(block)
        for j in 0..<16 {
            let byte = block[2 + j]
            values[j] = Float(Int(byte & 0x0F) - 8) * d
            values[j + 16] = Float(Int(byte >> 4) - 8) * d
        }
    }
}

extension Q4_K: FastBlockDecoding {
    /// `dequantize_row_q4_K`: sub-block j's step d · sc[j] and offset dmin · m[j]
    /// (`get_scale_min_k4`), x = step · q − offset; sub-blocks 2c and 2c + 1 share 32 bytes.
    public static func decode(_ block: UnsafePointer<UInt8>, into values: UnsafeMutablePointer<Float>) {
        let d = halfField(block)
        let dmin = halfField(block + 2)
        let scales = block + 4
        let qs = block + 16
        for j in 0..<8 {
            let sc: UInt8, m: UInt8
            if j < 4 {
                sc = scales[j] & 63
                m = scales[j + 4] & 63
            } else {
                sc = (scales[j + 4] & 0xF) | (scales[j - 4] >> 6) << 4
                m = (scales[j + 4] >> 4) | (scales[j] >> 6) << 4
            }
            let step = d * Float(sc)
            let offset = dmin * Float(m)
            let chunk = qs + 32 * (j / 2)
            let shift: UInt8 = j % 2 == 0 ? 0 : 4
            for l in 0..<32 {
                values[32 * j + l] = step * Float((chunk[l] >> shift) & 0xF) - offset
            }
        }
    }
}

extension Q6_K: FastBlockDecoding {
    /// `dequantize_row_q6_K`: 4 low bits from ql, 2 high bits from qh, minus 32, times
    /// d · scale of its 16-value sub-block.
    public static func decode(_ block: UnsafePointer<UInt8>, into values: UnsafeMutablePointer<Float>) {
        let d = halfField(block + 208)
        for e in 0..<256 {
            let n = e / 128, k = (e % 128) / 32, l = e % 32
            let low = (block[64 * n + 32 * (k % 2) + l] >> (4 * (k / 2))) & 0x0F
            let high = (block[128 + 32 * n + l] >> (2 * k)) & 3
            let q = Int(low | high << 4) - 32
            let scale = Float(Int8(bitPattern: block[192 + e / 16]))
            values[e] = d * scale * Float(q)
        }
    }
}
