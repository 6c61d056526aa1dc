import Blockwise8
import Core

/// The chapter's evidence: how much error Int4, FP4 and NF4 leave after a blockwise round
/// trip, for block sizes 32 … 4096, on normal weights and on heavier-tailed ones.
///
/// QLoRA §3 and Table 2 (and the 4-bit blog post) claim NF4 beats FP4, which beats Int4,
/// because NF4's levels follow the normal distribution weights have (the paper measures
/// perplexity; we measure the weights' round-trip error). These functions return the numbers;
/// the chapter prints the table and draws the figure. Everything is seeded, so the numbers
/// are the same on every run.
///
/// What they show (2²⁰ weights, σ = 0.02): NF4 has the smallest MSE at every block size, on
/// normal and on Student-t weights. bnb-FP4 does **not** beat the plain Int4 grid in MSE at
/// most block sizes — its second level, 0.0052 · absmax, spends a code on values that hardly
/// need one — and overtakes it only for heavy tails (ν = 3) at blocks ≥ 2048.
///
/// ```
/// MSE = mean over i of (x_i − x̂_i)²          x̂ = dequantize(quantize(x))
/// ```
public enum DataTypeComparison {
    /// The block sizes of the sweep: 32, 64, …, 4096.
    public static let blockSizes = BlockwiseQuantizer4.allowedBlockSizes

    /// Where the synthetic weights come from.
    public enum WeightDistribution: Sendable, Equatable, CustomStringConvertible {
        /// N(0, std²) — a pretrained layer's weights, roughly (σ = 0.02 is GPT-2's init).
        case normal(std: Double)
        /// Student-t with ν degrees of freedom, scaled to standard deviation `std` (ν > 2):
        /// the same spread, heavier tails — more blocks dominated by one large value.
        case studentT(degreesOfFreedom: Int, std: Double)

        public var description: String {
            switch self {
            case .normal(let std): "normal (σ = \(std))"
            case .studentT(let nu, let std): "Student-t (ν = \(nu), σ = \(std))"
            }
        }

        /// `count` samples from a generator seeded with `seed`.
        public func sample(_ count: Int, seed: UInt64) -> [Float] {
            var rng = SeededRNG(seed: seed)
            switch self {
            case .normal(let std):
                return rng.normalFloats(count, mean: 0, std: std)
            case .studentT(let nu, let std):
                precondition(nu > 2, "a Student-t has a finite variance only for ν > 2")
                let scale = std / (Double(nu) / Double(nu - 2)).squareRoot()  // Var t_ν = ν/(ν−2)
                return (0..<count).map { _ in Float(scale * rng.studentT(degreesOfFreedom: nu)) }
            }
        }
    }

    /// One measurement: a data type at a block size.
    public struct Measurement: Equatable, Sendable {
        public let type: String
        public let blockSize: Int
        public let mse: Double
    }

    /// MSE of a blockwise round trip of `values` with `type`.
    public static func roundTripMSE(_ values: [Float], type: FourBitDataType, blockSize: Int)
        throws(BlockwiseQuantizationError) -> Double
    {
        let q = try BlockwiseQuantizer4.quantize(values, type: type, blockSize: blockSize)
        return Statistics.mse(values, q.dequantize())
    }

    /// Every type at every block size, in the order types × blockSizes.
    public static func sweep(
        _ values: [Float], types: [FourBitDataType] = FourBitDataType.all,
        blockSizes: [Int] = blockSizes
    ) throws(BlockwiseQuantizationError) -> [Measurement] {
        var rows: [Measurement] = []
        for type in types {
            for blockSize in blockSizes {
                let mse = try roundTripMSE(values, type: type, blockSize: blockSize)
                rows.append(Measurement(type: type.name, blockSize: blockSize, mse: mse))
            }
        }
        return rows
    }

    /// The quantization error x̂ − x per value (for the chapter's error histograms).
    public static func errors(_ values: [Float], type: FourBitDataType, blockSize: Int = 64)
        throws(BlockwiseQuantizationError) -> [Float]
    {
        let xHat = try BlockwiseQuantizer4.quantize(values, type: type, blockSize: blockSize)
            .dequantize()
        return zip(xHat, values).map { $0 - $1 }
    }
}
