import Core
import GGML
import GGUF
import TensorIO

/// `lowbit quantize --scheme q4_k …`: a 2-D tensor through one of llama.cpp's block types,
/// row by row as `ggml_quantize_chunk` does it — `--codes` holds each row's blocks exactly as
/// llama.cpp lays them out (uint8 [rows, bytes per row]), `--dequantized` llama.cpp's
/// `to_float` of them (Chapter 11; the GGML module's types, checked bit for bit against
/// llama.cpp's C in Tests/GGMLTests).
enum GGMLQuantization {
    static func quantize(
        _ t: Tensor, name: String, type: GGMLType?, importance: [Float]?
    ) throws -> QuantizationScheme.Result {
        guard let type, let format = type.format else {
            throw CLIError("\(name): no quantizer for this scheme")
        }
        guard t.rank == 2 else {
            throw CLIError(
                "\(name): --scheme \(type.name.lowercased()) needs a 2-D tensor [rows, columns], "
                    + "got shape \(t.shape)")
        }
        let (rows, columns) = (t.shape[0], t.shape[1])
        guard columns % format.blockSize == 0 else {
            throw CLIError(
                "\(name): rows of \(columns) values are not a whole number of "
                    + "\(type.name) blocks (\(format.blockSize) values each)")
        }
        let rowBytes = columns / format.blockSize * format.bytesPerBlock
        var codes: [UInt8] = []
        codes.reserveCapacity(rows * rowBytes)
        var dequantized: [Float] = []
        dequantized.reserveCapacity(rows * columns)
        for r in 0..<rows {
            let row = Array(t.data[r * columns..<(r + 1) * columns])
            let bytes: [UInt8]
            if let importance, let kQuant = format as? any KQuantFormat.Type {
                bytes = try kQuant.quantize(row, importance: importance)
            } else {
                bytes = try format.quantize(row)
            }
            codes += bytes
            dequantized += try format.dequantize(bytes)
        }
        var extra = [("type", JSONReport.quote(type.name)), ("row_bytes", String(rowBytes))]
        if importance != nil { extra.append(("imatrix", "true")) }
        return QuantizationScheme.Result(
            dequantized: dequantized, codes: RawTensor(uint8: codes, shape: [rows, rowBytes]),
            storageBytes: codes.count, groups: rows * columns / format.blockSize,
            blockSize: format.blockSize, extraJSON: extra)
    }

    /// Reads `--imatrix`: one finite, non-negative weight per column (llama.cpp's imatrix
    /// entries are mean squared activations).
    static func importance(_ path: String, columns: Int) throws -> [Float] {
        let input = try FloatInput.load(path)
        guard input.values.count == columns, input.shape.count == 1 else {
            throw CLIError(
                "\(path): the importance matrix must be 1-D with one weight per column "
                    + "(\(columns)), got shape \(input.shape)")
        }
        if let bad = input.values.firstIndex(where: { $0 < 0 }) {
            throw CLIError("\(path): weight \(input.values[bad]) at index \(bad) is negative")
        }
        return input.values
    }
}
