/// Sentences of different lengths as one rectangular batch: each row padded on the right with
/// [PAD] (id 0) to the longest, and a mask telling real tokens from padding — what
/// sentence-transformers' `model.preprocess` hands the encoder (`input_ids`,
/// `attention_mask`; token types are all 0 for single sentences and not stored).
///
/// ```
/// ids:     [count][length]   row b = sentence b's ids, then paddingID up to `length`
/// lengths: [count]           real tokens of row b: positions 0 ..< lengths[b]
/// mask(b, t) = t < lengths[b]   (Hugging Face's attention_mask: 1 real, 0 padding)
/// ```
public struct TokenBatch: Equatable, Sendable {
    public let ids: [Int]
    public let lengths: [Int]
    /// Tokens per row, padding included.
    public let length: Int

    /// Pads `sequences` to the longest of them, or to `paddedLength` when given (which must
    /// be at least that long: extra padding must not change any result, and tests check it).
    public init(_ sequences: [[Int]], paddingID: Int = 0, paddedLength: Int? = nil) {
        let longest = sequences.map(\.count).max() ?? 0
        let length = max(longest, paddedLength ?? 0)
        var ids: [Int] = []
        ids.reserveCapacity(sequences.count * length)
        for sequence in sequences {
            ids.append(contentsOf: sequence)
            ids.append(contentsOf: repeatElement(paddingID, count: length - sequence.count))
        }
        self.ids = ids
        self.lengths = sequences.map(\.count)
        self.length = length
    }

    /// Sentences in the batch.
    public var count: Int { lengths.count }

    /// Real tokens over all rows.
    public var realTokenCount: Int { lengths.reduce(0, +) }

    /// True for a real token, false for padding (the attention mask).
    public func isReal(_ sentence: Int, _ position: Int) -> Bool { position < lengths[sentence] }

    /// Row b's real ids.
    public func sequence(_ sentence: Int) -> ArraySlice<Int> {
        ids[(sentence * length)..<(sentence * length + lengths[sentence])]
    }
}
