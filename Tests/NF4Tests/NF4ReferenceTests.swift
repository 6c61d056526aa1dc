import TestSupport
import Blockwise8
import Core
import Foundation
import NF4
import TensorIO
import Testing

/// `quantize_4bit` / `dequantize_4bit` of bitsandbytes 0.50.2, every reference case (see
/// Fixtures/README.md). Exact: packed codes, absmax (or its 8-bit codes, the second-level
/// absmax and the offset), and the dequantized values — for FP4 up to the sign of zero, which
/// the reference stores from two different kernels (tested separately below).
@Suite struct NF4ReferenceTests {
    static let cases = ReferenceCase.names
    typealias Case = ReferenceCase

    @Test func everyFixtureFolderIsListed() throws {
        let folder = try fixturePath("bnb_4bit")
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(firstMismatch(Self.cases.sorted(), onDisk) == nil, "\(firstMismatch(Self.cases.sorted(), onDisk) ?? "")")
    }

    @Test(arguments: cases)
    func packedCodesAndConstantsMatchBitsandbytes(name: String) throws {
        let c = try Case(name)
        let q = try BlockwiseQuantizer4.quantize(c.input, type: c.type, blockSize: c.blockSize, doubleQuantization: c.nested)
        // One issue per case (28 cases): what differs, each with its first mismatch.
        var log = MismatchLog(name, shown: 6)
        func note(_ mismatch: String?, _ what: String) { if let mismatch { log.add("\(what): \(mismatch)") } }
        note(firstMismatch(try loadBytes(c.file("packed.npy")), q.packed), "packed")
        note(firstBitMismatch(try loadFloats(c.file("code.npy")), c.type.values), "the codebook")
        switch q.constants {
        case .float(let absmax):
            if c.nested { log.add("expected double-quantized constants, got float absmax") }
            note(firstBitMismatch(try loadFloats(c.file("absmax.npy")), absmax), "absmax")
        case .doubleQuantized(let dq):
            if !c.nested { log.add("expected float absmax, got double-quantized constants") }
            let jsonData = try Data(contentsOf: URL(fileURLWithPath: fixturePath(c.file("nested.json"))))
            let json = try JSONSerialization.jsonObject(with: jsonData) as? [String: Any]
            let bits = try #require(json?["offset_f32_bits"] as? String)
            note(firstMismatch(try loadBytes(c.file("absmax.npy")), dq.quantized.codes), "absmax codes")
            note(firstBitMismatch(try loadFloats(c.file("nested_absmax.npy")), dq.quantized.absmax), "nested absmax")
            note(firstBitMismatch(try loadFloats(c.file("nested_code.npy")), dq.quantized.code), "nested code")
            let offset = "0x" + String(dq.offset.bitPattern, radix: 16)
            if offset != bits { log.add("offset \(dq.offset) (\(offset)), expected \(bits)") }
            if dq.quantized.blockSize != 256 { log.add("nested block size \(dq.quantized.blockSize), expected 256") }
        }
        log.expectEmpty()
    }

    /// Dequantizing our codes gives the reference values bit for bit for NF4; for FP4 the same
    /// values, where a ±0 may carry the other sign (see the next test for why).
    @Test(arguments: cases)
    func dequantizedValuesMatchBitsandbytes(name: String) throws {
        let c = try Case(name)
        let q = try BlockwiseQuantizer4.quantize(c.input, type: c.type, blockSize: c.blockSize, doubleQuantization: c.nested)
        let expected = try loadFloats(c.file("dequantized.npy"))
        let xHat = q.dequantizedTensor()
        #expect(xHat.shape == c.input.shape)
        if c.type == .nf4 {
            #expect(firstBitMismatch(expected, xHat.data) == nil, "\(name): \(firstBitMismatch(expected, xHat.data) ?? "")")
        } else {
            #expect(firstMismatch(expected, xHat.data) == nil, "\(name): \(firstMismatch(expected, xHat.data) ?? "")")
        }
    }

    /// The lesson of bitsandbytes' FP4 backends, reproduced to the last bit. The reference
    /// `dequantized.npy` comes from the PyTorch *quantizer*'s codes (+tiny → code 8), decoded by
    /// the C *dequantizer* (sign bit → −0) when the last dimension is even, or by the PyTorch
    /// dequantizer (table lookup → +0) when it is odd. With `.pytorchPath` codes and the matching
    /// decoding every bit agrees; and those codes differ from the reference `packed.npy` (CUDA's
    /// sign rule) only in the sign bit of zero codes.
    @Test(arguments: cases.filter { $0.hasPrefix("fp4") })
    func pytorchPathRuleReproducesTheReferenceSignsOfZero(name: String) throws {
        let c = try Case(name)
        let q = try BlockwiseQuantizer4.quantize(
            c.input, type: c.type, blockSize: c.blockSize, doubleQuantization: c.nested, rules: .pytorchPath)
        let lastDimensionIsOdd = c.input.shape.last! % 2 == 1
        let tableLookup = q.dequantize()
        let decoded = zip(q.codes, tableLookup).map { code, value in
            !lastDimensionIsOdd && code == FP4Codebook.negativeZeroCode ? -value : value  // C kernel: sign bit
        }
        let expected = try loadFloats(c.file("dequantized.npy"))
        #expect(firstBitMismatch(expected, decoded) == nil, "\(name): \(firstBitMismatch(expected, decoded) ?? "")")
        let reference = NibblePacking.unpack(try loadBytes(c.file("packed.npy")), count: c.input.count)
        var log = MismatchLog("\(name): codes that differ beyond the sign of zero")
        for (i, (ours, theirs)) in zip(q.codes, reference).enumerated()
        where ours != theirs && !(ours & 0b0111 == 0 && theirs & 0b0111 == 0) {
            log.add("value \(i): codes \(ours) and \(theirs)")
        }
        log.expectEmpty()
    }

    /// The fast path reproduces the reference too (plain constants only).
    @Test(arguments: cases.filter { $0.hasSuffix("_plain") })
    func fastPathMatchesBitsandbytes(name: String) throws {
        let c = try Case(name)
        let q = try BlockwiseQuantizer4.Fast.quantize(c.input.data, type: c.type, blockSize: c.blockSize)
        let packed = try loadBytes(c.file("packed.npy"))
        #expect(firstMismatch(packed, q.packed) == nil, "\(name) packed: \(firstMismatch(packed, q.packed) ?? "")")
        let absmax = try loadFloats(c.file("absmax.npy"))
        #expect(firstBitMismatch(absmax, q.constants.absmax) == nil, "\(name) absmax: \(firstBitMismatch(absmax, q.constants.absmax) ?? "")")
        let expected = try loadFloats(c.file("dequantized.npy"))
        let back = BlockwiseQuantizer4.Fast.dequantize(q)
        #expect(firstMismatch(expected, back) == nil, "\(name) dequantized: \(firstMismatch(expected, back) ?? "")")
    }
}
