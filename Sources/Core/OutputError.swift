/// The layer-output error a quantized weight causes, ‖X Wᵀ − X Qᵀ‖²_F on the calibration
/// inputs: GPTQ's objective (Frantar et al. 2022, arXiv:2210.17323, §3 eq. (1)) and the
/// error AWQ's evidence reports (Lin et al. 2023). In Double, as both reference sets report it
/// ("computed in float64 from the stored float32 arrays").
public enum OutputError {

    /// ‖X Wᵀ − X Qᵀ‖² with X [samples][columns], W and Q [rows][columns]. Computed as
    /// ‖X (W − Q)ᵀ‖² in Double: W − Q is exact in Double, so this equals the float64
    /// difference of the two products up to Double rounding.
    public static func squared(
        x: [Float], samples: Int, weight: [Float], approximation: [Float], rows: Int, columns: Int
    ) -> Double {
        precondition(
            x.count == samples * columns && weight.count == rows * columns
                && approximation.count == weight.count)
        let delta = zip(weight, approximation).map { Double($0) - Double($1) }
        let xd = x.map(Double.init)
        var total = 0.0
        for s in 0..<samples {
            for r in 0..<rows {
                var dot = 0.0
                for c in 0..<columns { dot += xd[s * columns + c] * delta[r * columns + c] }
                total += dot * dot
            }
        }
        return total
    }
}
