/// TensorIO — reading and writing the two tensor file formats the LLM world trades in.
///
/// - `.npy`, NumPy's single-array format, specified in NEP 1
///   (<https://numpy.org/neps/nep-0001-npy-format.html>) and in the `numpy.lib.format`
///   documentation (<https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html>):
///
///   ```
///   \x93NUMPY  major minor  header_len  {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }  …data
///   6 bytes    1     1      u16 or u32  ASCII/UTF-8 Python literal, padded so data starts on a 64-byte boundary
///   ```
///
/// - `.safetensors`, Hugging Face's format for model weights, specified in the README of
///   <https://github.com/huggingface/safetensors>:
///
///   ```
///   N (u64, little-endian)  N bytes of JSON header  byte buffer
///   {"__metadata__": {"k": "v"}, "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}
///   ```
///
/// Both hold a flat run of little-endian elements in C (row-major) order, which is exactly what
/// `RawTensor` stores. The readers treat every file as hostile: each size is checked against
/// the bytes actually present *before* anything is allocated, every multiplication is checked
/// for overflow, and every problem becomes a one-line `TensorFileError`, never a crash.
///
/// What we leave out, honestly: Fortran-ordered, big-endian, structured and object arrays in
/// `.npy`; the 8-bit and smaller float dtypes (F8_E4M3, F4, …) and complex C64 in safetensors;
/// memory mapping (we read whole files — the files here are small).
///
/// ### See Also
/// - `RawTensor`, `NPY`, `Safetensors`, `writeAtomically(_:to:)`

/// The element types both file formats can hold (bfloat16 only in safetensors).
///
/// Every type is stored little-endian, `byteWidth` bytes per element; `bool` is one byte,
/// 0 or 1.
public enum ElementType: String, CaseIterable, Sendable {
    case float16, bfloat16, float32, float64
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64
    case bool

    /// Bytes per element in the file.
    public var byteWidth: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// True for the four floating-point types, the ones `RawTensor.floats()` converts.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: return true
        default: return false
        }
    }
}
