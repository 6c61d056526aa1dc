/// Chapter 10 — AWQ, activation-aware weight quantization (module AWQ).
let chapter10Exercises: [Exercise] = [
    Exercise(
        id: "10a", title: "one group's scale and zero point", section: "§10.2",
        file: "Sources/AWQ/PseudoQuantize.swift", suite: "Ex10a_GroupParametersTests",
        teaches: "AWQ's asymmetric min–max group: range not widened to 0, the 1e-5 clamp, the zero point rounded half to even",
        reading: "AWQ (Lin et al. 2023, arXiv:2306.00978) §3.2 Eq. 1; llm-awq quantizer.py pseudo_quantize_tensor",
        difficulty: 1, needs: [],
        dependents: ["AWQCommandTests", "AWQModelTests", "AWQPropertyTests",
            "ClipSearchReferenceTests", "Ex10c_FirstStrictlySmallestTests", "GoldenOutputTests",
            "PseudoQuantizeReferenceTests", "ScaleSearchReferenceTests"],
        blanks: [
            """
            // TODO(Exercise 10a): scale = max(max − min, 1e-5) / (2^bits − 1); zero = clamp(−round(min / scale), 0, 2^bits − 1), ties to even.
            return (1, 0)
            """
        ],
        hint: """
            pseudo_quantize_tensor takes each group's max and min as they are — unlike GPTQ's
            Quantizer it does not widen the range to include 0 — and divides the range, clamped
            below at 1e-5 (a constant group), by 2^bits − 1, all in float32. The zero point is
            −round(min / scale) clamped to 0 … 2^bits − 1; torch.round rounds half to even, so
            use .rounded(.toNearestOrEven), not .rounded().
            """),
    Exercise(
        id: "10b", title: "the scale formula", section: "§10.3",
        file: "Sources/AWQ/ScaleFormula.swift", suite: "Ex10b_ScaleFormulaTests",
        teaches: "s = x_max^α per input channel, clamped for dead channels and normalised around 1",
        reading: "AWQ §3.2 \"Searching to scale\" (Eq. 4–5); llm-awq auto_scale.py _search_module_scale",
        difficulty: 1, needs: [],
        dependents: ["AWQCommandTests", "AWQModelTests", "AWQPropertyTests",
            "ClipSearchReferenceTests", "Ex10c_FirstStrictlySmallestTests", "GoldenOutputTests",
            "ScaleSearchReferenceTests"],
        blanks: [
            """
            // TODO(Exercise 10b): s = max(TorchPow.pow(x_max, Float(α)), 1e-4), then s / sqrt(max(s) · min(s)).
            return [Float](repeating: 1, count: xMax.count)
            """
        ],
        hint: """
            §3.2 makes the scale a power of the mean activation magnitude, s = s_X^α, and searches
            α on a grid. The reference clamps x_max^α at 1e-4 so a dead channel cannot get s = 0,
            then divides every s by sqrt(max(s) · min(s)). Compute that product in Double before
            the square root: the reference's numbers (the dead-channel case) need it. Use
            TorchPow.pow (PyTorch's float32 pow) rather than powf to match it to the bit.
            """),
    Exercise(
        id: "10c", title: "the first strictly smallest loss", section: "§10.4",
        file: "Sources/AWQ/ScaleSearch.swift", suite: "Ex10c_FirstStrictlySmallestTests",
        teaches: "the search's tie rule: the earliest ratio with a strictly smaller loss wins, so α = 0 (RTN) is the floor",
        reading: "AWQ §3.2 Eq. 5 (α* = argmin L(s)); llm-awq auto_scale.py (`is_best = loss < best_error`)",
        difficulty: 1, needs: ["10a", "10b"],
        dependents: ["AWQCommandTests", "AWQModelTests", "AWQPropertyTests",
            "ClipSearchReferenceTests", "GoldenOutputTests", "ScaleSearchReferenceTests"],
        blanks: [
            """
            // TODO(Exercise 10c): start from +∞; keep index i when values[i] < the best so far; nil if none.
            return nil
            """
        ],
        hint: """
            The reference starts from best_error = inf and keeps a ratio only when its loss is
            strictly smaller (`loss < best_error`): a later equal loss does not replace an earlier
            one, and NaN (which compares false) never wins. Since the first ratio, α = 0, is plain
            RTN, the chosen loss is never above RTN's.
            """),
    Exercise(
        id: "10d", title: "folding the scales into a LayerNorm", section: "§10.5",
        file: "Sources/AWQ/ScaleFolding.swift", suite: "Ex10d_LayerNormFoldTests",
        teaches: "why scaling costs nothing at inference: 1/s goes into the LayerNorm's γ and β, s into the weights",
        reading: "AWQ §3.2 (Q(w·s)·(x/s)); llm-awq auto_scale.py scale_ln_fcs",
        difficulty: 1, needs: [],
        dependents: ["AWQModelTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 10d): γ / s and β / s channel by channel; every linear's column c times s[c] (scalingColumns).
            return (norm, linears)
            """
        ],
        hint: """
            A LayerNorm's output is γ ⊙ x̂ + β, channel by channel, and it feeds every linear
            that reads it. Dividing γ and β by s divides the output by s; multiplying column c of
            each linear's weight by s[c] undoes it, so W'(y / s) = W y. The reference's
            scale_ln_fcs does exactly these three float32 operations.
            """),
]
