// The `lowbit` command: what each LowBit scheme does to your own tensors.
//
// The contract every subcommand keeps:
//   • tensors are `.npy`; float16, float32 and float64 are accepted as input;
//     float outputs are float32 `.npy` files of the input's shape;
//   • exit 0 on success;
//   • on bad input or usage: ONE line `error: …` on stderr, a nonzero exit,
//     and no output file left behind (outputs are written to a temporary file and renamed).
LowbitCommand.runWithContract()
