import Core

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
///
/// `referenceValue` and `referenceDerivative` are the reference, one input at a time. The
/// layer computes the same two Floats with two changes (see `GELU+Fast.swift`): forward computes dy/dx as
/// well and keeps it, so backward is one multiplication per value and never calls tanh
/// again; and both come from a cheaper tanh whose result is used only when it provably
/// rounds to the same Float as the reference — otherwise the reference formula runs.
public final class GELU: Layer {
    /// √(2/π)
    static let sqrtTwoOverPi = (2.0 / Double.pi).squareRoot()
    static let cubicCoefficient = 0.044715

    /// Cache for backward: dy/dx at every input (same shape as x), and that shape.
    private var derivatives: [Float] = []
    private var inputShape: [Int]?

    public init() {}

    public var parameters: [Parameter] { [] }

    /// u = √(2/π) · (x + 0.044715 · x³), in Double.
    @inline(__always)
    static func u(_ xd: Double) -> Double { sqrtTwoOverPi * (xd + cubicCoefficient * xd * xd * xd) }

    /// y = ½ x (1 + tanh u), given tanh u.
    @inline(__always)
    static func valueFromTanh(_ xd: Double, _ t: Double) -> Double { 0.5 * xd * (1 + t) }

    /// dy/dx = ½ (1 + tanh u) + ½ x (1 − tanh² u) · du/dx, given tanh u.
    @inline(__always)
    static func derivativeFromTanh(_ xd: Double, _ t: Double) -> Double {
        0.5 * (1 + t) + 0.5 * xd * (1 - t * t) * duDx(xd)
    }

    /// du/dx = √(2/π) · (1 + 3 · 0.044715 · x²).
    @inline(__always)
    static func duDx(_ xd: Double) -> Double { sqrtTwoOverPi * (1 + 3 * cubicCoefficient * xd * xd) }

    /// y = ½ x (1 + tanh u) for one value.
    public static func referenceValue(_ x: Float) -> Float {
        let xd = Double(x)
        return Float(valueFromTanh(xd, Math.tanh(u(xd))))
    }

    /// dy/dx for one value.
    public static func referenceDerivative(_ x: Float) -> Float {
        let xd = Double(x)
        return Float(derivativeFromTanh(xd, Math.tanh(u(xd))))
    }

    public func forward(_ x: Tensor) -> Tensor {
        inputShape = x.shape
        var d: [Float] = []
        let y = uninitializedFloats(count: x.count) { y in
            d = uninitializedFloats(count: x.count) { d in
                // Each value on its own: pieces of the tensor can go to different cores.
                x.data.withUnsafeBufferPointer { x in
                    KernelThreads.forEachPiece(items: x.count, work: x.count &* 32) { piece in
                        GELU.valuesAndDerivatives(
                            UnsafeBufferPointer(rebasing: x[piece]), values: y + piece.lowerBound,
                            derivatives: d + piece.lowerBound)
                    }
                }
            }
        }
        derivatives = d
        return Tensor(shape: x.shape, data: y)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let shape = inputShape else { preconditionFailure("GELU: backward called before forward") }
        precondition(dy.shape == shape, "GELU: dy has shape \(dy.shape), expected \(shape)")
        var dx = dy.data
        derivatives.withUnsafeBufferPointer { d in
            dx.withUnsafeMutableBufferPointer { dx in
                for i in 0..<dx.count { dx[i] *= d[i] }
            }
        }
        return Tensor(shape: shape, data: dx)
    }
}
