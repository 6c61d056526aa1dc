import Book
import GGML
import NF4

/// 11.1: one block of Q8_0 and one of Q4_0, byte by byte, and bits per weight of every type.
func blockBytesSection(_ book: Notebook, setup: GGUFSetup, formats: [any BlockFormat.Type]) {
    book.section("11.1", "A block in bytes: Q8_0 and Q4_0 field by field")
    let (w, _, _) = setup.weight("blocks.0.mlp.fc")
    let block = Array(w[0..<32])
    let q8 = book.attempt("Q8_0") { try Q8_0.quantize(block) }
    let (d8, codes8) = Q8_0.scaleAndCodes(block[...])
    let half8 = UInt16(q8[0]) | UInt16(q8[1]) << 8
    book.say(
        """
        llama.cpp stores a weight matrix row by row, each row cut into blocks of 32 consecutive
        weights, each block a small C struct (ggml-common.h). Q8_0 is the simplest:
        typedef struct { ggml_half d; int8_t qs[32]; } block_q8_0 - 34 bytes. The first 32
        weights of row 0 of blocks.0.mlp.fc (largest |w| \(Fmt.g(Double(block.map(abs).max()!), 5)))
        become these bytes:
        """)
    print(hexLines(q8))
    print()
    book.say(
        """
        Bytes 0-1 are d, an IEEE fp16, low byte first: 0x\(hex16(half8)) = sign
        \(half8 >> 15), exponent \((half8 >> 10) & 31), mantissa \(half8 & 1023), so
        d = (1 + \(half8 & 1023)/1024) * 2^(\((half8 >> 10) & 31) - 15)
        = \(Fmt.g(Double(halfValue(half8)), 8)),
        the float32 absmax / 127 = \(Fmt.g(Double(d8), 8)) rounded to fp16. Bytes 2-33 are the
        codes as int8: byte 2 = 0x\(hex8(q8[2])) = \(codes8[0]), so w[0] comes back as
        \(codes8[0]) * d = \(Fmt.g(Double(Float(codes8[0]) * halfValue(half8)), 6)) (it was
        \(Fmt.g(Double(block[0]), 6))). 8.5 bits per weight: 8 for the code, 16/32 for d.
        """)
    let q4 = book.attempt("Q4_0") { try Q4_0.quantize(block) }
    let (d4, codes4) = Q4_0.scaleAndCodes(block[...])
    let half4 = UInt16(q4[0]) | UInt16(q4[1]) << 8
    let signedMax = block.max { abs($0) < abs($1) }!
    book.say(
        """
        Q4_0: typedef struct { ggml_half d; uint8_t qs[16]; } block_q4_0 - 18 bytes. The scale
        keeps the sign: d = (the weight of largest magnitude, \(Fmt.g(Double(signedMax), 6))) / -8
        = \(Fmt.g(Double(d4), 6)), stored as fp16 0x\(hex16(half4)). Code q = min(15,
        trunc(w / d + 8.5)) is 0...15 and w comes back as (q - 8) * d, so the largest weight maps
        to code 0 exactly and is stored without error; the grid -8...7 has its extra step on its
        side. The same 32 weights:
        """)
    print(hexLines(q4))
    print()
    let bnb = NibblePacking.pack(codes4, padding: 0)
    book.say(
        """
        The nibble order is GGML's own: byte 2 + j holds element j in its low nibble and element
        j + 16 in its high nibble. Byte 2 = 0x\(hex8(q4[2])): low \(q4[2] & 15) = code of w[0]
        (\(codes4[0])), high \(q4[2] >> 4) = code of w[16] (\(codes4[16])). bitsandbytes (Chapter 4)
        packs neighbours, the first in the high nibble: the same codes would start
        0x\(hex8(bnb[0])) (w[0] high, w[1] low). A file is only readable by the code that knows
        its order.

        Bits per weight follow from the structs: sizeof(block) * 8 / values per block
        (BlockFormat.bitsPerWeight). The k-quants' super-blocks of 256 carry sub-block scales
        inside the struct, so their cost is in the same formula:
        """)
    book.table(
        ["type", "values / block", "bytes / block", "bits / weight"],
        formats.map { f in
            [f.name, "\(f.blockSize)", "\(f.bytesPerBlock)", Fmt.f(f.bitsPerWeight, 4)]
        })
    print()
    book.check(Q8_0.bitsPerWeight == 8.5 && Q4_0.bitsPerWeight == 4.5, "Q8_0 8.5, Q4_0 4.5 bits")
    let byHand = codes4.map { Float(Int($0) - 8) * halfValue(half4) }
    book.check(((try? Q4_0.dequantize(q4)) ?? []) == byHand, "Q4_0 dequantizes as (q - 8) * d")
}

/// 16 bytes per line, two hex digits each.
func hexLines(_ bytes: [UInt8]) -> String {
    stride(from: 0, to: bytes.count, by: 16).map { start in
        "  " + Fmt.left("\(start):", 4)
            + bytes[start..<min(start + 16, bytes.count)].map(hex8).joined(separator: " ")
    }.joined(separator: "\n")
}

func hex8(_ b: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}

func hex16(_ h: UInt16) -> String { hex8(UInt8(h >> 8)) + hex8(UInt8(h & 255)) }

/// An fp16 bit pattern decoded by hand: (1 + m / 1024) * 2^(e - 15), or a subnormal.
func halfValue(_ h: UInt16) -> Float {
    let sign: Float = h >> 15 == 1 ? -1 : 1
    let e = Int((h >> 10) & 31)
    let m = Float(h & 1023)
    if e == 0 { return sign * m / 1024 * Float.pow2(-14) }
    return sign * (1 + m / 1024) * Float.pow2(e - 15)
}

extension Float {
    static func pow2(_ e: Int) -> Float { Float(sign: .plus, exponent: e, significand: 1) }
}
