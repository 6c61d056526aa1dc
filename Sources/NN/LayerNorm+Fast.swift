import Core

/// The fast path of `LayerNorm`: `referenceForward` and `referenceBackward`'s arithmetic over
/// buffer pointers, four rows at a time (one per SIMD lane), bit for bit the same Floats
/// (`LayerNormFastPathTests`). See the type's documentation in LayerNorm.swift for why.
extension LayerNorm {
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == features, "LayerNorm \(weight.name): input has \(x.cols) features, expected \(features)")
        let c = features
        inputShape = x.shape
        normalized = [Float](repeating: 0, count: x.count)
        rstd = [Float](repeating: 0, count: x.rows)
        var y = [Float](repeating: 0, count: x.count)
        x.data.withUnsafeBufferPointer { x in
        weight.value.withUnsafeBufferPointer { gamma in
        bias.value.withUnsafeBufferPointer { beta in
        normalized.withUnsafeMutableBufferPointer { normalized in
        rstd.withUnsafeMutableBufferPointer { rstd in
        y.withUnsafeMutableBufferPointer { y in
            var r0 = 0
            while r0 < rstd.count {
                // Four rows at once, one per SIMD lane: each lane's sums run over j in order,
                // exactly the one-row loop; four chains interleave instead of waiting on one.
                let group = Swift.min(4, rstd.count &- r0)
                let rows = Self.laneOffsets(first: r0, count: group, stride: c)
                var mean = SIMD4<Float>()
                for j in 0..<c { mean += Self.gather(x.baseAddress!, rows, j) }
                mean /= Float(c)
                var variance = SIMD4<Float>()
                for j in 0..<c {
                    let d = Self.gather(x.baseAddress!, rows, j) - mean
                    variance += d * d
                }
                variance /= Float(c)
                let rstdLanes = 1 / (variance + epsilon).squareRoot()
                for lane in 0..<group {
                    let row = rows[lane], s = rstdLanes[lane], rowMean = mean[lane]
                    rstd[r0 &+ lane] = s
                    for j in 0..<c {
                        let xHat = (x[row &+ j] - rowMean) * s
                        normalized[row &+ j] = xHat
                        y[row &+ j] = gamma[j] * xHat + beta[j]
                    }
                }
                r0 &+= group
            }
        }}}}}}
        return Tensor(shape: x.shape, data: y)
    }

    /// dL/dx, accumulating dγ and dβ: `referenceBackward`'s loops over buffer pointers.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!inputShape.isEmpty, "LayerNorm \(weight.name): backward called before forward")
        precondition(
            dy.shape == inputShape,
            "LayerNorm \(weight.name): dy has shape \(dy.shape), expected \(inputShape)")
        let c = features
        var dx = [Float](repeating: 0, count: dy.count)
        dy.data.withUnsafeBufferPointer { dy in
        weight.value.withUnsafeBufferPointer { gamma in
        weight.grad.withUnsafeMutableBufferPointer { dGamma in
        bias.grad.withUnsafeMutableBufferPointer { dBeta in
        normalized.withUnsafeBufferPointer { normalized in
        rstd.withUnsafeBufferPointer { rstd in
        dx.withUnsafeMutableBufferPointer { dx in
            var r0 = 0
            while r0 < rstd.count {
                // The two means of four rows at once, one row per SIMD lane (as in forward).
                let group = Swift.min(4, rstd.count &- r0)
                let rows = Self.laneOffsets(first: r0, count: group, stride: c)
                var meanG = SIMD4<Float>(), meanGXHat = SIMD4<Float>()
                for j in 0..<c {
                    let g = Self.gather(dy.baseAddress!, rows, j) * gamma[j]
                    meanG += g
                    meanGXHat += g * Self.gather(normalized.baseAddress!, rows, j)
                }
                meanG /= Float(c)
                meanGXHat /= Float(c)
                for lane in 0..<group {  // rows in order, so dγ and dβ add up in the reference's order
                    let row = rows[lane], s = rstd[r0 &+ lane], rowMeanG = meanG[lane], rowMeanGXHat = meanGXHat[lane]
                    for j in 0..<c {
                        let xHat = normalized[row &+ j]
                        let g = dy[row &+ j] * gamma[j]
                        dBeta[j] += dy[row &+ j]
                        dGamma[j] += dy[row &+ j] * xHat
                        dx[row &+ j] = s * (g - rowMeanG - xHat * rowMeanGXHat)
                    }
                }
                r0 &+= group
            }
        }}}}}}}
        return Tensor(shape: inputShape, data: dx)
    }

    /// Offsets of rows first ..< first + count (count ≤ 4) in four lanes; missing lanes repeat
    /// the first row (their results are not used).
    @inline(__always)
    static func laneOffsets(first: Int, count: Int, stride: Int) -> SIMD4<Int> {
        let o = first &* stride
        return SIMD4(o, count > 1 ? o &+ stride : o, count > 2 ? o &+ 2 &* stride : o, count > 3 ? o &+ 3 &* stride : o)
    }

    /// (v[rows[0] + j], …, v[rows[3] + j]).
    @inline(__always)
    static func gather(_ v: UnsafePointer<Float>, _ rows: SIMD4<Int>, _ j: Int) -> SIMD4<Float> {
        SIMD4(v[rows[0] &+ j], v[rows[1] &+ j], v[rows[2] &+ j], v[rows[3] &+ j])
    }
}
