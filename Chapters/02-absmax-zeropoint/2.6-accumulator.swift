import Absmax
import Book
import Core

/// 2.6: the Int16 accumulator overflowing, step by step and on the dot products of 2.5.
func accumulatorSection(_ book: Notebook, x qx: QuantizedInt8, w qw: QuantizedInt8) {
    book.section("2.6", "Why the accumulator must be 32 bits wide")
    book.say(
        """
        One product of two absmax codes (-127..127) is at most 127 * 127 = 16129 in magnitude, and \
        an Int16 holds 32767: \(Int16Accumulation.safeTerms()) products always fit, a third may \
        not. Hardware adds modulo 2^16, so an overflow does not trap: the sum silently wraps to a \
        wrong number of the wrong sign. The worst case, step by step:
        """)
    let worstA: [Int8] = [127, 127, 127, 127, -127]
    let worstB: [Int8] = [127, 127, 127, 127, 127]
    let worst = Int16Accumulation.dot(worstA, worstB)
    book.table(
        ["t", "a", "b", "a * b", "exact sum (Int32)", "Int16 sum", ""],
        worstA.indices.map { t in
            let wrong = Int32(worst.wrappedPartialSums[t]) != worst.exactPartialSums[t]
            return [
                String(t), String(worstA[t]), String(worstB[t]),
                String(Int(worstA[t]) * Int(worstB[t])),
                String(worst.exactPartialSums[t]), String(worst.wrappedPartialSums[t]),
                t == worst.firstOverflow ? "<- first overflow" : (wrong ? "wrong" : ""),
            ]
        })
    print()
    let (tokens, features, outFeatures) = (qx.shape[0], qx.shape[1], qw.shape[0])
    var overflowed = 0
    var wrongAtEnd = 0
    var firstOverflows: [Float] = []
    for i in 0..<tokens {
        let aRow = Array(qx.codes[(i * features)..<((i + 1) * features)])
        for j in 0..<outFeatures {
            let trace = Int16Accumulation.dot(
                aRow, Array(qw.codes[(j * features)..<((j + 1) * features)]))
            if let t = trace.firstOverflow {
                overflowed += 1
                firstOverflows.append(Float(t))
            }
            if Int32(trace.wrappedSum) != trace.exactSum { wrongAtEnd += 1 }
        }
    }
    let dots = tokens * outFeatures
    book.say(
        """
        Real data is not the worst case, but it does not need to be. The \(dots) dot products of \
        length \(features) in 2.5, accumulated in an Int16 instead:
        """)
    book.table(
        [
            "dot products", "overflowed at some step", "wrong at the end",
            "median step of first overflow",
        ],
        [
            [
                String(dots),
                "\(overflowed) (\(Fmt.f(100 * Double(overflowed) / Double(dots), 1))%)",
                "\(wrongAtEnd) (\(Fmt.f(100 * Double(wrongAtEnd) / Double(dots), 1))%)",
                firstOverflows.isEmpty ? "-" : Fmt.g(Statistics.quantile(firstOverflows, 0.5)),
            ]
        ])
    print()
    let int32Max = Int(Int32.max)
    book.say(
        """
        An Int32 holds 2^31 - 1 = \(Fmt.grouped(int32Max)): floor(\(Fmt.grouped(int32Max)) / \
        127^2) = \(Fmt.grouped(int32Max / (127 * 127))) worst-case products of absmax codes (which \
        stay in -127..127), or floor(\(Fmt.grouped(int32Max)) / 128^2) = \
        \(Fmt.grouped(int32Max / (128 * 128))) if code -128 may occur, as with zero-point; \
        Int8Matmul checks the smaller bound (maxInnerDimension = \
        \(Fmt.grouped(Int8Matmul.maxInnerDimension))). Int8 GEMM (general matrix multiply) \
        hardware, and bitsandbytes' int8 matmul, accumulates in 32 bits, which is also why the \
        rescale in 2.5 can wait until the very end.

        Exercises 2a-2e (2a absmax, 2b zero-point, 2c granularity, 2d the Int32 matmul and its
        rescale, 2e the Int16 overflow): `scripts/exercise start 2a` blanks one function body in
        Sources/Absmax, `scripts/exercise check 2a` runs its tests, `scripts/exercise hint 2a` says
        what to read, `scripts/exercise reset 2a` puts the solution back.

        Chapter 3 takes these pieces to LLM.int8(): what to do when the outliers are not one weight
        but whole feature dimensions of the activations.
        """)
}
