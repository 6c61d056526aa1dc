/// Optimizer states kept in fixed-size pages that move between a simulated accelerator and
/// host memory — the mechanism of QLoRA's paged optimizers (Dettmers et al. 2023, §3,
/// "Paged Optimizers"), simulated in plain arrays.
///
/// ```
/// buffer b:  byteCount bytes in pages firstPage ..< firstPage + pageCount
///            page k holds bytes k·pageSize ..< min((k+1)·pageSize, byteCount) of the buffer
/// device:    page id → bytes   (resident: counts one full pageSize against the budget)
/// host:      page id → bytes   (evicted: costs the accelerator nothing)
/// lastUse:   page id → clock tick of its last read or write (for LRU eviction)
/// ```
///
/// A page is always in exactly one of `device` and `host`, and its bytes *move* with it:
/// the optimizer can only read a buffer after every page of it is back on the device. So a
/// bug in eviction or paging-in would change the numbers — which the tests forbid.
///
/// ## What real CUDA unified memory does that this does not
/// bitsandbytes allocates paged states with `cudaMallocManaged`. There the GPU's MMU raises a
/// **page fault** when a kernel touches a page that is not resident, and the **driver**
/// migrates it — transparently, with no call in the program; under memory pressure the driver
/// evicts pages to host RAM by its own policy (not strictly LRU, and it can oversubscribe only
/// on Linux with Pascal or newer GPUs). Migration happens at **4 KiB** CPU-page to **2 MiB**
/// GPU large-page granularity, grouped by the driver's prefetching heuristics, over PCIe or
/// NVLink, overlapped with compute. bitsandbytes additionally **prefetches** the optimizer's
/// pages (`cudaMemPrefetchAsync`) just before the update kernel needs them, and pages only
/// tensors of at least 100 000 values. Here, instead, the program moves pages explicitly, one
/// size for all, with a strict LRU choice, and transfers take no time; what the simulation
/// keeps honest is *which* bytes must move, *when*, and *how many*.
public final class PagedStateStore {
    public let pageSize: Int
    /// When false, pages are never evicted: the states stay resident and a memory spike
    /// throws `OutOfMemoryError` (the unpaged optimizer).
    public let pagingEnabled: Bool
    public let memory: AcceleratorMemory

    /// Cumulative page traffic since the store was made: evictions and page-ins.
    public private(set) var pagesToHost = 0
    public private(set) var pagesToDevice = 0
    /// Bytes moved, counted in whole pages (the unit a real migration moves).
    public var bytesToHost: Int { pagesToHost * pageSize }
    public var bytesToDevice: Int { pagesToDevice * pageSize }

    struct Buffer {
        let firstPage: Int
        let pageCount: Int
        let byteCount: Int
        var pages: Range<Int> { firstPage..<(firstPage + pageCount) }
    }

    private var buffers: [Buffer] = []
    private var device: [Int: [UInt8]] = [:]
    private var host: [Int: [UInt8]] = [:]
    private var lastUse: [Int] = []
    private var clock = 0

    public init(memory: AcceleratorMemory, pageSize: Int = 4096, pagingEnabled: Bool) {
        precondition(pageSize > 0, "page size must be positive")
        self.memory = memory
        self.pageSize = pageSize
        self.pagingEnabled = pagingEnabled
    }

    public var pageCount: Int { lastUse.count }
    public var residentPages: Int { device.count }
    public var hostPages: Int { host.count }

    /// Stores `bytes` as a new buffer, its pages allocated on the device (evicting older
    /// pages if paging is enabled). Returns the buffer's id.
    public func addBuffer(_ bytes: [UInt8]) throws(OutOfMemoryError) -> Int {
        let count = max(1, (bytes.count + pageSize - 1) / pageSize)
        let buffer = Buffer(firstPage: lastUse.count, pageCount: count, byteCount: bytes.count)
        lastUse += [Int](repeating: 0, count: count)
        buffers.append(buffer)
        for page in buffer.pages {
            makeRoom(for: pageSize, pinned: buffer.pages)
            try memory.allocate(
                pageSize, for: .optimizerState, what: "optimizer state page \(page)")
            device[page] = slice(bytes, page: page - buffer.firstPage)
            touch(page)
        }
        return buffers.count - 1
    }

    /// The buffer's bytes, after paging in every page of it that was evicted.
    public func read(_ id: Int) throws(OutOfMemoryError) -> [UInt8] {
        let buffer = buffers[id]
        var bytes = [UInt8]()
        bytes.reserveCapacity(buffer.byteCount)
        for page in buffer.pages {
            if host[page] != nil {
                makeRoom(for: pageSize, pinned: buffer.pages)
                try memory.allocate(
                    pageSize, for: .optimizerState, what: "paging in optimizer state page \(page)")
                device[page] = host.removeValue(forKey: page)
                pagesToDevice += 1
            }
            touch(page)
            bytes += device[page]!
        }
        return bytes
    }

    /// Overwrites a buffer whose pages are all resident (read it first).
    public func write(_ id: Int, _ bytes: [UInt8]) {
        let buffer = buffers[id]
        precondition(
            bytes.count == buffer.byteCount,
            "buffer \(id) holds \(buffer.byteCount) bytes, not \(bytes.count)")
        for page in buffer.pages {
            precondition(
                device[page] != nil,
                "page \(page) must be resident to be written; read the buffer first")
            device[page] = slice(bytes, page: page - buffer.firstPage)
            touch(page)
        }
    }

    /// Evicts least-recently-used pages (never one in `pinned`) to host memory until `bytes`
    /// fit in the accelerator's free memory. Does nothing when paging is disabled, or when no
    /// evictable page is left — the allocation that follows then throws.
    ///
    /// One eviction: the resident page not in `pinned` with the smallest `lastUse` (ties: the
    /// lowest page id) moves its bytes from `device` to `host`, one `pageSize` of
    /// `.optimizerState` memory is released, and `pagesToHost` counts it.
    public func makeRoom(for bytes: Int, pinned: Range<Int> = 0..<0) {
        guard pagingEnabled else { return }
        // BEGIN EXERCISE 5d — evict least-recently-used pages
        while memory.free < bytes {
            // The victim: the resident page used longest ago (ties: the lowest page id).
            var victim: Int?
            for page in device.keys where !pinned.contains(page) {
                if let v = victim, (lastUse[v], v) < (lastUse[page], page) { continue }
                victim = page
            }
            guard let page = victim else { return }
            host[page] = device.removeValue(forKey: page)
            memory.release(pageSize, for: .optimizerState)
            pagesToHost += 1
        }
        // END EXERCISE 5d
    }

    private func touch(_ page: Int) {
        clock += 1
        lastUse[page] = clock
    }

    private func slice(_ bytes: [UInt8], page k: Int) -> [UInt8] {
        Array(bytes[min(k * pageSize, bytes.count)..<min((k + 1) * pageSize, bytes.count)])
    }
}
