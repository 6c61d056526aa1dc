import Book
import Foundation
import GPTQ
import PostTraining

/// 10.7: the whole model — held-out loss of AWQ (± clip) against RTN and float32.
func wholeModelSection(
    _ book: Notebook, setup: AWQSetup, bits: Int, groupSizes: [Int], clipSampleTokens: Int,
    reused: [AWQRun]
) {
    book.section("10.7", "The whole model: held-out loss")
    book.say(
        """
        PostTraining.awq does what llm-awq's run_awq and apply_awq do: block by block, the block's
        calibration inputs are recorded from the model so far, the four scale groups searched,
        the scales folded in (and, with clip, the clip search run on the scaled weights and
        inputs); at the end every block linear holds Q(clip(W diag(s))) and computes in float32.
        RTN is the same run with the grid cut to alpha = 0 (AWQ's quantizer, float32 scales).
        GPTQ is Chapter 9's PostTraining.gptq (act-order, its own min-max grid, float16 scales as
        its checkpoints store them) on the same \(setup.calibration.windows) calibration windows.
        Bits per weight count the codes, a float16 scale and a \(bits)-bit zero per group (GPTQ's
        act-order also its g_idx), and AWQ's float16 GELU scales:
        """)
    let floatLoss = setup.heldOutLoss(setup.base)
    var rows: [[String]] = [["float32", "32", Fmt.f(floatLoss, 4), ""]]
    var losses: [String: Double] = [:]
    func add(_ q: QuantizedModel) {
        let loss = setup.heldOutLoss(q.model)
        losses[q.label] = loss
        rows.append([
            q.label, Fmt.f(q.bitsPerWeight, 3), Fmt.f(loss, 4),
            (loss >= floatLoss ? "+" : "") + Fmt.f(loss - floatLoss, 4),
        ])
        FileHandle.standardError.write(Data("\(q.label): \(Fmt.f(q.seconds, 2)) s\n".utf8))
    }
    let done = Dictionary(uniqueKeysWithValues: reused.map { ($0.quantized.label, $0.quantized) })
    let settings = groupSizes.map { (bits, $0) } + [(bits - 1, groupSizes[0])]
    for (b, g) in settings {
        let runs = [
            (false, 1, "RTN int\(b) g\(g)"), (false, 20, "AWQ int\(b) g\(g)"),
            (true, 20, "AWQ int\(b) g\(g) + clip"),
        ]
        for (clip, grid, label) in runs {
            // The runs of 10.3 and 10.6 are not repeated.
            add(
                done[label]
                    ?? PostTraining.awq(
                        setup.base, calibration: setup.calibration, bits: b, groupSize: g,
                        clip: clip, gridSize: grid, clipSampleTokens: clipSampleTokens,
                        label: label
                    ).quantized)
        }
        // Chapter 9's GPTQ on the same calibration windows, same bits and groups.
        add(
            book.attempt("GPTQ int\(b) g\(g)") {
                try PostTraining.gptq(
                    setup.base,
                    configuration: GPTQConfiguration(bits: b, groupSize: g, actOrder: true),
                    calibration: setup.calibration)
            })
    }
    book.table(["12 block matrices", "bits / weight", "held-out loss", "vs float32"], rows)
    print()
    let gains = settings.map { b, g in
        let rtn = losses["RTN int\(b) g\(g)"]!
        let clip = losses["AWQ int\(b) g\(g) + clip"].map { " / " + Fmt.f(rtn - $0, 4) } ?? ""
        return "int\(b) g\(g) " + Fmt.f(rtn - losses["AWQ int\(b) g\(g)"]!, 4) + clip
    }
    let gptqGains = settings.map { b, g in
        let awq = losses.filter { $0.key.hasPrefix("AWQ int\(b) g\(g)") }.values.min()!
        let gptq = losses.first { $0.key.hasPrefix("GPTQ int\(b) g\(g)") }!.value
        return "int\(b) g\(g) " + Fmt.f(awq - gptq, 4)
    }
    book.say(
        """
        RTN's held-out loss minus AWQ's at the same bits and group size (positive: AWQ is better),
        without / with clipping: \(gains.joined(separator: ", ")) nats. The search never
        loses to RTN on
        its own objective
        (10.4), but that objective is one group's output on the calibration text, not the
        model's loss on new text: where 4 bits already cost the model little, the two can
        disagree in either direction. GPTQ against the best AWQ row at the same bits and group
        size (positive: GPTQ is better): \(gptqGains.joined(separator: ", ")) nats.
        """)
}
