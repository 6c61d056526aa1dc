/// Why two tensors cannot be multiplied — each case reads as one line for the CLI.
public enum MatmulError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Matrix products need 2-D operands.
    case notAMatrix(operand: String, shape: [Int])
    /// The inner dimensions differ: A is m×k but B is k′×n (or n×k′ for A·Bᵀ).
    case innerDimensionMismatch(left: [Int], right: [Int])

    public var description: String {
        switch self {
        case .notAMatrix(let operand, let shape):
            "\(operand) must be a 2-D matrix, got shape \(shape)"
        case .innerDimensionMismatch(let left, let right):
            "inner dimensions differ: \(left) and \(right)"
        }
    }
}
