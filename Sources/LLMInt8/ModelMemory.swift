/// The memory arithmetic of the int8 blog post, computed rather than typed: how many bytes
/// a model's weights take at a given precision, and how many GPUs must hold them.
///
/// ```
/// bytes = parameters × bytes per parameter         (fp32 4, bf16/fp16 2, int8 1)
/// GPUs  = ⌈ bytes / memory per GPU ⌉               (80 GB for an A100 80GB)
/// ```
///
/// Only the weights are counted: activations, the KV cache and framework overhead need
/// more, and int8 layers keep small float extras (one scale per row, the outlier columns).
/// Gigabytes are decimal (10⁹ bytes), as GPU memory is marketed.
public enum ModelMemory {
    /// BLOOM-176B's nominal parameter count.
    public static let bloom176BParameters = 176_000_000_000
    /// An A100 80GB's memory in bytes.
    public static let a100Bytes = 80_000_000_000

    public enum Precision: String, CaseIterable, Sendable {
        case fp32, bf16, fp16, int8

        public var bytesPerParameter: Int {
            switch self {
            case .fp32: 4
            case .bf16, .fp16: 2
            case .int8: 1
            }
        }
    }

    /// Bytes to store `parameters` weights at `precision`: parameters × bytes per parameter.
    public static func bytes(parameters: Int, precision: Precision) -> Int {
        // BEGIN EXERCISE 3e — memory arithmetic
        return parameters * precision.bytesPerParameter
        // END EXERCISE 3e
    }

    /// The number of devices of `deviceBytes` each needed to hold `bytes`: ⌈bytes / deviceBytes⌉,
    /// in integers (a Double has 53 bits: it cannot tell 10¹⁷ bytes from 10¹⁷ + 1).
    public static func devicesNeeded(bytes: Int, deviceBytes: Int = a100Bytes) -> Int {
        precondition(deviceBytes > 0, "a device must have memory")
        // BEGIN EXERCISE 3e — memory arithmetic
        return (bytes + deviceBytes - 1) / deviceBytes
        // END EXERCISE 3e
    }

    /// Bytes in decimal gigabytes (10⁹).
    public static func gigabytes(_ bytes: Int) -> Double { Double(bytes) / 1e9 }
}
