import BERT
import Core
import Foundation

/// Chapter 12's sweep: every dense layer of the encoder (6 per layer, 36 in MiniLM) replaced
/// by one scheme, and what that does to the sentence embeddings.
///
/// ```
/// for each scheme:
///     quantized = encoder with every dense layer quantized     (quantizedEncoder)
///     bytes     = the Linears' stored bits / 8 + everything else in float32
///     cosine    = mean and minimum over BERTSweepSentences.evaluation of cos(ê, e)
///     top-1     = BERTSweepMetrics.agreement on BERTSweepSentences.retrieval
/// ```
///
/// GPTQ and AWQ are calibrated **sequentially**, as GPTQ's `opt_sequential` does
/// (Frantar et al. 2022, §5: "on the inputs of the already quantized blocks"): layer l's
/// calibration rows are what its dense layers read on `BERTSweepSentences.calibration` when
/// layers 0 … l−1 are already quantized; inside a layer all six read the rows of one pass
/// before any of them is quantized (the reference hooks a whole block, runs it once, then
/// quantizes). Padding rows are never calibration rows. AWQ's reference feeds the next block
/// the *float* block's output instead (`run_awq` quantizes nothing while it searches); we use
/// the same sequential inputs for both, a simplification we name.
public enum BERTSchemeSweep {

    /// One scheme's line of the table.
    public struct Row: Sendable {
        /// "fp32" or the scheme's name.
        public let label: String
        /// Stored bits of all dense-layer weights.
        public let linearBits: Int
        /// Weights in the dense layers (MiniLM: 6 · (4 · 384² + 2 · 384 · 1536) = 10 616 832).
        public let linearWeights: Int
        /// The whole encoder: the dense layers as stored + every other parameter (embeddings,
        /// LayerNorms, biases) as float32.
        public let modelBytes: Int
        public let meanCosine: Double
        public let minCosine: Double
        /// Queries whose nearest candidate is fp32's, of `queries`.
        public let agreement: Int
        public let queries: Int
        /// Wall-clock seconds to quantize (calibration included).
        public let seconds: Double

        public var bitsPerWeight: Double { Double(linearBits) / Double(linearWeights) }
    }

    /// `encoder` with every dense layer quantized by `scheme`, and the dense layers' stored
    /// bits. GPTQ and AWQ read `calibration` (tokenized by `tokenizer`) layer by layer, as
    /// described above; the data-free schemes ignore it. Throws for a layer that is not a
    /// float layer or that its scheme refuses.
    public static func quantizedEncoder(
        _ encoder: BERTEncoder, tokenizer: BERTTokenizer, scheme: BERTQuantizationScheme,
        calibration: [String] = BERTSweepSentences.calibration
    ) throws -> (encoder: BERTEncoder, linearBits: Int) {
        guard scheme.needsCalibration else {
            var bits = 0
            let quantized = try encoder.replacingLinears { name, linear in
                let q = try BERTQuantization.quantize(try floatLinear(linear, name), scheme: scheme)
                bits += q.storedBits
                return q
            }
            return (quantized, bits)
        }
        let batch = TokenBatch(calibration.map(tokenizer.encode), paddingID: tokenizer.paddingID)
        var current = encoder
        var bits = 0
        for l in 0..<encoder.config.layerCount {
            let names = Set(BERTLinearSlot.allCases.map { $0.name(layer: l) })
            let inputs = try current.linearInputs(batch, names: names)
            var replaced: [String: any QuantizedEncoderLinear] = [:]
            func input(_ slot: BERTLinearSlot) throws -> Tensor {
                guard let x = inputs[slot.name(layer: l)] else {
                    throw BERTQuantizationError.needsCalibration(scheme)
                }
                return x
            }
            func float(_ slot: BERTLinearSlot) throws -> FloatLinear {
                let name = slot.name(layer: l)
                return try floatLinear(current.linear(named: name), name)
            }
            if scheme == .gptq {
                for slot in BERTLinearSlot.allCases {
                    replaced[slot.name(layer: l)] = try BERTQuantization.gptq(
                        try float(slot), calibration: try input(slot))
                }
            } else {
                // AWQ's four groups of a BERT layer and where their 1/s would be folded.
                let groups: [([BERTLinearSlot], clip: Bool, free: Bool)] = [
                    ([.query, .key, .value], false, true),  // into the previous LayerNorm
                    ([.attentionOutput], true, true),  // into value's rows
                    ([.intermediate], true, true),  // into attention.output.LayerNorm
                    ([.output], true, false),  // after GELU: a ScaledActivation, stored
                ]
                for (slots, clip, free) in groups {
                    let layers = try BERTQuantization.awq(
                        try slots.map(float), calibration: try input(slots[0]), clip: clip,
                        scalesAreFree: free)
                    for (slot, q) in zip(slots, layers) { replaced[slot.name(layer: l)] = q }
                }
            }
            current = current.replacingLinears { name, linear in
                replaced[name].map { $0 as any EncoderLinear } ?? linear
            }
            bits += replaced.values.map(\.storedBits).reduce(0, +)
        }
        return (current, bits)
    }

    /// The table: fp32 first, then each scheme in `schemes`, all on the same sentences.
    /// `progress` hears each row as it is finished (a long sweep prints as it goes).
    public static func run(
        _ embedder: SentenceEmbedder, schemes: [BERTQuantizationScheme],
        progress: ((Row) -> Void)? = nil
    ) throws -> [Row] {
        let encoder = embedder.encoder
        let config = encoder.config
        let linearWeights = BERTLinearSlot.allCases.map { slot -> Int in
            let (o, i) = slot.shape(config)
            return o * i
        }.reduce(0, +) * config.layerCount
        let allFloats = BERTCheckpoint.expectedShapes(config).map { $0.1.reduce(1, *) }
            .reduce(0, +)
        let otherBytes = 4 * (allFloats - linearWeights)
        let queries = BERTSweepSentences.retrieval.map(\.query)
        let candidates = BERTSweepSentences.retrieval.map(\.candidate)
        func vectors(_ e: SentenceEmbedder, _ s: [String]) throws -> [[Float]] {
            let t = try e.embed(s)
            return (0..<s.count).map(t.row)
        }
        let reference = try vectors(embedder, BERTSweepSentences.evaluation)
        let referenceNearest = BERTSweepMetrics.nearest(
            queries: try vectors(embedder, queries), candidates: try vectors(embedder, candidates))

        func row(_ label: String, _ e: SentenceEmbedder, bits: Int, seconds: Double) throws -> Row {
            let cosines = zip(reference, try vectors(e, BERTSweepSentences.evaluation))
                .map { BERTSweepMetrics.cosine($0, $1) }
            let nearest = BERTSweepMetrics.nearest(
                queries: try vectors(e, queries), candidates: try vectors(e, candidates))
            let r = Row(
                label: label, linearBits: bits, linearWeights: linearWeights,
                modelBytes: otherBytes + bits / 8,
                meanCosine: cosines.reduce(0, +) / Double(cosines.count),
                minCosine: cosines.min() ?? 0,
                agreement: BERTSweepMetrics.agreement(nearest, referenceNearest),
                queries: queries.count, seconds: seconds)
            progress?(r)
            return r
        }
        var rows = [try row("fp32", embedder, bits: 32 * linearWeights, seconds: 0)]
        for scheme in schemes {
            let clock = ContinuousClock()
            let start = clock.now
            let (quantized, bits) = try quantizedEncoder(
                encoder, tokenizer: embedder.tokenizer, scheme: scheme)
            let elapsed = (clock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
            rows.append(
                try row(scheme.rawValue, embedder.with(encoder: quantized), bits: bits,
                        seconds: seconds))
        }
        return rows
    }

    /// The float layer behind `linear` (a sweep starts from the float encoder).
    static func floatLinear(_ linear: (any EncoderLinear)?, _ name: String) throws -> FloatLinear {
        guard let float = linear as? FloatLinear else {
            throw BERTQuantizationError.notFloat(name)
        }
        return float
    }
}
