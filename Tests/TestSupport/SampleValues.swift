import Core

/// `count` normal values (mean 0.1, std 1: asymmetric on purpose) with a planted outlier, ×40,
/// every 997th value from index 7 — what a blockwise quantizer must survive. Shared by the
/// 8-bit and 4-bit blockwise tests.
public func sampleValues(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    var x = rng.normalFloats(count, mean: 0.1, std: 1)
    for i in stride(from: 7, to: count, by: 997) { x[i] *= 40 }
    return x
}
