import Foundation
import Testing

@testable import TensorIO

/// The URL of a file in Tests/TensorIOTests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String {
    let url = try #require(
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
        "fixture \(name) is missing from the test bundle")
    return url.path
}

/// The bytes of a fixture file.
func fixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixturePath(name))))
}

/// nil if the arrays are equal; otherwise a sentence naming the first difference, so a failing
/// `#expect(firstMismatch(a, b) == nil)` says where and what.
func firstMismatch<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
    if actual.count != expected.count {
        return "count \(actual.count), expected \(expected.count)"
    }
    guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
    return "first mismatch at index \(index): got \(actual[index]), expected \(expected[index])"
}

/// Compares floats by bit pattern, so -0.0 ≠ 0.0 and NaNs compare.
func firstBitMismatch(_ actual: [Float], _ expected: [Float]) -> String? {
    firstMismatch(actual.map(\.bitPattern), expected.map(\.bitPattern)).map { "\($0) (bit patterns)" }
}

/// Runs `body` and returns the `TensorFileError` it threw (nil if it threw nothing or
/// something else), for checks on the error's payload.
func tensorFileError(_ body: () throws -> Any) -> TensorFileError? {
    do {
        _ = try body()
        return nil
    } catch let error as TensorFileError {
        return error
    } catch {
        return nil
    }
}

/// A `.npy` file with the given header literal (padded to 64 bytes like NumPy) and data.
func npyBytes(header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
    let lengthFieldSize = version == 1 ? 2 : 4
    var text = Array(header.utf8)
    let unpadded = 8 + lengthFieldSize + text.count + 1
    text += [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64) + [0x0A]
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
    for index in 0..<lengthFieldSize {
        bytes.append(UInt8(truncatingIfNeeded: text.count >> (8 * index)))
    }
    return bytes + text + data
}

/// A `.safetensors` file with the given header JSON (unpadded) and data buffer.
func safetensorsBytes(json: String, buffer: [UInt8] = []) -> [UInt8] {
    let header = Array(json.utf8)
    var bytes: [UInt8] = []
    for index in 0..<8 {
        bytes.append(UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * index)))
    }
    return bytes + header + buffer
}

/// A fresh empty directory under the system temporary directory; remove it when done.
func makeScratchDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("TensorIOTests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Deterministic, asymmetric bytes for a tensor: byte i is (37 i + 11) mod 256
/// (0 or 1 for bool). No two neighbouring bytes are equal, so a shifted copy shows.
func patternBytes(count: Int, for type: ElementType) -> [UInt8] {
    (0..<count).map { index in
        type == .bool ? UInt8(index % 3 == 0 ? 1 : 0) : UInt8(truncatingIfNeeded: index &* 37 &+ 11)
    }
}

/// A tensor of `type` and `shape` filled with `patternBytes`.
func patternTensor(_ type: ElementType, shape: [Int]) throws -> RawTensor {
    let byteCount = try RawTensor.byteCount(of: shape, elementType: type)
    return try RawTensor(elementType: type, shape: shape, bytes: patternBytes(count: byteCount, for: type))
}

/// The shape kinds every round trip covers: 0-d, empty, 1-D, 3-D.
let roundTripShapes: [[Int]] = [[], [0, 3], [5], [2, 3, 4]]
