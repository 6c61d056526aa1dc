import Book

/// 6.6: the exercises of this chapter and the CLI command that merges an adapter.
func exercisesSection(_ book: Notebook) {
    book.section("6.6", "Exercises and the command line")
    book.say(
        """
        Exercises (the exercise tool: `exercise list`, then `exercise start 6a`, `check 6a`, `hint
        6a`, `reset 6a`): 6a Linear backward, 6b LayerNorm backward, 6c attention backward — the
        backward passes this chapter's GPT trains with, in Sources/NN — then 6d LoRA forward, 6e
        LoRA backward and 6f merge in Sources/LoRA, checked against peft's reference cases; 6e and
        6f build on 6d. Each exercise's suite is named after it: swift test --filter Ex6a_ runs
        6a's.

        Merge an adapter you trained elsewhere (W is out x in, A is r x in, B is out x r — peft's
        layout; --rslora scales by alpha/sqrt(r)):

        lowbit lora merge --base W.npy --lora-a A.npy --lora-b B.npy --alpha 16 --out M.npy
        """)
}
