import Core

/// A deterministic synthetic classification task: points drawn from a seeded mixture of
/// Gaussians, each class owning several clusters, so no straight line separates the classes
/// and a network needs its hidden layers.
///
/// ```
/// centers: [classes · componentsPerClass][dimensions]   ~ N(0, centerSpread²), fixed by the seed
/// sample:  label ~ U{0…classes−1},  component ~ U{0…componentsPerClass−1}
///          x = centers[label · componentsPerClass + component] + noise · N(0, I)
/// ```
///
/// Clusters of different classes overlap a little, so even the best classifier has a
/// loss above zero — the loss curves of two optimizers have something to compare for longer
/// than a few steps. Batches come from a caller-held generator, so a training run is
/// reproducible from its two seeds (task and batches).
public struct GaussianMixtureTask: Sendable {
    public let classes: Int
    public let dimensions: Int
    public let componentsPerClass: Int
    public let noise: Double
    /// centers: [classes · componentsPerClass][dimensions]; cluster c belongs to class c / componentsPerClass.
    public let centers: [Float]

    public init(
        classes: Int = 8, dimensions: Int = 16, componentsPerClass: Int = 3,
        centerSpread: Double = 0.6, noise: Double = 1.0, seed: UInt64
    ) {
        precondition(
            classes > 1 && dimensions > 0 && componentsPerClass > 0,
            "GaussianMixtureTask: sizes must be positive")
        self.classes = classes
        self.dimensions = dimensions
        self.componentsPerClass = componentsPerClass
        self.noise = noise
        var rng = SeededRNG(seed: seed)
        centers = rng.normalFloats(classes * componentsPerClass * dimensions, std: centerSpread)
    }

    /// `count` labelled points: inputs [count][dimensions], labels [count].
    public func sample(count: Int, rng: inout SeededRNG) -> (inputs: Tensor, labels: [Int]) {
        var x = [Float](repeating: 0, count: count * dimensions)
        var labels = [Int](repeating: 0, count: count)
        for r in 0..<count {
            let label = rng.index(below: classes)
            let cluster = label * componentsPerClass + rng.index(below: componentsPerClass)
            labels[r] = label
            for j in 0..<dimensions {
                x[r * dimensions + j] = centers[cluster * dimensions + j] + Float(noise * rng.normal())
            }
        }
        return (Tensor(shape: [count, dimensions], data: x), labels)
    }
}
