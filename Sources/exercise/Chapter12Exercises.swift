/// Chapter 12 — a real transformer: all-MiniLM-L6-v2 (module BERT).
let chapter12Exercises: [Exercise] = [
    Exercise(
        id: "12a", title: "WordPiece's greedy longest match", section: "§12.1",
        file: "Sources/BERT/WordPiece.swift", suite: "Ex12a_WordPieceTests",
        teaches: "how BERT cuts a word into vocabulary pieces: the longest match at each start, ## after the first, one [UNK] if anything is left over",
        reading: "Devlin et al. 2018 §3 and google-research/bert tokenization.py WordpieceTokenizer; Wu et al. 2016 §4.1",
        difficulty: 1, needs: [],
        dependents: ["TokenizerTests", "EncoderReferenceTests", "Ex12c_MeanPoolingTests",
            "TokenizeCommandTests", "BatchingTests", "EncoderHookTests", "Ex12b_PaddingMaskTests",
            "BERTGGUFEncoderTests", "BERTGGUFLlamaCppTests", "BERTWholeModelTests",
            "EmbedCommandTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 12a): from start = 0: try scalars[start..<end] for end = count, count − 1, … (a "##" piece when start > 0); take the first that pieceID finds, continue at end; none at all → [unknownID].
            return [unknownID]
            """
        ],
        hint: """
            Walk the word left to right. At each start, try the longest candidate first — the
            whole rest of the word — and shorten it one scalar at a time until `pieceID(_:
            continuing:)` knows it; pass `continuing: start > 0`, because a piece inside a word
            is a different vocabulary entry ("##able") from the same letters at its start
            ("able"). Append the id and continue where the piece ended. If even one scalar
            matches nothing, the whole word becomes a single [UNK], not pieces plus [UNK].
            """),
    Exercise(
        id: "12b", title: "the attention padding mask", section: "§12.2",
        file: "Sources/BERT/PaddedSelfAttention.swift", suite: "Ex12b_PaddingMaskTests",
        teaches: "why a padded batch gives the same vectors as one sentence at a time: padded keys get −∞ (the float32 minimum) before the softmax",
        reading: "Vaswani et al. 2017 §3.2.1 (the mask in scaled dot-product attention); Hugging Face modeling_bert.py and get_extended_attention_mask",
        difficulty: 1, needs: [],
        dependents: ["BatchingTests", "EncoderReferenceTests", "Ex12c_MeanPoolingTests",
            "EncoderHookTests", "BERTGGUFEncoderTests", "BERTWholeModelTests", "EmbedCommandTests",
            "BERTCalibratedLinearTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 12b): for every row t and every key s ≥ realLength: scores[t · length + s] = maskedScore.
            """
        ],
        hint: """
            scores is one sentence's [length][length] matrix for one head: row t is query t,
            column s is key s. The padding is at the end (positions realLength ..< length), and
            it must be masked as a *key* — a column — in every row, padded rows included (what
            they compute is dropped later, but they must not see other padding either). Give
            those entries `maskedScore`; after subtracting the row's maximum their exponentials
            are exactly 0.
            """),
    Exercise(
        id: "12c", title: "mean pooling over the mask", section: "§12.2",
        file: "Sources/BERT/MeanPooling.swift", suite: "Ex12c_MeanPoolingTests",
        teaches: "a sentence embedding is the average of its real tokens' vectors ([CLS] and [SEP] included, padding excluded)",
        reading: "Reimers & Gurevych 2019 (Sentence-BERT) §3; sentence-transformers models/Pooling.py (mean tokens)",
        difficulty: 1, needs: [],
        dependents: ["EncoderReferenceTests", "EncoderHookTests", "Ex12b_PaddingMaskTests",
            "BatchingTests", "BERTGGUFEncoderTests", "BERTWholeModelTests", "EmbedCommandTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 12c): pooled[b][j] = Σ over real positions t of h[(b · length + t)][j], divided by max(lengths[b], 1e-9).
            """
        ],
        hint: """
            h holds count · length rows of c features; row b · batch.length + t is token t of
            sentence b. Sum the rows where `batch.isReal(b, t)` and divide by the number of real
            tokens (sentence-transformers clamps it to at least 1e-9, so an empty row gives 0,
            not NaN). The result goes into `pooled[b · c + j]`.
            """),
    Exercise(
        id: "12d", title: "a quantized Linear swapped in", section: "§12.3",
        file: "Sources/PostTraining/EncoderLinearFourBit.swift", suite: "Ex12d_FourBitLinearTests",
        teaches: "a weight-only quantized layer is the float layer with Ŵ = dequantize(codes, absmax): bitsandbytes' Linear4bit on the CPU dequantizes, then multiplies in float32",
        reading: "Dettmers et al. 2023 (QLoRA) §3; bitsandbytes nn.Linear4bit.forward, matmul_4bit and dequantize_4bit",
        difficulty: 1, needs: [],
        dependents: ["BERTWholeModelTests", "EmbedCommandTests", "BERTQuantizedLinearTests",
            "BERTMiniLMLinearTests", "BERTCalibratedLinearTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 12d): Ŵ = BlockwiseQuantizer4.Fast.dequantize(quantized) ([out][in]); y = Matmul.productTransposingB(x, Ŵ, m: rows, k: inFeatures, n: outFeatures, bias: bias), shape [rows, outFeatures].
            return Tensor(shape: [rows, outFeatures], repeating: 0)
            """
        ],
        hint: """
            The layer keeps only the 4-bit codes and one absmax per block of 64 (`quantized`).
            bitsandbytes' CPU path rebuilds the float weight on every call — one table lookup
            times the block's absmax per weight, which `BlockwiseQuantizer4.Fast.dequantize`
            does — and then runs an ordinary float32 linear layer with it: x · Ŵᵀ + b, the
            weight in PyTorch's [out, in] layout, so Core's `productTransposingB`.
            """),
]
