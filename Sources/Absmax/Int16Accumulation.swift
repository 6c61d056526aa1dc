/// Why int8 matrix multiplication accumulates in Int32: a dot product summed in a 16-bit
/// register, step by step, with the first step that overflows.
///
/// ```
/// one product:   q_a · q_b ∈ [−16 256, 16 384]     (fits an Int16: |·| ≤ 32 767)
/// two products:  up to 2 · 127² = 32 258           (still fits)
/// three:         up to 3 · 127² = 48 387           (does not: wraps to 48 387 − 65 536 = −17 149)
/// ```
///
/// A real kernel would not trap: the hardware adds modulo 2¹⁶ and the sum silently turns
/// into a wrong number of the wrong sign. The trace keeps both sums so a chapter can print
/// where they part.
public struct Int16AccumulationTrace: Equatable, Sendable {
    /// partialSums[t]: the Int16 accumulator after adding product t (wrapping on overflow).
    public let wrappedPartialSums: [Int16]
    /// The same running sums, exactly (Int32 cannot overflow for k ≤ 131 071).
    public let exactPartialSums: [Int32]
    /// The first product index t whose addition overflowed the Int16, or `nil`.
    public let firstOverflow: Int?

    /// The final Int16 sum (wrong whenever `firstOverflow` is not nil … unless later
    /// overflows happen to wrap it back).
    public var wrappedSum: Int16 { wrappedPartialSums.last ?? 0 }
    /// The exact final sum.
    public var exactSum: Int32 { exactPartialSums.last ?? 0 }
}

public enum Int16Accumulation {
    /// Accumulates Σ a[t] · b[t] in an Int16 with wrapping addition (as 16-bit hardware
    /// would) and, beside it, exactly in an Int32: one partial sum of each per product, and
    /// the index of the first addition that overflowed the Int16. Precondition: equal lengths.
    public static func dot(_ a: [Int8], _ b: [Int8]) -> Int16AccumulationTrace {
        precondition(a.count == b.count, "dot product of vectors of lengths \(a.count) and \(b.count)")
        // BEGIN EXERCISE 2e — find where a 16-bit accumulator overflows
        var wrapped: Int16 = 0
        var exact: Int32 = 0
        var firstOverflow: Int?
        var wrappedSums: [Int16] = []
        var exactSums: [Int32] = []
        for t in a.indices {
            let product = Int16(a[t]) * Int16(b[t])  // always fits: |product| ≤ 16 384
            let (sum, overflow) = wrapped.addingReportingOverflow(product)
            if overflow && firstOverflow == nil { firstOverflow = t }
            wrapped = sum  // the wrapped (modulo 2¹⁶) result, as the hardware keeps it
            exact += Int32(product)
            wrappedSums.append(wrapped)
            exactSums.append(exact)
        }
        return Int16AccumulationTrace(
            wrappedPartialSums: wrappedSums, exactPartialSums: exactSums, firstOverflow: firstOverflow)
        // END EXERCISE 2e
    }

    /// The most products of magnitude ≤ `maxProduct` an Int16 can always hold:
    /// ⌊32 767 / maxProduct⌋ — 2 for absmax codes (127² = 16 129).
    public static func safeTerms(maxProduct: Int = 127 * 127) -> Int {
        Int(Int16.max) / maxProduct
    }
}
