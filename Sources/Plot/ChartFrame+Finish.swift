extension ChartFrame {
    /// Lays a chart out, draws its data and finishes it; if the legend finds no free spot
    /// inside the plot, lays it out again with `rightReserve` room for the legend beside
    /// the plot, and draws the data a second time into the narrower plot.
    ///
    /// - Parameters:
    ///   - frame: builds the frame, leaving `rightReserve` pixels free right of the plot.
    ///   - data: draws the data into the frame (called once, or twice when the legend moves out).
    static func render(
        legend: [LegendEntry], frame make: (_ rightReserve: Int) -> ChartFrame,
        data draw: (inout ChartFrame) -> Void
    ) -> Canvas {
        var frame = make(0)
        draw(&frame)
        if let canvas = frame.finish(legend: legend, legendOutside: false) { return canvas }
        var narrower = make(Legend.size(legend).width + Legend.outsideGap)
        draw(&narrower)
        return narrower.finish(legend: legend, legendOutside: true) ?? narrower.canvas
    }

    /// Finishes a chart without a legend (heatmaps, strips).
    mutating func finish() -> Canvas {
        finish(legend: [], legendOutside: false) ?? canvas
    }

    /// Draws everything around the data — annotation labels where they hide no data, the
    /// frame, ticks, axis titles, title — then the legend (for two or more entries).
    ///
    /// Returns nil, having drawn only part of the chart, when `legendOutside` is false and
    /// no spot inside the plot is free for the legend (``render(legend:frame:data:)`` then
    /// starts again with room beside the plot).
    mutating func finish(legend entries: [LegendEntry], legendOutside: Bool) -> Canvas? {
        let data = PixelMask(changedFrom: withReferenceLines, to: canvas)
        let reference = PixelMask(changedFrom: background, to: withReferenceLines)
        var layout = ChartLayout(plot: plot, data: data, referenceLines: reference, valueLabels: valueLabels)
        let dataCounts = PixelCounts(data)
        let referenceCounts = PixelCounts(reference)
        layout.labels = drawAnnotationLabels(annotations, data: dataCounts, reference: referenceCounts)
        var legendBox: PixelRect?
        if entries.count >= 2 {
            let size = Legend.size(entries)
            if legendOutside {
                legendBox = PixelRect(
                    x: plot.maxX + Legend.outsideGap, y: plot.y, width: size.width, height: size.height)
            } else {
                guard
                    let spot = freeLegendSpot(
                        size: size, data: dataCounts, reference: referenceCounts, labels: layout.labels + annotationMarks(annotations))
                else { return nil }
                legendBox = spot
            }
        }
        canvas.strokeRect(plot.insetBy(-1), color: Style.frame)
        drawXTicks()
        drawYTicks()
        let scale = Style.labelScale
        if !xLabel.isEmpty {
            let xTickHeight =
                rotateXLabels
                ? (xGuide.ticks.map { BitmapFont.width(of: $0.label, scale: scale) }.max() ?? 0)
                : BitmapFont.capHeight * scale
            let y = plot.maxY + Style.tickLength + Self.labelGap + xTickHeight + 18
            let box = canvas.drawText(xLabel, x: plot.x + plot.width / 2, y: y, scale: scale, anchor: .topCenter)
            layout.xLabel = PlacedText(text: xLabel, box: box)
        }
        if !yLabel.isEmpty {
            let box = canvas.drawText(
                yLabel, x: Self.outerPad, y: plot.y + plot.height / 2, scale: scale, anchor: .middleLeft, rotated: true)
            layout.yLabel = PlacedText(text: yLabel, box: box, rotated: true)
        }
        for (index, line) in title.enumerated() {
            // Centred over the plot area, but kept on the canvas when that would push it off.
            let y = Self.outerPad + index * (BitmapFont.capHeight * titleScale + 14)
            let width = BitmapFont.width(of: line, scale: titleScale)
            let left = min(
                max(plot.x + plot.width / 2 - width / 2, Self.outerPad), canvas.width - Self.outerPad - width)
            canvas.drawText(line, x: max(left, 0), y: y, scale: titleScale)
        }
        if let legendBox {
            layout.legendSwatches = drawLegend(entries, in: legendBox)
            layout.legend = legendBox
            layout.legendIsOutside = legendOutside
        }
        canvas.layout = layout
        return canvas
    }
}
