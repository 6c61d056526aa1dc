/// What GPTQ saw and achieved on one linear layer of a whole model: its calibration inputs'
/// Hessian and the layer-wise objective before and after error feedback.
///
/// GPTQ quantizes each layer to minimise its output error on the calibration inputs X
/// (Frantar et al. 2022, arXiv:2210.17323, §3, eq. (1)):
///
/// ```
/// E(Q) = ‖X Wᵀ − X Qᵀ‖²  =  Σ_rows Δ_r · XᵀX · Δ_rᵀ    Δ = W − Q, X: [N][in]
/// H    = (2 / S) · Σ_s X_sᵀ X_s                         S windows (HessianAccumulator)
/// so   XᵀX = (S / 2) · H   and   E(Q) = (S / 2) · Σ_rows Δ_r H Δ_rᵀ
/// ```
///
/// The last line is how `outputError` and `rtnOutputError` are computed: rows · in² products
/// from the H GPTQ already has, instead of N · rows · in from X (Core's `OutputError`, which
/// `LayerCalibrationTests` checks it against: H is a float32 running average, so the two agree
/// to about 1e-5 relative, far below any GPTQ-versus-RTN gap).
public struct LayerCalibration: Sendable {
    /// The slot, e.g. `blocks.1.mlp.fc`.
    public let name: String
    /// Calibration rows the layer saw (windows × positions) and the windows they came in.
    public let rows: Int
    public let windows: Int
    /// The layer's shape: W is [outFeatures][inFeatures].
    public let outFeatures: Int
    public let inFeatures: Int
    /// H: [in][in], as `HessianAccumulator` built it from this layer's recorded inputs (before
    /// damping and the dead-input fix).
    public let hessian: [Float]
    /// Inputs with diag(H) = 0 (always zero in the calibration data): GPTQ zeroes their weights.
    public let deadInputs: Int
    /// ‖XWᵀ − XQᵀ‖² on the calibration inputs, Q as stored (GPTQ).
    public let outputError: Double
    /// The same for round-to-nearest on the same grid shape (bits, groups, symmetry): what the
    /// error feedback bought on this layer.
    public let rtnOutputError: Double

    public init(
        name: String, rows: Int, windows: Int, outFeatures: Int, inFeatures: Int,
        hessian: [Float], deadInputs: Int, outputError: Double, rtnOutputError: Double
    ) {
        self.name = name
        self.rows = rows
        self.windows = windows
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.hessian = hessian
        self.deadInputs = deadInputs
        self.outputError = outputError
        self.rtnOutputError = rtnOutputError
    }

    /// E(Q) = (S / 2) · Σ_r Δ_r H Δ_rᵀ for W and Q [out][in], in Double.
    public static func outputError(
        weight: [Float], approximation: [Float], hessian: [Float], outFeatures: Int,
        inFeatures n: Int, windows: Int
    ) -> Double {
        precondition(
            weight.count == outFeatures * n && approximation.count == weight.count
                && hessian.count == n * n, "LayerCalibration: shapes do not match")
        let h = hessian.map(Double.init)
        var total = 0.0
        for r in 0..<outFeatures {
            let delta = (0..<n).map {
                Double(weight[r * n + $0]) - Double(approximation[r * n + $0])
            }
            for i in 0..<n where delta[i] != 0 {
                var hDelta = 0.0
                for j in 0..<n { hDelta += h[i * n + j] * delta[j] }
                total += delta[i] * hDelta
            }
        }
        return Double(windows) / 2 * total
    }
}
