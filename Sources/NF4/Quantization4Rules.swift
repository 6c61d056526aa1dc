import Blockwise8

/// The four places where bitsandbytes' own backends disagree about 4-bit codes, and which
/// choice the reference data (and our default, `.reference`) follows. Each alternative is
/// kept so the chapter can quantize the same tensor both ways and count what changes.
///
/// ```
/// question                          .reference                    the alternative
/// FP4 value whose magnitude         sign bit = sign of x          PyTorch's bucketize path:
///   rounds to 0                     (CUDA kernel)                 +tiny → 0b1000, −tiny → 0b0000
/// all-zero block (absmax 0)         every value → code of 0.0     CUDA: 0 · (1/0) = NaN fails
///                                   (PyTorch: 0 · 1e38 = 0)       every comparison → code 0
///                                                                 (NF4: −1)
/// scaled value on a midpoint        the lower code                the upper code
///                                   (bucketize, right=False)
/// the short last block              divides by its absmax         multiplies by the reciprocal,
///                                   (PyTorch)                     like full blocks (CUDA)
/// ```
///
/// Dequantization is table value · absmax for all of them. (bitsandbytes' C dequantizer
/// decodes FP4's sign bit itself, so its code 0b1000 gives −0 where the table holds +0 —
/// `NF4ReferenceTests` reproduces that too.)
public struct Quantization4Rules: Equatable, Sendable {
    public enum FP4ZeroSign: Sendable, Equatable {
        /// Sign bit = (scaled < 0), as bitsandbytes' CUDA `dQuantizeFP4` sets it; the
        /// reference's packed codes follow this rule.
        case signOfInput
        /// Whatever `bucketize` over the sorted FP4 values gives: the midpoint between −0 and
        /// +0 is 0, so −tiny and 0 land on +0 (code 0) and +tiny on −0 (code 8) — the opposite
        /// sign. bitsandbytes' PyTorch CPU path does this (and the reference `dequantized.npy`
        /// was computed from those codes, so its zeros carry that sign).
        case pytorchBucketize
    }

    public enum AllZeroBlock: Sendable, Equatable {
        /// Every value is coded as 0.0 (NF4 7, FP4 0); dequantizes to +0.
        case codeOfZero
        /// Every value gets code 0 (NF4: the level −1, so it dequantizes to −1 · 0 = −0):
        /// what bitsandbytes' CUDA kernel writes after 0 · ∞ = NaN fails every comparison.
        case cudaNaNCode
    }

    public enum MidpointTie: Sendable, Equatable {
        /// bucketize(right=False): on the midpoint → the lower code.
        case lowerCode
        /// bucketize(right=True): on the midpoint → the upper code.
        case upperCode
    }

    public var fp4ZeroSign: FP4ZeroSign
    public var allZeroBlock: AllZeroBlock
    public var midpointTie: MidpointTie
    public var partialBlock: BlockScaling.PartialBlockRule

    public init(
        fp4ZeroSign: FP4ZeroSign = .signOfInput, allZeroBlock: AllZeroBlock = .codeOfZero,
        midpointTie: MidpointTie = .lowerCode, partialBlock: BlockScaling.PartialBlockRule = .divide
    ) {
        self.fp4ZeroSign = fp4ZeroSign
        self.allZeroBlock = allZeroBlock
        self.midpointTie = midpointTie
        self.partialBlock = partialBlock
    }

    /// The rules of the reference data (bitsandbytes 0.50.2, see the table above).
    public static let reference = Quantization4Rules()

    /// bitsandbytes' pure-PyTorch CPU path as it runs (differs from `.reference` only in the
    /// FP4 sign of zero): its codes reproduce the reference `dequantized.npy` to the last bit,
    /// signs of zero included.
    public static let pytorchPath = Quantization4Rules(fp4ZeroSign: .pytorchBucketize)

    /// What bitsandbytes' CUDA kernel does in each case above (ties aside: its decision tree
    /// compares with `>` against constants that are the midpoints to float precision).
    public static let cudaKernel = Quantization4Rules(
        fp4ZeroSign: .signOfInput, allZeroBlock: .cudaNaNCode, midpointTie: .lowerCode,
        partialBlock: .multiplyByReciprocal)
}
