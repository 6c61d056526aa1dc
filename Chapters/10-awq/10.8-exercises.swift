import Book

/// 10.8: the exercises of this chapter and the command line.
func exercisesSection(_ book: Notebook) {
    book.section("10.8", "Exercises and the command line")
    book.say(
        """
        Exercises (the exercise tool lists, blanks, checks and restores them; exercise hint 10a
        shows what to read): 10a one group's scale and zero point (PseudoQuantizer.groupParameters,
        every quantized weight of this chapter, 10.2), 10b the scale formula (ScaleFormula.scales,
        10.3), 10c the first strictly smallest loss (ScaleSearch.firstStrictlySmallest, the
        search of 10.4), 10d folding the scales into a LayerNorm (ScaleFolding.foldIntoLayerNorm,
        10.5). Their test suites are Ex10a_ to Ex10d_; AWQModelTests (PostTrainingTests) checks
        the whole-model run: the folded model's logits, alpha = 0 = RTN, the search never above
        RTN, the base untouched.

        One weight matrix from the command line: lowbit awq W.npy X.npy --bits 4 --group-size 32
        [--clip] --dequantized Q.npy --json searches s for W (out x in) on its inputs X (tokens x
        in) and writes Q(W diag(s)) diag(s)^-1, the weight to use in W's place; q, k and v are
        passed stacked as one W.
        """)
}
