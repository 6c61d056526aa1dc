import Blockwise8

/// A 4-bit data type as the blockwise quantizer sees it: up to 16 values in code order,
/// searched in sorted order.
///
/// ```
/// values:      [≤ 16] Float, index = 4-bit code
/// sortedCodes: [values.count] UInt8, the codes in ascending value order (a stable argsort)
/// nearest:     the midpoints between sorted neighbours (see `NearestCode`)
/// code(scaled) = sortedCodes[bucketize(scaled, midpoints)]
/// ```
///
/// NF4 and Int4 are stored sorted, so `sortedCodes` is the identity; FP4's code order is its
/// bit pattern and needs the map (bitsandbytes' `_get_4bit_quantize_bounds` returns the same
/// argsort as `order`).
public struct FourBitDataType: Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public let values: [Float]
    public let sortedCodes: [UInt8]
    public let nearest: NearestCode
    /// The code of −0 for a sign-magnitude type (FP4: 0b1000); nil when there is one zero.
    public let negativeZeroCode: UInt8?

    /// Throws for an empty, oversized or non-finite table.
    public init(name: String, values: [Float], negativeZeroCode: UInt8? = nil)
        throws(BlockwiseQuantizationError)
    {
        guard (2...16).contains(values.count) else {
            throw .invalidCodebook("a 4-bit type has 2…16 values, got \(values.count)")
        }
        // Stable argsort: for FP4's two zeros, +0 (code 0) sorts before −0 (code 8), as in
        // bitsandbytes, so a scaled 0 maps to code 0.
        let order = values.indices.sorted {
            values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1)
        }
        self.name = name
        self.values = values
        self.sortedCodes = order.map { UInt8($0) }
        self.nearest = try NearestCode(sortedValues: order.map { values[$0] }, maxCount: 16)
        self.negativeZeroCode = negativeZeroCode
    }

    public var description: String { name.uppercased() }

    /// The name as prose spells it: "NF4", "FP4", "Int4"; other tables keep their `name`.
    public var displayName: String { ["nf4": "NF4", "fp4": "FP4", "int4": "Int4"][name] ?? name }

    /// True when the codes are already in ascending value order (NF4, Int4).
    public var isSorted: Bool { sortedCodes == (0..<UInt8(values.count)).map { $0 } }

    /// The code a scaled 0.0 gets: the pad nibble of an odd count (NF4 7, FP4 0, Int4 7).
    public var zeroCode: UInt8 { sortedCodes[nearest.index(of: 0)] }

    /// NF4, from bitsandbytes' published table.
    public static let nf4 = try! FourBitDataType(name: "nf4", values: NF4Codebook.table)
    /// bitsandbytes' FP4, in code (bit-pattern) order.
    public static let fp4 = try! FourBitDataType(
        name: "fp4", values: FP4Codebook.table, negativeZeroCode: FP4Codebook.negativeZeroCode)
    /// The symmetric Int4 absmax grid (15 levels, code 15 unused).
    public static let int4 = try! FourBitDataType(name: "int4", values: Int4Grid.table)

    /// The three types of the chapter's comparison.
    public static let all: [FourBitDataType] = [.int4, .fp4, .nf4]

    /// Look a type up by its name ("nf4", "fp4", "int4"), as the CLI spells it.
    public static func named(_ name: String) -> FourBitDataType? {
        all.first { $0.name == name.lowercased() }
    }
}
