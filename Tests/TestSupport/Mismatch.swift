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

/// Bit-for-bit comparison of two float arrays: nil when every bit pattern agrees, else the
/// count of differences and the first one (index, expected, actual, their bits).
public func firstBitMismatch(_ expected: [Float], _ actual: [Float]) -> String? {
    guard expected.count == actual.count else { return "lengths differ: expected \(expected.count), got \(actual.count)" }
    let differing = expected.indices.filter { expected[$0].bitPattern != actual[$0].bitPattern }
    guard let i = differing.first else { return nil }
    let worst = differing.map { abs(Double(expected[$0]) - Double(actual[$0])) }.max() ?? 0
    return "\(differing.count) of \(expected.count) differ; first at \(i): expected \(expected[i]) "
        + "(0x\(String(expected[i].bitPattern, radix: 16))), got \(actual[i]) "
        + "(0x\(String(actual[i].bitPattern, radix: 16))); max |diff| \(worst)"
}
