import Core

/// Rectified linear unit, element by element.
///
/// ```
/// y  = max(0, x)
/// dx = dy · [x > 0]          (the derivative at exactly 0 is taken as 0, as PyTorch does)
/// ```
public final class ReLU: Layer {
    /// Cache for backward: the input x (same shape as y).
    private var input: Tensor?

    public init() {}

    public var parameters: [Parameter] { [] }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        return x.map { $0 > 0 ? $0 : 0 }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("ReLU: backward called before forward") }
        precondition(dy.shape == x.shape, "ReLU: dy has shape \(dy.shape), expected \(x.shape)")
        var dx = dy.data
        for i in dx.indices where !(x.data[i] > 0) { dx[i] = 0 }
        return Tensor(shape: x.shape, data: dx)
    }
}

/// The Gaussian error linear unit in its **tanh approximation**, the form GPT-2 uses
/// (Hendrycks & Gimpel, "Gaussian Error Linear Units", 2016, §2; PyTorch's
/// `nn.GELU(approximate="tanh")`; llm.c's `gelu_forward`).
///
/// ```
/// u  = √(2/π) · (x + 0.044715 · x³)
/// y  = ½ · x · (1 + tanh u)
/// dy/dx = ½ · (1 + tanh u) + ½ · x · (1 − tanh² u) · √(2/π) · (1 + 3 · 0.044715 · x²)
/// ```
///
/// The exact GELU is x · Φ(x) with Φ the normal CDF; the tanh form differs from it by less
/// than 0.0005 everywhere and was cheaper on 2018 hardware, so GPT-2 was trained with it.
/// tanh is evaluated in Double (Core's `Math.tanh`) and rounded to Float.
public final class GELU: Layer {
    /// √(2/π)
    static let sqrtTwoOverPi = (2.0 / Double.pi).squareRoot()
    static let cubicCoefficient = 0.044715

    /// Cache for backward: the input x (same shape as y).
    private var input: Tensor?

    public init() {}

    public var parameters: [Parameter] { [] }

    /// y = ½ x (1 + tanh u) for one value.
    public static func value(_ x: Float) -> Float {
        let xd = Double(x)
        let u = sqrtTwoOverPi * (xd + cubicCoefficient * xd * xd * xd)
        return Float(0.5 * xd * (1 + Math.tanh(u)))
    }

    /// dy/dx for one value.
    public static func derivative(_ x: Float) -> Float {
        let xd = Double(x)
        let u = sqrtTwoOverPi * (xd + cubicCoefficient * xd * xd * xd)
        let t = Math.tanh(u)
        let du = sqrtTwoOverPi * (1 + 3 * cubicCoefficient * xd * xd)
        return Float(0.5 * (1 + t) + 0.5 * xd * (1 - t * t) * du)
    }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        return x.map(GELU.value)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("GELU: backward called before forward") }
        precondition(dy.shape == x.shape, "GELU: dy has shape \(dy.shape), expected \(x.shape)")
        var dx = dy.data
        for i in dx.indices { dx[i] *= GELU.derivative(x.data[i]) }
        return Tensor(shape: x.shape, data: dx)
    }
}
