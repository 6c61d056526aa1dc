import Core
import Foundation
import TensorIO

/// Reference vectors a test target carries in its `Fixtures/` folder (copied into its bundle).
///
/// Each target passes its own `Bundle.module`: `let fixtures = Fixtures(.module)`.
public struct Fixtures {
    public let bundle: Bundle

    public init(_ bundle: Bundle) { self.bundle = bundle }

    /// The path of `Fixtures/<name>`; a missing file is a thrown error naming it.
    public func path(_ name: String) throws -> String {
        guard let url = bundle.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw MissingFixture(name: name)
        }
        return url.path
    }

    public func raw(_ name: String) throws -> RawTensor { try NPY.read(contentsOf: path(name)) }
    public func floats(_ name: String) throws -> [Float] { try raw(name).floats() }
    public func bytes(_ name: String) throws -> [UInt8] { try raw(name).uint8s() }

    /// A float fixture as a Tensor of its own shape.
    public func tensor(_ name: String) throws -> Tensor {
        let r = try raw(name)
        return Tensor(shape: r.shape, data: try r.floats())
    }

    public struct MissingFixture: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "fixture \(name) is missing from the test bundle" }
    }
}
