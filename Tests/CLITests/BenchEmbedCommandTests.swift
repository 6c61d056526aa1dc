import Foundation
import TestSupport
import Testing

/// `lowbit bench embed` runs and prints its table (its numbers are measured, never tested).
@Suite struct BenchEmbedCommandTests {
    @Test func aSmallRunPrintsOneLinePerPath() throws {
        let result = try BuiltProducts.run(
            "lowbit", ["bench", "embed", "--batch", "2", "--repeats", "1", "--schemes", "nf4,llm-int8"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("fp32 ") })
        #expect(lines.contains { $0.hasPrefix("nf4 ") } && lines.contains { $0.hasPrefix("llm-int8 ") })
    }

    @Test func anUnknownSchemeIsAUsageError() throws {
        let result = try BuiltProducts.run("lowbit", ["bench", "embed", "--schemes", "nf5"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no scheme named nf5"))
    }
}
