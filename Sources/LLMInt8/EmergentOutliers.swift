import Core

/// Synthetic transformer hidden states with **emergent large-magnitude features**, the
/// phenomenon of LLM.int8() §4: beyond about 6.7B parameters a handful of fixed feature
/// dimensions carry values of magnitude 20–60 in most tokens (the paper: up to 75% of the
/// sequence dimensions, in every layer, concentrated in about six hidden dimensions), while
/// all other features stay small. Smaller models have them too, but rarely and weaker.
///
/// The generator stands in for a real model: `outlierMagnitude` plays the role of model
/// size (the paper's Fig. 3 shows the outlier magnitude growing with scale), so a sweep over
/// the magnitude shows what per-tensor absmax, vector-wise int8 and LLM.int8() do as a
/// model grows. It is a caricature, not a model: real outlier features also vary by layer.
///
/// ```
/// X[t][f] ~ N(0, baseStd²)                              ordinary features
/// X[t][f] = sign_f · outlierMagnitude · U(0.5, 1)       f ∈ outlierFeatures, for a
///                                                       fraction `tokenFraction` of tokens
/// ```
///
/// Each outlier feature keeps one sign across tokens (`sign_f`, drawn once), as the paper
/// observes the outliers to be systematic; the magnitude peaks at `outlierMagnitude`.
public struct EmergentOutlierGenerator: Equatable, Sendable {
    public var tokens: Int
    public var features: Int
    /// The fixed feature dimensions that carry outliers, ascending.
    public var outlierFeatures: [Int]
    /// The largest |x| an outlier reaches.
    public var outlierMagnitude: Float
    /// The fraction of tokens in which the outlier features are large.
    public var tokenFraction: Double
    /// Standard deviation of the ordinary features.
    public var baseStd: Double

    public init(
        tokens: Int, features: Int, outlierFeatures: [Int], outlierMagnitude: Float,
        tokenFraction: Double = 0.75, baseStd: Double = 1
    ) {
        precondition(tokens > 0 && features > 0, "need at least one token and one feature")
        precondition(outlierFeatures.allSatisfy { (0..<features).contains($0) }, "outlier feature out of range")
        precondition((0...1).contains(tokenFraction), "tokenFraction must be in [0, 1]")
        self.tokens = tokens
        self.features = features
        self.outlierFeatures = outlierFeatures.sorted()
        self.outlierMagnitude = outlierMagnitude
        self.tokenFraction = tokenFraction
        self.baseStd = baseStd
    }

    /// `count` distinct feature dimensions drawn from `rng`, ascending.
    public static func pickFeatures(count: Int, of features: Int, rng: inout SeededRNG) -> [Int] {
        precondition((0...features).contains(count), "cannot pick \(count) of \(features) features")
        var all = Array(0..<features)
        for i in 0..<count {  // a partial Fisher–Yates shuffle
            all.swapAt(i, i + rng.index(below: features - i))
        }
        return Array(all[0..<count]).sorted()
    }

    /// One tokens × features matrix of hidden states.
    ///
    /// Random numbers are drawn in a fixed order — the signs of the outlier features, then
    /// for each token whether it carries outliers, then its features left to right — so a
    /// seed fixes the matrix.
    public func sample(rng: inout SeededRNG) -> Tensor {
        let signs: [Float] = outlierFeatures.map { _ in rng.uniform() < 0.5 ? -1 : 1 }
        var x = Tensor(shape: [tokens, features], repeating: 0)
        for t in 0..<tokens {
            let carriesOutliers = rng.uniform() < tokenFraction
            for f in 0..<features { x[t, f] = Float(rng.normal(mean: 0, std: baseStd)) }
            if carriesOutliers {
                for (s, f) in zip(signs, outlierFeatures) {
                    x[t, f] = s * outlierMagnitude * Float(rng.uniform(0.5, 1))
                }
            }
        }
        return x
    }
}
