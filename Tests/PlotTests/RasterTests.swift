import Testing

@testable import Plot

@Suite struct RasterTests {
    /// Coverage of a pixel painted black on white: 0 (white) … 1 (black).
    static func coverage(_ canvas: Canvas, _ x: Int, _ y: Int) -> Double {
        Double(255 - Int(canvas[x, y].r)) / 255
    }

    /// Wherever a horizontal 2 px line falls — on a pixel edge, a centre or between — the
    /// coverage in each column adds up to 2 pixels: anti-aliasing moves ink, it does not add any.
    @Test(arguments: [20.0, 20.25, 20.5, 20.8])
    func aTwoPixelLineCoversTwoPixelsPerColumn(y: Double) {
        var canvas = Canvas(width: 60, height: 40)
        canvas.drawLine(from: PixelPoint(5, y), to: PixelPoint(55, y), color: .black, width: 2)
        for x in 10..<50 {
            let total = (0..<40).reduce(0.0) { $0 + Self.coverage(canvas, x, $1) }
            #expect(abs(total - 2) < 0.02, "column \(x): coverage \(total) for a line at y = \(y)")
        }
    }

    @Test func aLineOnPixelEdgesIsCrisp() {
        var canvas = Canvas(width: 60, height: 40)
        canvas.drawLine(from: PixelPoint(5, 20), to: PixelPoint(55, 20), color: .black, width: 2)
        #expect(canvas[30, 19] == .black && canvas[30, 20] == .black)
        #expect(canvas[30, 18] == .white && canvas[30, 21] == .white)
    }

    @Test func aDiagonalLineIsAntiAliased() {
        var canvas = Canvas(width: 60, height: 60)
        canvas.drawLine(from: PixelPoint(5, 7), to: PixelPoint(50, 31), color: .black)
        var partial = 0
        var full = 0
        for y in 0..<60 {
            for x in 0..<60 {
                let value = canvas[x, y].r
                if value == 0 { full += 1 } else if value < 255 { partial += 1 }
            }
        }
        #expect(partial > 40, "only \(partial) partly covered pixels: the edge is jagged")
        #expect(full > 40, "only \(full) fully covered pixels: the line is too faint")
    }

    @Test func polylineJointsAreNotPaintedTwice() {
        // A half-transparent polyline: where two segments meet, a double blend would be darker.
        var canvas = Canvas(width: 80, height: 60)
        canvas.drawPolyline([PixelPoint(10, 30), PixelPoint(40, 30), PixelPoint(70, 10)], color: .black, alpha: 0.5)
        // Pixel (39, 29) is fully inside both segments' capsules; (25, 29) only inside the first.
        #expect(canvas[39, 29].r == canvas[25, 29].r, "joint \(canvas[39, 29]) vs straight part \(canvas[25, 29])")
        #expect(
            [127, 128].contains(canvas[25, 29].r),
            "a fully covered pixel at 50 % should be mid grey, got \(canvas[25, 29])")
    }

    @Test func nonFinitePointsBreakAPolyline() {
        var canvas = Canvas(width: 100, height: 40)
        canvas.drawPolyline(
            [PixelPoint(10, 20), PixelPoint(40, 20), PixelPoint(.nan, 20), PixelPoint(60, 20), PixelPoint(90, 20)],
            color: .black)
        #expect(canvas[25, 20] == .black && canvas[75, 20] == .black)
        #expect(canvas[50, 20] == .white, "the gap between x = 40 and 60 was bridged")
    }

    @Test func drawingFarOffTheCanvasIsClippedNotFatal() {
        var canvas = Canvas(width: 50, height: 50)
        canvas.drawLine(from: PixelPoint(-1e15, 25), to: PixelPoint(1e15, 25.5), color: .black)
        canvas.fillDisc(center: PixelPoint(1e300, -1e300), radius: 3, color: .black)
        canvas.drawText("far away", x: 10_000, y: -500)
        #expect(canvas[25, 25] == .black)
    }

    /// The fast path (decimated polyline) against the naive one (every segment drawn).
    @Test func decimationDrawsTheSameLineAsEverySegment() {
        var rng = TestRNG(seed: 99)
        let points = (0..<20_000).map { PixelPoint(20 + Double($0) / 100, 100 + 40 * rng.normal()) }
        let clip = PixelRect(x: 0, y: 0, width: 260, height: 260)
        var naive = CoverageMask(width: 260, height: 260, clip: clip)
        for index in points.indices.dropFirst() {
            naive.addSegment(from: points[index - 1], to: points[index], lineWidth: 2)
        }
        var fast = CoverageMask(width: 260, height: 260, clip: clip)
        fast.addPolyline(points, lineWidth: 2, style: .solid)
        #expect(
            CoverageMask.decimated(points).count <= 4 * 201,
            "decimation kept \(CoverageMask.decimated(points).count) points")
        // Joins between columns differ slightly; everywhere else the ink is identical.
        var differing = 0
        var inked = 0
        for index in naive.coverage.indices {
            if naive.coverage[index] > 0 { inked += 1 }
            if abs(naive.coverage[index] - fast.coverage[index]) > 0.5 { differing += 1 }
        }
        #expect(
            Double(differing) < 0.01 * Double(inked), "\(differing) of \(inked) inked pixels differ by more than half")
    }
}

extension RasterTests {
    /// The windowed, inlined loop of `addSegment` against the plain distance formula
    /// evaluated at every pixel of the canvas: no pixel may be missed or mis-covered.
    @Test(arguments: [(5.3, 7.9, 40.2, 12.4), (20.5, 3.5, 22.0, 45.5), (10, 10, 10, 10), (44.7, 40.1, 3.2, 2.8)])
    func segmentCoverageIsTheDistanceFormulaAtEveryPixel(segment: (Double, Double, Double, Double)) {
        let a = PixelPoint(segment.0, segment.1)
        let b = PixelPoint(segment.2, segment.3)
        var mask = CoverageMask(width: 50, height: 50, clip: PixelRect(x: 0, y: 0, width: 50, height: 50))
        mask.addSegment(from: a, to: b, lineWidth: 2)
        var worst = 0.0
        for y in 0..<50 {
            for x in 0..<50 {
                let distance = CoverageMask.distance(
                    from: PixelPoint(Double(x) + 0.5, Double(y) + 0.5), toSegment: a, b)
                let expected = min(max(1.5 - distance, 0), 1)
                worst = max(worst, abs(expected - Double(mask.coverage[y * 50 + x])))
            }
        }
        // Float storage: 1e-6 is rounding, anything bigger is a missed or wrong pixel.
        #expect(worst < 1e-6, "largest coverage difference \(worst)")
    }
}
