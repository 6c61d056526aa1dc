import Core

/// # NN — a small layer library with hand-written forward and backward passes
///
/// The layers a tiny transformer and a multi-layer perceptron need, each written out as two
/// plain loops you can read on one screen: the forward pass, and the backward pass that
/// applies the chain rule by hand. No autograd, no graph: every layer keeps exactly what its
/// backward pass needs (its *cache*) and says so in a comment. The spirit, and most of the
/// formulas, follow Andrej Karpathy's **llm.c** (`train_gpt2.c`, 2024), where each GPT-2
/// layer is a `_forward` / `_backward` pair of C functions.
///
/// Every layer obeys one contract, the chain rule for a layer y = f(x; θ):
///
/// ```
/// forward:   y = f(x; θ)                                  (caches what backward needs)
/// backward:  given dL/dy,  θ.grad += (∂y/∂θ)ᵀ · dL/dy      (accumulates, like PyTorch)
///                          returns dL/dx = (∂y/∂x)ᵀ · dL/dy
/// ```
///
/// Gradients *accumulate* (`+=`) so that a parameter used twice, or a batch split in two,
/// sums correctly; call `zeroGrad()` before each step, as with `optimizer.zero_grad()`.
///
/// Activations are `Tensor`s whose last dimension holds the features and whose leading
/// dimensions are folded into rows (`tokens × features`, or `batch × time × features`).
///
/// ## Properties (each one is tested in `NNTests`)
/// - Every backward pass agrees with central finite differences (`GradientCheck`).
/// - `Matmul`'s three products agree with a naive triple loop.
/// - Every fast path (tiled matmul, SIMD attention, GELU and exp without library calls,
///   one-pass cross-entropy, LayerNorm over four rows at once) returns its reference loop's
///   results bit for bit (`MatmulFastPathTests`, `NNFastPathTests`, `LayerNormFastPathTests`,
///   `AttentionFastPathTests`).
/// - Softmax rows sum to 1; cross-entropy of uniform logits is log V.
/// - Causal attention: the output at position t does not change when tokens after t do.
///
/// ## What real libraries do differently
/// PyTorch records a graph and differentiates it automatically; llm.c and this module write
/// every derivative by hand, which is faster to read and impossible to get subtly wrong
/// without a finite-difference test to catch it. Everything here is float32 on one CPU core.
///
/// ### See Also
/// `Parameter`, `Linear`, `ReLU`, `GELU`, `LayerNorm`, `Embedding`, `SoftmaxCrossEntropy`,
/// `CausalSelfAttention`, `MLP`, `GradientCheck`; the `Optimizers` module steps the
/// parameters this module produces.
public protocol Layer: AnyObject {
    /// y = f(x). Caches what `backward` needs, so call `backward` after the matching `forward`.
    func forward(_ x: Tensor) -> Tensor
    /// Given dL/dy (the shape of y), accumulates parameter gradients and returns dL/dx.
    func backward(_ dy: Tensor) -> Tensor
    /// The layer's parameters in a fixed order (the order optimizers and checkpoints use).
    var parameters: [Parameter] { get }
}

extension Layer {
    /// Sets every parameter's gradient to zero.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// A learnable tensor: its values, the gradient that backward passes accumulate into it, its
/// shape and a dotted name (`"fc1.weight"`, `"blocks.0.attn.query.bias"`).
///
/// A class, not a struct, on purpose: the layer that computes with it, the backward pass that
/// fills `grad` and the optimizer that updates `value` all hold the *same* parameter.
///
/// ```
/// value: [shape[0]]…[shape[n-1]] floats, C order (a Linear weight is out × in)
/// grad:  the same layout as value
/// ```
public final class Parameter {
    /// A dotted path naming the parameter inside its model, unique within the model.
    public let name: String
    /// Extent of each dimension.
    public let shape: [Int]
    /// The values, C order.
    public var value: [Float]
    /// dL/dvalue, accumulated by backward passes; same layout as `value`.
    public var grad: [Float]
    /// Frozen parameters (a LoRA base weight) keep `isTrainable == false`; optimizers skip them.
    public var isTrainable: Bool

    public init(name: String, shape: [Int], value: [Float], isTrainable: Bool = true) {
        precondition(
            Tensor.elementCount(shape) == value.count,
            "parameter \(name): shape \(shape) holds \(Tensor.elementCount(shape)) values, got \(value.count)")
        self.name = name
        self.shape = shape
        self.value = value
        self.grad = [Float](repeating: 0, count: value.count)
        self.isTrainable = isTrainable
    }

    /// The number of values.
    public var count: Int { value.count }

    /// The values as a tensor of the parameter's shape (a copy).
    public var tensor: Tensor { Tensor(shape: shape, data: value) }

    /// Sets the gradient to zero (keeps its storage).
    public func zeroGrad() {
        for i in grad.indices { grad[i] = 0 }
    }
}

extension Array where Element == Parameter {
    /// The total number of values in these parameters.
    public var totalCount: Int { reduce(0) { $0 + $1.count } }

    /// Zeroes every gradient.
    public func zeroGrad() {
        for p in self { p.zeroGrad() }
    }
}
