import Book

/// 11.8: the exercises of this chapter and the command line.
func exercisesSection(_ book: Notebook) {
    book.section("11.8", "Exercises and the command line")
    book.say(
        """
        Exercises (the exercise tool lists, blanks, checks and restores them; exercise hint 11a
        shows what to read): 11a Q8_0's block (Q8_0.scaleAndCodes: d = absmax / 127 and the
        int8 codes, 11.1), 11b Q4_0's scale and codes (Q4_0.scaleAndCodes: signed absmax / -8,
        11.1), 11c the 6-bit scale packing of Q4_K (ScaleMinPacking.pack, 11.4), 11d MXFP4's
        shared exponent (MXFP4.sharedExponent, the E8M0 byte, 11.3), 11e IQ4_NL's nearest table
        entry (IQ4_NL.nearestIndex, 11.3). Their test suites are Ex11a_ to Ex11e_;
        GGMLReferenceTests checks every type byte for byte against llama.cpp's C quantizers and
        gguf-py, GGMLModelTests (PostTrainingTests) the whole-model rules of 11.7.

        The command line: lowbit quantize --scheme q8_0|q4_0|q4_1|q5_0|q5_1|q2_k|q3_k|q4_k|q5_k|
        q6_k|iq4_nl|mxfp4 IN.npy [--codes RAW.npy] [--dequantized OUT.npy] [--imatrix IM.npy]
        [--json] quantizes a 2-D array whose last dimension is a multiple of the block (32, or
        256 for the k-quants); RAW is uint8 [rows, bytes per row] laid out exactly as llama.cpp
        lays the row out. lowbit gguf write IN.(npy|safetensors) OUT.gguf [--type T]
        [--metadata KEY=VALUE ...] writes a GGUF file, lowbit gguf read IN.gguf --tensor NAME
        --out OUT.npy reads one tensor back as float32, and lowbit gguf inspect IN.gguf [--json]
        lists every metadata key and every tensor's name, type, shape and offset.
        """)
}
