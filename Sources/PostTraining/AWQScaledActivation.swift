import Core
import NN

/// GELU's output divided by the AWQ scales s, per channel: where the 1/s of the MLP's second
/// linear goes (Lin et al. 2023, §3.2; the reference's `ScaledActivation` in `qmodule.py`,
/// installed by `apply_scale` when the previous op is a GELU).
///
/// ```
/// proj(GELU(h))  =  (proj · diag(s)) (GELU(h) / s)
///                    stored, quantized   this layer
/// ```
///
/// A LayerNorm or a Linear before the scaled linears can absorb 1/s into its own weights
/// (`ScaleFolding`); GELU cannot: GELU(h / s) ≠ GELU(h) / s, because GELU is not positively
/// homogeneous (ReLU is, which is why OPT's fc1 → fc2 pair folds into fc1's rows). So the
/// reference wraps the activation in a module that divides its output by s, one extra
/// elementwise division per token, and keeps s as a float16 buffer.
///
/// Where ours differs: TinyGPT's `FeedForward` holds its GELU in a fixed `let`, so this layer
/// sits in the `proj` slot and divides proj's *input* before running the wrapped layer.
/// Nothing happens between GELU and proj, so the numbers are the reference's.
public final class AWQScaledActivation: Layer {
    /// The layer that reads the divided activation (proj, with its columns multiplied by s).
    public var wrapped: any Layer
    /// s: one per channel of the activation.
    public let scales: [Float]

    public init(wrapping layer: any Layer, scales: [Float]) {
        wrapped = layer
        self.scales = scales
    }

    public var parameters: [Parameter] { wrapped.parameters }

    /// wrapped(x / s), x: [rows][s.count].
    public func forward(_ x: Tensor) -> Tensor {
        wrapped.forward(divided(x))
    }

    /// d(x / s)/dx = 1 / s, channel by channel.
    public func backward(_ dy: Tensor) -> Tensor {
        divided(wrapped.backward(dy))
    }

    private func divided(_ x: Tensor) -> Tensor {
        precondition(
            x.cols == scales.count,
            "AWQScaledActivation: \(x.cols) channels, \(scales.count) scales")
        var out = x
        for i in out.data.indices { out.data[i] /= scales[i % scales.count] }
        return out
    }
}
