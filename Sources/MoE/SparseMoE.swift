import Core
import NN

/// Mixtral's sparse MoE block with its backward pass: router, top-K routing, grouped
/// dispatch to SwiGLU experts, weighted sum, and the auxiliary losses' gradients
/// (transformers' `MixtralSparseMoeBlock`; the equations are in `MoEConfiguration`'s doc).
///
/// ```
/// x: [T][H] or [B][S][H] (tokens flattened b·S + s, as transformers does)
/// forward:  z = router(x); routing = TopKRouter.route(z); dispatch = ExpertDispatch.plan(routing)
///           for each expert e: Y_e = FFN_e(x[group_e]);  y[t] += w_t,k · Y_e[row of t]
/// backward: dY_e[row of t] = w_t,k · dy[t]            ∂L/∂w_t,k = dy[t] · Y_e[row of t]
///           dx[group_e] += FFN_e.backward(dY_e)
///           dz = TopKRouter.backward(∂L/∂w, α · ∂L_aux/∂p) + β · ∂L_z/∂z
///           dx += router.backward(dz)
/// ```
///
/// `backward(dy)` returns dL/dx for L = L_task + α · L_aux + β · L_z, where dy = ∂L_task/∂y:
/// the auxiliary losses are added inside, as `loss += router_aux_loss_coef * aux_loss` does in
/// transformers. Their values are in `lastStatistics` after each forward pass.
///
/// Not a `Layer`: its forward pass can fail on untrusted logits (NaN), and `Layer.forward`
/// cannot throw. Parameters, `zeroGrad()` and the optimizers work the same way.
public final class SparseMoE {
    public let configuration: MoEConfiguration
    /// The router ("gate"): W_g [E][H], no bias.
    public let router: Linear
    public let experts: [SwiGLUExpert]

    /// What the last forward pass did: routing, dispatch and loss values.
    public struct Statistics: Sendable {
        public let routing: Routing
        public let dispatch: ExpertDispatch
        public let loadBalancing: LoadBalancingLoss.Terms
        /// L_z (computed whatever β is, so a chapter can print it).
        public let zLoss: Double
        /// α · L_aux + β · L_z, the amount this layer adds to the training loss.
        public let weightedAuxiliaryLoss: Double
    }
    public private(set) var lastStatistics: Statistics?

    /// Cache for backward: the input shape and each expert's un-weighted outputs, [n_e][H].
    private var inputShape: [Int] = []
    private var expertOutputs: [[Float]] = []

    /// A layer with freshly initialised weights (PyTorch's `nn.Linear` default, our generator);
    /// the router's weights are then multiplied by `configuration.routerInitScale`.
    public init(_ configuration: MoEConfiguration, name: String = "moe", rng: inout SeededRNG) throws(MoEError) {
        try configuration.validate()
        self.configuration = configuration
        let (h, i, e) = (configuration.hidden, configuration.intermediate, configuration.experts)
        router = Linear(inFeatures: h, outFeatures: e, bias: false, name: name + ".gate", rng: &rng)
        if configuration.routerInitScale != 1 {
            for j in router.weight.value.indices { router.weight.value[j] *= configuration.routerInitScale }
        }
        experts = (0..<e).map { SwiGLUExpert(hidden: h, intermediate: i, name: "\(name).experts.\($0)", rng: &rng) }
    }

    /// A layer from given weights: router W_g [E][H] and E experts (e.g. transformers' checkpoint).
    public init(
        routerWeight: Tensor, experts: [SwiGLUExpert], topK: Int = 2, auxLossCoefficient: Double = 0.001,
        zLossCoefficient: Double = 0, capacityFactor: Double? = nil, tieBreaking: TopKTieBreaking = .torchCPU,
        name: String = "moe"
    ) throws(MoEError) {
        guard routerWeight.rank == 2, routerWeight.shape[0] == experts.count, let first = experts.first,
            experts.allSatisfy({ $0.hidden == routerWeight.shape[1] && $0.intermediate == first.intermediate })
        else {
            throw .shapeMismatch(
                "router weight \(routerWeight.shape) must be [E][H] for \(experts.count) experts of one shape")
        }
        configuration = MoEConfiguration(
            hidden: first.hidden, intermediate: first.intermediate, experts: experts.count, topK: topK,
            auxLossCoefficient: auxLossCoefficient, zLossCoefficient: zLossCoefficient, capacityFactor: capacityFactor,
            tieBreaking: tieBreaking)
        try configuration.validate()
        let gate = Parameter(name: name + ".gate.weight", shape: routerWeight.shape, value: routerWeight.data)
        router = Linear(weight: gate, bias: nil)
        self.experts = experts
    }

    public var parameters: [Parameter] { router.parameters + experts.flatMap(\.parameters) }

    public func zeroGrad() { parameters.zeroGrad() }

    /// y = Σ_k w_t,k · FFN_{e_t,k}(x_t) for every token; records `lastStatistics`.
    public func forward(_ x: Tensor) throws(MoEError) -> Tensor {
        let (h, e, k) = (configuration.hidden, configuration.experts, configuration.topK)
        guard x.rank >= 2, x.cols == h else {
            throw .shapeMismatch("MoE input must be [tokens][\(h)] or [batch][seq][\(h)], got \(x.shape)")
        }
        let tokens = x.rows
        let flat = x.reshaped([tokens, h])
        let logits = tokens > 0 ? router.forward(flat) : Tensor(shape: [0, e])
        let routing = try TopKRouter.route(logits: logits, topK: k, tieBreaking: configuration.tieBreaking)
        let dispatch = try ExpertDispatch.plan(routing, capacityFactor: configuration.capacityFactor)
        var y = [Float](repeating: 0, count: tokens * h)
        expertOutputs = [[Float]](repeating: [], count: e)
        for (expert, group) in dispatch.groups.enumerated() where !group.isEmpty {
            // Gather the group's rows of x: [n_e][H].
            var rows = [Float](repeating: 0, count: group.count * h)
            for (r, a) in group.enumerated() {
                rows.replaceSubrange((r * h)..<((r + 1) * h), with: flat.data[(a.token * h)..<((a.token + 1) * h)])
            }
            let out = experts[expert].forward(Tensor(shape: [group.count, h], data: rows)).data
            expertOutputs[expert] = out
            // Scatter-add the weighted outputs back to their tokens (index_add_).
            for (r, a) in group.enumerated() {
                let w = routing.weights[a.token * k + a.slot]
                for j in 0..<h { y[a.token * h + j] += w * out[r * h + j] }
            }
        }
        let balance = try LoadBalancingLoss.compute(routing)
        let zLoss = RouterZLoss.value(routing)
        lastStatistics = Statistics(
            routing: routing, dispatch: dispatch, loadBalancing: balance, zLoss: zLoss,
            weightedAuxiliaryLoss: configuration.auxLossCoefficient * balance.value + configuration.zLossCoefficient * zLoss)
        inputShape = x.shape
        return Tensor(shape: x.shape, data: y)
    }

    /// dL/dx for L = L_task + α · L_aux + β · L_z, given dy = ∂L_task/∂y; accumulates the
    /// gradients of the router and of every expert that received tokens.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let stats = lastStatistics else { preconditionFailure("SparseMoE: backward called before forward") }
        precondition(dy.shape == inputShape, "SparseMoE: dy has shape \(dy.shape), expected \(inputShape)")
        let (h, k) = (configuration.hidden, configuration.topK)
        let routing = stats.routing
        let tokens = routing.tokens
        var dx = [Float](repeating: 0, count: tokens * h)
        var dWeights = [Float](repeating: 0, count: tokens * k)  // dropped slots keep 0
        for (expert, group) in stats.dispatch.groups.enumerated() where !group.isEmpty {
            let out = expertOutputs[expert]
            var dOut = [Float](repeating: 0, count: group.count * h)
            for (r, a) in group.enumerated() {
                let w = routing.weights[a.token * k + a.slot]
                var dot = 0.0
                for j in 0..<h {
                    let g = dy.data[a.token * h + j]
                    dOut[r * h + j] = w * g
                    dot += Double(g) * Double(out[r * h + j])
                }
                dWeights[a.token * k + a.slot] = Float(dot)
            }
            let dRows = experts[expert].backward(Tensor(shape: [group.count, h], data: dOut)).data
            for (r, a) in group.enumerated() {
                for j in 0..<h { dx[a.token * h + j] += dRows[r * h + j] }
            }
        }
        guard tokens > 0 else { return Tensor(shape: inputShape, data: dx) }
        // The router: ∂L/∂w and α · ∂L_aux/∂p through renormalisation and softmax, plus β · ∂L_z/∂z.
        let alpha = Float(configuration.auxLossCoefficient)
        var dp: [Float]? = nil
        if alpha != 0, let auxGradient = try? LoadBalancingLoss.probabilityGradient(routing) {
            dp = auxGradient.map { alpha * $0 }
        }
        var dz = TopKRouter.backward(routing, weightGradient: dWeights, probabilityGradient: dp)
        let beta = Float(configuration.zLossCoefficient)
        if beta != 0 {
            let zGradient = RouterZLoss.logitGradient(routing)
            for i in dz.indices { dz[i] += beta * zGradient[i] }
        }
        let dxRouter = router.backward(Tensor(shape: [tokens, configuration.experts], data: dz)).data
        for i in dx.indices { dx[i] += dxRouter[i] }
        return Tensor(shape: inputShape, data: dx)
    }
}
