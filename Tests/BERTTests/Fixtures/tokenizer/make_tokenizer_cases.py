"""Writes tokenizer_cases.json: tricky sentences and the ids Hugging Face's tokenizers give them.

Run with a venv holding transformers and tokenizers (versions are recorded in the output):

    python make_tokenizer_cases.py ~/.cache/lowbit/all-MiniLM-L6-v2 tokenizer_cases.json

Three tokenizers see every sentence:
  fast   - transformers.BertTokenizer.from_pretrained(folder) (transformers 5: the Rust
           `tokenizers` backend reading tokenizer.json), called as sentence-transformers calls
           it: truncation=True, max_length=256. Its ids are the fixture's `ids`.
  rust   - tokenizers.Tokenizer.from_file(tokenizer.json) with truncation at 256 and no padding
           (tokenizer.json itself says 128 and pads to 128; sentence-transformers overrides it).
  legacy - transformers' pure-Python BertTokenizerLegacy(vocab.txt), the original BERT code
           (BasicTokenizer + WordpieceTokenizer), truncation at 256.
Where legacy or rust disagree with fast, the case records `legacyIds` / `rustIds`.
"""
import json
import sys

import tokenizers
import transformers
from transformers import BertTokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

MAX_LENGTH = 256  # sentence_bert_config.json max_seq_length

SENTENCES = [
    # the reference sentences (README group J)
    "This is an example sentence.",
    "Each sentence is converted to a vector.",
    "Hello World! 123 café",
    # empty and whitespace only
    "",
    "   \t\n  ",
    # accents: precomposed, decomposed (e + U+0301), capitals, Nordic letters
    "Café déjà vu, naïve façade",
    "Cre\u0300me bru\u0302le\u0301e a\u0300 l'E\u0301lyse\u0301e",
    "CRÈME BRÛLÉE À L'ÉLYSÉE",
    "Åsa Ørsted, Ångström and Łódź",
    "Zoë's résumé: piñata, jalapeño, Müller",
    # CJK ideographs (each its own word), kana, Hangul (NFD splits syllables into jamo)
    "我爱自然语言处理",
    "BERT模型很好用。",
    "日本語のテキストとカタカナ",
    "한국어 문장입니다",
    "中文,English混合mixed文本",
    # punctuation runs and unusual ASCII punctuation
    "Wait... what?!?! No way!!!",
    "--==**##**==--",
    "(a)[b]{c}<d>",
    "$100 + 50% = ^_^ `code` ~tilde~ |pipe| back\\slash",
    "e-mail: john.doe@example.com; url: https://example.org/a?b=c&d=e#frag",
    "\u201cSmart quotes\u201d and \u2018single\u2019 \u2014 dashes \u2013 and ellipsis\u2026",
    "¿Qué? ¡Olé! «guillemets» „low quotes\u201c",
    "don't can't won't y'all",
    "U.S.A. vs. Mr. O'Neil at 5 p.m.",
    # emoji and other symbols (So: not punctuation, mostly not in the vocabulary)
    "I love 🍕 and 🎉!",
    "👍🏽 family 👨\u200d👩\u200d👧 flags 🇫🇷🇩🇪",
    "pizza🍕party",
    "© ® ™ ° ± × ÷ § ¶ † ‡ • ★ ♥ → ∞ ≠ ≤",
    # control and format characters, exotic whitespace
    "tab\there\nnewline\r\nreturn",
    "null\u0000char and bell\u0007 and escape\u001b[0m",
    "replacement \ufffd char",
    "zero\u200bwidth space and soft\u00adhyphen",
    "no\u00a0break\u2003em\u3000ideographic space",
    "line\u2028separator and paragraph\u2029separator",
    "next\u0085line and \u000bvertical \u000cform feed",
    "\ufeffbyte order mark",
    # long words: exactly 100 characters, 101 characters, real long words
    "ab" * 50,
    "ab" * 50 + "c",
    "a" * 150 + " short",
    "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "antidisestablishmentarianism UNAFFABLE unaffable",
    # longer than 256 tokens (truncated to 254 pieces + [CLS] + [SEP])
    "The quick brown fox jumps over the lazy dog. " * 30,
    "word " * 300,
    "tokenization " * 120,
    # digits and number-like things
    "3.14159 1,000,000 007 2024-01-01 12:30pm",
    "1e10 0x1F 3/4 ½ ² ³ ① Ⅻ ٣ ४",
    "１２３ ＨＥＬＬＯ full-width ！",
    # other scripts
    "Привет, мир! Hello",
    "Γειά σου Κόσμε ΟΔΟΣ σοφός",
    "שלום עולם مرحبا بالعالم",
    "हिन्दी भाषा बोलें",
    "ภาษาไทย ง่าย",
    "Türkçe İstanbul ıI",
    "Straße GROSS ß ẞ",
    "ﬁne ﬂour ﬀ ligatures",
    "Ǆ digraph Ǳ and Kelvin \u212a and Ohm \u2126",
    "𝐁𝐨𝐥𝐝 math 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 ℌ",
    "Ⓐ circled ⓑ",
    # special tokens written in the text
    "[CLS] [SEP] [MASK] [UNK] [PAD] literal",
    "[cls] lowercase [mask]",
    "x[MASK]y",
    # a word with an unmatched piece is one [UNK]
    "xyz🦀abc rustacean",
    "Ꭰ Cherokee ᚠ runes",
]


def main():
    folder, out = sys.argv[1], sys.argv[2]
    fast = BertTokenizer.from_pretrained(folder)
    legacy = BertTokenizerLegacy(vocab_file=f"{folder}/vocab.txt", do_lower_case=True)
    rust = tokenizers.Tokenizer.from_file(f"{folder}/tokenizer.json")
    rust.no_padding()
    rust.enable_truncation(max_length=MAX_LENGTH)
    cases = []
    disagreements = {"legacy": 0, "rust": 0}
    for sentence in SENTENCES:
        ids = fast(sentence, truncation=True, max_length=MAX_LENGTH)["input_ids"]
        case = {"sentence": sentence, "ids": ids, "tokens": fast.convert_ids_to_tokens(ids)}
        legacy_ids = legacy(sentence, truncation=True, max_length=MAX_LENGTH)["input_ids"]
        rust_ids = rust.encode(sentence).ids
        if legacy_ids != ids:
            case["legacyIds"] = legacy_ids
            disagreements["legacy"] += 1
        if rust_ids != ids:
            case["rustIds"] = rust_ids
            disagreements["rust"] += 1
        cases.append(case)
    document = {
        "producedBy": "make_tokenizer_cases.py",
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "maxLength": MAX_LENGTH,
        "disagreements": disagreements,
        "cases": cases,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(len(cases), "cases;", "disagreements:", disagreements)


main()
