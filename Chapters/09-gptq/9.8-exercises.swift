import Book

/// 9.8: the exercises of this chapter and the command line.
func exercisesSection(_ book: Notebook) {
    book.section("9.8", "Exercises and the command line")
    book.say(
        """
        Exercises (the exercise tool lists, blanks, checks and restores them; exercise hint 9a
        shows what to read): 9a the Hessian's running average (HessianAccumulator.addBatch,
        every H of 9.1), 9b the Cholesky factor (Cholesky.lowerFactor, 9.2), 9c the min-max
        grid with ties to even (MinMaxQuantizer.grid, 9.3), 9d one column's error feedback
        (ErrorFeedback.quantizeColumn, the loop of 9.4 and every GPTQ run after it). Their test
        suites are Ex9a_ to Ex9d_; GPTQReferenceTests compares the whole of GPTQ with the
        authors' code's outputs in eleven cases.

        One layer from the command line, with its calibration inputs X (samples x in):
        lowbit gptq W.npy X.npy --bits 4 --group-size 32 --act-order --dequantized Q.npy --json
        prints output_error, rtn_output_error and bits_per_weight. lowbit bench gptq times a
        4096 x 4096 layer with 2,048 rows (the README quotes it).
        """)
}
