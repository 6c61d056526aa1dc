/// `torch.linspace(start, end, steps, dtype=torch.float32)` on the CPU, bit for bit.
///
/// bitsandbytes builds both its dynamic 8-bit map and the NF4 normal map from float32
/// `linspace` calls, so matching its tables to the last bit means matching PyTorch's
/// arithmetic, which is not `start + i · (end − start) / (steps − 1)` in double:
///
/// ```
/// step = (end − start) / (steps − 1)                       float32
/// x[i] = start + step · i                    for i <  steps / 2
/// x[i] = end   − step · (steps − 1 − i)      for i >= steps / 2     (lands exactly on end)
/// ```
///
/// each `a + b · c` rounded **once**, as a fused multiply-add: PyTorch's CPU kernel is
/// compiled for AVX2 + FMA and the compiler contracts the expression. We found this by
/// experiment: with two roundings instead of one, 42 of the 256 dynamic-map entries move by
/// one ulp; with the fused form all 256 (and all 16 NF4 entries) match bitsandbytes.
public enum TorchLinspace {
    public static func float32(from start: Float, to end: Float, count steps: Int) -> [Float] {
        precondition(steps >= 0, "linspace needs a non-negative number of steps")
        if steps <= 1 { return steps == 0 ? [] : [start] }
        let step = (end - start) / Float(steps - 1)
        let halfway = steps / 2
        return (0..<steps).map { i in
            i < halfway
                ? start.addingProduct(step, Float(i))  // fma(step, i, start)
                : end.addingProduct(-step, Float(steps - 1 - i))  // fma(−step, steps−1−i, end)
        }
    }
}
