import Blockwise8
import Core

/// A tensor quantized blockwise to a 4-bit data type.
///
/// ```
/// packed:    [⌈count / 2⌉] bytes, two codes per byte, first element in the high nibble
///            (an odd count pads the last low nibble with type.zeroCode) — `NibblePacking`
/// constants: one absmax per block of blockSize, float32 or double-quantized
/// x̂[i] = type.values[code[i]] · absmax[i / blockSize]            float32, one rounding
/// ```
public struct QuantizedBlockwise4: Equatable, Sendable {
    public let type: FourBitDataType
    public let shape: [Int]
    public let blockSize: Int
    public let packed: [UInt8]
    public let constants: BlockConstants

    /// Rebuild from stored pieces; throws if they do not fit together.
    public init(
        type: FourBitDataType, shape: [Int], blockSize: Int, packed: [UInt8],
        constants: BlockConstants
    ) throws(BlockwiseQuantizationError) {
        let count = shape.reduce(1, *)
        guard blockSize > 0, packed.count == (count + 1) / 2 else {
            throw .inconsistentState("\(packed.count) packed bytes for \(count) values")
        }
        guard constants.blockCount == (count + blockSize - 1) / blockSize else {
            throw .inconsistentState(
                "\(constants.blockCount) constants for \(count) values in blocks of \(blockSize)")
        }
        let largestCode = packed.map { max($0 >> 4, $0 & 0x0F) }.max() ?? 0
        guard Int(largestCode) < type.values.count || count == 0 else {
            throw .inconsistentState(
                "code \(largestCode) is past the \(type.values.count)-entry \(type) table")
        }
        self.init(
            checked: type, shape: shape, blockSize: blockSize, packed: packed, constants: constants)
    }

    init(
        checked type: FourBitDataType, shape: [Int], blockSize: Int, packed: [UInt8],
        constants: BlockConstants
    ) {
        self.type = type
        self.shape = shape
        self.blockSize = blockSize
        self.packed = packed
        self.constants = constants
    }

    public var count: Int { shape.reduce(1, *) }

    /// The 4-bit codes, one per value, unpacked.
    public var codes: [UInt8] { NibblePacking.unpack(packed, count: count) }

    /// x̂[i] = values[code[i]] · absmax[i / blockSize], in flat order.
    public func dequantize() -> [Float] {
        let absmax = constants.absmax
        return codes.enumerated().map { i, code in type.values[Int(code)] * absmax[i / blockSize] }
    }

    /// The dequantized values in the input's shape.
    public func dequantizedTensor() -> Tensor { Tensor(shape: shape, data: dequantize()) }

    /// Packed codes plus constants (the 16-entry table is shared, not counted).
    public var storageBytes: Int { packed.count + constants.storageBytes }

    /// Measured bits per value: 8 · storageBytes / count (4.5 for NF4 with blocks of 64).
    public var bitsPerParameter: Double {
        count == 0 ? 0 : 8 * Double(storageBytes) / Double(count)
    }
}
