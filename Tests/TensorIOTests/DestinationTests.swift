import Foundation
import Testing

@testable import TensorIO

/// Non-regular destinations (issue #14: as root, `--values /dev/null` replaced the device node
/// with a regular file, and a symlinked output was replaced by a file). The rule, everywhere:
/// write through links and to character devices; refuse what could block or is not a file.
@Suite struct DestinationTests {
    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writeAtomically([1, 2], to: directory + "/target.bin")
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/link.bin", withDestinationPath: "target.bin")
        try writeAtomically([7, 7, 7], to: directory + "/link.bin")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/link.bin")
        #expect(link == "target.bin")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/target.bin"))) == [7, 7, 7])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["link.bin", "target.bin"])
    }

    @Test func devNullIsWrittenToAndStaysADevice() throws {
        try writeAtomically([1, 2, 3], to: "/dev/null")
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    /// A FIFO without a reader would block open() forever: refused before anything is written,
    /// and the group's other (regular) output is not created.
    @Test func aFIFOADirectoryAndADanglingLinkAreRefused() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mkfifo(directory + "/fifo", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: directory + "/dir", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/dangling", withDestinationPath: "nowhere")
        for bad in ["fifo", "dir", "dangling"] {
            let error = tensorFileError {
                try writeAtomically([([1], directory + "/ok.bin"), ([2], directory + "/" + bad)])
            }
            guard case .writeFailed(let path, _) = error else {
                Issue.record("\(bad): expected writeFailed, got \(String(describing: error))")
                continue
            }
            #expect(path == directory + "/" + bad)
            #expect(!FileManager.default.fileExists(atPath: directory + "/ok.bin"))
        }
    }
}
