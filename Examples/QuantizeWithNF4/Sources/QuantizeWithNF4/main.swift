// Quantize 4096 normally distributed weights to NF4 in blocks of 64, as bitsandbytes'
// Linear4bit stores them, and print the bytes and the error — with LowBit as a dependency.
import Core
import NF4

var rng = SeededRNG(seed: 1)
let weights = Tensor(shape: [64, 64], data: rng.normalFloats(4096, std: 0.02))
let q = try BlockwiseQuantizer4.quantize(weights, type: .nf4, blockSize: 64)
let restored = q.dequantize()
print("NF4: \(weights.count) weights in \(q.storageBytes) bytes "
    + "(\(q.bitsPerParameter) bits per weight); "
    + "max |error| \(Statistics.maxAbsError(weights.data, restored))")
