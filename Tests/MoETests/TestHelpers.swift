import Core
import Foundation
import MoE
import NN
import TensorIO
import TestSupport
import Testing

/// The path of a file in Tests/MoETests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

/// A float32 fixture as a Tensor of its own shape.
func loadTensor(_ name: String) throws -> Tensor { try Fixtures(.module).tensor(name) }

/// An int64 fixture as Ints.
func loadIndices(_ name: String) throws -> [Int] {
    try NPY.read(contentsOf: fixturePath(name)).int64s().map { Int($0) }
}

/// A random matrix, asymmetric (mean 0.1·std), from our generator.
func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: [rows, cols], data: rng.normalFloats(rows * cols, mean: 0.1 * std, std: std))
}

/// The largest |expected − actual|.
func maxAbsDifference(_ expected: [Float], _ actual: [Float]) -> Double {
    zip(expected, actual).map { abs(Double($0) - Double($1)) }.max() ?? 0
}

/// Σ c·y in Double: a loss whose gradient with respect to y is c (a fixed random "upstream").
func weightedSum(_ y: Tensor, _ c: [Float]) -> Double {
    zip(y.data, c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// For every token, log p(K-th choice) − log p((K+1)-th choice): how far the routing is from
/// changing its mind. Finite differences are only valid where this is comfortably positive.
func routingMargin(_ routing: Routing) -> Double {
    var margin = Double.infinity
    for t in 0..<routing.tokens {
        let p = routing.probabilities[(t * routing.experts)..<((t + 1) * routing.experts)].map(Double.init).sorted(by: >)
        if routing.topK < routing.experts { margin = min(margin, Foundation.log(p[routing.topK - 1] / p[routing.topK])) }
    }
    return margin
}
