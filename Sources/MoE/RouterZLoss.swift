/// The router z-loss of ST-MoE (Zoph et al. 2022, §3, eq. 5): keep the router's logits
/// small, because large logits make the float32 softmax (and bfloat16 before it) round badly
/// and destabilise training.
///
/// ```
/// L_z = (1/T) Σ_t ( log Σ_e exp z_t,e )²
/// ∂L_z/∂z_t,e = (2/T) · lse_t · p_t,e          lse_t = log Σ_e exp z_t,e,  p_t = softmax(z_t)
/// ```
///
/// transformers implements it for the Switch Transformers family (`router_z_loss_func`,
/// weight `router_z_loss_coef`, 0.001); its Mixtral computes no z-loss (nor does the Mixtral
/// paper mention one), so `MoEConfiguration` defaults the coefficient to 0. The loss is a mean over all tokens (no mask, as there).
/// Adding a constant c to every logit of a token leaves routing unchanged but moves lse_t by
/// c: the z-loss is what pins that free direction near zero.
public enum RouterZLoss {
    /// L_z for logits [T][E] (0 for zero tokens).
    public static func value(_ routing: Routing) -> Double {
        let (t, e) = (routing.tokens, routing.experts)
        guard t > 0 else { return 0 }
        var sum = 0.0
        for token in 0..<t {
            let lse = TopKRouter.logSumExp(routing.logits[(token * e)..<((token + 1) * e)])
            sum += lse * lse
        }
        return sum / Double(t)
    }

    /// ∂L_z/∂z: [T][E].
    public static func logitGradient(_ routing: Routing) -> [Float] {
        let (t, e) = (routing.tokens, routing.experts)
        var gradient = [Float](repeating: 0, count: t * e)
        for token in 0..<t {
            let lse = TopKRouter.logSumExp(routing.logits[(token * e)..<((token + 1) * e)])
            for expert in 0..<e {
                let p = Double(routing.probabilities[token * e + expert])
                gradient[token * e + expert] = Float(2 / Double(t) * lse * p)
            }
        }
        return gradient
    }
}
