import Core

/// A fully connected layer in the `torch.nn.Linear` layout: y = x · Wᵀ + b.
///
/// ```
/// x: [rows][in]      rows = every leading dimension of the input folded together
/// W: [out][in]       weight, one row per output feature (PyTorch's layout)
/// b: [out]           optional bias
/// y: [rows][out]     y[r][o] = Σᵢ x[r][i] · W[o][i] + b[o]
/// ```
///
/// Backward, for dL/dy given (the derivation is one line per term — each y[r][o] touches
/// W[o][i] once, through x[r][i]):
///
/// ```
/// dx = dy · W          dx[r][i]  = Σₒ dy[r][o] · W[o][i]
/// dW += dyᵀ · x        dW[o][i] += Σᵣ dy[r][o] · x[r][i]
/// db += Σᵣ dy[r]       db[o]    += Σᵣ dy[r][o]
/// ```
///
/// A frozen parameter (`isTrainable == false`, e.g. the base weight under a LoRA adapter)
/// receives no gradient: optimizers skip it, so computing dW for it would be wasted work.
///
/// Initialisation follows PyTorch's default for `nn.Linear`: W and b uniform in
/// [−1/√in, 1/√in) (Kaiming-uniform with a = √5 works out to exactly this bound), drawn from
/// our own seeded generator, so the numbers differ from PyTorch's but not their distribution.
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    /// W: [out][in].
    public let weight: Parameter
    /// b: [out], or nil for a layer without bias.
    public let bias: Parameter?

    /// Cache for backward: the input x, [rows][in], and its shape.
    private var input: Tensor?

    public init(inFeatures: Int, outFeatures: Int, bias hasBias: Bool = true, name: String, rng: inout SeededRNG) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear \(name): features must be positive")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = 1 / Double(inFeatures).squareRoot()
        weight = Parameter(
            name: name + ".weight", shape: [outFeatures, inFeatures],
            value: rng.uniformFloats(outFeatures * inFeatures, -bound, bound))
        bias = hasBias
            ? Parameter(
                name: name + ".bias", shape: [outFeatures], value: rng.uniformFloats(outFeatures, -bound, bound))
            : nil
    }

    /// A layer with the given weight ([out][in]) and optional bias ([out]).
    public init(weight: Parameter, bias: Parameter?) {
        precondition(weight.shape.count == 2, "Linear: weight \(weight.name) must be out × in, got \(weight.shape)")
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        if let bias { precondition(bias.shape == [outFeatures], "Linear: bias \(bias.name) must be [\(outFeatures)]") }
        self.weight = weight
        self.bias = bias
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(
            x.cols == inFeatures,
            "Linear \(weight.name): input has \(x.cols) features, expected \(inFeatures)")
        input = x
        // y = x · Wᵀ, then y[r][o] += b[o] — the tiled kernel adds the bias to each finished
        // sum before storing it (the same one addition per output as a separate loop).
        let y = Matmul.productTransposingB(
            x.data, weight.value, m: x.rows, k: inFeatures, n: outFeatures, bias: bias?.value)
        return Tensor(shape: Array(x.shape.dropLast()) + [outFeatures], data: y)
    }

    /// dL/dx for dL/dy ([rows][out]), accumulating dW and db (see the formulas above).
    ///
    /// Every sum runs in one prescribed order — the order of `Matmul`'s kernels, on which the
    /// chapters' printed numbers depend bit for bit: dW[o][i] and db[o] add their terms one at
    /// a time onto the gradient already there, for r = 0, 1, … in order; dx[r][i] starts from 0
    /// and adds dy[r][o] · W[o][i] for o = 0, 1, … in order. A frozen weight or bias
    /// (`isTrainable == false`) is left untouched.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Linear \(weight.name): backward called before forward") }
        precondition(dy.rows == x.rows && dy.cols == outFeatures, "Linear \(weight.name): dy has shape \(dy.shape)")
        // BEGIN EXERCISE 6a — Linear backward
        let rows = x.rows
        // dW += dyᵀ · x: dy is [rows][out], so dyᵀ is [out][rows]; x is [rows][in].
        // A frozen weight (a LoRA base, isTrainable == false) gets no gradient: no optimizer
        // reads it, and skipping it saves half of the layer's backward multiply-adds.
        if weight.isTrainable {
            Matmul.accumulateTransposingA(into: &weight.grad, dy.data, x.data, m: outFeatures, k: rows, n: inFeatures)
        }
        // db += the column sums of dy (through a buffer pointer: indexing `bias.grad` directly
        // would pay a runtime exclusivity check per element).
        if let bias, bias.isTrainable {
            bias.grad.withUnsafeMutableBufferPointer { db in
                for r in 0..<rows {
                    for o in 0..<outFeatures { db[o] += dy.data[r * outFeatures + o] }
                }
            }
        }
        // dx = dy · W: [rows][out] · [out][in].
        let dx = Matmul.product(dy.data, weight.value, m: rows, k: outFeatures, n: inFeatures)
        return Tensor(shape: x.shape, data: dx)
        // END EXERCISE 6a
    }
}
