/// The knobs of `GPTQ.quantize`, named after the reference's `fasterquant` arguments and
/// `Quantizer.configure` (defaults as the reference: group −1, block 128, damp 0.01).
public struct GPTQConfiguration: Sendable, Equatable {
    /// Bits per weight code, 2 … 8.
    public var bits: Int
    /// Columns per group (the reference's `groupsize`); nil = one grid per row (`-1`).
    public var groupSize: Int?
    /// Columns per lazy batch (`blocksize`, §4 Step 2). Changes the result when a group starts
    /// inside a block (see `GPTQ`).
    public var blockSize: Int
    /// Damping λ as a fraction of mean diag(H) (`percdamp`), added to the diagonal.
    public var dampingPercent: Float
    /// Quantize columns in order of decreasing diag(H) (`actorder`, "act-order").
    public var actOrder: Bool
    /// Fit every group's grid once, up front, on the original column order (`static_groups`).
    public var staticGroups: Bool
    /// The symmetric quantizer (`sym=True`).
    public var symmetric: Bool
    /// Compute U with the blocked kernels of `Cholesky+Fast.swift` (for large layers: the
    /// readable loops are O(n³) with strided access). U changes by about κ(H)·ε (float32
    /// rounding in another order; CholeskyFastPathTests); GPTQ's codes did not change on any
    /// reference case.
    public var blockedCholesky = false

    public init(
        bits: Int, groupSize: Int? = nil, blockSize: Int = 128, dampingPercent: Float = 0.01,
        actOrder: Bool = false, staticGroups: Bool = false, symmetric: Bool = false
    ) {
        self.bits = bits
        self.groupSize = groupSize
        self.blockSize = blockSize
        self.dampingPercent = dampingPercent
        self.actOrder = actOrder
        self.staticGroups = staticGroups
        self.symmetric = symmetric
    }

    /// Checks the parameters against a layer with `columns` inputs; nil when they fit.
    public func problem(columns: Int) -> String? {
        if !(2...8).contains(bits) { return "bits must be 2 … 8, got \(bits)" }
        if let g = groupSize {
            if g <= 0 {
                return "group size must be positive (or -1 for one group per row), got \(g)"
            }
            if columns % g != 0 {
                return "group size \(g) does not divide the input dimension \(columns)"
            }
        }
        if blockSize <= 0 { return "block size must be positive, got \(blockSize)" }
        if !(dampingPercent >= 0) || !dampingPercent.isFinite {
            return "damping must be a finite number ≥ 0, got \(dampingPercent)"
        }
        return nil
    }
}

/// What `GPTQ.quantize` (and `RoundToNearest`) return. Every matrix is row-major.
///
/// `dequantized[r, c] == scales[r, gIdx[c]] · (codes[r, c] − zeros[r, gIdx[c]])` exactly.
public struct GPTQResult: Sendable {
    public let rows: Int
    public let columns: Int
    /// Q: [rows][columns] float32, in the original column order (act-order undone).
    public let dequantized: [Float]
    /// [rows][columns] integer codes 0 … 2^bits − 1, original column order.
    public let codes: [UInt8]
    /// [rows][groups]: each group's scale (groups = 1 without groups).
    public let scales: [Float]
    /// [rows][groups]: each group's zero point (an integer, stored as Float like the reference).
    public let zeros: [Float]
    /// [columns]: the group of each ORIGINAL column. With act-order and dynamic groups the
    /// groups follow the processing order, so g_idx is not c / G.
    public let gIdx: [Int]
    /// The processing order: position j held original column perm[j] (identity without
    /// act-order).
    public let perm: [Int]
    /// ½ Σ_rows err² for each processed column, in processing order (err = (w − q) / U[j, j]):
    /// the paper's per-column contribution to the objective, as the reference's `Losses`.
    public let columnLosses: [Float]

    public var groups: Int { scales.count / rows }
}
