import Core
import TestSupport
import Foundation
import Testing
import TensorIO

/// The path of a file in Tests/LLMInt8Tests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

/// A float32 fixture as a Tensor of its own shape.
func loadTensor(_ name: String) throws -> Tensor { try Fixtures(.module).tensor(name) }

func loadInt8(_ name: String) throws -> [Int8] { try NPY.read(contentsOf: fixturePath(name)).int8s() }

func loadIndices(_ name: String) throws -> [Int] {
    try NPY.read(contentsOf: fixturePath(name)).int64s().map { Int($0) }
}

/// The largest |expected − actual|.
func maxAbsDifference(_ expected: [Float], _ actual: [Float]) -> Double {
    zip(expected, actual).map { abs(Double($0) - Double($1)) }.max() ?? 0
}

/// One unit in the last place of a float32 of magnitude |x| (2⁻¹⁴⁹ at zero).
func ulp(_ x: Float) -> Double { Double(abs(x).ulp) }

/// A random tokens × features matrix, asymmetric (mean 0.1·std).
func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: [rows, cols], data: rng.normalFloats(rows * cols, mean: 0.1 * std, std: std))
}
