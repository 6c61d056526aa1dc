/// The per-block scaling that bitsandbytes' blockwise quantizers share (8-bit here, 4-bit
/// in `NF4`), as its PyTorch kernel (`backends/default/ops.py`) computes it in float32:
///
/// ```
/// absmax_b = max |x| over block b                           (stored)
/// full block:     scaled = clamp(x · (1 / max(absmax_b, 1e-38)), −1, 1)
/// partial block:  scaled = clamp(x / max(absmax_b, 1e-38), −1, 1)
///                 and the stored absmax is the clamped one
/// ```
///
/// Two quirks are reproduced on purpose, because they change bits:
/// - full blocks **multiply by the float32 reciprocal** (PyTorch evaluates `1.0 / t` as
///   `t.reciprocal() * 1.0`) while the short last block **divides**; x · (1/a) and x / a
///   differ by one ulp now and then, which can move a value across a midpoint;
/// - the clamp `max(absmax, 1e-38)` keeps an all-zero block from dividing by zero
///   (0 · 1e38 = 0, so every value lands on the code of 0.0), and in the partial block the
///   clamped value is what gets stored.
public enum BlockScaling {
    /// `1e-38` as float32 (a subnormal, 0x006CE3EE): the smallest absmax used for scaling.
    public static let minimumAbsmax: Float = 1e-38

    /// How the short last block is scaled.
    public enum PartialBlockRule: Sendable, Equatable {
        /// x / max(absmax, 1e-38), and that clamped absmax is stored — bitsandbytes' PyTorch
        /// kernel and the reference data.
        case divide
        /// Like a full block: x · (1 / max(absmax, 1e-38)), raw absmax stored — what a
        /// kernel that treats every block alike (bitsandbytes' CUDA kernel) does.
        case multiplyByReciprocal
    }

    /// max |x| over `block`. NaN wins over everything (as `torch.max`); ∞ over every finite
    /// value. An empty block has absmax 0.
    @inlinable
    public static func absmax<C: Collection>(_ block: C) -> Float where C.Element == Float {
        var m: Float = 0
        for x in block {
            let a = abs(x)
            if a.isNaN { return a }
            if a > m { m = a }
        }
        return m
    }

    /// max(absmax, 1e-38), keeping NaN a NaN (as `torch.clamp(min=)` does).
    @inlinable
    public static func clampedAbsmax(_ absmax: Float) -> Float {
        absmax < minimumAbsmax ? minimumAbsmax : absmax
    }

    /// The float32 reciprocal 1 / max(absmax, 1e-38) a full block multiplies by.
    @inlinable
    public static func reciprocal(ofAbsmax absmax: Float) -> Float {
        1 / clampedAbsmax(absmax)
    }

    /// clamp(x, −1, 1), letting NaN through (as `torch.clamp`) and keeping the sign of −0.
    @inlinable
    public static func clampToUnit(_ x: Float) -> Float {
        x < -1 ? -1 : (x > 1 ? 1 : x)
    }
}
