import AWQ
import Book

/// 10.1: keep 1 % of the weight channels in float — chosen by activation, by weight, or at
/// random (the paper's Table 1, on our layers).
func observationSection(_ book: Notebook, setup: AWQSetup) {
    book.section("10.1", "The observation: 1 % of the channels, chosen by the activations")
    let (bits, groupSize) = (3, 32)
    book.say(
        """
        AWQ (Lin et al. 2023, §3.1, Table 1) starts from an experiment: quantize a layer to
        \(bits) bits with round-to-nearest (RTN), then give back 1 % of its input channels in
        float. Which 1 %? Chosen by the size of the weights, the error hardly moves; chosen by the
        size of the *activations* that multiply them, most of the error goes away. The output of
        channel c carries x_c times the rounding error of column c, and that error is about the
        same in every column: the columns worth protecting are those whose inputs are large.

        The same experiment on every block linear of Chapter 6's model, with the inputs it sees on
        the calibration text (\(bits)-bit, groups of \(groupSize); SalientChannels.experiment).
        The error is ||X W^T - X W_hat^T||^2, shown as a percentage of RTN's:
        """)
    var rows: [[String]] = []
    var activationWins = 0
    var peak = 0.0  // the largest max / median of mean |x| over the trained layers
    var names = setup.base.blockLinearNames
    names.removeAll { $0.hasSuffix(".key") || $0.hasSuffix(".value") }  // q's input, same X
    for name in names {
        let (w, x) = setup.layer(name)
        let r = SalientChannels.experiment(
            weight: w, x: x.data, tokens: x.rows, bits: bits, groupSize: groupSize,
            seed: setup.seed)
        if r.errors[.activation]! < min(r.errors[.weight]!, r.errors[.random]!) {
            activationWins += 1
        }
        rows.append(row(name, columns: w.columns, r))
        let xMax = ActivationStatistics.meanAbsolute(x.data, tokens: x.rows, channels: x.cols)
            .sorted()
        peak = max(peak, Double(xMax.last! / xMax[xMax.count / 2]))
    }
    let synthetic = SyntheticLayer(
        rows: 256, columns: 256, tokens: 512, salient: 3, magnitude: 10, seed: setup.seed + 1)
    let s = SalientChannels.experiment(
        weight: synthetic.weight, x: synthetic.x.data, tokens: synthetic.x.rows, bits: bits,
        groupSize: groupSize, seed: setup.seed)
    rows.append(row("synthetic: 3 inputs x\(Int(synthetic.magnitude))", columns: 256, s))
    book.table(
        ["layer", "in", "kept", "RTN error", "activation", "weight", "random"], rows)
    print()
    let act = s.errors[.activation]! / s.rtnError
    let salient = synthetic.salientChannels.map(String.init).joined(separator: ", ")
    book.check(
        s.errors[.activation]! < s.errors[.weight]! && s.errors[.activation]! < s.errors[.random]!,
        "the synthetic layer's salient channels are found by activation, not by weight")
    book.check(
        s.channels[.activation]! == synthetic.salientChannels,
        "mean |x| finds the synthetic layer's salient channels")
    book.check(
        s.errors[.weight]! > 0.9 * s.rtnError && s.errors[.random]! > 0.9 * s.rtnError,
        "on the synthetic layer, weight norm and random keep the error near RTN's")
    book.say(
        """
        On the synthetic layer (inputs ~ N(0, 1), channels \(salient) \(Int(synthetic.magnitude))
        times larger) mean |x| finds exactly the salient channels, and keeping them leaves
        \(Fmt.percent(act, 1)) of RTN's error; by weight norm or at random the error stays near
        RTN's. On the trained layers the activation rule is the best of the three in
        \(activationWins) of \(names.count) (q stands for k and v, which read the same input and
        keep the same channel). Their largest mean |x| is at most \(Fmt.f(peak, 1)) times their
        median channel's, against \(Int(synthetic.magnitude)) for the synthetic salient channels:
        Chapter 6's small model has no emergent outliers of Chapter 3's size, and one kept
        channel of 64 moves its error less. Keeping float columns needs a mixed-precision
        kernel; AWQ gets the same protection inside one format by scaling.
        """)
}

private func row(_ name: String, columns: Int, _ r: SalientChannels.Report) -> [String] {
    let percent = { (rule: SalientChannels.Selection) in
        Fmt.percent(r.errors[rule]! / r.rtnError, 1)
    }
    return [
        name, "\(columns)", "\(r.kept)", Fmt.e(r.rtnError, 2), percent(.activation),
        percent(.weight), percent(.random),
    ]
}
