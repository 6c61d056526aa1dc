import Core
import NN
import TestSupport
import NNTestSupport
import Testing

/// Exercise 6b — `LayerNorm.referenceBackward`: dx = r · (g − mean(g) − x̂ · mean(g · x̂)),
/// g = dy · γ, accumulating dγ and dβ. The models run the fast `backward`; this suite checks
/// the readable loop against finite differences, then against the fast path bit for bit.
@Suite struct Ex6b_LayerNormBackwardTests {

    /// dx, dγ and dβ against central differences, with γ and β away from 1 and 0.
    @Test func gradientsMatchFiniteDifferences() {
        let norm = LayerNorm(features: 5, name: "ln")
        var rng = SeededRNG(seed: 504)
        norm.weight.value = rng.normalFloats(5, mean: 1, std: 0.3)
        norm.bias.value = rng.normalFloats(5, std: 0.3)
        let x = Parameter(name: "x", shape: [4, 5], value: randomTensor([4, 5], seed: 505).data)
        let r = rng.normalFloats(20)
        norm.zeroGrad()
        _ = norm.forward(x.tensor)
        x.grad = norm.referenceBackward(Tensor(shape: [4, 5], data: r)).data
        let loss = { projected(norm.forward(x.tensor), onto: r) }
        expectAllPass([x, norm.weight, norm.bias].map { GradientCheck.check($0, loss: loss) })
    }

    /// The gradient reaching x is orthogonal to the constant vector: shifting a whole row
    /// does not change LayerNorm's output, so dx sums to zero in every row.
    @Test func inputGradientSumsToZeroInEveryRow() {
        let norm = LayerNorm(features: 8, name: "ln")
        var rng = SeededRNG(seed: 73)
        norm.weight.value = rng.normalFloats(8, mean: 1, std: 0.3)
        _ = norm.forward(randomTensor([3, 8], seed: 731))
        let dx = norm.referenceBackward(randomTensor([3, 8], seed: 732))
        #expect(dx.shape == [3, 8] && dx.count == 24)
        var log = MismatchLog("rows of dx that do not sum to zero")
        for r in 0..<min(3, dx.rows) {
            let sum = dx.row(r).reduce(0, +)
            if !(abs(sum) < 1e-5) { log.add("row \(r) sums to \(sum)") }
        }
        log.expectEmpty()
    }

    /// Against the fast backward the models run, from gradients that already hold values:
    /// within float32 rounding (a few ulps of each row's largest term).
    @Test(arguments: LayerNormCase.rowCounts)
    func gradientsWithinRoundingOfTheFastBackward(rows: Int) {
        let layerCase = LayerNormCase(rows: rows)
        let want = layerCase.run(reference: false), got = layerCase.run(reference: true)
        for (what, expected, actual) in [("dx", want.dx, got.dx), ("dγ", want.dGamma, got.dGamma), ("dβ", want.dBeta, got.dBeta)] {
            let scale = expected.map { abs(Double($0)) }.max() ?? 0
            let mismatch = firstMismatch(expected, actual, tolerance: { _ in 1e-5 * scale + 1e-7 })
            #expect(mismatch == nil, "\(what), \(rows) rows: \(mismatch ?? "")")
        }
    }

    /// The same, bit for bit: the fast path keeps every operation of the readable loop in order.
    @Test(arguments: LayerNormCase.rowCounts)
    func gradientsBitExactWithTheFastBackward(rows: Int) {
        let layerCase = LayerNormCase(rows: rows)
        let want = layerCase.run(reference: false), got = layerCase.run(reference: true)
        let order = "bit-exact with LayerNorm.backward needs the order the doc comment prescribes: per row, meanG and "
            + "meanGXHat summed over j in order and divided by C; then dβ += dy, dγ += dy·x̂, dx = r·((g − meanG) − x̂·meanGXHat)"
        for (what, expected, actual) in [("dx", want.dx, got.dx), ("dγ", want.dGamma, got.dGamma), ("dβ", want.dBeta, got.dBeta)] {
            let mismatch = firstBitMismatch(expected, actual)
            #expect(mismatch == nil, "\(what), \(rows) rows: \(order) — \(mismatch ?? "")")
        }
    }
}

/// A LayerNorm of 7 features with γ and β away from 1 and 0, a forward pass on `rows` rows,
/// and gradients of γ and β that already hold values.
struct LayerNormCase {
    /// Row counts around the fast path's four-rows-at-a-time grouping.
    static let rowCounts = [1, 3, 4, 5, 9]
    let rows: Int

    /// dx, dγ, dβ from the readable loop or the fast backward.
    func run(reference: Bool) -> (dx: [Float], dGamma: [Float], dBeta: [Float]) {
        let norm = LayerNorm(features: 7, name: "ln")
        var rng = SeededRNG(seed: 501)
        norm.weight.value = rng.normalFloats(7, mean: 1, std: 0.3)
        norm.bias.value = rng.normalFloats(7, std: 0.3)
        norm.weight.grad = rng.normalFloats(7, std: 2)
        norm.bias.grad = rng.normalFloats(7, std: 2)
        _ = norm.forward(randomTensor([rows, 7], seed: 502, std: 3))
        let dy = randomTensor([rows, 7], seed: 503)
        let dx = reference ? norm.referenceBackward(dy) : norm.backward(dy)
        return (dx.data, norm.weight.grad, norm.bias.grad)
    }
}
