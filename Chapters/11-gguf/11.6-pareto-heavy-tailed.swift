import Foundation
import Book
import Core
import GGML

/// 11.6: the same schemes on a heavy-tailed synthetic matrix (Student-t, 3 degrees of
/// freedom) with synthetic inputs whose channels differ in scale — the weights of 11.2 and
/// 11.3's tables, now with every scheme and the front, to see which choices depend on the data.
func heavyTailedParetoSection(
    _ book: Notebook, matrix w: [Float], rows: Int, columns: Int, seed: UInt64,
    formats: [any BlockFormat.Type], trained: [ParetoPoint]
) {
    book.section("11.6", "The front on heavy tails: a Student-t matrix")
    // 8 calibration rows per input channel: with 4 per channel (1024 rows) GPTQ fits the
    // noise of its Hessian (it beat round-to-nearest on its own rows and lost on held-out
    // ones); 64 per channel, what GPTQ's 128 x 2048 tokens give a 4096-wide layer, changed the
    // errors by < 1 % at four times the time.
    let (calibrationRows, heldOutRows) = (8 * columns, 1024)
    let inputs = channelScaledInputs(
        rows: calibrationRows + heldOutRows, columns: columns, seed: seed)
    let split = calibrationRows * columns
    let calibration = Tensor(shape: [calibrationRows, columns], data: Array(inputs.data[..<split]))
    let heldOut = Tensor(shape: [heldOutRows, columns], data: Array(inputs.data[split...]))
    book.say(
        """
        The same schemes on the Student-t matrix of 11.2 (\(rows) x \(columns), 3 degrees of
        freedom: rare weights many times the typical one, the shape outliers give trained
        layers). The inputs are synthetic too: row x[j] = N(0, 1) * exp(0.75 z_j) with one
        z_j ~ N(0, 1) per input channel (seed \(seed)), so some channels are ten times louder
        than others - what GPTQ's Hessian and AWQ's activation scales feed on, the recipe of the
        reference GPTQ cases. GPTQ and AWQ calibrate on \(calibration.rows) rows; the error is
        measured on \(heldOut.rows) others.
        """)
    let points = book.attempt("the schemes on the Student-t matrix") {
        try paretoPoints(
            w, rows: rows, columns: columns, calibration: calibration, heldOut: heldOut,
            windowLength: 64, formats: formats)
    }
    let front = paretoFront(points)
    paretoTable(book, points, front: front)
    paretoFigure(
        book, points: points, front: front,
        title: "Bits per weight against output error (Student-t matrix)",
        name: "pareto-heavy-tailed",
        caption: "every scheme of the book on the heavy-tailed matrix; the front's points labelled")
    func error(_ label: String, _ on: [ParetoPoint]) -> Double {
        on.first { $0.label == label }!.error
    }
    let trainedFront = paretoFront(trained)
    let joined = front.filter { p in !trainedFront.contains { $0.label == p.label } }
    let left = trainedFront.filter { p in !front.contains { $0.label == p.label } }
    let fp4OverNF4 = error("FP4 b64", points) / error("NF4 b64", points)
    let gptq = error("GPTQ int4 g32", points) / error("RTN int4 g32", points)
    let gptqTrained = error("GPTQ int4 g32", trained) / error("RTN int4 g32", trained)
    let awq = error("AWQ int4 g32", points) / error("RTN int4 g32", points)
    book.check(front.count >= 3, "the heavy-tailed front has at least three schemes")
    book.check(awq < 1, "AWQ int4 beats round-to-nearest int4 on the heavy-tailed matrix")
    book.check(fp4OverNF4 > 1, "NF4 beats FP4 on the heavy-tailed matrix")
    book.say(
        """
        \(front.count) of \(points.count) schemes are on this front: \
        \(front.map(\.label).joined(separator: ", ")). Against the trained layer's front, \
        \(listed(joined, "joined")) and \(listed(left, "left")): \
        which format is "right" depends on the weights and the inputs, which is why the posts \
        end with "measure on your model". At int4 g32, GPTQ's error is \(Fmt.f(gptq, 2))x \
        round-to-nearest's here (\(Fmt.f(gptqTrained, 2))x on the trained layer of 11.5) and \
        AWQ's \(Fmt.f(awq, 2))x: on these weights rescaling the loud input channels pays and \
        the error feedback does not. FP4's error is \(Fmt.f(fp4OverNF4, 2))x NF4's.
        """)
}

/// "A, B joined" or "none joined".
private func listed(_ points: [ParetoPoint], _ verb: String) -> String {
    points.isEmpty ? "none \(verb)" : points.map(\.label).joined(separator: ", ") + " " + verb
}

/// `rows` input rows whose channel j is N(0, 1) * exp(0.75 z_j), z_j ~ N(0, 1) drawn once per
/// channel (the per-channel scale of the reference GPTQ cases, README group K).
func channelScaledInputs(rows: Int, columns: Int, seed: UInt64) -> Tensor {
    var rng = SeededRNG(seed: seed)
    let scales = (0..<columns).map { _ in Float(exp(0.75 * rng.normal())) }
    let values = rng.normalFloats(rows * columns)
    return Tensor(
        shape: [rows, columns], data: values.indices.map { values[$0] * scales[$0 % columns] })
}
