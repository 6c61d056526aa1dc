import Book

/// 7.6: what a transformers / peft user writes, and where LowBit implements each piece.
func transformersMapSection(_ book: Notebook) {
    book.section("7.6", "From transformers and peft to LowBit")
    book.say(
        """
        A QLoRA run in Python is a few keyword arguments (qlora.py; the transformers and peft
        documentation). Each one names a piece this book builds; where we have none, the row says
        so:
        """)
    book.table(
        ["transformers / peft", "LowBit", "where"],
        [
            ["BitsAndBytesConfig(", "", ""],
            ["  load_in_8bit=True", "LLMInt8.matmul, LLMInt8Options (per-row int8)", "Ch. 3"],
            ["  llm_int8_threshold=6.0", "LLMInt8Options.threshold (default 6)", "Ch. 3"],
            ["  load_in_4bit=True", "NF4Linear(quantizing:), QLoRAInjection.adapt", "7.1, 7.2"],
            [
                "  bnb_4bit_quant_type=\"nf4\"", "QLoRAConfig.storageType: .nf4 (.fp4; .int4 ours)",
                "7.1, Ch. 4",
            ],
            ["  bnb_4bit_use_double_quant=True", "QLoRAConfig.doubleQuantization", "7.1, Ch. 4"],
            [
                "  bnb_4bit_compute_dtype=bfloat16", "QLoRAConfig.computeType: .bfloat16",
                "7.2, 7.3",
            ],
            [")", "", ""],
            [
                "prepare_model_for_kbit_training", "freezing: LoRAInjection.freezeAllButAdapters;",
                "7.1",
            ],
            ["", "norms in fp32: ours always are; gradient", ""],
            ["", "checkpointing: none (counted in QLoRAMemory)", "7.4"],
            ["LoraConfig(", "LoRAConfig(", ""],
            ["  r=64", "rank", "Ch. 6"],
            ["  lora_alpha=16", "alpha (s = alpha / r)", "Ch. 6"],
            ["  target_modules=[...]", "targetModules (LoRAConfig.allLinear)", "6.3"],
            ["  use_rslora=True", "useRSLoRA (s = alpha / sqrt(r))", "Ch. 6"],
            [")", ")", ""],
            [
                "get_peft_model(model, config)", "model.replaceLinearLayers + *Injection.adapt",
                "6.3, 7.2",
            ],
            ["optim=\"paged_adamw_8bit\"", "Optimizers.PagedAdamW8bit", "Ch. 5, 7.3"],
            [
                "model.merge_and_unload()", "LoRAInjection.mergeAndUnload, mergedLinear()",
                "6.4, 7.5",
            ],
        ], leftAligned: [0, 1])
    print()
    book.say(
        """
        Two differences matter when reading numbers side by side. bitsandbytes keeps the
        packed 4-bit codes and their constants on the GPU and dequantizes to the compute type
        inside one fused kernel; we dequantize to float32 in readable loops. And the "int8" of
        load_in_8bit is LLM.int8() — per-row absmax with outlier columns kept in 16 bits
        (Chapter 3) — not the blockwise 8-bit of the optimizer states (Chapter 5).
        """)
}
