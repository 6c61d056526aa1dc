/// Why a row or a byte buffer cannot be read as GGML blocks.
///
/// llama.cpp's `quantize_row_*_ref` functions `assert(k % QK == 0)` and trap; here a wrong
/// length is a thrown error the caller can report.
public enum GGMLError: Error, Equatable, CustomStringConvertible {
    /// A float row whose length is not a multiple of the block size (32 for the legacy types).
    case rowLengthNotMultipleOfBlockSize(count: Int, blockSize: Int)
    /// A byte buffer whose length is not a whole number of blocks.
    case byteCountNotMultipleOfBlockBytes(count: Int, bytesPerBlock: Int)
    /// An importance vector (one weight per column) whose length is not the row's.
    case importanceLengthMismatch(count: Int, rowLength: Int)

    public var description: String {
        switch self {
        case .rowLengthNotMultipleOfBlockSize(let count, let blockSize):
            return "a row of \(count) values is not a whole number of blocks of \(blockSize)"
        case .byteCountNotMultipleOfBlockBytes(let count, let bytesPerBlock):
            return "\(count) bytes are not a whole number of \(bytesPerBlock)-byte blocks"
        case .importanceLengthMismatch(let count, let rowLength):
            return "an importance vector of \(count) values for a row of \(rowLength)"
        }
    }
}
