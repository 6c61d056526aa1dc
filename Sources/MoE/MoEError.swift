/// Everything that can be wrong with the input of a routing or a MoE layer. Each case names
/// what to fix; `description` is one line, fit for the CLI's `error: …`.
///
/// An *empty batch* is not an error: zero tokens route to nothing, every expert gets zero
/// tokens, and both auxiliary losses are 0. (transformers would return NaN there: its
/// `load_balancing_loss_func` takes the mean over zero tokens, 0/0.)
public enum MoEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// K must be in 1…E.
    case invalidTopK(k: Int, experts: Int)
    /// A router logit is NaN or +∞ (−∞ is allowed: it masks that expert for that token).
    case nonFiniteLogit(token: Int, expert: Int, value: Float)
    /// Every logit of this token is −∞: there is no expert to send it to.
    case noRoutableExpert(token: Int)
    /// Shapes that do not fit together (logits not 2-D, input width ≠ hidden, …).
    case shapeMismatch(String)
    /// A token mask whose length is not the number of tokens.
    case maskLengthMismatch(mask: Int, tokens: Int)
    /// The capacity factor must be finite and > 0.
    case invalidCapacityFactor(Double)
    /// Sizes or coefficients a layer cannot be built with.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .invalidTopK(let k, let experts):
            return "top-k must be between 1 and the number of experts (\(experts)), got \(k)"
        case .nonFiniteLogit(let token, let expert, let value):
            return "router logit \(value) at token \(token), expert \(expert) is not allowed "
                + "(NaN and +inf have no softmax; -inf masks an expert)"
        case .noRoutableExpert(let token):
            return "token \(token) has no routable expert: all of its router logits are -inf"
        case .shapeMismatch(let what):
            return what
        case .maskLengthMismatch(let mask, let tokens):
            return "the token mask has \(mask) entries for \(tokens) tokens"
        case .invalidCapacityFactor(let factor):
            return "the capacity factor must be finite and > 0, got \(factor)"
        case .invalidConfiguration(let what):
            return what
        }
    }
}
