import Foundation
import TinyGPT

/// Training progress on one line of standard error, rewritten in place with a carriage
/// return — the way `tqdm` and llm.c's `printf("step %d/%d: train loss %f (%f ms, %.0f tok/s)")`
/// report, minus the scrolling.
///
/// ```
/// step  340/800  loss 0.6123  52,310 tok/s  6.5 s
/// ```
///
/// Standard error, not standard output: the timings change from run to run, and a chapter's
/// standard output is compared with its golden `expected.txt`. Redraws at most every
/// `interval` seconds (and always on the last step) so printing never slows training.
public final class ProgressLine {
    public let label: String
    public let interval: Double
    private var lastDraw = -Double.infinity

    public init(label: String = "", interval: Double = 0.1) {
        self.label = label
        self.interval = interval
    }

    /// Draws the line for this step; pass as `progress:` to `Trainer.train`.
    public func report(_ p: Trainer.Progress) {
        let last = p.step == p.steps
        guard last || p.seconds - lastDraw >= interval else { return }
        lastDraw = p.seconds
        let width = String(p.steps).count
        let step = String(repeating: " ", count: max(0, width - String(p.step).count)) + String(p.step)
        let line = "\r\(label.isEmpty ? "" : label + "  ")step \(step)/\(p.steps)"
            + "  loss \(Fmt.f(Double(p.loss), 4))"
            + "  \(Fmt.grouped(Int(p.tokensPerSecond.rounded()))) tok/s  \(Fmt.f(p.seconds, 1)) s"
        FileHandle.standardError.write(Data((line + (last ? "\n" : "")).utf8))
    }
}
