import GGML
import GGUF
import Testing

/// The type table agrees with the GGML module and with ggml.h's numbering.
@Suite struct GGMLTypeTests {
    @Test func idsFollowGgmlH() {
        // enum ggml_type in ggml/include/ggml.h (= gguf-py's GGMLQuantizationType).
        let ids: [(GGMLType, UInt32)] = [
            (.F32, 0), (.F16, 1), (.Q4_0, 2), (.Q4_1, 3), (.Q5_0, 6), (.Q5_1, 7), (.Q8_0, 8),
            (.Q2_K, 10), (.Q3_K, 11), (.Q4_K, 12), (.Q5_K, 13), (.Q6_K, 14), (.IQ4_NL, 20),
            (.BF16, 30), (.MXFP4, 39),
        ]
        for (type, id) in ids { #expect(type.rawValue == id, "\(type.name)") }
        #expect(GGMLType(name: "q4_k") == .Q4_K && GGMLType(name: "Q4_2") == nil)
    }

    @Test func sizesAgreeWithTheGGMLFormats() {
        var checked = 0
        for type in GGMLType.allCases {
            guard let format = type.format else { continue }
            #expect(format.name == type.name)
            #expect(format.blockSize == type.blockSize, "\(type.name)")
            #expect(format.bytesPerBlock == type.typeSize, "\(type.name)")
            checked += 1
        }
        // Q4_0 Q4_1 Q5_0 Q5_1 Q8_0 Q6_K IQ4_NL MXFP4 (+ Q2_K…Q5_K once GGML has them).
        #expect(checked >= 8)
    }

    @Test func byteCountIsWholeBlocksOnly() {
        #expect(GGMLType.Q4_K.byteCount(ofValues: 512) == 288)  // 2 blocks × 144
        #expect(GGMLType.Q4_K.byteCount(ofValues: 100) == nil)
        #expect(GGMLType.F32.byteCount(ofValues: 1 << 62) == nil)  // 2⁶⁴ bytes
    }
}
