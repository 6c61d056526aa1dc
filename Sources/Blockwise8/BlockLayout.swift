/// How a flattened tensor of `count` values splits into blocks of `blockSize`.
///
/// ```
/// block b holds the flat indices b·blockSize ..< min((b + 1)·blockSize, count)
/// blockCount = ⌈count / blockSize⌉          the last block is "partial" when
///                                          blockSize does not divide count
/// ```
///
/// bitsandbytes flattens row-major first, so a [48, 80] weight with blocks of 64 has block 1
/// spanning the end of row 0 and the start of row 1: blocks ignore rows.
public struct BlockLayout: Equatable, Sendable {
    public let count: Int
    public let blockSize: Int

    /// Throws unless `blockSize` is one of `allowed` (bitsandbytes' lists are powers of two).
    public init(count: Int, blockSize: Int, allowed: [Int]) throws(BlockwiseQuantizationError) {
        guard allowed.contains(blockSize) else {
            throw .invalidBlockSize(blockSize, allowed: allowed)
        }
        precondition(count >= 0, "a tensor cannot hold a negative number of values")
        self.count = count
        self.blockSize = blockSize
    }

    /// ⌈count / blockSize⌉ — one absmax per block.
    public var blockCount: Int { (count + blockSize - 1) / blockSize }

    /// Blocks that hold exactly `blockSize` values.
    public var fullBlockCount: Int { count / blockSize }

    /// The flat indices of block `b`.
    public func range(ofBlock b: Int) -> Range<Int> {
        (b * blockSize)..<min((b + 1) * blockSize, count)
    }

    /// True for the last block when it is shorter than `blockSize`.
    public func isPartial(block b: Int) -> Bool { b >= fullBlockCount }

    /// The powers of two from `low` to `high`, both included.
    public static func powersOfTwo(from low: Int, through high: Int) -> [Int] {
        Array(sequence(first: low) { $0 * 2 }.prefix { $0 <= high })
    }
}
