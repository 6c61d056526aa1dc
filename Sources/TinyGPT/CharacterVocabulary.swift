/// A character-level tokenizer: each character of a fixed alphabet is one token id
/// (nanoGPT's `shakespeare_char`, whose `stoi`/`itos` tables are exactly this).
///
/// ```
/// alphabet: [V] Character, in id order      id(c) = index of c in the alphabet
/// ```
///
/// Both of the project's text domains are written over the same alphabet, so one model (and
/// one embedding table) serves both, and fine-tuning never meets an unknown character.
public struct CharacterVocabulary: Equatable, Sendable {
    /// The characters, in id order.
    public let characters: [Character]
    private let ids: [Character: Int]

    /// The alphabet both domains use: space, comma, full stop and the 26 lowercase letters.
    public static let standard = CharacterVocabulary(" ,.abcdefghijklmnopqrstuvwxyz")

    public init(_ alphabet: String) {
        characters = Array(alphabet)
        var ids: [Character: Int] = [:]
        for (i, c) in characters.enumerated() {
            precondition(ids[c] == nil, "CharacterVocabulary: \(c) occurs twice in the alphabet")
            ids[c] = i
        }
        precondition(!characters.isEmpty, "CharacterVocabulary: empty alphabet")
        self.ids = ids
    }

    public static func == (a: CharacterVocabulary, b: CharacterVocabulary) -> Bool { a.characters == b.characters }

    /// V, the number of token ids.
    public var count: Int { characters.count }

    /// The alphabet as one string (stored in checkpoints).
    public var alphabet: String { String(characters) }

    /// True when every character of `text` has an id.
    public func covers(_ text: String) -> Bool { text.allSatisfy { ids[$0] != nil } }

    /// The id of every character; a character outside the alphabet is a programming error.
    public func encode(_ text: String) -> [Int] {
        text.map { c in
            guard let id = ids[c] else {
                preconditionFailure("CharacterVocabulary: \(c.debugDescription) is not in the alphabet")
            }
            return id
        }
    }

    /// The characters of `tokens`.
    public func decode(_ tokens: [Int]) -> String {
        String(tokens.map { id in
            precondition(id >= 0 && id < count, "CharacterVocabulary: id \(id) outside 0..<\(count)")
            return characters[id]
        })
    }
}
