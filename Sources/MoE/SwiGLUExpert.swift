import Core
import NN

/// One expert: the SwiGLU feed-forward block of Mixtral (and LLaMA, Mistral), three bias-free
/// linear maps and the SiLU gate (Shazeer, "GLU Variants Improve Transformer", 2020, eq. 6;
/// transformers' `MixtralBlockSparseTop2MLP`: `w2(act_fn(w1(x)) * w3(x))`).
///
/// ```
/// x: [n][H]                     the tokens routed to this expert (a group, not the batch)
/// W1 ("gate_proj"): [I][H]      W3 ("up_proj"): [I][H]      W2 ("down_proj"): [H][I]
/// a = x · W1ᵀ,  b = x · W3ᵀ     [n][I]
/// h = silu(a) ⊙ b               silu(a) = a · σ(a),  σ(a) = 1 / (1 + e^−a)
/// y = h · W2ᵀ                   [n][H]
/// ```
///
/// Backward, for dL/dy given (the product rule splits the gradient between the two halves):
///
/// ```
/// dh = dy · W2                                dW2 += dyᵀ · h
/// da = dh ⊙ b ⊙ silu′(a)                      silu′(a) = σ(a) · (1 + a · (1 − σ(a)))
/// db = dh ⊙ silu(a)
/// dW1 += daᵀ · x    dW3 += dbᵀ · x            dx = da · W1 + db · W3
/// ```
///
/// transformers 5.x stores W1 and W3 of all experts stacked as one `gate_up_proj` [E][2I][H]
/// (rows 0..<I are W1) and W2 as `down_proj` [E][H][I]; `init(gateUpProj:downProj:)` reads
/// one expert out of that layout. σ is evaluated in Double and rounded to Float.
///
/// The layer is also the dense baseline of Chapter 8: a SwiGLU FFN with intermediate K · I has
/// as many parameters as the K experts a token actually uses.
public final class SwiGLUExpert: Layer {
    public let hidden: Int
    public let intermediate: Int
    /// W1, the gated half: [I][H].
    public let gate: Linear
    /// W3, the linear half: [I][H].
    public let up: Linear
    /// W2: [H][I].
    public let down: Linear

    /// Cache for backward: a and b, [n][I] each (x and h are cached by the Linear layers).
    private var a: [Float] = []
    private var b: [Float] = []

    /// Weights drawn as PyTorch's `nn.Linear` default, from our generator.
    public init(hidden: Int, intermediate: Int, name: String, rng: inout SeededRNG) {
        self.hidden = hidden
        self.intermediate = intermediate
        gate = Linear(inFeatures: hidden, outFeatures: intermediate, bias: false, name: name + ".w1", rng: &rng)
        up = Linear(inFeatures: hidden, outFeatures: intermediate, bias: false, name: name + ".w3", rng: &rng)
        down = Linear(inFeatures: intermediate, outFeatures: hidden, bias: false, name: name + ".w2", rng: &rng)
    }

    /// An expert with the given W1 [I][H], W3 [I][H] and W2 [H][I].
    public init(w1: Tensor, w3: Tensor, w2: Tensor, name: String) throws(MoEError) {
        guard w1.rank == 2, w1.shape == w3.shape, w2.shape == [w1.shape[1], w1.shape[0]] else {
            throw .shapeMismatch(
                "SwiGLU \(name): W1 \(w1.shape) and W3 \(w3.shape) must be I × H and W2 \(w2.shape) H × I")
        }
        intermediate = w1.shape[0]
        hidden = w1.shape[1]
        gate = Linear(weight: Parameter(name: name + ".w1", shape: w1.shape, value: w1.data), bias: nil)
        up = Linear(weight: Parameter(name: name + ".w3", shape: w3.shape, value: w3.data), bias: nil)
        down = Linear(weight: Parameter(name: name + ".w2", shape: w2.shape, value: w2.data), bias: nil)
    }

    /// Expert `index` of transformers 5.x's stacked layout: gateUpProj [E][2I][H], downProj [E][H][I].
    public convenience init(gateUpProj: Tensor, downProj: Tensor, index: Int, name: String) throws(MoEError) {
        guard gateUpProj.rank == 3, downProj.rank == 3, gateUpProj.shape[0] == downProj.shape[0],
            gateUpProj.shape[1] % 2 == 0, index >= 0, index < gateUpProj.shape[0]
        else {
            throw .shapeMismatch(
                "gate_up_proj \(gateUpProj.shape) / down_proj \(downProj.shape): "
                    + "expected [E][2I][H] and [E][H][I], expert \(index)")
        }
        let (i, h) = (gateUpProj.shape[1] / 2, gateUpProj.shape[2])
        let block = Array(gateUpProj.data[(index * 2 * i * h)..<((index + 1) * 2 * i * h)])
        let w1 = Tensor(shape: [i, h], data: Array(block[0..<(i * h)]))
        let w3 = Tensor(shape: [i, h], data: Array(block[(i * h)...]))
        let downCount = downProj.shape[1] * downProj.shape[2]
        let w2 = Tensor(
            shape: [downProj.shape[1], downProj.shape[2]],
            data: Array(downProj.data[(index * downCount)..<((index + 1) * downCount)]))
        try self.init(w1: w1, w3: w3, w2: w2, name: name)
    }

    public var parameters: [Parameter] { [gate.weight, up.weight, down.weight] }

    /// σ(a) in Double.
    @inline(__always)
    static func sigmoid(_ a: Float) -> Double { 1 / (1 + Math.exp(-Double(a))) }

    /// silu(a) = a · σ(a).
    public static func silu(_ a: Float) -> Float { Float(Double(a) * sigmoid(a)) }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == hidden, "SwiGLU: input has \(x.cols) features, expected \(hidden)")
        a = gate.forward(x).data
        b = up.forward(x).data
        var h = [Float](repeating: 0, count: a.count)
        for i in h.indices { h[i] = Self.silu(a[i]) * b[i] }
        return down.forward(Tensor(shape: Array(x.shape.dropLast()) + [intermediate], data: h))
    }

    /// dL/dx for dL/dy given; accumulates dW1, dW3 and dW2 (exercise 8c: the body after dh).
    ///
    /// The order of evaluation (the chapter's training reproduces bit for bit only with it):
    ///
    /// ```
    /// dh = down.backward(dy)                              dW2 += dyᵀ · h, dh = dy · W2
    /// per element, in Double:  s = sigmoid(a), silu = a · s, silu′ = s · (1 + a · (1 − s))
    ///                          da = Float(dh · b · silu′),  db = Float(dh · silu)     left to right
    /// dx = gate.backward(da), then dx[i] += up.backward(db)[i]
    /// ```
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(
            dy.cols == hidden && dy.rows * intermediate == a.count,
            "SwiGLU: backward before forward, or dy has shape \(dy.shape)")
        let dh = down.backward(dy)
        var da = [Float](repeating: 0, count: a.count)
        var db = [Float](repeating: 0, count: a.count)
        // BEGIN EXERCISE 8c — SwiGLU backward
        for i in a.indices {
            let s = Self.sigmoid(a[i])
            let silu = Double(a[i]) * s
            let siluPrime = s * (1 + Double(a[i]) * (1 - s))
            da[i] = Float(Double(dh.data[i]) * Double(b[i]) * siluPrime)
            db[i] = Float(Double(dh.data[i]) * silu)
        }
        let shape = dh.shape
        var dx = gate.backward(Tensor(shape: shape, data: da))
        let dxUp = up.backward(Tensor(shape: shape, data: db))
        for i in dx.data.indices { dx.data[i] += dxUp.data[i] }
        return dx
        // END EXERCISE 8c
    }
}
