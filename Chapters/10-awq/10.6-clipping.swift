import AWQ
import Book
import PostTraining

/// 10.6: the clipping search (auto_clip_layer) on the scaled weights of the whole model.
func clippingSection(
    _ book: Notebook, setup: AWQSetup, bits: Int, groupSize: Int, sampleTokens: Int
) -> AWQRun {
    book.section("10.6", "Clipping: a smaller range for each group")
    let stride = setup.calibrationTokens / sampleTokens
    book.say(
        """
        After scaling, AWQ may shrink each group's range (ClipSearch; auto_clip_layer): for each
        output row and group, max |w| times 1, 0.95, ..., 0.55 is tried, the weights clamped to
        it and quantized, and the shrink whose group output is closest to the float one on
        sampled calibration tokens is kept. A smaller range clips a few large weights and rounds
        all the others on a finer step. The search runs on the scaled weights W diag(s) and the
        scaled inputs X / s (apply_scale divides the cached inputs first). q and k are not
        clipped: the reference skips them (their errors pass through the softmax, which the
        per-group output cannot see). The reference samples every 128th of its 65,536
        calibration tokens (n_sample_token 512); here every
        \(stride)th of \(setup.calibrationTokens)
        (\(sampleTokens) tokens), to keep the chapter's run short. Over the whole model,
        \(bits)-bit g\(groupSize):
        """)
    let run = PostTraining.awq(
        setup.base, calibration: setup.calibration, bits: bits, groupSize: groupSize, clip: true,
        clipSampleTokens: sampleTokens)
    var rows: [[String]] = []
    var clippedGroups = 0, allGroups = 0
    for name in setup.base.blockLinearNames {
        guard let maxValues = run.clipMaxValues[name] else { continue }
        let scaled = run.folded.linearLayers.first { $0.name == name }!.layer.parameters[0].value
        var shrunk = 0
        var shrink = 0.0
        for (i, m) in maxValues.enumerated() {
            let start = i * groupSize
            let top = scaled[start..<(start + groupSize)].map(abs).max()!
            if m < top { shrunk += 1 }
            shrink += Double(m / top)
        }
        clippedGroups += shrunk
        allGroups += maxValues.count
        rows.append([
            name, "\(maxValues.count)", Fmt.percent(Double(shrunk) / Double(maxValues.count), 0),
            Fmt.f(shrink / Double(maxValues.count), 3),
        ])
    }
    book.table(["layer", "groups", "clipped", "mean chosen max / max |w|"], rows)
    print()
    book.check(
        run.clipMaxValues.keys.allSatisfy { !$0.hasSuffix(".query") && !$0.hasSuffix(".key") },
        "q and k are not clipped")
    book.say(
        """
        \(Fmt.percent(Double(clippedGroups) / Double(allGroups), 0)) of the \(allGroups) groups
        chose a range below their largest |w|. What that does to the model's loss is in 10.7.
        """)
    return run
}
