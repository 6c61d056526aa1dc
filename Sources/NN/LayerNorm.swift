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
        for r in 0..<x.rows {
            let row = r * c
            var mean: Float = 0
            for j in 0..<c { mean += x.data[row + j] }
            mean /= Float(c)
            var variance: Float = 0
            for j in 0..<c {
                let d = x.data[row + j] - mean
                variance += d * d
            }
            variance /= Float(c)
            let s = 1 / (variance + epsilon).squareRoot()
            rstd[r] = s
            for j in 0..<c {
                let xHat = (x.data[row + j] - mean) * s
                normalized[row + j] = xHat
                y[row + j] = weight.value[j] * xHat + bias.value[j]
            }
        }
        return Tensor(shape: x.shape, data: y)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!inputShape.isEmpty, "LayerNorm \(weight.name): backward called before forward")
        precondition(
            dy.shape == inputShape,
            "LayerNorm \(weight.name): dy has shape \(dy.shape), expected \(inputShape)")
        let c = features
        var dx = [Float](repeating: 0, count: dy.count)
        // BEGIN EXERCISE 6.2 — LayerNorm backward
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
        // END EXERCISE 6.2
        return Tensor(shape: inputShape, data: dx)
    }
}
