import Blockwise8
import Core
import NN

/// Adam's two moments stored blockwise in 8 bits, as bitsandbytes' blockwise optimizers keep
/// them (`state1`, `state2`, `absmax1`, `absmax2`, `qmap1`, `qmap2`).
///
/// ```
/// firstMoment.codes:    [count] UInt8  index into the SIGNED dynamic map (m can be < 0)
/// firstMoment.absmax:   [⌈count/256⌉] Float, one per block of 256
/// secondMoment.codes:   [count] UInt8  index into the UNSIGNED dynamic map (v ≥ 0)
/// secondMoment.absmax:  [⌈count/256⌉] Float
/// m̂[i] = signed[codes₁[i]] · absmax₁[i/256],   v̂[i] = unsigned[codes₂[i]] · absmax₂[i/256]
/// bytes: codes₁, codes₂, absmax₁ (float32 LE), absmax₂ — 2 + 8/256 bytes per parameter
/// ```
///
/// Before the first step every code is 0 and every absmax 0, as bitsandbytes initialises
/// them, so both moments dequantize to zero (code 0 of the signed map is −0.99297; times 0 it
/// is −0, which adds like 0).
///
/// Why an unsigned map for v: v is never negative, so spending half the 256 codes on
/// negative values would waste a bit of precision; the unsigned map puts all of them on [0, 1].
public struct BlockwiseAdamState: Equatable, Sendable {
    public static let blockSize = 256
    public var firstMoment: QuantizedBlockwise8
    public var secondMoment: QuantizedBlockwise8

    /// The initial state: all codes 0, all absmax 0.
    public init(count: Int) {
        let codes = [UInt8](repeating: 0, count: count)
        let absmax = [Float](repeating: 0, count: (count + Self.blockSize - 1) / Self.blockSize)
        firstMoment = Self.stored(DynamicMap.signed, codes, absmax)
        secondMoment = Self.stored(DynamicMap.unsigned, codes, absmax)
    }

    public init(firstMoment: QuantizedBlockwise8, secondMoment: QuantizedBlockwise8) {
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// Quantizes m and v with fresh per-block absmax: m with the signed map, v with the unsigned.
    public static func quantized(m: [Float], v: [Float]) -> BlockwiseAdamState {
        BlockwiseAdamState(
            firstMoment: quantize(m, code: DynamicMap.signed),
            secondMoment: quantize(v, code: DynamicMap.unsigned))
    }

    /// Blockwise8's quantizer with blocks of 256. `.propagate` does what bitsandbytes does with
    /// a NaN or ∞ (the block's state turns NaN; training has diverged anyway) instead of
    /// trapping inside an optimizer step.
    static func quantize(_ x: [Float], code: [Float]) -> QuantizedBlockwise8 {
        do {
            return try BlockwiseQuantizer8.quantize(
                x, blockSize: blockSize, code: code, nonFinite: .propagate)
        } catch {
            preconditionFailure("block size 256 and the dynamic maps are always valid: \(error)")
        }
    }

    /// Reassembles stored codes and absmax (initial state, decoded pages).
    static func stored(_ code: [Float], _ codes: [UInt8], _ absmax: [Float])
        -> QuantizedBlockwise8
    {
        do {
            return try QuantizedBlockwise8(
                shape: [codes.count], blockSize: blockSize, code: code, codes: codes,
                absmax: absmax)
        } catch {
            preconditionFailure("inconsistent 8-bit Adam state: \(error)")
        }
    }

    public var count: Int { firstMoment.count }

    public var bytes: [UInt8] {
        firstMoment.codes + secondMoment.codes
            + StateBytes.encode(firstMoment.absmax) + StateBytes.encode(secondMoment.absmax)
    }

    public init(bytes: [UInt8], count: Int) {
        let blocks = (count + Self.blockSize - 1) / Self.blockSize
        precondition(
            bytes.count == 2 * count + 8 * blocks,
            "8-bit Adam state: \(bytes.count) bytes for \(count) values")
        let absmax1 = (2 * count)..<(2 * count + 4 * blocks)
        let absmax2 = absmax1.upperBound..<bytes.count
        firstMoment = Self.stored(
            DynamicMap.signed, Array(bytes[0..<count]), StateBytes.decodeFloats(bytes[absmax1]))
        secondMoment = Self.stored(
            DynamicMap.unsigned, Array(bytes[count..<(2 * count)]),
            StateBytes.decodeFloats(bytes[absmax2]))
    }
}

/// Adam with 8-bit blockwise states, as `bitsandbytes.optim.Adam8bit` / `AdamW8bit`: tensors
/// with at least `min8BitSize` values get `BlockwiseAdamState`, smaller ones float32 states.
public struct Adam8bitRule: AdamRule {
    public enum State: Equatable, Sendable {
        case fullPrecision(FullPrecisionAdamState)
        case blockwise(BlockwiseAdamState)
    }

    public let hyperparameters: AdamHyperparameters
    /// bitsandbytes' `min_8bit_size`: smaller tensors keep 32-bit states.
    public let min8BitSize: Int

    public init(
        _ hyperparameters: AdamHyperparameters = AdamHyperparameters(), min8BitSize: Int = 4096
    ) {
        self.hyperparameters = hyperparameters
        self.min8BitSize = min8BitSize
    }

    public func usesBlockwiseState(count: Int) -> Bool { count >= min8BitSize }

    public func initialState(count: Int) -> State {
        usesBlockwiseState(count: count)
            ? .blockwise(BlockwiseAdamState(count: count))
            : .fullPrecision(FullPrecisionAdamState(count: count))
    }

    public func update(_ parameter: Parameter, state: inout State, step: Int) {
        switch state {
        case .fullPrecision(var s):
            AdamUpdate.apply(
                parameter: &parameter.value, gradient: parameter.grad, m: &s.m, v: &s.v, step: step,
                hyperparameters)
            state = .fullPrecision(s)
        case .blockwise(var s):
            Self.step8bit(
                parameter: &parameter.value, gradient: parameter.grad, state: &s, step: step,
                hyperparameters)
            state = .blockwise(s)
        }
    }

    /// One 8-bit Adam step (Dettmers et al. 2022, §2.3; bitsandbytes' CPU kernel), in this order:
    ///
    /// ```
    /// m, v  = the two moments dequantized to float32       (QuantizedBlockwise8.dequantize)
    /// p, m, v updated in float32 exactly as 32-bit AdamW   (AdamUpdate.apply, its roundings)
    /// state = m and v requantized with fresh block absmax  (BlockwiseAdamState.quantized:
    ///         m with the signed dynamic map, v with the unsigned one)
    /// ```
    ///
    /// The states then match bitsandbytes bit for bit; any other arithmetic for the update
    /// (another formula, another order of the same operations) moves values by an ulp.
    public static func step8bit(
        parameter p: inout [Float], gradient g: [Float], state: inout BlockwiseAdamState,
        step t: Int, _ h: AdamHyperparameters
    ) {
        // BEGIN EXERCISE 5c — one 8-bit Adam step
        var m = state.firstMoment.dequantize()
        var v = state.secondMoment.dequantize()
        AdamUpdate.apply(parameter: &p, gradient: g, m: &m, v: &v, step: t, h)
        state = BlockwiseAdamState.quantized(m: m, v: v)
        // END EXERCISE 5c
    }

    public func stateBytes(count: Int) -> Int {
        usesBlockwiseState(count: count)
            ? OptimizerMemory.blockwise8BitBytes(count: count) : 8 * count
    }

    public func encode(_ state: State) -> [UInt8] {
        switch state {
        case .fullPrecision(let s): s.bytes
        case .blockwise(let s): s.bytes
        }
    }

    public func decode(_ bytes: [UInt8], count: Int) -> State {
        usesBlockwiseState(count: count)
            ? .blockwise(BlockwiseAdamState(bytes: bytes, count: count))
            : .fullPrecision(FullPrecisionAdamState(bytes: bytes, count: count))
    }
}
