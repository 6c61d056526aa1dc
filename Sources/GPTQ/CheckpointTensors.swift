import TensorIO

/// The four tensors that hold one GPTQ layer in a checkpoint, packed or about to be unpacked.
///
/// ```
/// qweight  int32   [in·b/32, out]      qzeros  int32   [groups, out·b/32]
/// scales   float16 [groups, out]       g_idx   int32   [in]
/// ```
///
/// Packing (`init(packing:format:)`) cannot fail: `CheckpointLayer` checked everything.
/// Unpacking (`unpacked(bits:format:)`) trusts nothing: every element type, shape and g_idx
/// value is checked before anything is allocated, and what it allocates is bounded by the
/// tensors it was given (out·in codes ≤ 16 per qweight word).
public struct CheckpointTensors: Equatable, Sendable {
    public var qweight: RawTensor
    public var qzeros: RawTensor
    public var scales: RawTensor
    public var groupIndex: RawTensor

    /// The tensor names' suffixes, in the order above: `<layer>.qweight`, ….
    public static let suffixes = ["qweight", "qzeros", "scales", "g_idx"]

    public init(qweight: RawTensor, qzeros: RawTensor, scales: RawTensor, groupIndex: RawTensor) {
        self.qweight = qweight
        self.qzeros = qzeros
        self.scales = scales
        self.groupIndex = groupIndex
    }

    /// Packs a layer as AutoGPTQ's `QuantLinear.pack` does (format v1) or GPTQModel keeps it (v2).
    public init(packing layer: CheckpointLayer, format: CheckpointFormat = .v1) {
        let (out, inputs, groups, bits) = (
            layer.outFeatures, layer.inFeatures, layer.groupCount, layer.bits
        )

        // qweight: output row r's codes, a bit stream along the input dimension, becomes column r.
        let wordRows = inputs * bits / 32
        var qweight = [Int32](repeating: 0, count: wordRows * out)
        for r in 0..<out {
            let stream = layer.codes[(r * inputs)..<((r + 1) * inputs)].map(UInt32.init)
            for (w, word) in CheckpointPacking.pack(stream, bits: bits).enumerated() {
                qweight[w * out + r] = Int32(bitPattern: word)
            }
        }

        // qzeros: group g's zeros over all output rows, a bit stream along the output dimension.
        let wordColumns = out * bits / 32
        var qzeros = [Int32](repeating: 0, count: groups * wordColumns)
        for g in 0..<groups {
            let stream = (0..<out).map { r in
                format.storedField(zero: layer.zeros[r * groups + g], bits: bits)
            }
            for (w, word) in CheckpointPacking.pack(stream, bits: bits).enumerated() {
                qzeros[g * wordColumns + w] = Int32(bitPattern: word)
            }
        }

        // scales: transposed to [groups][out] and rounded to float16 (nearest, ties to even).
        var scaleBits = [UInt16](repeating: 0, count: groups * out)
        for g in 0..<groups {
            for r in 0..<out {
                scaleBits[g * out + r] = Float16(layer.scales[r * groups + g]).bitPattern
            }
        }

        self.init(
            qweight: RawTensor(int32: qweight, shape: [wordRows, out]),
            qzeros: RawTensor(int32: qzeros, shape: [groups, wordColumns]),
            scales: RawTensor(float16Bits: scaleBits, shape: [groups, out]),
            groupIndex: RawTensor(int32: layer.groupIndex, shape: [inputs]))
    }

    /// The tensors named as a checkpoint names them: `<prefix>.qweight`, `<prefix>.qzeros`, ….
    public func named(prefix: String) -> [(name: String, tensor: RawTensor)] {
        zip(Self.suffixes, [qweight, qzeros, scales, groupIndex]).map {
            (name: "\(prefix).\($0)", tensor: $1)
        }
    }

    /// Finds `<prefix>.qweight`, `.qzeros`, `.scales` and `.g_idx` in a file.
    public init(from file: SafetensorsFile, prefix: String) throws {
        func tensor(_ suffix: String) throws -> RawTensor {
            guard let found = file["\(prefix).\(suffix)"] else {
                throw CheckpointError.missingTensor("\(prefix).\(suffix)")
            }
            return found
        }
        self.init(
            qweight: try tensor("qweight"), qzeros: try tensor("qzeros"),
            scales: try tensor("scales"), groupIndex: try tensor("g_idx"))
    }

    /// Unpacks and validates: element types, shapes against each other and `bits`, g_idx range,
    /// finite scales. `bits` comes from quantize_config.json: the tensors alone cannot tell
    /// 4-bit [in/8, out] from 8-bit [in/4, out].
    public func unpacked(bits: Int, format: CheckpointFormat = .v1) throws -> CheckpointLayer {
        guard CheckpointPacking.supportedBits.contains(bits) else {
            throw CheckpointError.unsupportedBits(bits)
        }
        let expectedTypes: [(String, RawTensor, ElementType)] = [
            ("qweight", qweight, .int32), ("qzeros", qzeros, .int32),
            ("scales", scales, .float16), ("g_idx", groupIndex, .int32),
        ]
        for (name, tensor, type) in expectedTypes where tensor.elementType != type {
            throw CheckpointError.wrongElementType(
                tensor: name, expected: type, actual: tensor.elementType)
        }
        guard qweight.shape.count == 2, qweight.shape[0] > 0, qweight.shape[1] > 0 else {
            throw CheckpointError.badShape(
                "qweight is \(qweight.shape), expected [in·bits/32, out]")
        }
        let (wordRows, out) = (qweight.shape[0], qweight.shape[1])
        guard wordRows * 32 % bits == 0 else {
            throw CheckpointError.badShape(
                "qweight has \(wordRows) rows, not a whole number of \(bits)-bit codes")
        }
        let inputs = wordRows * 32 / bits
        guard groupIndex.shape == [inputs] else {
            throw CheckpointError.badShape(
                "g_idx is \(groupIndex.shape), qweight implies [\(inputs)]")
        }
        guard scales.shape.count == 2, scales.shape[0] > 0, scales.shape[1] == out else {
            throw CheckpointError.badShape("scales is \(scales.shape), expected [groups, \(out)]")
        }
        let groups = scales.shape[0]
        guard out * bits % 32 == 0, qzeros.shape == [groups, out * bits / 32] else {
            throw CheckpointError.badShape(
                "qzeros is \(qzeros.shape), expected [\(groups), \(out)·\(bits)/32]")
        }
        let gIdx = try groupIndex.int32s()
        if let column = gIdx.firstIndex(where: { $0 < 0 || Int($0) >= groups }) {
            throw CheckpointError.groupIndexOutOfRange(
                column: column, group: Int(gIdx[column]), groups: groups)
        }
        let scaleValues = try scales.float16Bits().map { Float(Float16(bitPattern: $0)) }
        if let index = scaleValues.firstIndex(where: { !$0.isFinite }) {
            throw CheckpointError.nonFiniteScale(index: index)
        }

        // Shapes agree: out·in codes, ≤ 16 per qweight word, are bounded by the file's size.
        let qweightWords = try qweight.int32s().map { UInt32(bitPattern: $0) }
        var codes = [UInt8](repeating: 0, count: out * inputs)
        for r in 0..<out {
            let column = (0..<wordRows).map { w in qweightWords[w * out + r] }
            for (c, code) in CheckpointPacking.unpack(column, bits: bits, count: inputs)
                .enumerated()
            {
                codes[r * inputs + c] = UInt8(code)
            }
        }
        let zeroWords = try qzeros.int32s().map { UInt32(bitPattern: $0) }
        let wordColumns = out * bits / 32
        var zeros = [UInt8](repeating: 0, count: out * groups)
        var scalesByRow = [Float](repeating: 0, count: out * groups)
        for g in 0..<groups {
            let row = Array(zeroWords[(g * wordColumns)..<((g + 1) * wordColumns)])
            for (r, field) in CheckpointPacking.unpack(row, bits: bits, count: out).enumerated() {
                zeros[r * groups + g] = format.zero(storedField: field, bits: bits)
                scalesByRow[r * groups + g] = scaleValues[g * out + r]
            }
        }
        return try CheckpointLayer(
            bits: bits, outFeatures: out, inFeatures: inputs,
            codes: codes, scales: scalesByRow, zeros: zeros, groupIndex: gIdx)
    }
}
