/// How many values share one scale.
///
/// ```
/// perTensor            one group: every value
/// perRow               one group per row of a 2-D tensor   ("vector-wise", LLM.int8() §3.1)
/// perColumn            one group per column of a 2-D tensor
/// blockwise(size)      runs of `size` consecutive values of the flattened tensor;
///                      the last block holds the remaining n mod size values when
///                      size does not divide n (the "short block")
/// ```
///
/// Finer groups cost more scales (4 bytes each) and buy a smaller step wherever a group
/// holds no outlier: the trade-off Chapter 2 measures.
public enum Granularity: Equatable, Hashable, Sendable, CustomStringConvertible {
    case perTensor
    case perRow
    case perColumn
    case blockwise(blockSize: Int)

    public var description: String {
        switch self {
        case .perTensor: "per tensor"
        case .perRow: "per row"
        case .perColumn: "per column"
        case .blockwise(let size): "blockwise (\(size))"
        }
    }

    /// The number of groups (= scales) for a tensor of this shape: 1 per tensor, one per
    /// row or column of a 2-D tensor, ⌈n / size⌉ blocks (the last may be short).
    /// Precondition: the shape was accepted by `validate(shape:)`.
    public func groupCount(shape: [Int]) -> Int {
        // BEGIN EXERCISE 2c — which group does a value belong to?
        let count = shape.reduce(1, *)
        switch self {
        case .perTensor: return 1
        case .perRow: return shape[0]
        case .perColumn: return shape[1]
        case .blockwise(let size): return (count + size - 1) / size  // ⌈n / size⌉
        }
        // END EXERCISE 2c
    }

    /// The group of the value at flat (row-major) index `index`, in 0..<groupCount(shape:).
    public func groupIndex(ofElement index: Int, shape: [Int]) -> Int {
        // BEGIN EXERCISE 2c — which group does a value belong to?
        switch self {
        case .perTensor: return 0
        case .perRow: return index / shape[1]  // row = index ÷ cols
        case .perColumn: return index % shape[1]  // column = index mod cols
        case .blockwise(let size): return index / size
        }
        // END EXERCISE 2c
    }

    /// Throws when this granularity does not apply to `shape`: rows and columns need a
    /// 2-D tensor, blocks need a size of at least 1.
    public func validate(shape: [Int]) throws(QuantizationError) {
        switch self {
        case .perTensor: return
        case .perRow, .perColumn:
            if shape.count != 2 { throw .needsMatrix(granularity: self, shape: shape) }
        case .blockwise(let size):
            if size < 1 { throw .invalidBlockSize(size) }
        }
    }
}

/// A granularity resolved for one shape: the group count and the element → group map.
/// (A small struct so the quantizers can call `group(ofElement:)` without re-checking.)
struct GroupLayout {
    let granularity: Granularity
    let shape: [Int]
    let groupCount: Int

    init(shape: [Int], granularity: Granularity) throws(QuantizationError) {
        try granularity.validate(shape: shape)
        self.granularity = granularity
        self.shape = shape
        self.groupCount = granularity.groupCount(shape: shape)
    }

    @inline(__always)
    func group(ofElement index: Int) -> Int {
        granularity.groupIndex(ofElement: index, shape: shape)
    }
}
