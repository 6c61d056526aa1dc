import Core
import NN
import TestSupport
import NNTestSupport
import Testing

/// Exercise 6c — `ScaledDotProductAttention.referenceBackward`: dq, dk, dv through the
/// weighted sum, the softmax and the scaled dot product. The models run the fast `backward`;
/// this suite checks the readable loops against finite differences, then against the fast
/// path bit for bit.
@Suite struct Ex6c_AttentionBackwardTests {

    /// dq, dk, dv for L = Σ r ⊙ attention(q, k, v) against central differences.
    @Test func gradientsMatchFiniteDifferences() {
        expectAllPass(attentionCoreGradientChecks(readable: true, seed: 409))
    }

    /// Causality, backwards: a gradient arriving only at position t reaches q, k and v of
    /// positions 0…t and nothing after t — and at t = 0 it reaches only v₀ (p = 1, and a
    /// softmax over one score has no gradient).
    @Test func gradientsFlowOnlyToThePast() {
        let shape = [1, 6, 8]
        let attention = ScaledDotProductAttention(heads: 2)
        let q = randomTensor(shape, seed: 413), k = randomTensor(shape, seed: 414), v = randomTensor(shape, seed: 415)
        var log = MismatchLog("gradients that reach the wrong positions")
        for t in [0, 3] {
            _ = attention.forward(query: q, key: k, value: v)
            var dOut = Tensor(shape: shape, repeating: 0)
            for j in 0..<8 { dOut.data[t * 8 + j] = Float(j + 1) / 8 }
            let grads = attention.referenceBackward(dOut)
            for (name, g) in [("dq", grads.query.data), ("dk", grads.key.data), ("dv", grads.value.data)] where g.count == 48 {
                for s in 0..<6 {
                    let touched = g[(s * 8)..<(s * 8 + 8)].contains { $0 != 0 }
                    let expected = s <= t && !(t == 0 && name != "dv") && !(name == "dq" && s != t)
                    if touched != expected { log.add("gradient at t = \(t): \(name) of position \(s) is \(touched ? "non-zero" : "zero")") }
                }
            }
        }
        log.expectEmpty()
    }

    /// Against the fast backward the models run: within float32 rounding (a few ulps of the
    /// largest gradient).
    @Test(arguments: AttentionCase.all)
    func gradientsWithinRoundingOfTheFastBackward(_ attentionCase: AttentionCase) {
        let (want, got) = attentionCase.fastAndReference()
        for (what, expected, actual) in zip3(["dq", "dk", "dv"], want, got) {
            let scale = expected.map { abs(Double($0)) }.max() ?? 0
            let mismatch = firstMismatch(expected, actual, tolerance: { _ in 1e-5 * scale + 1e-7 })
            #expect(mismatch == nil, "\(what), \(attentionCase): \(mismatch ?? "")")
        }
    }

    /// The same, bit for bit: the fast path keeps every sum of the readable loops in order.
    @Test(arguments: AttentionCase.all)
    func gradientsBitExactWithTheFastBackward(_ attentionCase: AttentionCase) {
        let (want, got) = attentionCase.fastAndReference()
        let order = "bit-exact with the fast attention backward needs the order the doc comment prescribes: per query t, "
            + "dp and Σ p·dp over s in order, dscore = (p·(dp − Σ p·dp))·(1/√D), every sum from 0 in order"
        for (what, expected, actual) in zip3(["dq", "dk", "dv"], want, got) {
            let mismatch = firstBitMismatch(expected, actual)
            #expect(mismatch == nil, "\(what), \(attentionCase): \(order) — \(mismatch ?? "")")
        }
    }
}

/// Three parallel arrays as one sequence of triples.
func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    (0..<min(a.count, b.count, c.count)).map { (a[$0], b[$0], c[$0]) }
}

/// An attention shape [B, T, C] and a head count, with random q, k, v and dOut.
struct AttentionCase: CustomStringConvertible, Sendable {
    let shape: [Int]
    let heads: Int

    /// Head widths 1, 3, 4, 6 and 16 (not all multiples of the 4-lane vectors), sequence
    /// lengths around the fast path's 16-key passes, and the chapter model's own shape.
    static let all: [AttentionCase] = [
        AttentionCase(shape: [1, 1, 4], heads: 1), AttentionCase(shape: [2, 5, 6], heads: 2),
        AttentionCase(shape: [1, 9, 12], heads: 3), AttentionCase(shape: [2, 17, 8], heads: 2),
        AttentionCase(shape: [1, 33, 12], heads: 2), AttentionCase(shape: [3, 20, 6], heads: 6),
        AttentionCase(shape: [2, 64, 64], heads: 4),
    ]

    var description: String { "\(shape), \(heads) heads" }

    var q: Tensor { randomTensor(shape, seed: 401, std: 2) }
    var k: Tensor { randomTensor(shape, seed: 402, std: 2) }
    var v: Tensor { randomTensor(shape, seed: 403) }
    var dOut: Tensor { randomTensor(shape, seed: 404) }

    /// [dq, dk, dv] from the fast backward and from the readable loops, after the fast forward.
    func fastAndReference() -> (fast: [[Float]], reference: [[Float]]) {
        let attention = ScaledDotProductAttention(heads: heads)
        _ = attention.forward(query: q, key: k, value: v)
        let fast = attention.backward(dOut), reference = attention.referenceBackward(dOut)
        return ([fast.query.data, fast.key.data, fast.value.data],
                [reference.query.data, reference.key.data, reference.value.data])
    }
}
