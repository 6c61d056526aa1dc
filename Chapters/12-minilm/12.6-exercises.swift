import Book
import PostTraining

/// 12.6: the exercises of this chapter and the command line.
func exercisesSection(_ book: Notebook, rows: [BERTSchemeSweep.Row]) {
    book.section("12.6", "Exercises and the command line")
    book.say(
        """
        Exercises (the exercise tool lists, blanks, checks and restores them; exercise hint 12a
        shows what to read): 12a WordPiece's greedy longest match, 12b the attention padding
        mask, 12c mean pooling over the real tokens, 12d one quantized Linear swapped in (the
        NF4 layer's forward). Their test suites are Ex12a_ to Ex12d_; BERTTests checks the
        tokenizer and the encoder against Hugging Face and sentence-transformers, and the GGUF
        export against llama.cpp's converter and llama.cpp itself.

        The command line: lowbit tokenize [--json] SENTENCE... prints the token ids; lowbit
        embed [--quantize SCHEME] [--sentences FILE] --out E.npy [SENTENCE...] writes float32
        [n, 384] embeddings (FILE: one sentence per line, every line a sentence); lowbit gguf
        convert --out OUT.gguf [--type T] writes the GGUF file llama.cpp runs. Each takes
        --model DIR for another BERT-family sentence-transformers folder (default
        ~/.cache/lowbit/all-MiniLM-L6-v2). SCHEME is any of the
        \(BERTQuantizationScheme.allCases.count) schemes lowbit embed knows: every name of
        lowbit quantize --scheme, plus nf4-dq, fp4-dq, llm-int8, gptq and awq; 12.4 ran
        \(rows.count - 1) of them.
        """)
}
