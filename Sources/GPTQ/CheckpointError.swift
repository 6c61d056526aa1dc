import TensorIO

/// Everything that can be wrong with a GPTQ checkpoint layer, one case per problem; each
/// `description` is one line, so the CLI can print `error: <path>: <description>`.
public enum CheckpointError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Bits other than 2, 3, 4, 8.
    case unsupportedBits(Int)
    /// A `checkpoint_format` other than "gptq" (v1) and "gptq_v2".
    case unsupportedFormat(String)
    /// `<layer>.<suffix>` is not in the file.
    case missingTensor(String)
    case wrongElementType(tensor: String, expected: ElementType, actual: ElementType)
    /// Shapes that do not agree with each other or with the bit width.
    case badShape(String)
    /// A code or zero point that does not fit in `bits` bits.
    case valueOutOfRange(String)
    /// g_idx[column] is not a group of the layer.
    case groupIndexOutOfRange(column: Int, group: Int, groups: Int)
    /// A float16 scale that is infinite or NaN.
    case nonFiniteScale(index: Int)
    /// quantize_config.json is not the JSON object the packers write.
    case badConfig(String)

    public var description: String {
        switch self {
        case .unsupportedBits(let bits):
            return "unsupported bits \(bits): GPTQ checkpoints use 2, 3, 4 or 8"
        case .unsupportedFormat(let format):
            return "unsupported checkpoint_format '\(format)' (supported: gptq, gptq_v2)"
        case .missingTensor(let name):
            return "tensor '\(name)' is missing"
        case .wrongElementType(let tensor, let expected, let actual):
            return "tensor '\(tensor)' holds \(actual.rawValue), expected \(expected.rawValue)"
        case .badShape(let reason):
            return "shapes do not agree: \(reason)"
        case .valueOutOfRange(let reason):
            return "value out of range: \(reason)"
        case .groupIndexOutOfRange(let column, let group, let groups):
            return "g_idx[\(column)] = \(group) is not a group (the layer has \(groups))"
        case .nonFiniteScale(let index):
            return "scale \(index) is infinite or NaN"
        case .badConfig(let reason):
            return "bad quantize_config.json: \(reason)"
        }
    }
}
