import Core
import NN

/// Chapter 8's training data: clustered "tokens" whose classes need a non-linear feature map,
/// plus one vector that every token shares.
///
/// ```
/// x = c_cluster + noise · N(0, I) + s        c: NN's GaussianMixtureTask centres (several per class)
/// s = sharedNorm · u,  u a fixed random unit vector (the same for every token)
/// ```
///
/// The shared component imitates the large common direction of transformer hidden states
/// (their mean is far from zero; see e.g. Ethayarajh 2019 on anisotropy). It is what makes
/// routing collapse in this small experiment: a linear router sees s in every token, so
/// whatever preference s gives it at the start is shared by all tokens, the experts it
/// favours train fastest, and nothing pushes back except the load-balancing loss. With
/// `sharedNorm = 0` (zero-mean, isotropic clusters) the same router stays balanced on its own
/// — the chapter says so rather than hide it.
public struct ClusteredTokens: Sendable {
    public let mixture: GaussianMixtureTask
    /// s: [dimensions].
    public let sharedComponent: [Float]

    public init(
        classes: Int, dimensions: Int, componentsPerClass: Int, centerSpread: Double, noise: Double,
        sharedNorm: Double, seed: UInt64
    ) {
        mixture = GaussianMixtureTask(
            classes: classes, dimensions: dimensions, componentsPerClass: componentsPerClass,
            centerSpread: centerSpread, noise: noise, seed: seed)
        var rng = SeededRNG(seed: seed ^ 0x5EED_C0DE)
        let direction = rng.normalFloats(dimensions)
        let norm = direction.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        sharedComponent = direction.map { Float(Double($0) / norm * sharedNorm) }
    }

    public var classes: Int { mixture.classes }
    public var dimensions: Int { mixture.dimensions }

    /// `count` labelled tokens: inputs [count][dimensions], labels [count].
    public func sample(count: Int, rng: inout SeededRNG) -> (inputs: Tensor, labels: [Int]) {
        var (x, labels) = mixture.sample(count: count, rng: &rng)
        for r in 0..<count {
            for j in 0..<dimensions { x[r, j] += sharedComponent[j] }
        }
        return (x, labels)
    }
}
