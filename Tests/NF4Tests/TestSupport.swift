import Core
import Foundation
import TestSupport
import Testing
import TensorIO

/// The path of a file in Tests/NF4Tests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

func loadFloats(_ name: String) throws -> [Float] { try Fixtures(.module).floats(name) }
func loadBytes(_ name: String) throws -> [UInt8] { try Fixtures(.module).bytes(name) }

/// Normal values with a few planted outliers, asymmetric (mean 0.1).
func sampleValues(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    var x = rng.normalFloats(count, mean: 0.1, std: 1)
    for i in stride(from: 7, to: count, by: 997) { x[i] *= 40 }
    return x
}

/// One unit in the last place of a float32 of magnitude |x|.
func ulp(_ x: Float) -> Float { abs(x).ulp }
