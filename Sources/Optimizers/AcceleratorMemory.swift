/// A simulated accelerator memory: a byte budget and a ledger of what uses it.
///
/// ```
/// usage[use] = bytes currently allocated for that use
/// used = Σ usage ≤ budget            allocate() throws OutOfMemoryError rather than exceed it
/// peak = the largest `used` since the last resetPeak()
/// ```
///
/// Nothing is really allocated: the ledger is what a GPU's allocator would see, so a run can
/// show *when* memory runs out and *what* fills it, with the same numbers every time.
public final class AcceleratorMemory {
    public enum Use: String, CaseIterable, Sendable {
        case parameters, gradients, activations, optimizerState
    }

    public let budget: Int
    public private(set) var usage: [Use: Int] = [:]
    public private(set) var peak = 0

    public init(budget: Int) {
        precondition(budget >= 0, "a memory budget cannot be negative")
        self.budget = budget
    }

    public var used: Int { usage.values.reduce(0, +) }
    public var free: Int { budget - used }

    /// Reserves `bytes` for `use`, or throws — like `cudaMalloc` returning
    /// `cudaErrorMemoryAllocation`, which PyTorch reports as "CUDA out of memory".
    public func allocate(_ bytes: Int, for use: Use, what: String) throws(OutOfMemoryError) {
        precondition(bytes >= 0, "cannot allocate a negative size")
        guard bytes <= free else {
            throw OutOfMemoryError(
                requested: bytes, free: free, budget: budget, what: what, usage: usage)
        }
        usage[use, default: 0] += bytes
        peak = max(peak, used)
    }

    /// Returns `bytes` previously allocated for `use`.
    public func release(_ bytes: Int, for use: Use) {
        precondition(
            bytes >= 0 && usage[use, default: 0] >= bytes,
            "releasing more \(use.rawValue) memory than was allocated")
        usage[use, default: 0] -= bytes
    }

    /// Starts a new peak measurement at the current usage.
    public func resetPeak() { peak = used }
}

/// The simulated accelerator could not satisfy an allocation.
public struct OutOfMemoryError: Error, Equatable, Sendable, CustomStringConvertible {
    public let requested: Int
    public let free: Int
    public let budget: Int
    /// What the allocation was for ("activations of a 512-row batch at step 10").
    public let what: String
    /// The ledger at the moment of failure.
    public let usage: [AcceleratorMemory.Use: Int]

    public var description: String {
        let ledger = AcceleratorMemory.Use.allCases.map {
            "\($0.rawValue) \(Self.kib(usage[$0, default: 0]))"
        }
        return "simulated accelerator out of memory: "
            + "tried to allocate \(Self.kib(requested)) for \(what); "
            + "\(Self.kib(free)) free of \(Self.kib(budget)) (\(ledger.joined(separator: ", ")))"
    }

    /// "512 B" below 10 KiB, "68.0 KiB" above.
    static func kib(_ bytes: Int) -> String {
        guard bytes >= 10 * 1024 else { return "\(bytes) B" }
        let tenths = (bytes * 10 + 512) / 1024
        return "\(tenths / 10).\(tenths % 10) KiB"
    }
}
