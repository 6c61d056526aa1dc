/// A new `[Float]` of `count` values, every one of them written by `body` — without the zero
/// fill of `[Float](repeating: 0, count:)`, which `body` would overwrite anyway. (The layers
/// allocate a few megabytes of outputs per training step; filling them first cost 2–3 % of
/// the step.) `body` must write all `count` values: reading one it has not written is
/// undefined.
@inlinable
public func uninitializedFloats(count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if let base = buffer.baseAddress { body(base) }
        initialized = count
    }
}
