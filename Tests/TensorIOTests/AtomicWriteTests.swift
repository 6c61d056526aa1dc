import Foundation
import Testing

@testable import TensorIO

/// writeAtomically either replaces the file whole or leaves everything as it was — and never
/// leaves its temporary file behind.
@Suite struct AtomicWriteTests {
    static func contents(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func directoryListing(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    @Test func writesANewFileAndReplacesAnOldOne() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.bin"
        try writeAtomically([1, 2, 3], to: path)
        #expect(try Self.contents(path) == [1, 2, 3])
        try writeAtomically([9, 8], to: path)
        #expect(try Self.contents(path) == [9, 8])
        try writeAtomically([], to: path)
        #expect(try Self.contents(path) == [])
        #expect(try Self.directoryListing(directory) == ["out.bin"])
    }

    @Test func missingDirectoryThrowsAndCreatesNothing() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = tensorFileError { try writeAtomically([1], to: directory + "/missing/out.bin") }
        guard case .writeFailed(let path, _) = error else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(path == directory + "/missing/out.bin")
        #expect(try Self.directoryListing(directory) == [])
    }

    /// A failure after the temporary file is complete — the last moment before the rename —
    /// leaves the old file byte for byte as it was and removes the temporary file.
    @Test func failureBeforeRenameLeavesOldFileAndNoTemporaryFile() throws {
        struct InjectedFailure: Error {}
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/weights.npy"
        try writeAtomically([7, 7, 7], to: path)

        var sawTemporaryFile = false
        #expect(throws: InjectedFailure.self) {
            try writeAtomically([1, 2, 3, 4, 5], to: path) { temporaryPath in
                sawTemporaryFile = (try? Self.contents(temporaryPath)) == [1, 2, 3, 4, 5]
                #expect(temporaryPath.hasPrefix(directory + "/.lowbit-"))  // hidden, beside it
                throw InjectedFailure()
            }
        }
        #expect(sawTemporaryFile)
        #expect(try Self.contents(path) == [7, 7, 7])
        #expect(try Self.directoryListing(directory) == ["weights.npy"])
    }

    /// A directory is not a destination (TensorIO's `Destination`): refused before a
    /// temporary file is made; the directory and its contents stay.
    @Test func aDirectoryDestinationIsRefusedAndLeavesNoTemporaryFile() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/occupied"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try writeAtomically([1], to: target + "/keep")
        let error = tensorFileError { try NPY.write(RawTensor(uint8: [1], shape: [1]), to: target) }
        guard case .writeFailed(_, let reason) = error else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(reason == "not a regular file or a character device")
        #expect(try Self.directoryListing(directory) == ["occupied"])
        #expect(try Self.directoryListing(target) == ["keep"])
    }

    /// A group whose second file cannot be written (issue #14: "both or neither" used to
    /// unlink the first output after renaming it, deleting a file the user already had) leaves
    /// the first destination's old bytes in place and no temporary file anywhere.
    @Test func groupWriteFailureKeepsEveryExistingFile() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = directory + "/first.bin"
        try writeAtomically([7, 7], to: first)
        let error = tensorFileError {
            try writeAtomically([([1, 2], first), ([3], directory + "/missing/second.bin")])
        }
        #expect(error != nil)
        #expect(try Self.contents(first) == [7, 7])
        #expect(try Self.directoryListing(directory) == ["first.bin"])
        try writeAtomically([([1, 2], first), ([3], directory + "/second.bin")])
        #expect(try Self.contents(first) == [1, 2] && Self.contents(directory + "/second.bin") == [3])
        #expect(try Self.directoryListing(directory) == ["first.bin", "second.bin"])
    }

    /// The temporary name does not grow with the destination's: a 250-byte file name (the
    /// limit is 255) is written.
    @Test func longDestinationNamesAreWritten() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let name = String(repeating: "n", count: 246) + ".npy"
        try writeAtomically([5], to: directory + "/" + name)
        #expect(try Self.directoryListing(directory) == [name])
    }
}
