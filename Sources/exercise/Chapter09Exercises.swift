/// Chapter 9 — GPTQ (module GPTQ).
let chapter9Exercises: [Exercise] = [
    Exercise(
        id: "9a", title: "the Hessian's running average", section: "§9.1",
        file: "Sources/GPTQ/HessianAccumulator.swift", suite: "Ex9a_HessianAccumulationTests",
        teaches:
            "H = 2/N · XᵀX as the reference accumulates it: a running average over add_batch calls, not rows",
        reading:
            "GPTQ (Frantar et al. 2022) §3 (H_F = 2 X_F X_Fᵀ); IST-DASLab/gptq gptq.py `add_batch`",
        difficulty: 1, needs: [],
        dependents: ["BitsPerWeightTests", "BlockSemanticsTests", "CholeskyFastPathTests",
            "Ex9d_ErrorFeedbackTests", "GPTQCommandTests", "GPTQPropertyTests",
            "GPTQReferenceTests", "GoldenOutputTests", "HessianFastPathTests", "HessianTests",
            "WholeModelSchemeTests"],
        blanks: [
            """
            // TODO(Exercise 9a): H ·= n/(n+1) (Float of the Double ratio), n += 1, x ·= Float(√(2/n)), H += xᵀx (a fresh product).
            calls += 1
            """
        ],
        hint: """
            GPTQ §3: the layer's objective ‖WX − ŴX‖² has Hessian 2XXᵀ. The reference keeps a
            running average: H ← H · n/(n + 1), n ← n + 1, then adds (√(2/n)·x)ᵀ(√(2/n)·x). Both
            scalars are computed in Double and rounded to Float once. Form the product in a zeroed
            buffer (Matmul.accumulateTransposingA with a = b = the scaled x) and add it to H, as
            `H += inp.matmul(inp.t())` does — adding products straight into H rounds differently.
            """),
    Exercise(
        id: "9b", title: "the Cholesky factor", section: "§9.2",
        file: "Sources/GPTQ/Cholesky.swift", suite: "Ex9b_CholeskyFactorTests",
        teaches:
            "A = L·Lᵀ column by column, and where a matrix that is not positive definite gives itself away",
        reading:
            "GPTQ §4 Step 3 \"Cholesky Reformulation\"; Golub & Van Loan, Matrix Computations, §4.2",
        difficulty: 2, needs: [],
        dependents: ["BitsPerWeightTests", "BlockSemanticsTests", "CholeskyFastPathTests",
            "CholeskyTests", "Ex9d_ErrorFeedbackTests", "GPTQCommandTests", "GPTQPropertyTests",
            "GPTQReferenceTests", "GoldenOutputTests", "WholeModelSchemeTests"],
        blanks: [
            """
            // TODO(Exercise 9b): for each column j: the pivot A[j,j] − Σ L[j,k]² (throw NotPositiveDefinite unless > 0), its root, then L[i,j] below it.
            for j in 0..<n { l[j * n + j] = 1 }
            """
        ],
        hint: """
            Work column by column. L[j, j] = √(A[j, j] − Σ_{k<j} L[j, k]²) — if the number under
            the root is not positive (or is NaN), A is not positive definite: throw
            NotPositiveDefinite(pivot: j, value: it). Then for each row i > j,
            L[i, j] = (A[i, j] − Σ_{k<j} L[i, k]·L[j, k]) / L[j, j]. Sum k = 0, 1, … in Float.
            Check yourself on [[4, 12, −16], [12, 37, −43], [−16, −43, 98]].
            """),
    Exercise(
        id: "9c", title: "the min-max grid", section: "§9.3",
        file: "Sources/GPTQ/MinMaxQuantizer.swift", suite: "Ex9c_MinMaxGridTests",
        teaches:
            "the reference's asymmetric and symmetric grids: 0 always in range, ties to even, an all-zero row",
        reading:
            "GPTQ §5 (min-max asymmetric per-channel grid); IST-DASLab/gptq quant.py `Quantizer.find_params`",
        difficulty: 1, needs: [],
        dependents: ["BitsPerWeightTests", "BlockSemanticsTests", "CholeskyFastPathTests",
            "Ex9d_ErrorFeedbackTests", "GPTQCommandTests", "GPTQPropertyTests",
            "GPTQReferenceTests", "GoldenOutputTests", "QuantizerTests", "WholeModelSchemeTests"],
        blanks: [
            """
            // TODO(Exercise 9c): widen [rowMin, rowMax] to include 0, symmetric variant, both 0 → ±1; scale = range/maxq, zero = round half to even.
            return Grid(scale: 1, zero: 0)
            """
        ],
        hint: """
            xmin = min(rowMin, 0), xmax = max(rowMax, 0). Symmetric: xmax = max(|xmin|, xmax) and
            xmin = −xmax when xmin < 0. If both are 0, use −1 and +1. scale = (xmax − xmin) / maxq;
            zero = (maxq + 1) / 2 when symmetric, else round(−xmin / scale) with
            .rounded(.toNearestOrEven) — torch.round rounds halves to even; Swift's .rounded()
            would not.
            """),
    Exercise(
        id: "9d", title: "one column's error feedback", section: "§9.4",
        file: "Sources/GPTQ/ErrorFeedback.swift", suite: "Ex9d_ErrorFeedbackTests",
        teaches:
            "quantize a column, divide its error by U[j, j], and push it onto the later columns with row j of U",
        reading: "GPTQ §3 eq. (2) (the OBS update) and §4 Step 3; Algorithm 1's inner loop",
        difficulty: 2, needs: ["9a", "9b", "9c"],
        dependents: ["BitsPerWeightTests", "BlockSemanticsTests", "CholeskyFastPathTests",
            "ErrorFeedbackFastPathTests", "GPTQCommandTests", "GPTQPropertyTests",
            "GPTQReferenceTests", "GoldenOutputTests", "WholeModelSchemeTests"],
        blanks: [
            """
            // TODO(Exercise 9d): per row: code, q, err = (w − q) / uRow[i]; record them in step; then w[r, k] −= err · uRow[k] for k ≥ i.
            step.error = [Float](repeating: 0, count: rows)  // no codes, no feedback: harmlessly wrong
            """
        ],
        hint: """
            GPTQ §3 gives the optimal update of the remaining weights after quantizing w_q:
            δ = −(w_q − quant(w_q)) / [H⁻¹]_qq · (H⁻¹):,q. §4 Step 3 reads those rows off the upper
            Cholesky factor U of H⁻¹: with d = U[j, j], err = (w − q) / d and the later columns
            lose err · U[j, k]. For each row: code = quantizer.code(x, grids[r]), q =
            quantizer.dequantize(code, grids[r]); store code, q and err in step; then subtract
            err · uRow[k] from w[r, k] for every k from i on (column i itself included).
            """),
]
