/// What Chapter 12's sweep measures of a quantized encoder against the float one, on the
/// sentences of `BERTSweepSentences`:
///
/// ```
/// cosine(a, b)     = a · b / (‖a‖ ‖b‖)        per evaluation sentence, in Double
/// nearest(q, C)    = argmax_j cosine(q, C_j)   the first index wins a tie
/// top-1 agreement  = #{ i : nearest(q̂_i, Ĉ) == nearest(q_i, C) }   quantized vs fp32
/// ```
///
/// Agreement compares the quantized model with fp32, not with the "right" answer: a scheme
/// agrees on a query fp32 gets wrong when it gets it wrong the same way (the question is
/// whether quantization changed the model's behaviour, not whether the model is good).
public enum BERTSweepMetrics {

    /// The cosine of two vectors of the same length, in Double (0 when either is zero).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "cosine: lengths \(a.count) and \(b.count)")
        var (dot, aa, bb) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            aa += Double(x) * Double(x)
            bb += Double(y) * Double(y)
        }
        return aa == 0 || bb == 0 ? 0 : dot / (aa.squareRoot() * bb.squareRoot())
    }

    /// For each query, the index of its most similar candidate.
    public static func nearest(queries: [[Float]], candidates: [[Float]]) -> [Int] {
        queries.map { q in
            var best = 0
            var bestCosine = -Double.infinity
            for (j, c) in candidates.enumerated() {
                let s = cosine(q, c)
                if s > bestCosine { (best, bestCosine) = (j, s) }
            }
            return best
        }
    }

    /// How many entries of two nearest-candidate lists agree.
    public static func agreement(_ a: [Int], _ b: [Int]) -> Int {
        precondition(a.count == b.count, "agreement: lengths \(a.count) and \(b.count)")
        return zip(a, b).filter { $0 == $1 }.count
    }
}
