/// PyTorch's float32 `x.pow(α)` on an AVX2 CPU: SLEEF's `Sleef_powf8_u10` (SLEEF 3.x,
/// `xpowf` in `sleefsimdsp.c`, FMA build), evaluated lane by lane — for the positive, finite
/// x and the α in [0, 1) that AWQ's scale formula meets.
///
/// ```
/// pow(x, y) = exp(y · log x), with log x and the product carried as a "double-float"
///             (a pair hi + lo of floats, ~48 bits) so the result is within 1 ulp
/// log x:  x = m · 2^e with m in [0.75, 1.5);  t = (m − 1)/(m + 1)
///         log x = e·ln 2 + 2t + t³·(c + t²·P(t²))        (odd series of atanh)
/// exp z:  q = rint(z / ln 2);  s = z − q·ln 2;  exp z = 2^q · (1 + s + s²·P(s))
/// ```
///
/// Why it is here: glibc's `powf` is correctly rounded; SLEEF's is accurate to 1 ulp and
/// differs from it in the last bit for a few inputs (3 of the 640 best scales of the
/// reference cases). One ulp in a scale s[c] moves W·s and (W·s)/s in column c, so with
/// `powf` 1 % of an MLP weight's W_awq was not bit-equal; with this port all are.
///
/// Checked: equal to PyTorch's result for all 639 nonzero x_max of the reference cases at
/// their best ratio (glibc's `powf`: 3 differ); against `powf` on 404,111 (x, i/20) pairs it
/// differs in 1.8 % of them, never by more than 1 ulp (SLEEF's stated accuracy).
///
/// Special values follow SLEEF: y = 0 or x = 1 give 1; x = 0 gives 0 for y > 0; NaN gives
/// NaN. Negative x (never an AWQ input, which is a mean of |x|) returns NaN.
public enum TorchPow {

    /// x^y as PyTorch computes it on the CPU (AVX2) in float32.
    public static func pow(_ x: Float, _ y: Float) -> Float {
        if x.isNaN || y.isNaN { return .nan }
        if y == 0 || x == 1 { return 1 }
        if x == 0 { return y > 0 ? 0 : .infinity }
        if x < 0 { return .nan }
        if x.isInfinite { return y > 0 ? .infinity : 0 }
        let result = expDF(mul(logDF(x), y))
        return result.isNaN ? .infinity : result
    }

    // MARK: double-float arithmetic (SLEEF `df.h`, FMA variants)

    /// A value hi + lo held as two floats.
    struct DF { var hi: Float; var lo: Float }

    /// a · b + c with one rounding (`vfma`).
    static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float { c.addingProduct(a, b) }
    /// a · b − c with one rounding (`vfmapn`).
    static func fmapn(_ a: Float, _ b: Float, _ c: Float) -> Float { (-c).addingProduct(a, b) }
    /// −a · b + c with one rounding (`vfmanp`).
    static func fmanp(_ a: Float, _ b: Float, _ c: Float) -> Float { c.addingProduct(-a, b) }

    static func add2(_ x: Float, _ y: Float) -> DF {
        let s = x + y, v = s - x
        return DF(hi: s, lo: (x - (s - v)) + (y - v))
    }
    static func add2(_ x: DF, _ y: Float) -> DF {
        let s = x.hi + y, v = s - x.hi
        return DF(hi: s, lo: ((x.hi - (s - v)) + (y - v)) + x.lo)
    }
    static func add2(_ x: DF, _ y: DF) -> DF {
        let s = x.hi + y.hi, v = s - x.hi
        return DF(hi: s, lo: ((x.hi - (s - v)) + (y.hi - v)) + (x.lo + y.lo))
    }
    /// x + y assuming |x| ≥ |y|.
    static func add(_ x: DF, _ y: DF) -> DF {
        let s = x.hi + y.hi
        return DF(hi: s, lo: (((x.hi - s) + y.hi) + x.lo) + y.lo)
    }
    static func add(_ x: Float, _ y: DF) -> DF {
        let s = x + y.hi
        return DF(hi: s, lo: ((x - s) + y.hi) + y.lo)
    }
    static func normalize(_ t: DF) -> DF {
        let s = t.hi + t.lo
        return DF(hi: s, lo: (t.hi - s) + t.lo)
    }
    static func scale(_ d: DF, _ s: Float) -> DF { DF(hi: d.hi * s, lo: d.lo * s) }
    static func mul(_ x: DF, _ y: Float) -> DF {
        let s = x.hi * y
        return DF(hi: s, lo: fma(x.lo, y, fmapn(x.hi, y, s)))
    }
    static func mul(_ x: DF, _ y: DF) -> DF {
        let s = x.hi * y.hi
        return DF(hi: s, lo: fma(x.hi, y.lo, fma(x.lo, y.hi, fmapn(x.hi, y.hi, s))))
    }
    static func square(_ x: DF) -> DF {
        let s = x.hi * x.hi
        return DF(hi: s, lo: fma(x.hi + x.hi, x.lo, fmapn(x.hi, x.hi, s)))
    }
    static func div(_ n: DF, _ d: DF) -> DF {
        let t = 1 / d.hi
        let s = n.hi * t
        let u = fmapn(t, n.hi, s)
        let v = fmanp(d.lo, t, fmanp(d.hi, t, 1))
        return DF(hi: s, lo: fma(s, v, fma(n.lo, t, u)))
    }

    // MARK: SLEEF's logkf and expkf

    /// log x as a double-float (`logkf`), x > 0 finite.
    static func logDF(_ x: Float) -> DF {
        var d = x
        let tiny = d < Float.leastNormalMagnitude
        if tiny { d *= Float(UInt64(1) << 32) * Float(UInt64(1) << 32) }
        var e = Int32((d * (1 / Float(0.75))).bitPattern >> 23 & 0xff) - 0x7f
        // m = d · 2^−e by adding −e to the exponent bits: m in [0.75, 1.5)
        let mBits = Int32(bitPattern: d.bitPattern) &+ ((-e) << 23)
        let m = Float(bitPattern: UInt32(bitPattern: mBits))
        if tiny { e -= 64 }
        let t0 = div(add2(-1, m), add2(1, m))
        let t2 = square(t0)
        var p: Float = 0.240320354700088500976562
        p = fma(p, t2.hi, 0.285112679004669189453125)
        p = fma(p, t2.hi, 0.400007992982864379882812)
        let c = DF(hi: 0.66666662693023681640625, lo: 3.69183861259614332084311e-09)
        var s = mul(DF(hi: 0.69314718246459960938, lo: -1.904654323148236017e-09), Float(e))
        s = add(s, scale(t0, 2))
        s = add(s, mul(mul(t2, t0), add2(mul(t2, p), c)))
        return s
    }

    /// exp of a double-float (`expkf`).
    static func expDF(_ d: DF) -> Float {
        let l2u: Float = 0.693145751953125, l2l: Float = 1.428606765330187045e-06
        let rln2: Float = 1.442695040888963407359924681001892137426645954152985934135449406931
        let z = (d.hi + d.lo) * rln2
        let q = Int32(z.rounded(.toNearestOrEven))
        var s = add2(d, Float(q) * -l2u)
        s = add2(s, Float(q) * -l2l)
        s = normalize(s)
        var u: Float = 0.00136324646882712841033936
        u = fma(u, s.hi, 0.00836596917361021041870117)
        u = fma(u, s.hi, 0.0416710823774337768554688)
        u = fma(u, s.hi, 0.166665524244308471679688)
        u = fma(u, s.hi, 0.499999850988388061523438)
        var t = add(s, mul(square(s), u))
        t = add(1, t)
        let r = ldexp(t.hi + t.lo, q)
        return d.hi < -104 ? 0 : r
    }

    /// x · 2^q in four steps so no intermediate overflows (`vldexp_vf_vf_vi2`).
    static func ldexp(_ x: Float, _ q0: Int32) -> Float {
        var q = q0
        var m = q >> 31
        m = (((m &+ q) >> 6) &- m) << 4
        q = q &- (m << 2)
        m = m &+ 0x7f
        m = m > 0 ? m : 0
        m = m > 0xff ? 0xff : m
        var u = Float(bitPattern: UInt32(m) << 23)
        let r = x * u * u * u * u
        u = Float(bitPattern: UInt32(bitPattern: (q &+ 0x7f) << 23))
        return r * u
    }
}
