import NN

/// What an Adam variant keeps per tensor and how it updates that tensor — separated from
/// *where* the state lives, so the same rule runs with states in ordinary arrays
/// (`AdamOptimizer`) or in simulated pages that come and go (`PagedAdam`).
///
/// `encode`/`decode` give the state's bytes in a fixed layout: what a memory page holds.
/// `decode(encode(s), count:)` must give back `s` exactly (tested), which is what lets the
/// paging tests demand bit-identical parameters.
public protocol AdamRule: Sendable {
    associatedtype State
    var hyperparameters: AdamHyperparameters { get }
    /// The state before the first step, for a tensor of `count` values.
    func initialState(count: Int) -> State
    /// One step (t ≥ 1) of `parameter` from its current `grad`.
    func update(_ parameter: Parameter, state: inout State, step: Int)
    /// Bytes the state of a `count`-value tensor occupies.
    func stateBytes(count: Int) -> Int
    func encode(_ state: State) -> [UInt8]
    func decode(_ bytes: [UInt8], count: Int) -> State
}

/// Adam's two moments in float32.
///
/// ```
/// m: [count] Float   first moment (running mean of g)
/// v: [count] Float   second moment (running mean of g²)
/// bytes: m then v, little-endian float32 — 8 bytes per parameter
/// ```
public struct FullPrecisionAdamState: Equatable, Sendable {
    public var m: [Float]
    public var v: [Float]

    public init(count: Int) {
        m = [Float](repeating: 0, count: count)
        v = [Float](repeating: 0, count: count)
    }

    public init(m: [Float], v: [Float]) {
        precondition(m.count == v.count, "Adam state: m and v differ in length")
        self.m = m
        self.v = v
    }

    public var bytes: [UInt8] { StateBytes.encode(m) + StateBytes.encode(v) }

    public init(bytes: [UInt8], count: Int) {
        precondition(
            bytes.count == 8 * count, "Adam state: \(bytes.count) bytes for \(count) values")
        m = StateBytes.decodeFloats(bytes[0..<(4 * count)])
        v = StateBytes.decodeFloats(bytes[(4 * count)...])
    }
}

/// AdamW with float32 states: `torch.optim.AdamW`, bitsandbytes' `AdamW` with
/// `optim_bits=32`. 8 bytes of state per parameter.
public struct AdamW32Rule: AdamRule {
    public let hyperparameters: AdamHyperparameters

    public init(_ hyperparameters: AdamHyperparameters = AdamHyperparameters()) {
        self.hyperparameters = hyperparameters
    }

    public func initialState(count: Int) -> FullPrecisionAdamState {
        FullPrecisionAdamState(count: count)
    }

    public func update(_ parameter: Parameter, state: inout FullPrecisionAdamState, step: Int) {
        AdamUpdate.apply(
            parameter: &parameter.value, gradient: parameter.grad, m: &state.m, v: &state.v,
            step: step, hyperparameters)
    }

    public func stateBytes(count: Int) -> Int { 8 * count }
    public func encode(_ state: FullPrecisionAdamState) -> [UInt8] { state.bytes }
    public func decode(_ bytes: [UInt8], count: Int) -> FullPrecisionAdamState {
        FullPrecisionAdamState(bytes: bytes, count: count)
    }
}

/// Float32 and byte arrays, both ways, little-endian (every platform Swift runs LowBit on).
enum StateBytes {
    static func encode(_ values: [Float]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(4 * values.count)
        for x in values {
            let bits = x.bitPattern
            out += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                    UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        return out
    }

    static func decodeFloats(_ bytes: ArraySlice<UInt8>) -> [Float] {
        precondition(bytes.count % 4 == 0, "float32 bytes must come in fours")
        var out = [Float]()
        out.reserveCapacity(bytes.count / 4)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let bits = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
                | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            out.append(Float(bitPattern: bits))
            i += 4
        }
        return out
    }
}
