import Core

/// One dense layer of the encoder, y = x Wᵀ + b with x of shape [rows, in] and y of shape
/// [rows, out]. The encoder holds its 6 × L dense layers through this protocol, so any
/// quantization scheme of the book can be swapped in for one layer or all of them
/// (bitsandbytes does the same by replacing `torch.nn.Linear` modules with `Linear8bitLt` or
/// `Linear4bit`; Dettmers et al. 2022, arXiv:2208.07339, §3.3).
public protocol EncoderLinear: Sendable {
    var inFeatures: Int { get }
    var outFeatures: Int { get }
    func forward(_ x: Tensor) -> Tensor
}

/// The float32 layer the checkpoint holds.
public struct FloatLinear: EncoderLinear {
    /// [out, in], as PyTorch stores it.
    public let weight: Tensor
    public let bias: [Float]

    public init(weight: Tensor, bias: [Float]) {
        precondition(weight.rank == 2 && bias.count == weight.shape[0], "weight [out, in], bias [out]")
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public func forward(_ x: Tensor) -> Tensor {
        let rows = x.count / inFeatures
        let y = Matmul.productTransposingB(
            x.data, weight.data, m: rows, k: inFeatures, n: outFeatures, bias: bias)
        return Tensor(shape: [rows, outFeatures], data: y)
    }
}
