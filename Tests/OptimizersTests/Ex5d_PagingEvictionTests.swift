import Optimizers
import TestSupport
import Testing

/// Exercise 5d — `PagedStateStore.makeRoom`: evict least-recently-used pages to the host.
@Suite struct Ex5d_PagingEvictionTests {

    /// Three one-page buffers in a device that holds four pages. Asking for two pages of room
    /// evicts the two least recently used buffers' pages, in that order.
    @Test func evictsLeastRecentlyUsedFirst() throws {
        let memory = AcceleratorMemory(budget: 4 * 64)
        let store = PagedStateStore(memory: memory, pageSize: 64, pagingEnabled: true)
        let a = try store.addBuffer([UInt8](repeating: 1, count: 64))
        let b = try store.addBuffer([UInt8](repeating: 2, count: 64))
        let c = try store.addBuffer([UInt8](repeating: 3, count: 64))
        _ = try store.read(a)  // order of use now: b, c, a
        store.makeRoom(for: 2 * 64)
        #expect(memory.free == 2 * 64)
        #expect(store.pagesToHost == 1, "one page was already free; b alone makes room for two")
        store.makeRoom(for: 3 * 64)
        #expect(store.pagesToHost == 2 && store.residentPages == 1, "then c goes; a, used last, stays")
        let bBack = try store.read(b)
        #expect(firstMismatch([UInt8](repeating: 2, count: 64), bBack) == nil, "paging back in returns the same bytes")
        #expect(store.pagesToDevice == 1)
        let cBack = try store.read(c)
        #expect(firstMismatch([UInt8](repeating: 3, count: 64), cBack) == nil)
    }

    /// A buffer's bytes survive any number of round trips through host memory, including a
    /// partial last page.
    @Test func bytesSurviveEvictionExactly() throws {
        let memory = AcceleratorMemory(budget: 3 * 100)
        let store = PagedStateStore(memory: memory, pageSize: 100, pagingEnabled: true)
        let data = (0..<250).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }  // three pages, the last one half full
        let id = try store.addBuffer(data)
        for _ in 0..<3 {
            store.makeRoom(for: 300)
            #expect(store.residentPages == 0 && memory.used == 0)
            let back = try store.read(id)
            #expect(firstMismatch(data, back) == nil)
        }
        #expect(store.bytesToHost == 9 * 100 && store.bytesToDevice == 9 * 100, "whole pages move, even a half-full one")
    }

    /// The pages of the buffer being read are pinned: when an activation takes the room of
    /// one of its three pages, reading the buffer fails rather than evicting its own pages.
    @Test func aBufferThatNoLongerFitsCannotBeRead() throws {
        let memory = AcceleratorMemory(budget: 3 * 10)
        let store = PagedStateStore(memory: memory, pageSize: 10, pagingEnabled: true)
        let id = try store.addBuffer([UInt8](repeating: 9, count: 30))
        store.makeRoom(for: 10)
        try memory.allocate(10, for: .activations, what: "an activation that stays")
        #expect(store.pagesToHost == 1)
        #expect(throws: OutOfMemoryError.self) { try store.read(id) }
    }

    /// Without paging nothing is ever evicted, so an allocation that does not fit fails.
    @Test func withoutPagingNothingMoves() throws {
        let memory = AcceleratorMemory(budget: 2 * 64)
        let store = PagedStateStore(memory: memory, pageSize: 64, pagingEnabled: false)
        _ = try store.addBuffer([UInt8](repeating: 1, count: 64))
        store.makeRoom(for: 2 * 64)
        #expect(store.pagesToHost == 0 && memory.free == 64)
        #expect(throws: OutOfMemoryError.self) { try memory.allocate(2 * 64, for: .activations, what: "a spike") }
    }

    /// In the spiky training loop (`PagingSimulationTests`' configuration), a spike step
    /// evicts exactly the pages its activations lack — ⌈(activations − free) / pageSize⌉,
    /// with every state page resident before it — and the optimizer step pages them all back;
    /// a normal step moves nothing.
    @Test func aSpikeEvictsOnlyThePagesItNeeds() throws {
        let config = PagingSimulationTests.config(paging: true)
        let plan = PagingSimulation.plan(config)
        let result = try PagingSimulation.run(config)
        let freeBeforeAStep = config.budgetBytes - plan.pinnedBytes - plan.statePageBytes
        var log = MismatchLog("steps that move the wrong number of pages")
        for report in result.reports {
            let lacking = max(0, report.activationBytes - freeBeforeAStep)
            let needed = (lacking + config.pageSize - 1) / config.pageSize
            if report.pagesToHost != needed || report.pagesToDevice != needed {
                log.add("step \(report.step) (\(report.batchRows) rows): \(report.pagesToHost) pages out, \(report.pagesToDevice) back, expected \(needed) each")
            }
        }
        log.expectEmpty()
    }
}
