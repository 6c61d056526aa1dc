import Book
import Optimizers

/// §5.3, continued: the optimizer memory of both runs, counted from the state layouts.
func optimizerMemorySection(
    _ book: Notebook, _ runs: (run32: OptimizerTrainingRun, run8: OptimizerTrainingRun),
    min8BitSize: Int
) {
    let (optimizer32, optimizer8) = (runs.run32.optimizer, runs.run8.optimizer)
    book.say("Optimizer memory, counted from the layouts the states use (OptimizerMemory):")
    let tensors = OptimizerMemory.adam8bitTable(optimizer8.parameters, min8BitSize: min8BitSize)
    let count = optimizer32.parameters.totalCount
    let (bytes32, bytes8) = (optimizer32.stateBytes, optimizer8.stateBytes)
    book.table(
        ["tensor", "values", "32-bit state (B)", "8-bit state (B)", "8-bit B/value"],
        tensors.map { t in
            [
                t.name, String(t.count), String(8 * t.count),
                String(t.bytes) + (t.isQuantized ? "" : " (kept 32-bit)"),
                Fmt.f(Double(t.bytes) / Double(t.count), 3),
            ]
        }
            + [
                [
                    "total", String(count), String(bytes32), String(bytes8),
                    Fmt.f(Double(bytes8) / Double(count), 3),
                ]
            ])
    print()
    let perParam32 = OptimizerMemory.bytesPerParameter(optimizer32)
    let perParam8 = OptimizerMemory.bytesPerParameter(optimizer8)
    let large = 1 << 30
    let quantizedPerParam = Double(OptimizerMemory.blockwise8BitBytes(count: large)) / Double(large)
    let sevenB = 7e9
    book.say(
        """
        \(Fmt.f(perParam32, 2)) bytes per parameter with 32-bit Adam, \(Fmt.f(perParam8, 2)) \
        with 8-bit Adam here: an 8-bit tensor costs 2 + 8/256 = \(Fmt.f(quantizedPerParam, 4)) \
        bytes per value (two codes and two float32 absmax per 256 values), and the small
        biases pull the average up. In a 7B model almost every parameter sits in a tensor far
        above 4096 values: its Adam states take \(Fmt.f(8 * sevenB / 1e9, 0)) GB in 32 bits \
        and \(Fmt.f(quantizedPerParam * sevenB / 1e9, 1)) GB in 8 bits.
        """)
}
