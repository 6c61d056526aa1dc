import Blockwise8
import Core
import Foundation
import NN
import Optimizers
import TensorIO
import Testing

/// The path of a file in Tests/OptimizersTests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String {
    let url = try #require(
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
        "fixture \(name) is missing from the test bundle")
    return url.path
}

/// The 8-bit Adam reference case, row s of each [5, …] array being step s + 1.
struct Adam8bitReference {
    let param0: [Float]
    let grads: [[Float]]
    let paramsBnb: [[Float]]
    let state1: [[UInt8]]
    let state2: [[UInt8]]
    let absmax1: [[Float]]
    let absmax2: [[Float]]
    let qmap1: [Float]
    let qmap2: [Float]
    let paramsTorch: [[Float]]
    let expAvgTorch: [[Float]]
    let expAvgSqTorch: [[Float]]

    static let steps = 5

    init() throws {
        func raw(_ file: String) throws -> RawTensor {
            try NPY.read(contentsOf: fixturePath("adam8bit/steps5/" + file))
        }
        func floats(_ file: String) throws -> [Float] { try raw(file).floats() }
        func floatRows(_ file: String) throws -> [[Float]] { Self.rows(try floats(file), steps: Self.steps) }
        func byteRows(_ file: String) throws -> [[UInt8]] { Self.rows(try raw(file).uint8s(), steps: Self.steps) }
        param0 = try floats("param0.npy")
        grads = try floatRows("grads.npy")
        paramsBnb = try floatRows("params_bnb.npy")
        state1 = try byteRows("state1_bnb.npy")
        state2 = try byteRows("state2_bnb.npy")
        absmax1 = try floatRows("absmax1_bnb.npy")
        absmax2 = try floatRows("absmax2_bnb.npy")
        qmap1 = try floats("qmap1.npy")
        qmap2 = try floats("qmap2.npy")
        paramsTorch = try floatRows("params_torch.npy")
        expAvgTorch = try floatRows("exp_avg_torch.npy")
        expAvgSqTorch = try floatRows("exp_avg_sq_torch.npy")
    }

    /// bitsandbytes' recorded 8-bit state after step `t` (1…5), as a `BlockwiseAdamState`.
    func recordedState(afterStep t: Int) throws -> BlockwiseAdamState {
        BlockwiseAdamState(
            firstMoment: try QuantizedBlockwise8(
                shape: [8192], blockSize: 256, code: DynamicMap.signed, codes: state1[t - 1], absmax: absmax1[t - 1]),
            secondMoment: try QuantizedBlockwise8(
                shape: [8192], blockSize: 256, code: DynamicMap.unsigned, codes: state2[t - 1], absmax: absmax2[t - 1]))
    }

    static func rows<T>(_ flat: [T], steps: Int) -> [[T]] {
        let n = flat.count / steps
        return (0..<steps).map { Array(flat[($0 * n)..<(($0 + 1) * n)]) }
    }
}

/// The largest difference between two parameter arrays in units in the last place of
/// max(|expected|, 2e-3) — an ulp of the parameter, but never finer than an ulp of the ≈ 1e-3
/// update (a parameter near zero would otherwise make a one-ulp update difference look huge)
/// — and how many elements differ at all.
func updateUlpDistance(_ expected: [Float], _ actual: [Float]) -> (maxUlps: Double, differing: Int, worstIndex: Int) {
    var worst = (0.0, 0)
    var differing = 0
    for i in expected.indices where expected[i] != actual[i] {
        differing += 1
        let ulps = abs(Double(expected[i]) - Double(actual[i])) / Double(max(abs(expected[i]), 2e-3).ulp)
        if ulps > worst.0 { worst = (ulps, i) }
    }
    return (worst.0, differing, worst.1)
}

/// The largest |expected − actual|.
func maxAbsDifference(_ expected: [Float], _ actual: [Float]) -> Double {
    zip(expected, actual).map { abs(Double($0) - Double($1)) }.max() ?? 0
}
