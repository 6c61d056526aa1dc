import GPTQ
import TensorIO
import TestSupport
import Testing

/// The bit stream and the v1 zero offset, on inputs small enough to check by hand.
@Suite struct CheckpointPackingTests {
    @Test func fourBitCodesFillAWordLowNibbleFirst() {
        // c0 = 1 in bits 3…0, …, c7 = 8 in bits 31…28: the word reads 0x87654321.
        #expect(CheckpointPacking.pack([1, 2, 3, 4, 5, 6, 7, 8], bits: 4) == [0x8765_4321])
        #expect(
            CheckpointPacking.unpack([0x8765_4321], bits: 4, count: 8) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func twoAndEightBitCodesNeverCrossAWord() {
        // 8-bit: four codes per word, c0 lowest byte. 2-bit: sixteen, c15 in bits 31-30.
        #expect(CheckpointPacking.pack([0x11, 0x22, 0x33, 0x44], bits: 8) == [0x4433_2211])
        let twoBit: [UInt32] = [3] + Array(repeating: 0, count: 14) + [1]
        #expect(CheckpointPacking.pack(twoBit, bits: 2) == [0x4000_0003])
    }

    @Test func threeBitCodesStraddleWordsAsAutoGPTQWrites() {
        // AutoGPTQ's 10 | 1 | 10 | 1 | 10 loop: c10 puts its low 2 bits in word 0 bits 31-30 and
        // its top bit in word 1 bit 0; c21 its low bit in word 1 bit 31 and its top 2 bits in
        // word 2 bits 1-0; c31 is in word 2 bits 31-29.
        var codes = [UInt32](repeating: 0, count: 32)
        codes[0] = 1  // word 0 bit 0
        codes[10] = 0b111  // word 0 bits 31-30, word 1 bit 0
        codes[21] = 0b101  // word 1 bit 31 (low bit 1), word 2 bits 1-0 = 0b10
        codes[31] = 0b110  // word 2 bits 31-29
        let words = CheckpointPacking.pack(codes, bits: 3)
        #expect(words == [0xC000_0001, 0x8000_0001, 0xC000_0002])
        #expect(CheckpointPacking.unpack(words, bits: 3, count: 32) == codes)
    }

    @Test func qweightRunsAlongTheInputAndQzerosAlongTheOutput() throws {
        // 4-bit, out 8, in 8, one group: code[r][c] = r + c, zero[r] = r + 1.
        let layer = try CheckpointLayer(
            bits: 4, outFeatures: 8, inFeatures: 8,
            codes: (0..<64).map { UInt8($0 / 8 + $0 % 8) }, scales: Array(repeating: 0.5, count: 8),
            zeros: (0..<8).map { UInt8($0 + 1) }, groupIndex: Array(repeating: 0, count: 8))
        let tensors = CheckpointTensors(packing: layer, format: .v1)
        // qweight [1, 8]: column r is row r's codes 0…7 → word r = codes r+7 … r+1 r.
        #expect(tensors.qweight.shape == [1, 8])
        let qweight = try tensors.qweight.int32s().map { UInt32(bitPattern: $0) }
        #expect(qweight[0] == 0x7654_3210 && qweight[1] == 0x8765_4321 && qweight[7] == 0xEDCB_A987)
        // qzeros [1, 1]: zeros 1…8 over the output rows, v1 stores zero − 1 → 0x76543210.
        #expect(tensors.qzeros.shape == [1, 1])
        #expect(try tensors.qzeros.int32s() == [0x7654_3210])
        // scales [1, 8] float16: 0.5 is 0x3800.
        #expect(try tensors.scales.float16Bits() == Array(repeating: 0x3800, count: 8))
    }

    @Test func v1StoresZeroMinusOneAndWrapsZeroZero() {
        // zero 8 (4-bit symmetric) is stored as 7; zero 1 as 0; zero 0 wraps to 15 and back.
        #expect(CheckpointFormat.v1.storedField(zero: 8, bits: 4) == 7)
        #expect(CheckpointFormat.v1.storedField(zero: 1, bits: 4) == 0)
        #expect(CheckpointFormat.v1.storedField(zero: 0, bits: 4) == 15)
        #expect(CheckpointFormat.v1.zero(storedField: 15, bits: 4) == 0)
        #expect(CheckpointFormat.v1.storedField(zero: 0, bits: 3) == 7)
        // Every zero of every width comes back through either layout.
        for bits in [2, 3, 4, 8] {
            let zeros = (0..<(1 << bits)).map { UInt8($0) }
            for format in CheckpointFormat.allCases {
                let back = zeros.map {
                    format.zero(storedField: format.storedField(zero: $0, bits: bits), bits: bits)
                }
                #expect(firstMismatch(zeros, back) == nil, "\(format) \(bits)-bit")
            }
            let v2 = zeros.map { CheckpointFormat.v2.storedField(zero: $0, bits: bits) }
            #expect(v2 == zeros.map(UInt32.init), "v2 stores the zero itself (\(bits)-bit)")
        }
    }

    @Test func dequantizedIsScaleTimesCodeMinusZeroOfTheColumnsGroup() throws {
        // 4-bit, out 8, in 8, two groups with act-order-like g_idx (not monotone).
        let groupIndex: [Int32] = [1, 0, 0, 1, 1, 0, 1, 0]
        let layer = try CheckpointLayer(
            bits: 4, outFeatures: 8, inFeatures: 8,
            codes: (0..<64).map { UInt8($0 % 16) }, scales: (0..<16).map { Float($0 + 1) * 0.25 },
            zeros: (0..<16).map { UInt8($0 % 3 + 6) }, groupIndex: groupIndex)
        let weight = layer.dequantized()
        // Row 2, column 3: group 1 → scale[2, 1] = (2·2 + 1 + 1) · 0.25 = 1.5,
        // zero[2, 1] = 5 % 3 + 6 = 8, code = (2·8 + 3) % 16 = 3 → 1.5 · (3 − 8) = −7.5.
        #expect(weight[2 * 8 + 3] == -7.5)
        // Row 0, column 1: group 0 → scale 0.25, zero 6, code 1 → −1.25.
        #expect(weight[1] == -1.25)
    }
}
