#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few transcendental functions Core needs, from the platform's C math library,
/// gathered in one place so no other file has to import Glibc or Darwin.
public enum Math {
    @inlinable public static func log(_ x: Double) -> Double { _log(x) }
    @inlinable public static func log10(_ x: Double) -> Double { _log10(x) }
    @inlinable public static func log2(_ x: Double) -> Double { _log2(x) }
    @inlinable public static func exp(_ x: Double) -> Double { _exp(x) }
    @inlinable public static func sin(_ x: Double) -> Double { _sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { _cos(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { _pow(x, y) }
    @inlinable public static func erf(_ x: Double) -> Double { _erf(x) }
    @inlinable public static func erfc(_ x: Double) -> Double { _erfc(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { _tanh(x) }
}

@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _log10(_ x: Double) -> Double { log10(x) }
@usableFromInline func _log2(_ x: Double) -> Double { log2(x) }
@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
@usableFromInline func _sin(_ x: Double) -> Double { sin(x) }
@usableFromInline func _cos(_ x: Double) -> Double { cos(x) }
@usableFromInline func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@usableFromInline func _erf(_ x: Double) -> Double { erf(x) }
@usableFromInline func _erfc(_ x: Double) -> Double { erfc(x) }
@usableFromInline func _tanh(_ x: Double) -> Double { tanh(x) }
