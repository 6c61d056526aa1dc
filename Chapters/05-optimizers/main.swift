// Chapter 5 — blockwise 8-bit quantization, 8-bit Adam and paged optimizers.
//
// Run: swift run -c release Chapter05 [--figures DIR]
// Reads like a notebook: each section prints what it shows, the figures go to Figures/.
// The ideas live in Sources/Blockwise8 (the dynamic map, the blockwise quantizer),
// Sources/NN (the MLP with hand-written backward passes) and Sources/Optimizers (AdamW,
// 8-bit Adam, the paging simulation); this file only calls, prints and plots.
import Blockwise8
import Book
import Core
import NN
import Optimizers
import Plot

let seed: UInt64 = 5
let book = Notebook(chapter: 5, title: "Blockwise 8-bit quantization, 8-bit Adam and paged optimizers")

// 5.2: a gradient-like tensor. 5.3: the training run. 5.4: the paging simulation.
let stateCount = 1 << 16
let layerSizes = [16, 64, 64, 8]
let batchSize = 32
let trainingSteps = 400
let evaluateEvery = 25
let heldOutCount = 512
let hyperparameters = AdamHyperparameters(learningRate: 3e-3, weightDecay: 0.01)
let min8BitSize = 512
let pageSize = 1024
let budgetBytes = 128_000
let pagingSchedule = PagingSimulation.spikySchedule(steps: 30, normalBatch: 16, spikeBatch: 48, every: 10)
print(
    "seed: \(seed) (task \(seed), initial weights \(seed + 1), batches \(seed + 2), held-out points \(seed + 3), "
        + "5.2's tensor \(seed + 20))")
print("8-bit state tensor (5.2): \(stateCount) Student-t (3 dof) values")
print(
    "training (5.3): MLP \(layerSizes), Gaussian-mixture task (8 classes), batches of \(batchSize), "
        + "\(trainingSteps) steps, held-out \(heldOutCount)")
print(
    "AdamW: lr \(hyperparameters.learningRate), betas (\(hyperparameters.beta1), \(hyperparameters.beta2)), "
        + "eps \(hyperparameters.epsilon), weight decay \(hyperparameters.weightDecay); 8-bit: blocks of "
        + "\(BlockwiseAdamState.blockSize), tensors of ≥ \(min8BitSize) values")
print(
    "paging (5.4): budget \(budgetBytes) B, pages of \(pageSize) B, \(pagingSchedule.count) steps, "
        + "batches of 16 rows with 48-row spikes at steps 10 and 20")

/// "−0.99297" with 5 significant digits, sign kept.
func g5(_ x: Float) -> String { Fmt.g(Double(x), 5) }

/// Bytes as "45.1 KiB".
func kib(_ bytes: Int) -> String { Fmt.f(Double(bytes) / 1024, 1) + " KiB" }

// MARK: - 5.1
book.section("5.1", "The dynamic 8-bit map: a float with a movable point")
let signedMap = DynamicMap.signed
let unsignedMap = DynamicMap.unsigned
book.say(
    """
    Adam's states span many orders of magnitude within one tensor: the second moment v holds
    squared gradients, and 1e-12 next to 1e-4 is ordinary. A linear 8-bit grid (Chapter 2's
    absmax int8) has one step, absmax/127, and rounds everything below half of it to zero.
    Dettmers et al. (2022, "8-bit Optimizers via Block-wise Quantization", §2, "Dynamic
    Quantization") use instead the dynamic data type: after the sign, a run of E zeros is the
    exponent (value ~ 10^−E), a 1 marks its end, and the remaining F = 7 − E bits are a linear
    fraction in (0.1, 1). Each extra zero buys a decade of range and costs one bit of
    precision. bitsandbytes builds it as create_dynamic_map: decade by decade, the centres of
    linspace(0.1, 1, n + 1), with n = 2^i levels in decade 10^(i−6) (twice as many for the
    unsigned map, whose sign bit becomes a fraction bit: v is never negative), plus 0 and 1.
    The positive half of each map, decade by decade:
    """)
/// Positive entries of `map` in [10^(e), 10^(e+1)).
func decade(_ map: [Float], _ e: Int) -> [Float] {
    map.filter { Double($0) >= Math.pow(10, Double(e)) && Double($0) < Math.pow(10, Double(e + 1)) && $0 < 1 }
}
book.table(
    ["decade", "signed: levels", "smallest", "largest", "relative step at top", "unsigned: levels", "relative step"],
    (-7...(-1)).reversed().map { e in
        let s = decade(signedMap, e), u = decade(unsignedMap, e)
        let sStep = s.count > 1 ? Double(s[s.count - 1] - s[s.count - 2]) / Double(s[s.count - 1]) : .nan
        let uStep = u.count > 1 ? Double(u[u.count - 1] - u[u.count - 2]) / Double(u[u.count - 1]) : .nan
        return [
            "1e\(e) … 1e\(e + 1)", String(s.count), s.first.map(g5) ?? "-", s.last.map(g5) ?? "-",
            sStep.isNaN ? "-" : Fmt.f(100 * sStep, 2) + "%", String(u.count), uStep.isNaN ? "-" : Fmt.f(100 * uStep, 2) + "%",
        ]
    })
print()
let zeroCode = signedMap.firstIndex(of: 0)!
book.say(
    """
    The signed map: \(signedMap.count) values, code 0 = \(g5(signedMap[0])) (there is no −1), code \
    \(zeroCode) = 0, code 255 = \(g5(signedMap[255])); the smallest positive value is \(g5(signedMap[zeroCode + 1])). \
    The unsigned map runs from 0 (code 0) through \(g5(unsignedMap[1])) to 1 (code 255). Both match \
    bitsandbytes' tables entry for entry (exercise 5a; the float32 linspace needs PyTorch's fused
    multiply-add, see TorchLinspace).

    What that buys, measured as the gap between neighbouring values relative to the value: a
    linear grid is fine near its absmax and has nothing between 0 and absmax/127; the dynamic
    map's relative step only doubles from one decade to the next (1.4% near the absmax, 12% a
    thousand times below it), so a small state keeps its rough magnitude instead of becoming 0:
    """)
/// (value, gap to the next larger value / value) over the positive part of a sorted table.
func relativeGaps(_ table: [Float]) -> (x: [Double], y: [Double]) {
    let positive = table.filter { $0 > 0 }.map(Double.init)
    let pairs = zip(positive, positive.dropFirst()).map { ($0, ($1 - $0) / $0) }
    return (pairs.map(\.0), pairs.map(\.1))
}
let linearSigned: [Float] = (-127...127).map { Float($0) / 127 }
let linearUnsigned: [Float] = (0...255).map { Float($0) / 255 }
let gapsSigned = relativeGaps(signedMap)
let gapsUnsigned = relativeGaps(unsignedMap)
let gapsLinear = relativeGaps(linearSigned)
book.figure(
    Charts.line(
        title: "Linear int8 stops at 1/127; dynamic maps go 4 decades lower",
        xLabel: "value / block absmax (log scale)", yLabel: "gap to next value / value (log scale)",
        series: [
            Series(name: "dynamic, signed (m)", x: gapsSigned.x, y: gapsSigned.y, color: Palette.blue),
            Series(name: "dynamic, unsigned (v)", x: gapsUnsigned.x, y: gapsUnsigned.y, color: Palette.skyBlue),
            Series(name: "linear int8, k/127", x: gapsLinear.x, y: gapsLinear.y, color: Palette.reddishPurple),
        ],
        xScale: .log10, yScale: .log10, markers: true,
        annotations: [.horizontal(0.01, label: "1%")]),
    "dynamic-map-precision",
    caption: "relative spacing of the representable values: dynamic maps against a linear 8-bit grid")
print()

// MARK: - 5.2
book.section("5.2", "Blockwise 8-bit quantization")
book.say(
    """
    quantize_blockwise (§2 "Block-wise Quantization"): flatten, split into blocks of B values,
    store each block's absmax N_b as float32 and, per value, the index of the nearest entry of
    the map to x / N_b. An outlier then only coarsens its own block, and every block is
    processed independently (on a GPU, one thread block each, no global reduction). Ten values
    of a small second-moment-like tensor in one block of 64 (a short block: it divides by its
    absmax):
    """)
let small: [Float] = [3.1e-4, 2.2e-6, 8.0e-5, 1.9e-7, 4.4e-5, 1.2e-6, 6.7e-4, 3.0e-8, 9.5e-6, 2.5e-5]
let smallDynamic = try BlockwiseQuantizer8.quantize(small, blockSize: 64, code: unsignedMap)
let smallLinear = try BlockwiseQuantizer8.quantize(small, blockSize: 64, code: linearUnsigned)
let smallDynamicHat = smallDynamic.dequantize()
let smallLinearHat = smallLinear.dequantize()
let smallDynamicWorst = small.indices.map { Double(abs(smallDynamicHat[$0] - small[$0]) / small[$0]) }.max()!
book.table(
    ["x", "x / absmax", "code (unsigned map)", "dequantized", "rel. error", "linear k/255: dequantized", "rel. error"],
    small.indices.map { i in
        [
            Fmt.e(Double(small[i]), 2), Fmt.e(Double(small[i] / smallDynamic.absmax[0]), 3), String(smallDynamic.codes[i]),
            Fmt.e(Double(smallDynamicHat[i]), 4), Fmt.f(100 * Double(abs(smallDynamicHat[i] - small[i]) / small[i]), 2) + "%",
            Fmt.e(Double(smallLinearHat[i]), 4), Fmt.f(100 * Double(abs(smallLinearHat[i] - small[i]) / small[i]), 1) + "%",
        ]
    }, leftAligned: [])
print()
book.say(
    """
    absmax = \(Fmt.e(Double(smallDynamic.absmax[0]), 2)). The dynamic map keeps every value within \
    \(Fmt.f(100 * smallDynamicWorst, 0))% of itself, even 3.0e-8, which is \(Fmt.e(Double(3.0e-8 / smallDynamic.absmax[0]), 1)) of \
    the absmax. The linear grid's step is absmax/255 = \(Fmt.e(Double(smallDynamic.absmax[0]) / 255, 2)): it is \
    as good near the absmax, and \(smallLinearHat.filter { $0 == 0 }.count) of the ten values become 0 — for \
    Adam's v that turns the update m/(√v + ε) into m/ε.

    At scale: \(stateCount) gradient-like values (Student-t with 3 degrees of freedom: mostly small, \
    some large), quantized with each map at each block size bitsandbytes allows:
    """)
var stateRNG = SeededRNG(seed: seed &+ 20)
let gradientLike = (0..<stateCount).map { _ in Float(1e-3 * stateRNG.studentT(degreesOfFreedom: 3)) }
let norm = gradientLike.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
/// ||x̂ − x|| / ||x|| and the fraction of nonzero values that come back as 0.
func blockwiseError(_ x: [Float], blockSize: Int, code: [Float]) throws -> (relative: Double, zeroed: Double) {
    let xHat = try BlockwiseQuantizer8.quantize(x, blockSize: blockSize, code: code).dequantize()
    let err = zip(x, xHat).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
    let zeroed = zip(x, xHat).filter { $0 != 0 && $1 == 0 }.count
    return (err / norm, Double(zeroed) / Double(x.count))
}
let blockSizes8 = [64, 256, 1024, 4096]
var blockRows: [[String]] = []
for b in blockSizes8 {
    let d = try blockwiseError(gradientLike, blockSize: b, code: signedMap)
    let l = try blockwiseError(gradientLike, blockSize: b, code: linearSigned)
    blockRows.append([
        String(b), Fmt.f(8 + 32 / Double(b), 4), Fmt.e(d.relative, 3), Fmt.f(100 * d.zeroed, 3) + "%",
        Fmt.e(l.relative, 3), Fmt.f(100 * l.zeroed, 2) + "%",
    ])
}
book.table(
    ["block size", "bits/value", "dynamic: ||x̂−x||/||x||", "dynamic: → 0", "linear: ||x̂−x||/||x||", "linear: → 0"],
    blockRows)
print()
book.say(
    """
    Smaller blocks help both maps: fewer values share one large absmax. The norm of the error is
    dominated by the large values, where the linear grid is finer, so in blocks of 64 it even
    wins on that measure; from 256 on the dynamic map does, and only the dynamic map keeps the
    small values — the linear grid zeroes \(blockRows[0][5]) to \(blockRows[3][5]) of them. bitsandbytes' 8-bit optimizers use blocks of 256 (the paper used 2048); its
    quantize_blockwise defaults to 4096. Our codes and absmax match bitsandbytes bit for bit on
    every reference case (exercise 5b's tests).
    """)

// MARK: - 5.3
book.section("5.3", "Training with 32-bit and 8-bit Adam")
let task = GaussianMixtureTask(seed: seed)
var heldOutRNG = SeededRNG(seed: seed &+ 3)
let heldOut = task.sample(count: heldOutCount, rng: &heldOutRNG)
/// One training run; both runs start from the same weights and see the same batches.
func train(eightBit: Bool) -> (optimizer: any Optimizer, losses: [Double], heldOut: [Double], accuracy: Double) {
    var weightRNG = SeededRNG(seed: seed &+ 1)
    let mlp = MLP(sizes: layerSizes, rng: &weightRNG)
    var batchRNG = SeededRNG(seed: seed &+ 2)
    let optimizer: any Optimizer =
        eightBit
        ? Adam8bit(mlp.parameters, hyperparameters, min8BitSize: min8BitSize) : AdamW(mlp.parameters, hyperparameters)
    var losses: [Double] = []
    var heldOutLosses: [Double] = [Double(mlp.loss(heldOut.inputs, labels: heldOut.labels))]
    for step in 1...trainingSteps {
        let batch = task.sample(count: batchSize, rng: &batchRNG)
        losses.append(Double(mlp.lossAndGradients(batch.inputs, labels: batch.labels)))
        try! optimizer.step()  // in-memory optimizers never throw
        if step % evaluateEvery == 0 { heldOutLosses.append(Double(mlp.loss(heldOut.inputs, labels: heldOut.labels))) }
    }
    return (optimizer, losses, heldOutLosses, mlp.accuracy(heldOut.inputs, labels: heldOut.labels))
}
let run32 = train(eightBit: false)
let run8 = train(eightBit: true)
/// Mean of the last `window` values at each step.
func movingAverage(_ xs: [Double], window: Int = 20) -> [Double] {
    xs.indices.map { i in
        let slice = xs[max(0, i - window + 1)...i]
        return slice.reduce(0, +) / Double(slice.count)
    }
}
let ma32 = movingAverage(run32.losses)
let ma8 = movingAverage(run8.losses)
let gaps = zip(ma32, ma8).map { abs($0 - $1) }
let worstGap = gaps.indices.max { gaps[$0] < gaps[$1] }!
book.say(
    """
    The 8-bit optimizer (§2 of the paper; bitsandbytes' Adam8bit/AdamW8bit) keeps m with the
    signed map and v with the unsigned map, blocks of 256, and runs every step as: dequantize
    both, update in float32 exactly as AdamW does (decoupled weight decay), requantize with a
    fresh absmax per block. Tensors smaller than min_8bit_size keep 32-bit states; bitsandbytes'
    default is 4096, which in this toy would leave only fc2.weight in 8 bits, so we lower it to \
    \(min8BitSize): every weight matrix gets 8-bit states, the biases stay in 32 bits. Both runs start from the \
    same weights and see the same batches. Training loss (moving average of 20 steps) and the \
    loss on \(heldOutCount) held-out points:
    """)
book.table(
    ["step", "train, 32-bit", "train, 8-bit", "held-out, 32-bit", "held-out, 8-bit", "difference"],
    stride(from: 0, through: trainingSteps, by: 50).map { step in
        let e = step / evaluateEvery
        return [
            String(step), step == 0 ? "-" : Fmt.f(ma32[step - 1], 4), step == 0 ? "-" : Fmt.f(ma8[step - 1], 4),
            Fmt.f(run32.heldOut[e], 4), Fmt.f(run8.heldOut[e], 4), Fmt.e(run8.heldOut[e] - run32.heldOut[e], 2),
        ]
    })
print()
let bytes32 = run32.optimizer.stateBytes
let bytes8 = run8.optimizer.stateBytes
let parameterCount = run32.optimizer.parameters.totalCount
book.say(
    """
    The two curves coincide: the largest gap between the moving averages is \(Fmt.f(gaps[worstGap], 4)) \
    (step \(worstGap + 1), where the loss is \(Fmt.f(ma32[worstGap], 3))), the final held-out losses are \
    \(Fmt.f(run32.heldOut.last!, 4)) (32-bit) and \(Fmt.f(run8.heldOut.last!, 4)) (8-bit), the held-out \
    accuracies \(Fmt.f(100 * run32.accuracy, 1))% and \(Fmt.f(100 * run8.accuracy, 1))%. The paper finds the same on \
    real benchmarks (8-bit optimizers match 32-bit ones on language modelling, translation and
    image classification, with 75% less optimizer memory).
    """)
book.figure(
    Charts.line(
        title: "8-bit Adam's loss curve lies on 32-bit Adam's",
        xLabel: "training step", yLabel: "cross-entropy loss",
        series: [
            Series(name: "fp32 Adam, train (20-step mean)", x: (1...trainingSteps).map(Double.init), y: ma32),
            Series(
                name: "8-bit Adam, train (20-step mean)", x: (1...trainingSteps).map(Double.init), y: ma8,
                color: Palette.blue, style: .dashed),
            Series(
                name: "fp32 Adam, held-out", x: run32.heldOut.indices.map { Double($0 * evaluateEvery) }, y: run32.heldOut,
                color: Palette.black),
            Series(
                name: "8-bit Adam, held-out", x: run8.heldOut.indices.map { Double($0 * evaluateEvery) }, y: run8.heldOut,
                color: Palette.vermillion, style: .dashed),
        ]),
    "loss-curves", caption: "training and held-out loss of the MLP with 32-bit AdamW and 8-bit AdamW")
print()
book.say("Optimizer memory, counted from the layouts the states use (OptimizerMemory):")
let table8 = OptimizerMemory.adam8bitTable(run8.optimizer.parameters, min8BitSize: min8BitSize)
book.table(
    ["tensor", "values", "32-bit state (B)", "8-bit state (B)", "8-bit B/value"],
    table8.map { t in
        [
            t.name, String(t.count), String(8 * t.count), String(t.bytes) + (t.isQuantized ? "" : " (kept 32-bit)"),
            Fmt.f(Double(t.bytes) / Double(t.count), 3),
        ]
    }
        + [
            [
                "total", String(parameterCount), String(bytes32), String(bytes8),
                Fmt.f(Double(bytes8) / Double(parameterCount), 3),
            ]
        ])
print()
let perParam32 = OptimizerMemory.bytesPerParameter(run32.optimizer)
let perParam8 = OptimizerMemory.bytesPerParameter(run8.optimizer)
let quantizedPerParam = Double(OptimizerMemory.blockwise8BitBytes(count: 1 << 30)) / Double(1 << 30)
let sevenB = 7e9
book.say(
    """
    \(Fmt.f(perParam32, 2)) bytes per parameter with 32-bit Adam, \(Fmt.f(perParam8, 2)) with 8-bit Adam here: \
    an 8-bit tensor costs 2 + 8/256 = \(Fmt.f(quantizedPerParam, 4)) bytes per value (two codes and \
    two float32 absmax per 256 values), and the small biases pull the average up. In a 7B
    model almost every parameter sits in a tensor far above 4096 values: its Adam states take \
    \(Fmt.f(8 * sevenB / 1e9, 0)) GB in 32 bits and \(Fmt.f(quantizedPerParam * sevenB / 1e9, 1)) GB in 8 bits.
    """)
// The state quantization error: the 32-bit run's final m and v, quantized as 8-bit Adam would.
var mValues: [Float] = []
var vValues: [Float] = []
if let states = (run32.optimizer as? AdamW)?.states {
    for (p, state) in zip(run32.optimizer.parameters, states) where p.count >= min8BitSize {
        if let state {
            mValues += state.m
            vValues += state.v
        }
    }
}
let mHat = BlockwiseAdamState.quantized(m: mValues, v: vValues)
let mDequantized = mHat.firstMoment.dequantize()
let vDequantized = mHat.secondMoment.dequantize()
let vLinear = try BlockwiseQuantizer8.quantize(vValues, blockSize: BlockwiseAdamState.blockSize, code: linearUnsigned)
    .dequantize()
/// log10 of |x̂ − x| / |x| for the values that are not exact, and the count of exact ones.
func logRelativeErrors(_ x: [Float], _ xHat: [Float]) -> (logs: [Double], exact: Int, median: Double) {
    var logs: [Double] = []
    var relative: [Float] = []
    var exact = 0
    for (a, b) in zip(x, xHat) where a != 0 {
        let r = abs(Double(b) - Double(a)) / abs(Double(a))
        relative.append(Float(r))
        if r == 0 { exact += 1 } else { logs.append(Math.log10(r)) }
    }
    return (logs, exact, Statistics.quantile(relative, 0.5))
}
let mErrors = logRelativeErrors(mValues, mDequantized)
let vErrors = logRelativeErrors(vValues, vDequantized)
let vLinearErrors = logRelativeErrors(vValues, vLinear)
let vZeroed = zip(vValues, vLinear).filter { $0 != 0 && $1 == 0 }.count
book.say(
    """
    How much error do the 8-bit states carry? The 32-bit run's final states of the \(mValues.count) values \
    in 8-bit tensors, quantized exactly as 8-bit Adam stores them: the median relative error is \
    \(Fmt.f(100 * mErrors.median, 2))% for m (signed map) and \(Fmt.f(100 * vErrors.median, 2))% for v (unsigned \
    map). A linear 8-bit grid would give v a smaller median error, \(Fmt.f(100 * vLinearErrors.median, 2))% (it is \
    finer near each block's absmax), but it would set \(vZeroed) of the \(vValues.count) values of v to 0 — \
    the bar at 0 on the right of the figure: a relative error of 100%, and an update of m/ε
    for each of those weights. That tail, not the median, is why 8-bit optimizers need the
    dynamic map (the paper's ablations report unstable training without dynamic quantization).
    """)
book.figure(
    Charts.histogram(
        title: "8-bit states: median error \(Fmt.f(100 * mErrors.median, 1))% (m), \(Fmt.f(100 * vErrors.median, 1))% (v)",
        xLabel: "log10 of |dequantized - state| / |state|", yLabel: "state values",
        series: [
            ("m, dynamic signed map", mErrors.logs), ("v, dynamic unsigned map", vErrors.logs),
            ("v, linear 8-bit (for contrast)", vLinearErrors.logs),
        ], bins: 104, range: -6...1.8,
        annotations: [
            .vertical(-2, label: "1%"),
            .vertical(0, label: "100%: \(vZeroed) set to 0"),
        ]),
    "state-quantization-error",
    caption: "relative error of Adam's m and v after an 8-bit blockwise round trip (blocks of 256), shared bins")
print()

// MARK: - 5.4
book.section("5.4", "Paged optimizers: surviving a memory spike")
book.say(
    """
    QLoRA §3 ("Paged Optimizers"): the optimizer states live in NVIDIA unified memory, so when
    a long batch's activations need more GPU memory than is free, state pages are evicted to
    CPU RAM, and they are paged back in when the optimizer step touches them. We simulate it: a
    device with a byte budget (AcceleratorMemory), optimizer states in fixed-size pages
    (PagedStateStore, least-recently-used eviction), and a training loop whose batch is three
    times longer at steps 10 and 20. The plan for the run (PagingSimulation.plan), same MLP:
    """)
func pagingConfig(paging: Bool, optimizer: PagingSimulation.OptimizerKind = .adamW32, budget: Int = budgetBytes)
    -> PagingSimulation.Configuration
{
    PagingSimulation.Configuration(
        layerSizes: layerSizes, budgetBytes: budget, pageSize: pageSize, pagingEnabled: paging,
        batchSizes: pagingSchedule, optimizer: optimizer, hyperparameters: hyperparameters, seed: seed)
}
let plan = PagingSimulation.plan(pagingConfig(paging: true))
let plan8 = PagingSimulation.plan(pagingConfig(paging: true, optimizer: .adam8bit))
book.table(
    ["", "bytes"],
    [
        ["budget", String(budgetBytes)],
        ["weights + gradients (pinned)", String(plan.pinnedBytes)],
        ["32-bit Adam states: \(plan.statePages) pages of \(pageSize) B", String(plan.statePageBytes)],
        ["8-bit Adam states (default min_8bit_size 4096): \(plan8.statePages) pages", String(plan8.statePageBytes)],
        ["activations per row", String(plan.activationBytesPerRow)],
        ["a 16-row step, 32-bit states resident", String(plan.unpagedBytes(rows: 16))],
        ["a 48-row spike, 32-bit states resident", String(plan.unpagedBytes(rows: 48))],
        ["a 48-row spike, every state page evicted", String(plan.pagedMinimumBytes(rows: 48))],
    ])
print()
/// Runs a configuration, keeping its reports even when it fails.
func simulate(_ config: PagingSimulation.Configuration) -> (
    reports: [PagingSimulation.StepReport], result: PagingSimulation.Result?, error: OutOfMemoryError?
) {
    var reports: [PagingSimulation.StepReport] = []
    do {
        let result = try PagingSimulation.run(config) { reports.append($0) }
        return (reports, result, nil)
    } catch {
        return (reports, nil, error)
    }
}
let runs: [(name: String, optimizer: PagingSimulation.OptimizerKind, paging: Bool)] = [
    ("AdamW (32-bit)", .adamW32, false), ("PagedAdamW (32-bit)", .adamW32, true),
    ("AdamW8bit", .adam8bit, false), ("PagedAdamW8bit", .adam8bit, true),
]
let outcomes = runs.map { simulate(pagingConfig(paging: $0.paging, optimizer: $0.optimizer)) }
book.table(
    ["optimizer", "outcome", "steps done", "pages out", "pages in", "bytes moved", "highest peak (B)"],
    zip(runs, outcomes).map { run, outcome in
        let out = outcome.reports.reduce(0) { $0 + $1.pagesToHost }
        let back = outcome.reports.reduce(0) { $0 + $1.pagesToDevice }
        let moved = outcome.reports.reduce(0) { $0 + $1.bytesToHost + $1.bytesToDevice }
        let failedAt = outcome.error.map { _ in outcome.reports.count }
        return [
            run.name, failedAt.map { "out of memory at step \($0)" } ?? "completes", String(outcome.reports.count),
            String(out), String(back), String(moved), String(outcome.reports.map(\.peakBytes).max() ?? 0),
        ]
    })
print()
if let error = outcomes[0].error {
    print("without paging: \(error)")
    print()
}
let paged = outcomes[1]
let spikeReports = paged.reports.filter { $0.pagesToHost > 0 || $0.pagesToDevice > 0 }
book.say("PagedAdamW step by step where pages moved (all other steps move nothing):")
book.table(
    ["step", "rows", "activations (B)", "pages to host", "pages back", "bytes moved", "state resident at peak (B)", "peak (B)"],
    spikeReports.map { r in
        [
            String(r.step), String(r.batchRows), String(r.activationBytes), String(r.pagesToHost), String(r.pagesToDevice),
            String(r.bytesToHost + r.bytesToDevice), String(r.stateBytesAtPeak), String(r.peakBytes),
        ]
    })
print()
// Paging must not change a number: compare with an unpaged run that has room to spare.
let roomy = simulate(pagingConfig(paging: false, budget: 10_000_000))
let identical = paged.result.map { $0.finalParameters == roomy.result?.finalParameters } ?? false
let identicalLoss = paged.reports.map(\.loss) == roomy.reports.map(\.loss)
book.say(
    """
    Without paging the first spike asks for more than is free and the run stops — PyTorch
    would report "CUDA out of memory". With paging, the spike steps evict the
    least-recently-used state pages to make room for the activations; the optimizer step then
    reads every state buffer, which pages them back. Nothing else changes: the paged run's final
    parameters and losses are \(identical && identicalLoss ? "bit for bit the same" : "NOT the same") as those of an \
    unpaged run with a budget of 10 MB. 8-bit states need \(plan8.statePages) pages instead of \
    \(plan.statePages), so at this budget they fit the spike without paging: 8-bit states and paging attack
    the same memory, and QLoRA uses paging for the spikes that remain.
    """)
let steps = paged.reports.map { Double($0.step) }
let pinned = Double(plan.pinnedBytes) / 1024
let unpagedPeaks = outcomes[0].reports.map { Double($0.peakBytes) / 1024 }
var annotations: [Annotation] = [.horizontal(Double(budgetBytes) / 1024, label: "budget \(kib(budgetBytes))")]
if let error = outcomes[0].error {
    let failedStep = Double(outcomes[0].reports.count)
    let wanted = Double(budgetBytes - error.free + error.requested) / 1024
    annotations.append(.point(x: failedStep, y: wanted, label: "AdamW without paging needs \(Fmt.f(wanted, 0)) KiB: out of memory", color: Palette.vermillion))
}
book.figure(
    Charts.line(
        title: "Paging moves optimizer state out so spikes fit",
        xLabel: "training step", yLabel: "device memory at the step's peak (KiB)",
        series: [
            Series(name: "weights + gradients (pinned)", x: steps, y: steps.map { _ in pinned }, color: Palette.grey),
            Series(
                name: "+ optimizer state resident", x: steps,
                y: paged.reports.map { pinned + Double($0.stateBytesAtPeak) / 1024 }, color: Palette.bluishGreen),
            Series(
                name: "+ activations = peak (PagedAdamW)", x: steps, y: paged.reports.map { Double($0.peakBytes) / 1024 },
                color: Palette.blue),
            Series(
                name: "peak, AdamW without paging", x: unpagedPeaks.indices.map(Double.init), y: unpagedPeaks,
                color: Palette.vermillion, style: .dashed),
        ],
        markers: true, yRange: 0...(Double(budgetBytes) / 1024 * 1.25), annotations: annotations),
    "pool-occupancy", caption: "simulated device memory per step: the pinned weights, resident state pages, activations")
print()
book.say(
    """
    What real CUDA unified memory does that this simulation does not. bitsandbytes allocates
    paged states with cudaMallocManaged; the GPU raises a page fault when a kernel touches a
    page that is not resident, and the driver migrates it — no call in the program, no explicit
    eviction: under memory pressure the driver chooses what to evict by its own policy, not a
    strict LRU (oversubscribing GPU memory needs Linux and a Pascal or newer GPU). Pages move
    at 4 KiB (CPU) to 2 MiB (GPU) granularity, grouped by the driver's prefetch heuristics, over
    PCIe or NVLink, overlapped with compute — and they take time, which our transfers do not.
    bitsandbytes also prefetches the optimizer's pages (cudaMemPrefetchAsync) just before the
    update kernel needs them, and pages only tensors of at least 100 000 values. Here the
    program moves pages itself, one size for all, instantly; what the simulation keeps honest
    is which bytes must move, when, and how many.
    """)

// MARK: - 5.5
book.section("5.5", "Your turn")
book.say(
    """
    Exercises (the exercise tool: `exercise list`, then `exercise start 5a`, `check 5a`,
    `hint 5a`, `reset 5a`): 5a the dynamic map and 5b blockwise quantization in
    Sources/Blockwise8, 5c one 8-bit Adam step (it builds on 5a and 5b) and 5d LRU page eviction
    in Sources/Optimizers. Each exercise's suite is named after it (swift test --filter Ex5a_);
    they compare the maps, the blockwise codes and five 8-bit Adam steps with bitsandbytes 0.50.2
    bit for bit.

    Try it on your own tensors:
    """)
print("    lowbit codebook dynamic8-signed")
print("    lowbit quantize --scheme dynamic8 --block-size 256 M.npy \\")
print("        --dequantized M8.npy --codes C.npy --absmax A.npy --json")
