import Book
import Foundation
import GPTQ

/// 9.2: why the rows of one upper Cholesky factor replace OBQ's updated inverse Hessians.
func choleskySection(_ book: Notebook, study: LayerStudy) {
    book.section("9.2", "The Cholesky reformulation: one factor instead of n inverses")
    book.say(
        """
        Quantizing weight j of a row changes the objective by (w_j - q_j)^2 / [H_F^-1]_jj if
        the not-yet-quantized weights F move by the optimal correction
        delta_F = -(w_j - q_j) / [H_F^-1]_jj x [H_F^-1]_{:,j} (§3, the OBS update). After each
        column, F loses that column and H_F^-1 must be updated (§3 eq. 3), n times per layer.
        GPTQ's §4 Step 3: quantize every row in the same column order, and all those inverses
        are read off one matrix. With H^-1 = U^T U (U upper triangular, exercise 9b's
        factor, then an inverse, then a factor again),
        """)
    print("    [H_F^-1] row j  =  U[j, j] x U[j, j:]        F = {j, j+1, ..., n-1}")
    print()
    book.say(
        """
        so GPTQ needs U and nothing else. On \(study.name), damped as the reference damps it:
        """)
    var h = study.h
    HessianPreparation.dampen(h: &h, columns: study.n, percent: 0.01)
    let n = study.n
    let u = book.attempt("Cholesky") { try Cholesky.upperFactorOfInverse(h, n: n) }
    var rows: [[String]] = []
    for j in [1, n / 4, n / 2, n - 2] {
        // H_F: the trailing (n − j) × (n − j) block; its inverse through its own factor.
        let m = n - j
        var hF = [Float](repeating: 0, count: m * m)
        for a in 0..<m {
            for b in 0..<m { hF[a * m + b] = h[(j + a) * n + j + b] }
        }
        let l = book.attempt("Cholesky") { try Cholesky.lowerFactor(hF, n: m) }
        let inverse = Cholesky.inverse(fromLowerFactor: l, n: m)
        var worst = 0.0
        var largest = 0.0
        for b in 0..<m {
            let fromU = Double(u[j * n + j]) * Double(u[j * n + j + b])
            worst = max(worst, abs(fromU - Double(inverse[b])))
            largest = max(largest, abs(Double(inverse[b])))
        }
        book.check(worst <= 1e-3 * largest, "row \(j) of H_F^-1 from U")
        rows.append(["\(j)", "\(m) x \(m)", Fmt.e(largest), Fmt.e(worst / largest, 1)])
    }
    book.table(
        ["column j", "H_F", "max |[H_F^-1] row j|", "max difference, relative"], rows)
    print()
    let pivots = book.attempt("Cholesky") { try Cholesky.lowerFactor(h, n: n) }
    let diagonal = (0..<n).map { Double(pivots[$0 * n + $0]) }
    let undamped = try? Cholesky.lowerFactor(study.h, n: n)
    let undampedRatio = undamped.map { l in
        let d = (0..<n).map { Double(l[$0 * n + $0]) }
        return Fmt.g(d.max()! / d.min()!, 3)
    }
    book.say(
        """
        The rows agree to float32 rounding: the explicit inverse of each trailing block, which
        OBQ would maintain, is one line of U. Computing U costs three O(n^3) loops once per
        layer instead of n rank-one updates of an n x n inverse, and it is stable where
        repeated updates accumulate error (§4: "numerically robust"). The damping keeps the
        factor's pivots away from 0: on this layer the ratio of the largest to the smallest
        pivot of chol(H) is \(Fmt.g(diagonal.max()! / diagonal.min()!, 3)) with damping and
        \(undampedRatio ?? "undefined (H is not positive definite)") without. With
        \(Fmt.grouped(study.rows)) rows for \(n) inputs H is far from singular here; a layer
        calibrated on fewer rows than inputs would need the damping to be factorable at all.
        """)
}
