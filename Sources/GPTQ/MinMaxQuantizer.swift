/// GPTQ's grid: the reference's min-max **asymmetric** (or symmetric) uniform quantizer, one
/// scale and one zero point per output row or per row's group (Frantar et al. 2022,
/// arXiv:2210.17323, §5 "standard uniform per-channel asymmetric quantization on the min-max
/// grid"; IST-DASLab/gptq `quant.py`, `Quantizer.find_params` and `quantize`).
///
/// ```
/// xmin = min(min(x), 0)        xmax = max(max(x), 0)       the range always contains 0
/// xmin = xmax = 0  →  xmin = −1, xmax = +1                  an all-zero row still gets a grid
/// scale = (xmax − xmin) / maxq                              maxq = 2^bits − 1
/// zero  = round(−xmin / scale)                              round half to even
/// code  = clamp(round(x / scale) + zero, 0, maxq)           an integer 0 … maxq, kept as Float
/// x̂     = scale · (code − zero)
/// ```
///
/// Symmetric (`sym=True`): xmax = max(|xmin|, xmax), xmin = −xmax when xmin < 0, and the
/// zero is fixed at (maxq + 1) / 2 — e.g. 8 for 4 bits, so the codes run −8 … 7 around it.
///
/// Everything is float32 in the reference's order; `round` is PyTorch's `torch.round`,
/// which rounds half to even (`.toNearestOrEven`; Swift's plain `.rounded()` rounds halves
/// away from zero and would move ties). Unlike AWQ's quantizer (Chapter 10), the range is
/// widened to include 0, so 0 is always exactly on the grid.
///
/// Properties (tested): every x̂ is on the grid `scale · (k − zero)`; inside the range the
/// error is at most half a step; ties go to the even integer.
///
/// ### See Also
/// `RoundToNearest` (this quantizer alone), `GPTQ` (this quantizer with error feedback).
public struct MinMaxQuantizer: Sendable, Equatable {
    /// Bits per code, 2 … 8.
    public let bits: Int
    /// The symmetric variant (zero fixed at the middle of the codes).
    public let symmetric: Bool

    /// One row's (or one row's group's) grid.
    public struct Grid: Sendable, Equatable {
        public var scale: Float
        public var zero: Float
        public init(scale: Float, zero: Float) {
            self.scale = scale
            self.zero = zero
        }
    }

    public init(bits: Int, symmetric: Bool = false) {
        precondition((2...8).contains(bits), "MinMaxQuantizer: bits must be 2 … 8, got \(bits)")
        self.bits = bits
        self.symmetric = symmetric
    }

    /// The largest code, 2^bits − 1, as the float32 the reference divides by.
    public var maxq: Float { Float((1 << bits) - 1) }

    /// The grid of a row whose smallest value is `rowMin` and largest `rowMax` (exercise 9c).
    public func grid(rowMin: Float, rowMax: Float) -> Grid {
        // BEGIN EXERCISE 9c — the min-max grid
        var xmin = Swift.min(rowMin, 0)
        var xmax = Swift.max(rowMax, 0)
        if symmetric {
            xmax = Swift.max(abs(xmin), xmax)
            if xmin < 0 { xmin = -xmax }
        }
        if xmin == 0 && xmax == 0 {
            xmin = -1
            xmax = 1
        }
        let scale = (xmax - xmin) / maxq
        let zero = symmetric ? (maxq + 1) / 2 : (-xmin / scale).rounded(.toNearestOrEven)
        return Grid(scale: scale, zero: zero)
        // END EXERCISE 9c
    }

    /// The grids of every row of `w` ([rows][columns], row-major) over `columnRange`.
    public func fit(_ w: [Float], rows: Int, columns: Int, columnRange: Range<Int>) -> [Grid] {
        precondition(
            w.count == rows * columns && columnRange.upperBound <= columns && !columnRange.isEmpty)
        return (0..<rows).map { r in
            var lo = Float.infinity
            var hi = -Float.infinity
            for c in columnRange {
                lo = Swift.min(lo, w[r * columns + c])
                hi = Swift.max(hi, w[r * columns + c])
            }
            return grid(rowMin: lo, rowMax: hi)
        }
    }

    /// The integer code of `x` on `grid`: clamp(round(x / scale) + zero, 0, maxq).
    @inline(__always)
    public func code(_ x: Float, _ grid: Grid) -> Float {
        Swift.min(Swift.max((x / grid.scale).rounded(.toNearestOrEven) + grid.zero, 0), maxq)
    }

    /// The value a code stands for: scale · (code − zero).
    @inline(__always)
    public func dequantize(_ code: Float, _ grid: Grid) -> Float { grid.scale * (code - grid.zero) }

    /// x̂ = dequantize(code(x)) — round to nearest on the grid.
    @inline(__always)
    public func quantize(_ x: Float, _ grid: Grid) -> Float { dequantize(code(x, grid), grid) }
}
