import Core
import Foundation
import GGUF
import Testing

/// Seeded mutations of a valid file: the reader either reads it or throws a `GGUFError` —
/// never a crash, never another error, never a large allocation — and whatever it reads, the
/// writer writes back and the reader reads again unchanged.
@Suite struct GGUFFuzzTests {
    /// The process's peak resident memory in bytes: `VmHWM` in /proc/self/status on Linux;
    /// elsewhere nil and the memory check is skipped.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kibibytes * 1024
    }

    /// One mutation: flip bytes, overwrite a field-sized window with a lying number, or truncate.
    static func mutate(_ bytes: [UInt8], _ rng: inout SeededRNG) -> [UInt8] {
        var m = bytes
        switch rng.index(below: 4) {
        case 0:  // 1–4 random bytes get random values
            for _ in 0...rng.index(below: 4) {
                m[rng.index(below: m.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
        case 1:  // a u64 or u32 at a random position becomes a huge or small number
            let lies: [UInt64] = [.max, 1 << 63, 1 << 40, UInt64(Int32.max), 0xFFFF_FFFF, 0, 1, 64]
            let lie = lies[rng.index(below: lies.count)]
            let width = rng.index(below: 2) == 0 ? 4 : 8
            let start = rng.index(below: m.count - width)
            for i in 0..<width { m[start + i] = UInt8(truncatingIfNeeded: lie >> (8 * i)) }
        case 2:  // truncated anywhere
            m = Array(m[..<rng.index(below: m.count)])
        default:  // one bit flipped
            let i = rng.index(below: m.count)
            m[i] ^= 1 << UInt8(rng.index(below: 8))
        }
        return m
    }

    @Test func thousandsOfMutatedFilesNeverCrashOrAllocateBeyondTheFileSize() throws {
        let valid = try smallValidFile().encoded()
        var rng = SeededRNG(seed: 0x6767_7566)  // "gguf"
        let peakBefore = Self.peakResidentBytes()
        let started = Date()
        var (accepted, refused, otherErrors, unstable) = (0, 0, 0, 0)
        for _ in 0..<5000 {
            let mutated = Self.mutate(valid, &rng)
            do {
                let file = try GGUFFile(bytes: mutated)
                accepted += 1
                let again = try GGUFFile(bytes: try file.encoded())
                var same = file
                same.version = 3  // the writer always writes version 3
                if again != same { unstable += 1 }
            } catch is GGUFError {
                refused += 1
            } catch {
                otherErrors += 1
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let grown = (Self.peakResidentBytes() ?? 0) - (peakBefore ?? 0)
        #expect(otherErrors == 0)
        #expect(unstable == 0)
        // Both outcomes occur: flips inside tensor data or string bytes are still valid files.
        #expect(accepted > 0 && refused > 0, "accepted \(accepted), refused \(refused)")
        // The smallest lie in the list that could hurt, 2³¹ − 1 array elements or tensor infos,
        // would need over 30 GB if believed; the file is a few hundred bytes. The bound is the
        // process's peak, which tests running in parallel raise too: 1 GiB tolerates them and
        // still catches any believed lie.
        #expect(grown < 1 << 30, "peak memory grew by \(grown) bytes")
        #expect(seconds < 2, "5000 mutations took \(seconds) s")
    }
}
