import Core
import TestSupport

/// A random test matrix whose values are asymmetric and of mixed magnitude.
func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: [rows, cols], data: rng.normalFloats(rows * cols, mean: 0.1 * std, std: std))
}
