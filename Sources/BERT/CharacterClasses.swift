/// The four character classes BERT's basic tokenizer sorts text by, one Unicode scalar at a
/// time (Devlin et al. 2018, the released `tokenization.py`; Hugging Face's `_is_control`,
/// `_is_whitespace`, `_is_punctuation`, `_is_chinese_char`, and the Rust `tokenizers`
/// `BertNormalizer` / `BertPreTokenizer`, which the model's `tokenizer.json` names).
///
/// ```
/// control      general category C* (Cc, Cf, Cs, Co, Cn), except \t \n \r   → dropped
/// whitespace   Unicode's White_Space property (space, \t \n \r, Zs, U+2028 …) → a space
/// punctuation  ASCII 33–47, 58–64, 91–96, 123–126, or general category P*  → a word of its own
/// CJK          the CJK Unified Ideographs blocks below                      → a word of its own
/// ```
///
/// A "character" here is a Unicode scalar (Python's `str` and Rust's `char`), never a Swift
/// `Character` (a grapheme cluster): "👨‍👩‍👧" is five scalars, and a decomposed "é" two.
/// The ASCII symbols `$ + < = > ^ \` | ~` are not Unicode punctuation (they are Sm/Sk/Sc) but
/// BERT splits them off all the same, "for consistency" as its source says.
enum CharacterClass {
    /// True for scalars the cleaning step deletes outright (NUL, U+FFFD, and control or format
    /// characters such as U+0007 bell, U+200B zero-width space, U+00AD soft hyphen, U+FEFF).
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar)
    }

    /// General category C*, except tab, newline and carriage return (which count as spaces).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// Unicode's White_Space property: what Rust's `char::is_whitespace` (the fast tokenizer)
    /// and Python's `str.split()` (the final whitespace split of the original code) both split
    /// on. It includes U+2028/U+2029 (line and paragraph separators), which are not Zs.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// ASCII non-alphanumeric symbols and every Unicode punctuation category (Pc Pd Ps Pe Pi
    /// Pf Po).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v)
            || (123...126).contains(v)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks (and their extensions A–E and compatibility blocks).
    /// Hiragana, katakana and Hangul are not in them: those scripts separate words with spaces,
    /// so BERT leaves them to the whitespace split.
    static let cjkRanges: [ClosedRange<UInt32>] = [
        0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
        0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F,
    ]

    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        cjkRanges.contains { $0.contains(scalar.value) }
    }
}
