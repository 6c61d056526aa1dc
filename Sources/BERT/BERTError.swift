/// Why a BERT model folder, a sentence or a conversion was refused. The description is the
/// one line the CLI prints after `error: `.
public enum BERTError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case badConfig(String)
    case badVocabulary(String)
    case badTensor(String)
    /// A batch the encoder cannot run (an id outside the vocabulary, too many positions).
    case badInput(String)

    public var description: String {
        switch self {
        case .missingFile(let path): return "\(path): no such file (is this a BERT model folder?)"
        case .badConfig(let why): return why
        case .badVocabulary(let why): return "vocab.txt: \(why)"
        case .badTensor(let why): return "model.safetensors: \(why)"
        case .badInput(let why): return why
        }
    }
}
