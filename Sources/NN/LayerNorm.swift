import Core

/// Layer normalisation over the last dimension (Ba, Kiros & Hinton, "Layer Normalization",
/// 2016, §3; PyTorch's `nn.LayerNorm(C)` with ε = 1e-5; llm.c's `layernorm_forward/backward`).
///
/// ```
/// x: [rows][C]    γ (weight), β (bias): [C]    y: [rows][C]
/// μ    = (1/C) Σⱼ xⱼ
/// σ²   = (1/C) Σⱼ (xⱼ − μ)²                    (the biased variance, as PyTorch)
/// r    = 1 / √(σ² + ε)                         ("rstd")
/// x̂ⱼ   = (xⱼ − μ) · r
/// yⱼ   = γⱼ · x̂ⱼ + βⱼ
/// ```
///
/// Backward, per row. γ and β are plain: dβ += dy, dγ += dy · x̂. For x, write g = dy · γ
/// (the gradient reaching x̂). Every x̂ⱼ depends on every xₖ through μ and r; collecting the
/// three paths gives the compact form llm.c uses:
///
/// ```
/// dxⱼ = r · ( gⱼ − mean(g) − x̂ⱼ · mean(g · x̂) )
/// ```
///
/// (mean(g) removes the part of g that shifts every x̂ equally — the mean cancels it; the
/// last term removes the part that scales x̂ — r cancels it.)
///
/// `referenceBackward` is the loop to read. `forward` and `backward` run the same arithmetic
/// with two changes: unsafe buffer pointers taken once per call (indexing `weight.grad[j]` on
/// a class's property costs a runtime exclusivity check per access, which took longer than
/// the arithmetic), and the per-row sums over j computed for four rows at once, one row per
/// SIMD lane — each lane still adds its row's terms one by one in order, so the four
/// dependency chains overlap instead of running one after another. Same operations in the
/// same order for every value, so the same results bit for bit.
public final class LayerNorm: Layer {
    public let features: Int
    public let epsilon: Float
    /// γ: [C], initialised to 1.
    public let weight: Parameter
    /// β: [C], initialised to 0.
    public let bias: Parameter

    /// Cache for backward: x̂ [rows][C] and r (one per row), plus the input's shape.
    private var normalized: [Float] = []
    private var rstd: [Float] = []
    private var inputShape: [Int] = []

    public init(features: Int, epsilon: Float = 1e-5, name: String) {
        precondition(features > 0, "LayerNorm \(name): features must be positive")
        self.features = features
        self.epsilon = epsilon
        weight = Parameter(name: name + ".weight", shape: [features], value: [Float](repeating: 1, count: features))
        bias = Parameter(name: name + ".bias", shape: [features], value: [Float](repeating: 0, count: features))
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == features, "LayerNorm \(weight.name): input has \(x.cols) features, expected \(features)")
        let c = features
        inputShape = x.shape
        normalized = [Float](repeating: 0, count: x.count)
        rstd = [Float](repeating: 0, count: x.rows)
        var y = [Float](repeating: 0, count: x.count)
        x.data.withUnsafeBufferPointer { x in
        weight.value.withUnsafeBufferPointer { gamma in
        bias.value.withUnsafeBufferPointer { beta in
        normalized.withUnsafeMutableBufferPointer { normalized in
        rstd.withUnsafeMutableBufferPointer { rstd in
        y.withUnsafeMutableBufferPointer { y in
            var r0 = 0
            while r0 < rstd.count {
                // Four rows at once, one per SIMD lane: each lane's sums run over j in order,
                // exactly the one-row loop; four chains interleave instead of waiting on one.
                let group = Swift.min(4, rstd.count &- r0)
                let rows = Self.laneOffsets(first: r0, count: group, stride: c)
                var mean = SIMD4<Float>()
                for j in 0..<c { mean += Self.gather(x.baseAddress!, rows, j) }
                mean /= Float(c)
                var variance = SIMD4<Float>()
                for j in 0..<c {
                    let d = Self.gather(x.baseAddress!, rows, j) - mean
                    variance += d * d
                }
                variance /= Float(c)
                let rstdLanes = 1 / (variance + epsilon).squareRoot()
                for lane in 0..<group {
                    let row = rows[lane], s = rstdLanes[lane], rowMean = mean[lane]
                    rstd[r0 &+ lane] = s
                    for j in 0..<c {
                        let xHat = (x[row &+ j] - rowMean) * s
                        normalized[row &+ j] = xHat
                        y[row &+ j] = gamma[j] * xHat + beta[j]
                    }
                }
                r0 &+= group
            }
        }}}}}}
        return Tensor(shape: x.shape, data: y)
    }

    /// dL/dx, accumulating dγ and dβ: `referenceBackward`'s loops over buffer pointers.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!inputShape.isEmpty, "LayerNorm \(weight.name): backward called before forward")
        precondition(
            dy.shape == inputShape,
            "LayerNorm \(weight.name): dy has shape \(dy.shape), expected \(inputShape)")
        let c = features
        var dx = [Float](repeating: 0, count: dy.count)
        dy.data.withUnsafeBufferPointer { dy in
        weight.value.withUnsafeBufferPointer { gamma in
        weight.grad.withUnsafeMutableBufferPointer { dGamma in
        bias.grad.withUnsafeMutableBufferPointer { dBeta in
        normalized.withUnsafeBufferPointer { normalized in
        rstd.withUnsafeBufferPointer { rstd in
        dx.withUnsafeMutableBufferPointer { dx in
            var r0 = 0
            while r0 < rstd.count {
                // The two means of four rows at once, one row per SIMD lane (as in forward).
                let group = Swift.min(4, rstd.count &- r0)
                let rows = Self.laneOffsets(first: r0, count: group, stride: c)
                var meanG = SIMD4<Float>(), meanGXHat = SIMD4<Float>()
                for j in 0..<c {
                    let g = Self.gather(dy.baseAddress!, rows, j) * gamma[j]
                    meanG += g
                    meanGXHat += g * Self.gather(normalized.baseAddress!, rows, j)
                }
                meanG /= Float(c)
                meanGXHat /= Float(c)
                for lane in 0..<group {  // rows in order, so dγ and dβ add up in the reference's order
                    let row = rows[lane], s = rstd[r0 &+ lane], rowMeanG = meanG[lane], rowMeanGXHat = meanGXHat[lane]
                    for j in 0..<c {
                        let xHat = normalized[row &+ j]
                        let g = dy[row &+ j] * gamma[j]
                        dBeta[j] += dy[row &+ j]
                        dGamma[j] += dy[row &+ j] * xHat
                        dx[row &+ j] = s * (g - rowMeanG - xHat * rowMeanGXHat)
                    }
                }
                r0 &+= group
            }
        }}}}}}}
        return Tensor(shape: inputShape, data: dx)
    }

    /// Offsets of rows first ..< first + count (count ≤ 4) in four lanes; missing lanes repeat
    /// the first row (their results are not used).
    @inline(__always)
    static func laneOffsets(first: Int, count: Int, stride: Int) -> SIMD4<Int> {
        let o = first &* stride
        return SIMD4(o, count > 1 ? o &+ stride : o, count > 2 ? o &+ 2 &* stride : o, count > 3 ? o &+ 3 &* stride : o)
    }

    /// (v[rows[0] + j], …, v[rows[3] + j]).
    @inline(__always)
    static func gather(_ v: UnsafePointer<Float>, _ rows: SIMD4<Int>, _ j: Int) -> SIMD4<Float> {
        SIMD4(v[rows[0] &+ j], v[rows[1] &+ j], v[rows[2] &+ j], v[rows[3] &+ j])
    }

    /// The reference backward pass: dL/dx, accumulating dγ and dβ, in plain loops — the one
    /// to read. The models run `backward`, the same arithmetic four rows at a time, so this
    /// function prescribes the order of every operation (the fast path and the chapters'
    /// printed numbers depend on it bit for bit). Rows r = 0, 1, … in order; in each row:
    ///
    /// ```
    /// gⱼ        = dyⱼ · γⱼ
    /// meanG     = (g₀ + g₁ + … in order, from 0) / C
    /// meanGXHat = (g₀·x̂₀ + g₁·x̂₁ + … in order, from 0) / C      (both sums in one loop over j)
    /// then for j = 0, 1, …:  dβⱼ += dyⱼ;  dγⱼ += dyⱼ · x̂ⱼ;  dxⱼ = r · ((gⱼ − meanG) − x̂ⱼ · meanGXHat)
    /// ```
    ///
    /// x̂ and r come from the cache of the last `forward` (`normalized`, `rstd`).
    public func referenceBackward(_ dy: Tensor) -> Tensor {
        precondition(!inputShape.isEmpty, "LayerNorm \(weight.name): backward called before forward")
        precondition(
            dy.shape == inputShape,
            "LayerNorm \(weight.name): dy has shape \(dy.shape), expected \(inputShape)")
        // BEGIN EXERCISE 6b — LayerNorm backward
        let c = features
        var dx = [Float](repeating: 0, count: dy.count)
        for r in 0..<dy.rows {
            let row = r * c
            // Two means over the row: of g = dy·γ, and of g·x̂.
            var meanG: Float = 0
            var meanGXHat: Float = 0
            for j in 0..<c {
                let g = dy.data[row + j] * weight.value[j]
                meanG += g
                meanGXHat += g * normalized[row + j]
            }
            meanG /= Float(c)
            meanGXHat /= Float(c)
            for j in 0..<c {
                let xHat = normalized[row + j]
                let g = dy.data[row + j] * weight.value[j]
                bias.grad[j] += dy.data[row + j]
                weight.grad[j] += dy.data[row + j] * xHat
                dx[row + j] = rstd[r] * (g - meanG - xHat * meanGXHat)
            }
        }
        return Tensor(shape: inputShape, data: dx)
        // END EXERCISE 6b
    }
}
