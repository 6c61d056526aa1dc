import Plot

/// A loss curve for plotting: the mean of each run of `window` consecutive losses, placed at
/// the step that ends it.
public func smoothedSeries(_ name: String, _ losses: [Float], window: Int = 10) -> Series {
    let ends = Array(stride(from: window, through: losses.count, by: window))
    let means = ends.map { end in losses[(end - window)..<end].reduce(0.0) { $0 + Double($1) } / Double(window) }
    return Series(name: name, x: ends.map(Double.init), y: means)
}
