import Absmax
import Book
import Core
import LLMInt8

/// The toy of 3.1–3.3: four tokens with an outlier in feature 2, three output features.
struct ToyProduct {
    let x: Tensor
    let w: Tensor
    /// X and W quantized vector-wise without decomposition (threshold 0).
    let xq0: VectorwiseQuantized
    let wq: VectorwiseQuantized
    /// X Wᵀ in float32, the reference.
    let yFloat: Tensor
}

/// 3.1: vector-wise quantization of X and W, the Int32 product and its rescale, and the
/// two rescale constants of bitsandbytes.
func vectorwiseSection(_ book: Notebook) -> ToyProduct {
    book.section("3.1", "Vector-wise quantization, as bitsandbytes does it")
    book.say(
        """
        LLM.int8() (Dettmers et al. 2022, §3.1) quantizes the hidden states X (tokens x features)
        with one absmax per row (per token) and the weight W (out x in, the nn.Linear layout) with
        one absmax per row (per output feature). Each output Y[i][j] is then one dot product of two
        int8 rows, accumulated in Int32, and one multiplication undoes both scales:
        Y[i][j] ~ C[i][j] * c_x[i] * c_w[j] / 127^2, with c_x, c_w the row absmax (bitsandbytes'
        row_stats, SCA and SCB). Four tokens with an outlier in feature 2:
        """)
    let x = Tensor(rows: [
        [0.8, -1.3, 17.5, 0.2, -0.6, 1.1],
        [-0.4, 0.9, -0.4, 1.7, 0.3, -2.2],
        [1.5, 0.1, -21.0, -0.7, 2.4, 0.5],
        [-1.0, 2.1, 0.3, 0.6, -1.8, -0.2],
    ])
    let w = Tensor(rows: [
        [0.12, -0.05, 0.30, 0.02, -0.21, 0.07],
        [-0.33, 0.18, 0.04, -0.15, 0.09, 0.26],
        [0.05, 0.41, -0.11, 0.20, -0.02, -0.17],
    ])
    let xq0 = book.attempt("quantize X") { try VectorwiseQuantizer.quantize(x, threshold: 0) }
    let wq = book.attempt("quantize W") {
        try VectorwiseQuantizer.quantize(w, threshold: 0, name: "W")
    }
    book.table(
        ["", "values", "row absmax", "codes"],
        (0..<x.rows).map { r in
            [
                "X token \(r)", Fmt.row(x.row(r), digits: 1, width: 6),
                Fmt.g(Double(xq0.rowAbsmax[r])), codes(xq0, row: r),
            ]
        }
            + (0..<w.rows).map { r in
                [
                    "W out \(r)", Fmt.row(w.row(r), digits: 2, width: 6),
                    Fmt.g(Double(wq.rowAbsmax[r])), codes(wq, row: r),
                ]
            }, leftAligned: [0])
    print()
    let c = Int8Matmul.product(xq0.codes, wq.codes, m: x.rows, k: x.cols, n: w.rows)
    let yExact = LLMInt8.dequantizeProduct(
        c, rowAbsmaxX: xq0.rowAbsmax, rowAbsmaxW: wq.rowAbsmax, bias: nil, constant: .exact)
    let yCPU = LLMInt8.dequantizeProduct(
        c, rowAbsmaxX: xq0.rowAbsmax, rowAbsmaxW: wq.rowAbsmax, bias: nil,
        constant: .bitsandbytesCPU)
    let yFloat = book.attempt("float product") { try OutlierStudy.floatProduct(x, w) }
    let n = w.rows
    book.table(
        ["token", "Int32 C = X_i8 W_i8^T", "rescaled, Y_int8", "float X W^T"],
        (0..<x.rows).map { i in
            [
                String(i), Fmt.row(c[(i * n)..<((i + 1) * n)], width: 7),
                Fmt.row(yExact[(i * n)..<((i + 1) * n)], digits: 4, width: 9),
                Fmt.row(yFloat.row(i), digits: 4, width: 9),
            ]
        })
    print()
    /// The largest |Y_int8 - Y| over the outputs of these tokens.
    func tokenError(_ tokenRows: [Int]) -> Double {
        tokenRows.flatMap { i in
            (0..<n).map { j in abs(Double(yExact[i * n + j]) - Double(yFloat[i, j])) }
        }.max()!
    }
    book.say(
        """
        Tokens 0 and 2 carry the outlier, so their absmax is \(Fmt.g(Double(xq0.rowAbsmax[0]))) \
        and \(Fmt.g(Double(xq0.rowAbsmax[2]))) and their other five features are squeezed onto a \
        few codes (-0.6 becomes \(xq0.codes[4]), 0.2 becomes \(xq0.codes[3])): their outputs are \
        off by up to \(Fmt.f(tokenError([0, 2]), 4)), those of tokens 1 and 3 by up to \
        \(Fmt.f(tokenError([1, 3]), 4)).

        The constant 1/127^2: bitsandbytes' CUDA kernel multiplies by Float(1/16129); its CPU and \
        pure-PyTorch fallback hard-codes a decimal that differs in the fifth digit. We use the \
        exact one (LLMInt8Options' default) and keep the other to match bitsandbytes' CPU output \
        bit for bit:
        """)
    let exact = Double(DequantizationConstant.exact.value)
    let cpu = Double(DequantizationConstant.bitsandbytesCPU.value)
    book.table(
        ["constant", "value", "relative to 1/16129"],
        [
            ["Float(1/16129), exact (CUDA)", Fmt.e(exact, 9), Fmt.e(exact * 16129 - 1, 2)],
            ["bitsandbytes CPU fallback", Fmt.e(cpu, 9), Fmt.e(cpu * 16129 - 1, 2)],
            ["difference", Fmt.e(cpu - exact, 3), Fmt.e(cpu / exact - 1, 2)],
        ])
    print()
    let outputRatio = zip(yCPU, yExact).map { Double($0) / Double($1) - 1 }
    book.say(
        """
        Every output of the CPU path is larger by the same factor: here the 12 outputs differ by a
        relative \(Fmt.e(outputRatio.min()!, 2)) to \(Fmt.e(outputRatio.max()!, 2)), far below the \
        int8 rounding error, but enough to fail a bit-exact comparison.
        """)
    return ToyProduct(x: x, w: w, xq0: xq0, wq: wq, yFloat: yFloat)
}

/// Row `r` of a quantized matrix's int8 codes as one fixed-width row.
func codes(_ q: VectorwiseQuantized, row r: Int) -> String {
    Fmt.row(q.codes[(r * q.cols)..<((r + 1) * q.cols)], width: 5)
}
