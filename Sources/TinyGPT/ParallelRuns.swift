import Core
import Dispatch

/// Independent runs on every core: `job(0) … job(count − 1)`, at most one per core at a
/// time, results in index order. Each job must build everything it mutates itself (its own
/// model copy, optimizer and generators); then every run computes exactly what it computes
/// alone, bit for bit, and only the wall-clock time changes. Chapters 6 and 7 fine-tune their
/// runs this way on the project's two-core machines. While runs share the cores, the kernels
/// inside them do not split their work over cores as well (`KernelThreads`).
///
/// The first error thrown by any job (in index order) is rethrown after all jobs finished.
public func inParallel<T>(_ count: Int, _ job: (Int) throws -> T) throws -> [T] {
    precondition(count >= 0, "inParallel: \(count) jobs")
    return try withoutActuallyEscaping(job) { job in
        let jobs = ParallelJobs(count: count, job: job)
        DispatchQueue.concurrentPerform(iterations: count) { i in jobs.run(i) }
        return try jobs.collect()
    }
}

/// The jobs and their result slots. `@unchecked Sendable` because the compiler cannot see
/// what makes it safe: slot i is written by job i alone, and read only after every job ended.
private final class ParallelJobs<T>: @unchecked Sendable {
    let job: (Int) throws -> T
    var results: [Result<T, any Error>?]

    init(count: Int, job: @escaping (Int) throws -> T) {
        self.job = job
        results = Array(repeating: nil, count: count)
    }

    func run(_ i: Int) {
        let result = KernelThreads.asParallelRun { Result { try job(i) } }
        results.withUnsafeMutableBufferPointer { $0[i] = result }
    }

    func collect() throws -> [T] { try results.map { try $0!.get() } }
}
