import Core
import Foundation
import TestSupport
import Testing
import TensorIO

/// The path of a file in Tests/Blockwise8Tests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

func loadFloats(_ name: String) throws -> [Float] { try Fixtures(.module).floats(name) }
func loadBytes(_ name: String) throws -> [UInt8] { try Fixtures(.module).bytes(name) }

