extension CoverageMask {
    /// Covers the region between two polylines that share their x coordinates point by
    /// point — a ``Band`` in pixels:
    ///
    /// ```
    /// lower[i], upper[i]: the band's two edges at the same x (lower[i].x == upper[i].x)
    /// ```
    /// Every pixel column whose centre lies between two consecutive points is covered from
    /// one edge to the other, both edges interpolated linearly at the column centre; the
    /// top and bottom pixel of each column get the fraction of them inside (anti-aliased
    /// vertically). A non-finite point breaks the band, as it breaks a line.
    mutating func addBand(lower: [PixelPoint], upper: [PixelPoint]) {
        let count = min(lower.count, upper.count)
        guard count >= 2 else { return }
        for index in 1..<count {
            let a0 = lower[index - 1]
            let a1 = lower[index]
            let b0 = upper[index - 1]
            let b1 = upper[index]
            guard [a0.x, a0.y, a1.x, a1.y, b0.y, b1.y].allSatisfy(\.isFinite), a1.x != a0.x else { continue }
            // Columns whose centre c + ½ lies in [left, right].
            let left = min(a0.x, a1.x)
            let right = max(a0.x, a1.x)
            let first = pixelIndex((left - 0.5).rounded(.up), clampedTo: clip.x, clip.maxX)
            let last = pixelIndex((right - 0.5).rounded(.down), clampedTo: clip.x - 1, clip.maxX - 1)
            guard first <= last else { continue }
            for column in first...last {
                let t = (Double(column) + 0.5 - a0.x) / (a1.x - a0.x)
                let edge1 = a0.y + t * (a1.y - a0.y)
                let edge2 = b0.y + t * (b1.y - b0.y)
                let top = max(min(edge1, edge2), Double(clip.y))
                let bottom = min(max(edge1, edge2), Double(clip.maxY))
                guard top < bottom else { continue }
                let firstRow = pixelIndex(top, clampedTo: clip.y, clip.maxY - 1)
                let lastRow = pixelIndex(bottom, clampedTo: clip.y, clip.maxY - 1)
                for row in firstRow...lastRow {
                    let inside = min(Double(row + 1), bottom) - max(Double(row), top)
                    cover(x: column, y: row, amount: Float(min(max(inside, 0), 1)))
                }
            }
        }
    }
}
