import Core

/// The first index where two equal-length arrays differ, with both values, for failure
/// messages that say where and by how much (`nil` when they are identical).
func firstMismatch<T: Equatable>(_ expected: [T], _ actual: [T]) -> String? {
    guard expected.count == actual.count else {
        return "lengths differ: expected \(expected.count), got \(actual.count)"
    }
    guard let i = expected.indices.first(where: { expected[$0] != actual[$0] }) else { return nil }
    let count = expected.indices.filter { expected[$0] != actual[$0] }.count
    return "\(count) of \(expected.count) differ; first at index \(i): expected \(expected[i]), got \(actual[i])"
}

/// The first index where |expected − actual| > tolerance(i), with the largest difference.
func firstMismatch(_ expected: [Float], _ actual: [Float], tolerance: (Int) -> Double) -> String? {
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

/// A random test matrix whose values are asymmetric and of mixed magnitude.
func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: [rows, cols], data: rng.normalFloats(rows * cols, mean: 0.1 * std, std: std))
}
