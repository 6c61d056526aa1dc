/// A paging-simulation run that keeps what happened even when it fails — what a chapter
/// prints for a run that runs out of memory halfway.
extension PagingSimulation {
    public struct Outcome: Sendable {
        /// One report per completed step (a failed run: the steps before the failure).
        public let reports: [StepReport]
        /// The finished run, or nil when it ran out of memory.
        public let result: Result?
        /// Why it stopped, or nil when it completed.
        public let error: OutOfMemoryError?

        /// Runs `config` to the end or to its first out-of-memory error.
        public init(_ config: Configuration) {
            var reports: [StepReport] = []
            do {
                result = try PagingSimulation.run(config) { reports.append($0) }
                error = nil
            } catch {
                result = nil
                self.error = error
            }
            self.reports = reports
        }
    }
}
