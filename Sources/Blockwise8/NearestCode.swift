/// The nearest entry of a sorted codebook, found the way bitsandbytes' PyTorch kernels find
/// it: compare with the **midpoints** between neighbours.
///
/// ```
/// s            the codebook sorted ascending (n values)
/// midpoints[i] = (s[i] + s[i+1]) / 2             float32, i in 0 ..< n−1
/// index(x)     = torch.bucketize(x, midpoints, right=False)
///              = the number of midpoints strictly below x
/// ```
///
/// So s[index(x)] is the nearest entry to x, and a value **exactly on a midpoint goes to the
/// lower entry** (right=False puts x = midpoints[i] in bucket i). A NaN compares false with
/// everything and lands in the last bucket — the same index `bucketize`'s binary search gives.
///
/// Why midpoints rather than "the entry with the smallest |x − s[i]|": with float32 midpoints
/// the decision is one comparison per step of a binary search, and it is exactly what the
/// reference does. The two rules agree except within rounding of a midpoint (the reference
/// README checks 0 of 12 388 codes differ from the float64 nearest code).
public struct NearestCode: Equatable, Sendable {
    /// The codebook sorted ascending.
    public let sortedValues: [Float]
    /// midpoints: [sortedValues.count − 1] Float, midpoints[i] between sortedValues[i] and [i+1].
    public let midpoints: [Float]

    /// Throws unless `sortedValues` holds 2 … `maxCount` finite values in ascending order
    /// (equal neighbours are allowed: bitsandbytes' 256-entry normal map pads with zeros).
    public init(sortedValues: [Float], maxCount: Int = 256) throws(BlockwiseQuantizationError) {
        guard (2...maxCount).contains(sortedValues.count) else {
            throw .invalidCodebook("need 2…\(maxCount) values, got \(sortedValues.count)")
        }
        guard sortedValues.allSatisfy(\.isFinite) else {
            throw .invalidCodebook("a value is not finite")
        }
        for i in 1..<sortedValues.count where sortedValues[i - 1] > sortedValues[i] {
            throw .invalidCodebook("not sorted ascending at index \(i)")
        }
        self.sortedValues = sortedValues
        self.midpoints = (0..<(sortedValues.count - 1)).map { i in
            (sortedValues[i] + sortedValues[i + 1]) / 2
        }
    }

    /// `torch.bucketize(x, midpoints, right=False)`: the first i with midpoints[i] ≥ x, found
    /// by the same binary search PyTorch runs (`!(m >= x)` moves right, so NaN goes last).
    @inlinable
    public func index(of x: Float) -> Int {
        var low = 0
        var high = midpoints.count
        while low < high {
            let mid = low + (high - low) / 2
            if !(midpoints[mid] >= x) {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    /// The other tie rule, `bucketize(right=True)`: a value exactly on a midpoint goes to the
    /// **upper** entry (the number of midpoints ≤ x). Kept so the chapter can show which
    /// values the choice moves; no bitsandbytes path uses it.
    @inlinable
    public func indexRoundingTiesUp(of x: Float) -> Int {
        var low = 0
        var high = midpoints.count
        while low < high {
            let mid = low + (high - low) / 2
            if !(midpoints[mid] > x) {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }
}
