import Core
import NN
import NNTestSupport
import Testing

/// Expects two arrays to be identical bit for bit (NaN payloads and the sign of zero
/// included); on failure names the first differing index, both values and the largest
/// difference.
func expectBitIdentical(
    _ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let differing = actual.indices.filter { actual[$0].bitPattern != expected[$0].bitPattern }
    guard let first = differing.first else { return }
    let maxDifference = differing.map { abs(Double(actual[$0]) - Double(expected[$0])) }.max()!
    let message: String = "\(what): \(differing.count) of \(actual.count) values differ; first at \(first): "
        + "expected \(expected[first]) (0x\(String(expected[first].bitPattern, radix: 16))), "
        + "got \(actual[first]) (0x\(String(actual[first].bitPattern, radix: 16))); "
        + "max difference \(maxDifference)"
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}
