import Core
import NN

/// Text generation, one character at a time (nanoGPT's `generate`).
///
/// ```
/// context = the last ≤ contextLength ids
/// p       = softmax(logits[last position] / temperature)
/// next    = argmax p                     (temperature 0: greedy)
///         | the first id whose cumulative p exceeds u ~ U[0, 1) from SeededRNG
/// ```
///
/// Each step reruns the whole window — no key/value cache. For the few hundred characters a
/// chapter prints that costs well under a second, and keeps the model's code one path.
extension TinyGPTModel {
    /// `count` new characters after `prompt` (which must be non-empty and in the alphabet).
    /// Temperature 0 picks the most likely character (ties: the smallest id); otherwise
    /// characters are drawn from `rng`, so a seed fixes the text.
    public func generate(
        prompt: String, count: Int, vocabulary: CharacterVocabulary, temperature: Double = 1,
        rng: inout SeededRNG
    ) -> String {
        precondition(vocabulary.count == config.vocabularySize, "generate: vocabulary size differs from the model's")
        precondition(!prompt.isEmpty && temperature >= 0, "generate: need a prompt and a temperature ≥ 0")
        var ids = vocabulary.encode(prompt)
        for _ in 0..<count {
            let window = Array(ids.suffix(config.contextLength))
            let logits = forward(window, batchSize: 1, time: window.count)
            let last = logits.row(window.count - 1)
            ids.append(Self.pick(from: last, temperature: temperature, rng: &rng))
        }
        return vocabulary.decode(Array(ids.dropFirst(prompt.count)))
    }

    /// The next id from one row of logits [V].
    static func pick(from logits: [Float], temperature: Double, rng: inout SeededRNG) -> Int {
        if temperature == 0 {
            var best = 0
            for v in logits.indices where logits[v] > logits[best] { best = v }
            return best
        }
        let scaled = Tensor(shape: [1, logits.count], data: logits.map { Float(Double($0) / temperature) })
        let p = SoftmaxCrossEntropy.softmax(scaled).data
        let u = rng.uniform()
        var cumulative = 0.0
        for v in p.indices {
            cumulative += Double(p[v])
            if u < cumulative { return v }
        }
        return p.indices.last!  // u within rounding of 1
    }
}
