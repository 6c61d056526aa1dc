/// What one forward pass of a linear layer costs in memory traffic and arithmetic, for the
/// fp16 matmul and for LLM.int8() — the accounting behind Chapter 3's "why is int8 slower".
///
/// The int8 blog post (Belkada & Dettmers 2022, "Is it faster than native models?") measures
/// BLOOM-176B 15–23 % slower with LLM.int8() than in fp16, and small models (T5-3B, T5-11B)
/// several times slower. Counting the passes shows why, without a GPU:
///
/// ```
/// fp16:       Y = X Wᵀ                         one pass: read X, W (2 bytes each), write Y
/// LLM.int8(): 1. outlier columns of X           read X
///             2. row absmax + quantize X        read X, write X_i8 and c_x
///             3. int8 matmul                    read X_i8, W_i8 (1 byte each), write C (Int32)
///             4. rescale C by c_x ⊗ c_w / 127²  read C, write Y (fp16)
///             5. gather X[:, O]                 (only when there are outlier columns O)
///             6. dequantize W[:, O]             CB[:, O] · SCB / 127
///             7. fp16 X[:, O] W[:, O]ᵀ, add to Y read Y, write Y
/// ```
///
/// Shapes: t tokens, h = in features, o = out features, k = |O| outlier columns.
/// Activations and outputs are fp16 (2 bytes), codes 1 byte, the Int32 product and the row
/// statistics 4 bytes. The matmuls cost 2·t·h·o operations either way; every other step
/// touches t·h, t·o or o·k values, so its share of the work falls like 1/h as the layer
/// grows — while the matmul's grows like h². That is the whole argument.
///
/// Simplifications, on purpose: each step counts as one fused kernel that reads its inputs
/// once and writes its outputs once (bitsandbytes' real traffic is higher — the outlier mask
/// is a tensor of its own, and step 1 is two PyTorch ops); the bias and the weight-side
/// `SCB` reads are small and left out; caches are ignored. This is an accounting of bytes
/// and operations, not a timing: on a GPU each step is also a kernel launch, a fixed cost
/// of microseconds however little the step does.
///
/// ### See Also
/// `Linear8bit` (the forward pass these steps describe), `lowbit bench llm-int8` (timings
/// of our own CPU kernels).
public enum InferenceCost {
    /// The shape of one linear layer's forward pass: X is tokens × inFeatures, W is
    /// outFeatures × inFeatures, and `outlierColumns` feature columns of X exceed the threshold.
    public struct Layer: Sendable, Equatable {
        public let tokens: Int
        public let inFeatures: Int
        public let outFeatures: Int
        public let outlierColumns: Int

        public init(tokens: Int, inFeatures: Int, outFeatures: Int, outlierColumns: Int = 0) {
            precondition(tokens > 0 && inFeatures > 0 && outFeatures > 0, "sizes must be positive")
            precondition((0...inFeatures).contains(outlierColumns), "0 ≤ outliers ≤ inFeatures")
            self.tokens = tokens
            self.inFeatures = inFeatures
            self.outFeatures = outFeatures
            self.outlierColumns = outlierColumns
        }
    }

    /// One step of a forward pass: one read of its inputs and one write of its outputs.
    public struct Pass: Sendable, Equatable {
        public let name: String
        public let bytesRead: Int
        public let bytesWritten: Int
        /// Arithmetic operations: a multiply-add counts 2 (FLOPs for float, integer
        /// operations for int8), a comparison, rounding or rescale 1 per value.
        public let operations: Int
        /// The matrix multiplication proper (as opposed to the passes around it).
        public let isMatmul: Bool

        public var bytes: Int { bytesRead + bytesWritten }
    }

    /// The fp16 layer: one matmul pass.
    public static func float16Passes(_ layer: Layer) -> [Pass] {
        let (t, h, o) = (layer.tokens, layer.inFeatures, layer.outFeatures)
        return [
            Pass(
                name: "fp16 matmul", bytesRead: 2 * t * h + 2 * o * h, bytesWritten: 2 * t * o,
                operations: 2 * t * h * o, isMatmul: true)
        ]
    }

    /// The LLM.int8() layer at inference (W already int8, as `Linear8bit` stores it): the
    /// steps of the table above, 5–7 only when there are outlier columns.
    public static func llmInt8Passes(_ layer: Layer) -> [Pass] {
        let (t, h, o, k) = (layer.tokens, layer.inFeatures, layer.outFeatures, layer.outlierColumns)
        var passes = [
            // |x| >= threshold for every value; one flag per column out.
            Pass(
                name: "find outlier columns", bytesRead: 2 * t * h, bytesWritten: h,
                operations: t * h, isMatmul: false),
            // abs-max, multiply by the scale, round: 3 per value; codes and c_x out.
            Pass(
                name: "row absmax, quantize X", bytesRead: 2 * t * h, bytesWritten: t * h + 4 * t,
                operations: 3 * t * h, isMatmul: false),
            Pass(
                name: "int8 matmul", bytesRead: t * h + o * h, bytesWritten: 4 * t * o,
                operations: 2 * t * h * o, isMatmul: true),
            // (C · c_x c_w) · 1/127²: the statistics' product and two multiplies per output.
            Pass(
                name: "rescale Int32 to fp16", bytesRead: 4 * t * o + 4 * t + 4 * o,
                bytesWritten: 2 * t * o, operations: 3 * t * o, isMatmul: false),
        ]
        if k > 0 {
            passes += [
                Pass(
                    name: "gather X[:, O]", bytesRead: 2 * t * k, bytesWritten: 2 * t * k,
                    operations: 0, isMatmul: false),
                // code · absmax · 1/127: two multiplies per weight.
                Pass(
                    name: "dequantize W[:, O]", bytesRead: o * k + 4 * o, bytesWritten: 2 * o * k,
                    operations: 2 * o * k, isMatmul: false),
                // The outlier product plus one addition per output.
                Pass(
                    name: "fp16 outlier matmul, add", bytesRead: 2 * t * k + 2 * o * k + 2 * t * o,
                    bytesWritten: 2 * t * o, operations: 2 * t * k * o + t * o, isMatmul: false),
            ]
        }
        return passes
    }
}

extension Array where Element == InferenceCost.Pass {
    /// Bytes read and written by all passes.
    public var totalBytes: Int { reduce(0) { $0 + $1.bytes } }
    /// Operations of all passes.
    public var totalOperations: Int { reduce(0) { $0 + $1.operations } }
    /// The passes around the matrix multiplication: everything but `isMatmul`.
    public var overhead: [InferenceCost.Pass] { filter { !$0.isMatmul } }
}
