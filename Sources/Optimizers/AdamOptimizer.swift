import NN

/// An Adam optimizer whose per-tensor states live in ordinary arrays, one per parameter —
/// the everyday case. `AdamW` and `Adam8bit` are this class with the two rules:
///
/// ```swift
/// let h = AdamHyperparameters(learningRate: 3e-3, weightDecay: 0.01)
/// let optimizer = AdamW(model.parameters, h)
/// let optimizer = Adam8bit(model.parameters, AdamHyperparameters(learningRate: 3e-3))
/// loss = model.lossAndGradients(x, labels: y);  optimizer.step()
/// ```
///
/// ```
/// states: [parameters.count] Rule.State, states[i] belongs to parameters[i]
/// ```
///
/// Frozen parameters (`isTrainable == false`) get no state and are never touched, so the
/// state memory of a LoRA fine-tune counts only the adapters.
public final class AdamOptimizer<Rule: AdamRule>: Optimizer {
    public let rule: Rule
    public let parameters: [Parameter]
    public private(set) var stepCount = 0
    /// states[i] is parameters[i]'s state, nil for a frozen parameter.
    public private(set) var states: [Rule.State?]

    public init(_ parameters: [Parameter], rule: Rule) {
        precondition(
            Set(parameters.map(\.name)).count == parameters.count,
            "optimizer: parameter names must be unique")
        self.rule = rule
        self.parameters = parameters
        states = parameters.map { $0.isTrainable ? rule.initialState(count: $0.count) : nil }
    }

    public func step() {
        stepCount += 1
        for (i, p) in parameters.enumerated() {
            guard var state = states[i] else { continue }
            rule.update(p, state: &state, step: stepCount)
            states[i] = state
        }
    }

    public var stateBytes: Int {
        zip(parameters, states).reduce(0) { total, pair in
            total + (pair.1 == nil ? 0 : rule.stateBytes(count: pair.0.count))
        }
    }
}

/// AdamW with float32 states (8 bytes per parameter).
public typealias AdamW = AdamOptimizer<AdamW32Rule>
/// Adam(W) with 8-bit blockwise states (≈ 2 bytes per parameter).
public typealias Adam8bit = AdamOptimizer<Adam8bitRule>

extension AdamOptimizer where Rule == AdamW32Rule {
    public convenience init(
        _ parameters: [Parameter], _ hyperparameters: AdamHyperparameters = AdamHyperparameters()
    ) {
        self.init(parameters, rule: AdamW32Rule(hyperparameters))
    }
}

extension AdamOptimizer where Rule == Adam8bitRule {
    /// `min8BitSize` is bitsandbytes' `min_8bit_size` (4096): smaller tensors keep float32 states.
    public convenience init(
        _ parameters: [Parameter], _ hyperparameters: AdamHyperparameters = AdamHyperparameters(),
        min8BitSize: Int = 4096
    ) {
        self.init(parameters, rule: Adam8bitRule(hyperparameters, min8BitSize: min8BitSize))
    }
}
