import ArgumentParser
import Core
import MoE
import TensorIO

/// `lowbit moe-route LOGITS.npy [--top-k K] [--experts-out EXPERTS.npy] [--weights-out WEIGHTS.npy] [--json]`
///
/// Routes router logits (tokens × experts) as Mixtral does: softmax over all experts in
/// float32, the K most probable (ties broken as torch.topk on the CPU), their probabilities
/// renormalised to sum to 1. EXPERTS is int64 tokens × K, highest weight first; WEIGHTS is
/// float32 tokens × K. `--json` prints one line with the load per expert and the two
/// auxiliary losses transformers defines for these logits.
struct MoERouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moe-route",
        abstract: "Route router logits to the top-k experts as Mixtral does (softmax, top-k, renormalise).",
        discussion: """
            LOGITS is tokens × experts (float32; float16 and float64 are converted). A logit of \
            -inf masks that expert for that token; NaN and +inf are errors. EXPERTS is int64 \
            tokens × K, highest weight first; WEIGHTS is float32 tokens × K and sums to 1 per token. \
            --json prints tokens_per_expert (top-k slots per expert, summing to tokens × K), \
            aux_loss (transformers' load_balancing_loss_func for these logits; K when perfectly \
            balanced) and router_z_loss (ST-MoE's mean squared logsumexp).
            """)

    @Argument(help: "Router logits (.npy, tokens × experts).")
    var logits: String

    @Option(name: .customLong("top-k"), help: "Experts per token, K (1 … number of experts).")
    var topK: Int = 2

    @Option(name: .customLong("experts-out"), help: "Output: chosen experts (int64, tokens × K, highest weight first).")
    var expertsOut: String?

    @Option(name: .customLong("weights-out"), help: "Output: routing weights (float32, tokens × K, renormalised).")
    var weightsOut: String?

    @Flag(help: "Print one JSON object with tokens_per_expert, aux_loss and router_z_loss on stdout.")
    var json = false

    func validate() throws {
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, got \(topK)") }
    }

    func run() throws {
        // Non-finite values are judged by the router (−inf is a mask; NaN, +inf are errors).
        let input = try FloatInput.load(logits, allowNonFinite: true)
        guard input.shape.count == 2 else {
            throw CLIError("\(logits): LOGITS must be 2-D (tokens × experts), got shape \(input.shape)")
        }
        let routing: Routing
        let auxLoss: Double
        do {
            routing = try TopKRouter.route(logits: Tensor(shape: input.shape, data: input.values), topK: topK)
            auxLoss = try LoadBalancingLoss.compute(routing).value
        } catch {
            throw CLIError("\(logits): \(error.description)")
        }
        let (tokens, k) = (routing.tokens, routing.topK)
        var outputs: [(path: String, tensor: RawTensor)] = []
        if let expertsOut {
            outputs.append((expertsOut, RawTensor(int64: routing.selectedExperts.map(Int64.init), shape: [tokens, k])))
        }
        if let weightsOut {
            outputs.append((weightsOut, RawTensor(float32: routing.weights, shape: [tokens, k])))
        }
        try writeOutputs(outputs)

        let load = routing.tokensPerExpert
        let zLoss = RouterZLoss.value(routing)
        if json {
            var report = JSONReport()
            report.add("tokens", tokens)
            report.add("experts", routing.experts)
            report.add("top_k", k)
            report.add("tokens_per_expert", load)
            report.add("aux_loss", auxLoss)
            report.add("router_z_loss", zLoss)
            print(report.text)
        } else {
            print(
                "\(tokens) tokens → top-\(k) of \(routing.experts) experts; tokens per expert \(load); "
                    + "aux loss \(auxLoss) (balanced: \(k)); router z-loss \(zLoss)")
        }
    }
}
