import NN

/// Optimizer-state memory, counted from the layouts the states actually use.
///
/// ```
/// 32-bit Adam:  m, v float32                          8 bytes per parameter
/// 8-bit Adam:   codes₁, codes₂ (1 byte each)          2 bytes per parameter
///               + absmax₁, absmax₂ (float32 per block)  + 8 / blockSize  (0.03125 at 256)
///               tensors under min8BitSize: 8 bytes per parameter
/// ```
///
/// The 256-entry codebooks (1 KiB each) are shared by every tensor and not counted. So a
/// 7B-parameter model needs 56 GB of Adam state in 32 bits and ≈ 14.2 GB in 8 bits — the
/// paper's "75% less optimizer memory" (Dettmers et al. 2022, Table 1 and §1).
public enum OptimizerMemory {
    /// Bytes of an 8-bit blockwise Adam state for `count` values: two codes per value and two
    /// float32 absmax per block.
    public static func blockwise8BitBytes(
        count: Int, blockSize: Int = BlockwiseAdamState.blockSize
    ) -> Int {
        2 * count + 2 * 4 * ((count + blockSize - 1) / blockSize)
    }

    /// One row of the memory table.
    public struct TensorState: Sendable, Equatable {
        public let name: String
        public let count: Int
        public let bytes: Int
        /// True when the tensor's state is 8-bit blockwise.
        public let isQuantized: Bool
    }

    /// Per-tensor state bytes of 8-bit Adam over these parameters (frozen ones skipped).
    public static func adam8bitTable(_ parameters: [Parameter], min8BitSize: Int = 4096)
        -> [TensorState]
    {
        let rule = Adam8bitRule(min8BitSize: min8BitSize)
        return parameters.filter(\.isTrainable).map {
            TensorState(name: $0.name, count: $0.count, bytes: rule.stateBytes(count: $0.count),
                        isQuantized: rule.usesBlockwiseState(count: $0.count))
        }
    }

    /// State bytes per trainable parameter of an optimizer: 8 for AdamW, ≈ 2.03 for 8-bit Adam
    /// on large tensors (more when many tensors are below `min8BitSize`).
    public static func bytesPerParameter(_ optimizer: any Optimizer) -> Double {
        let trainable = optimizer.parameters.filter(\.isTrainable).totalCount
        return trainable == 0 ? 0 : Double(optimizer.stateBytes) / Double(trainable)
    }
}
