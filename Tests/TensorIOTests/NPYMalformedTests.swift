import Foundation
import Testing

@testable import TensorIO

/// Every malformed .npy file throws the TensorFileError that names its problem — never a
/// crash, never an allocation bigger than the file.
@Suite struct NPYMalformedTests {
    /// A valid file to break: float32, shape (2, 3), 24 data bytes after a 128-byte header.
    static let valid = NPY.encode(RawTensor(float32: [1, 2, 3, 4, 5, 6], shape: [2, 3]))

    static func header(descr: String = "<f4", fortran: String = "False", shape: String) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
    }

    /// The reason inside a `.malformedHeader` error, or nil for any other outcome.
    static func malformedReason(_ bytes: [UInt8]) -> String? {
        guard case .malformedHeader(let reason) = tensorFileError({ try NPY.decode(bytes) }) else { return nil }
        return reason
    }

    @Test func badMagicIsRefused() {
        let gif = Array("GIF89a".utf8) + Array(Self.valid[6...])
        #expect(throws: TensorFileError.badMagic(format: ".npy")) { try NPY.decode(gif) }
        #expect(throws: TensorFileError.badMagic(format: ".npy")) { try NPY.decode([]) }
        #expect(TensorFileError.badMagic(format: ".npy").description == "not a .npy file (bad magic)")
    }

    @Test func fileShorterThanThePreambleIsTruncated() {
        #expect(throws: TensorFileError.truncatedHeader(declared: 10, available: 9)) {
            try NPY.decode(Array(Self.valid[..<9]))
        }
        #expect(throws: TensorFileError.truncatedHeader(declared: 10, available: 3)) {
            try NPY.decode(Array(Self.valid[..<3]))
        }
    }

    @Test func unknownVersionIsRefused() {
        var bytes = Self.valid
        bytes[6] = 4
        #expect(throws: TensorFileError.unsupportedVersion(major: 4, minor: 0)) { try NPY.decode(bytes) }
    }

    @Test func truncatedHeaderIsRefused() {
        // Header length field says 118; only 40 header bytes remain.
        #expect(throws: TensorFileError.truncatedHeader(declared: 118, available: 40)) {
            try NPY.decode(Array(Self.valid[..<50]))
        }
    }

    @Test func headerLengthBeyondTheFileIsRefused() {
        var bytes = Self.valid
        bytes[8] = 0xFF
        bytes[9] = 0xFF  // claims a 65535-byte header in a 152-byte file
        #expect(throws: TensorFileError.truncatedHeader(declared: 65535, available: 142)) { try NPY.decode(bytes) }
        var v2 = npyBytes(header: Self.header(shape: "(1,)"), data: [0, 0, 0, 0], version: 2)
        v2[8...11] = [0xFF, 0xFF, 0xFF, 0xFF]  // 4 GiB header length in version 2.0
        #expect(throws: TensorFileError.truncatedHeader(declared: 4_294_967_295, available: v2.count - 12)) {
            try NPY.decode(v2)
        }
    }

    @Test func truncatedDataIsRefused() {
        #expect(throws: TensorFileError.truncatedData(declared: 24, available: 20)) {
            try NPY.decode(Array(Self.valid.dropLast(4)))
        }
        #expect(
            TensorFileError.truncatedData(declared: 4096, available: 12).description
                == "truncated: header says 4096 data bytes, file has 12")
    }

    @Test func trailingBytesAreRefused() {
        #expect(throws: TensorFileError.trailingBytes(count: 3)) { try NPY.decode(Self.valid + [1, 2, 3]) }
    }

    @Test func absurdShapesAreRefusedBeforeAllocating() {
        let overflowing = npyBytes(header: Self.header(shape: "(1099511627776, 1099511627776)"))
        #expect(throws: TensorFileError.shapeOverflow(shape: [1 << 40, 1 << 40])) { try NPY.decode(overflowing) }
        // Fits in an Int but claims 16 TiB of data in a 128-byte file.
        let huge = npyBytes(header: Self.header(shape: "(1099511627776, 4)"))
        #expect(throws: TensorFileError.truncatedData(declared: 1 << 44, available: 0)) { try NPY.decode(huge) }
        // The element count fits, the byte count (× 8) does not.
        let bytesOverflow = npyBytes(header: Self.header(descr: "<f8", shape: "(2305843009213693952,)"))
        #expect(throws: TensorFileError.shapeOverflow(shape: [1 << 61])) { try NPY.decode(bytesOverflow) }
    }

    @Test func negativeOrOversizedDimensionsAreInvalid() {
        // (04,) is a SyntaxError in Python, so numpy.load refuses it too (issue #14).
        for shape in ["(-1, 3)", "(99999999999999999999999,)", "(04,)", "(2, 00)"] {
            let error = tensorFileError { try NPY.decode(npyBytes(header: Self.header(shape: shape))) }
            guard case .invalidShape = error else {
                Issue.record("shape \(shape): expected invalidShape, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test(arguments: ["<c8", "|O", "<U5", "|S3", "<f16", "<M8[s]", "<b2", "<V4", "g", "<x"])
    func unsupportedDtypesAreRefused(descr: String) {
        let error = tensorFileError { try NPY.decode(npyBytes(header: Self.header(descr: descr, shape: "(1,)"))) }
        guard case .unsupportedDtype(let text) = error else {
            Issue.record("\(descr): expected unsupportedDtype, got \(String(describing: error))")
            return
        }
        #expect(text.hasPrefix("'\(descr)' (supported: <f2 <f4"))
    }

    @Test func structuredDtypesAreRefused() {
        let header = "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }"
        let error = tensorFileError { try NPY.decode(npyBytes(header: header, data: [UInt8](repeating: 0, count: 8))) }
        guard case .unsupportedDtype = error else {
            Issue.record("expected unsupportedDtype, got \(String(describing: error))")
            return
        }
    }

    /// Header text outside the strict literal subset: each names what was wrong.
    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unexpected key 'extra'"),
        ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", "duplicate key 'descr'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1)}", "(1) is not a tuple"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", "shape must be a tuple"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", "fortran_order must be True or False"),
        ("{'descr': '<f4', 'fortran_order': Nope, 'shape': (1,)}", "fortran_order must be True or False"),
        ("{'descr': 4, 'fortran_order': False, 'shape': (1,)}", "expected a quoted string"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk", "unexpected text after the dict"),
        ("{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}", "expected ',' or '}' at byte 17"),
        ("{'descr' '<f4', 'fortran_order': False, 'shape': (1,)}", "expected ':' after key 'descr'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", "expected ',' or '}'"),
        ("{'descr': '<f4', 'fortran_order': False 'shape': (1,)}", "expected ',' or '}'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x)}", "expected a dimension"),
        ("['descr', '<f4']", "expected '{'"),
        ("", "expected '{'"),
        ("{'descr': '<\\x66\\x34', 'fortran_order': False, 'shape': (1,)}", "unsupported character"),
    ])
    func malformedHeadersAreRefusedWithAReason(header: String, reason: String) {
        let bytes = npyBytes(header: header, data: [0, 0, 0, 0])
        let actual = Self.malformedReason(bytes)
        #expect(actual?.contains(reason) == true, "header \(header) gave \(String(describing: actual))")
    }

    @Test func nonAsciiHeaderBytesAreRefused() {
        var bytes = npyBytes(header: Self.header(shape: "(1,)"), data: [0, 0, 0, 0], version: 3)
        bytes[14] = 0xC3  // inside 'descr'
        #expect(Self.malformedReason(bytes) != nil)
    }

    /// Every prefix of a valid file fails cleanly (no crash), and flipping any single header
    /// byte either still decodes or throws a TensorFileError.
    @Test func everyTruncationAndByteFlipFailsCleanly() {
        for length in 0..<Self.valid.count {
            #expect(tensorFileError { try NPY.decode(Array(Self.valid[..<length])) } != nil, "prefix \(length)")
        }
        for index in 0..<128 {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = Self.valid
                bytes[index] ^= flip
                do { _ = try NPY.decode(bytes) } catch is TensorFileError {} catch {
                    Issue.record("byte \(index) ^ \(flip): unexpected error \(error)")
                }
            }
        }
    }

    @Test func missingFileAndDirectoryGiveClearErrors() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TensorFileError.fileNotFound(path: directory + "/nope.npy")) {
            try NPY.read(contentsOf: directory + "/nope.npy")
        }
        #expect(throws: TensorFileError.notARegularFile(path: directory)) { try NPY.read(contentsOf: directory) }
        try writeAtomically([], to: directory + "/empty.npy")
        #expect(throws: TensorFileError.badMagic(format: ".npy")) { try NPY.read(contentsOf: directory + "/empty.npy") }
        // A device that never ends is refused before reading, rather than read forever.
        if FileManager.default.fileExists(atPath: "/dev/zero") {
            #expect(throws: TensorFileError.notARegularFile(path: "/dev/zero")) {
                try NPY.read(contentsOf: "/dev/zero")
            }
        }
    }
}
