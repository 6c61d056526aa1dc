/// # Core — the numerics every chapter stands on
///
/// A seeded random generator of our own, a minimal row-major tensor, and the statistics
/// the chapters print (mean, standard deviation, quantiles, histograms, MSE, SQNR).
///
/// ## Why our own generator
/// Golden chapter outputs must not change when the Swift standard library changes its
/// algorithms, so every random number in LowBit comes from the bits of **xoshiro256\*\***
/// (Blackman & Vigna, "Scrambled Linear Pseudorandom Number Generators", 2018), seeded
/// through **SplitMix64** (Steele, Lea & Flood, 2014) exactly as the authors recommend:
///
/// ```
/// state[i] = splitmix64(seed) for i in 0..<4
/// next     = rotl(s1 * 5, 7) * 9;  t = s1 << 17
/// s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
/// ```
///
/// Uniform doubles take the top 53 bits (`(next >> 11) * 2⁻⁵³`); normals use the
/// Box–Muller transform. Both are written out here so a reader can check them by hand.
///
/// ### See Also
/// `Tensor`, `Statistics`, `TextTable`.

/// SplitMix64: a 64-bit counter passed through a strong mixing function.
/// Used only to expand one seed into xoshiro's four words of state.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256\*\*: the project's only source of randomness.
///
/// Conforms to `RandomNumberGenerator` so `Array.shuffle(using:)` works, but the
/// chapters use only the methods below, whose outputs are fixed by this file alone.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    /// The seed this generator started from — chapters print it.
    public let seed: UInt64
    private var s: (UInt64, UInt64, UInt64, UInt64)
    /// Box–Muller makes normals in pairs; the second one waits here.
    private var spareNormal: Double?

    public init(seed: UInt64) {
        self.seed = seed
        var mixer = SplitMix64(seed: seed)
        s = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
        spareNormal = nil
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 raw bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1): the top 53 bits scaled by 2⁻⁵³, so every value is exact.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// A uniformly chosen integer in 0..<bound (Lemire's multiply-shift, with rejection
    /// so that no value is favoured).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        let b = UInt64(bound)
        while true {
            let product = next().multipliedFullWidth(by: b)
            if product.low >= (0 &- b) % b { return Int(product.high) }
        }
    }

    /// A standard normal sample by the Box–Muller transform:
    /// z₀ = √(−2 ln u₁) cos(2π u₂), z₁ = √(−2 ln u₁) sin(2π u₂).
    public mutating func normal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        // u1 in (0, 1]: 1 − uniform() never reaches 0, so the logarithm stays finite.
        let u1 = 1.0 - uniform()
        let u2 = uniform()
        let radius = (-2.0 * Math.log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = radius * Math.sin(angle)
        return radius * Math.cos(angle)
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Double, std: Double) -> Double {
        mean + std * normal()
    }

    /// `count` normal samples as Float (weights of a layer, activations, …).
    public mutating func normalFloats(_ count: Int, mean: Double = 0, std: Double = 1) -> [Float] {
        (0..<count).map { _ in Float(normal(mean: mean, std: std)) }
    }

    /// `count` uniform samples in [low, high) as Float.
    public mutating func uniformFloats(_ count: Int, _ low: Double, _ high: Double) -> [Float] {
        (0..<count).map { _ in Float(uniform(low, high)) }
    }

    /// Student-t samples with `degreesOfFreedom` ν: heavier tails than a normal,
    /// t = z / √(χ²_ν / ν), the χ² built from ν squared normals (ν is small here).
    public mutating func studentT(degreesOfFreedom nu: Int) -> Double {
        precondition(nu >= 1, "degrees of freedom must be at least 1")
        let z = normal()
        var chi2 = 0.0
        for _ in 0..<nu {
            let g = normal()
            chi2 += g * g
        }
        return z / (chi2 / Double(nu)).squareRoot()
    }
}
