import NN

/// An Adam optimizer whose states live in a `PagedStateStore` — bitsandbytes' `PagedAdamW`
/// and `PagedAdamW8bit` (`is_paged=True`), with the pages simulated.
///
/// Each trainable parameter's state is one buffer of the store, in its rule's byte layout
/// (`AdamRule.encode`). A step reads the buffer (paging in whatever was evicted), decodes it,
/// runs the *same* rule `AdamOptimizer` runs, and writes it back:
///
/// ```
/// for each trainable parameter i:
///     bytes = store.read(buffer[i])            pages come back to the device if evicted
///     state = rule.decode(bytes);  rule.update(parameter i, &state, t)
///     store.write(buffer[i], rule.encode(state))
/// ```
///
/// The memory a spike needs is taken from the states between steps (`PagedStateStore.makeRoom`);
/// the optimizer never notices except in the traffic counters.
public final class PagedAdam<Rule: AdamRule>: Optimizer {
    public let rule: Rule
    public let parameters: [Parameter]
    public let store: PagedStateStore
    public private(set) var stepCount = 0
    /// buffers[i]: parameters[i]'s state buffer in `store`, nil for a frozen parameter.
    private var buffers: [Int?] = []

    /// Creates the initial states in `store`; throws if they do not fit in its memory.
    public init(_ parameters: [Parameter], rule: Rule, store: PagedStateStore)
        throws(OutOfMemoryError)
    {
        self.rule = rule
        self.parameters = parameters
        self.store = store
        for p in parameters {
            guard p.isTrainable else {
                buffers.append(nil)
                continue
            }
            buffers.append(try store.addBuffer(rule.encode(rule.initialState(count: p.count))))
        }
    }

    public func step() throws(OutOfMemoryError) {
        stepCount += 1
        for (i, p) in parameters.enumerated() {
            guard let buffer = buffers[i] else { continue }
            var state = rule.decode(try store.read(buffer), count: p.count)
            rule.update(p, state: &state, step: stepCount)
            store.write(buffer, rule.encode(state))
        }
    }

    public var stateBytes: Int {
        parameters.filter(\.isTrainable).reduce(0) { $0 + rule.stateBytes(count: $1.count) }
    }
}

/// bitsandbytes' `PagedAdamW`: float32 states in pages.
public typealias PagedAdamW = PagedAdam<AdamW32Rule>
/// bitsandbytes' `PagedAdamW8bit`: 8-bit blockwise states in pages.
public typealias PagedAdamW8bit = PagedAdam<Adam8bitRule>
