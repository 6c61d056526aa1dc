/// Failure messages that say where and by how much: the first index where two arrays differ.

/// The first index where two equal-length arrays differ, with both values and the count of
/// differences (`nil` when identical).
public func firstMismatch<T: Equatable>(_ expected: [T], _ actual: [T]) -> String? {
    guard expected.count == actual.count else {
        return "lengths differ: expected \(expected.count), got \(actual.count)"
    }
    guard let i = expected.indices.first(where: { expected[$0] != actual[$0] }) else { return nil }
    let count = expected.indices.filter { expected[$0] != actual[$0] }.count
    return "\(count) of \(expected.count) differ; first at index \(i): expected \(expected[i]), got \(actual[i])"
}

/// The first index where |expected − actual| > tolerance(i), and the largest difference.
public func firstMismatch(_ expected: [Float], _ actual: [Float], tolerance: (Int) -> Double) -> String? {
    guard expected.count == actual.count else {
        return "lengths differ: expected \(expected.count), got \(actual.count)"
    }
    var worst = 0.0
    var first: Int?
    for i in expected.indices {
        let d = abs(Double(expected[i]) - Double(actual[i]))
        worst = max(worst, d)
        if first == nil && !(d <= tolerance(i)) { first = i }
    }
    guard let i = first else { return nil }
    return "index \(i): expected \(expected[i]), got \(actual[i]) (tolerance \(tolerance(i)); max |diff| \(worst))"
}
