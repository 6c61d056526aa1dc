import Foundation
import Plot

extension Fmt {
    /// Thousands separated by commas: 107904 → "107,904".
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = n < 0 ? "-" : ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }
}

extension Notebook {
    /// A chapter-level check on a measured claim (a margin, a bound). Breaking it is an error:
    /// one line on stderr and exit 1, so the book run and the golden test both fail loudly.
    public func check(_ condition: Bool, _ message: String) {
        guard !condition else { return }
        FileHandle.standardError.write(Data("error: check failed: \(message)\n".utf8))
        exit(1)
    }
}

/// A loss curve for plotting: the mean of each run of `window` consecutive losses, placed at
/// the step that ends it.
public func smoothedSeries(_ name: String, _ losses: [Float], window: Int = 10) -> Series {
    let ends = Array(stride(from: window, through: losses.count, by: window))
    let means = ends.map { end in losses[(end - window)..<end].reduce(0.0) { $0 + Double($1) } / Double(window) }
    return Series(name: name, x: ends.map(Double.init), y: means)
}
