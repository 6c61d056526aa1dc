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
