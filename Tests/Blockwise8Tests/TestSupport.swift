import Core
import Foundation
import TestSupport
import Testing
import TensorIO

/// The path of a file in Tests/Blockwise8Tests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

func loadFloats(_ name: String) throws -> [Float] { try NPY.read(contentsOf: fixturePath(name)).floats() }
func loadBytes(_ name: String) throws -> [UInt8] { try NPY.read(contentsOf: fixturePath(name)).uint8s() }

/// Bit-for-bit comparison of two float arrays: nil when every bit pattern agrees, else the
/// count of differences and the first one (index, expected, actual, their bits).
func firstBitMismatch(_ expected: [Float], _ actual: [Float]) -> String? {
    guard expected.count == actual.count else { return "lengths differ: expected \(expected.count), got \(actual.count)" }
    let differing = expected.indices.filter { expected[$0].bitPattern != actual[$0].bitPattern }
    guard let i = differing.first else { return nil }
    let worst = differing.map { abs(Double(expected[$0]) - Double(actual[$0])) }.max() ?? 0
    return "\(differing.count) of \(expected.count) differ; first at \(i): expected \(expected[i]) "
        + "(0x\(String(expected[i].bitPattern, radix: 16))), got \(actual[i]) "
        + "(0x\(String(actual[i].bitPattern, radix: 16))); max |diff| \(worst)"
}


/// Normal values with a few planted outliers, asymmetric (mean 0.1).
func sampleValues(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    var x = rng.normalFloats(count, mean: 0.1, std: 1)
    for i in stride(from: 7, to: count, by: 997) { x[i] *= 40 }
    return x
}
