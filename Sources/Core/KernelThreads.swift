import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One kernel call split over the machine's cores — only where that cannot change a result.
///
/// The kernels that split (the tiled matmul, GELU, attention) cut their work into pieces whose
/// outputs do not overlap: a range of rows of C, a range of values, a range of batch rows.
/// Every output is still computed by one thread, by exactly the operations, in exactly the
/// order, it would be computed alone, so a split run is bit for bit the one-thread run
/// (`KernelThreadsTests` checks the three kernels both ways). Only wall-clock time changes.
///
/// When whole runs already occupy every core (`inParallel`, two fine-tuning runs side by side)
/// a kernel splitting again would only add waiting: each such run is wrapped in
/// `asParallelRun`, and kernels split only over the cores no other run holds (a run left alone
/// at the end of a batch gets them all again). Small calls never split: handing work to
/// another thread costs a few microseconds.
public enum KernelThreads {
    /// Runs of `inParallel` in progress (they already use every core).
    static let runsInProgress = Atomic<Int>(0)

    /// Cores this process may use (at least 1).
    public static let cores: Int = {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()

    /// Below this many multiply-adds (or element operations) a call stays on one thread:
    /// about 25 µs of work at this machine's speed, several times the cost of a hand-off.
    public static let minimumWorkToSplit = 1 << 20

    /// `body` as one of several whole runs sharing the cores (see `inParallel`).
    public static func asParallelRun<T>(_ body: () throws -> T) rethrows -> T {
        runsInProgress.add(1, ordering: .relaxed)
        defer { runsInProgress.subtract(1, ordering: .relaxed) }
        return try body()
    }

    /// `body` with every kernel on one thread (tests that compare both ways; benchmarks that
    /// put a kernel beside a one-thread peer).
    public static func onOneThread<T>(_ body: () throws -> T) rethrows -> T {
        runsInProgress.add(cores, ordering: .relaxed)
        defer { runsInProgress.subtract(cores, ordering: .relaxed) }
        return try body()
    }

    /// How many pieces a call of `work` operations over `items` independent items should be
    /// cut into: 1 when small or on a one-core machine; otherwise one per core that no other
    /// run holds (the calling run's own core included).
    static func pieces(work: Int, items: Int) -> Int {
        pieces(work: work, items: items, runs: runsInProgress.load(ordering: .relaxed), cores: cores)
    }

    /// The rule itself, for given runs in progress and cores.
    static func pieces(work: Int, items: Int, runs: Int, cores: Int) -> Int {
        guard work >= minimumWorkToSplit, items > 1 else { return 1 }
        let otherRuns = Swift.max(0, runs - 1)
        return Swift.max(1, Swift.min(cores - otherRuns, items))
    }

    /// `body(range)` for consecutive, non-overlapping ranges covering `0 ..< items`, in
    /// parallel when `pieces(work:items:)` says so. `body` must write only outputs that belong
    /// to its range.
    public static func forEachPiece(items: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let count = pieces(work: work, items: items)
        if count == 1 {
            body(0..<items)
            return
        }
        withoutActuallyEscaping(body) { body in
            let task = PieceTask(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { piece in
                task.body((items * piece / count)..<(items * (piece + 1) / count))
            }
        }
    }
}

/// `@unchecked Sendable` because the compiler cannot see what makes it safe: every piece
/// writes only the outputs of its own range, and the call returns after every piece ended.
private final class PieceTask: @unchecked Sendable {
    let body: (Range<Int>) -> Void
    init(body: @escaping (Range<Int>) -> Void) { self.body = body }
}
