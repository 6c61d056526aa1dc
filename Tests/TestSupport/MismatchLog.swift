import Testing

/// Collects the mismatches of one check and reports them the way a learner can read them:
/// how many, and the first few — never a whole array. A wrong exercise can produce a
/// mismatch on every one of 50,000 elements; one `Issue` per element (or a message that
/// prints both arrays) buries the one line that helps.
///
/// ```swift
/// var log = MismatchLog("fp16 ties")
/// for i in inputs.indices where got[i] != want[i] {
///     log.add("index \(i): expected \(want[i]), got \(got[i])")
/// }
/// log.expectEmpty()   // "fp16 ties: 812 mismatches; first 3: index 4: …; index 9: …; …"
/// ```
public struct MismatchLog {
    public let context: String
    public let shown: Int
    public private(set) var count = 0
    public private(set) var first: [String] = []

    /// `shown`: how many mismatches the message quotes (the rest are only counted).
    public init(_ context: String, shown: Int = 3) {
        self.context = context
        self.shown = shown
    }

    public var isEmpty: Bool { count == 0 }

    /// Records one mismatch; the description is only built for the first `shown`.
    public mutating func add(_ description: @autoclosure () -> String) {
        count += 1
        if first.count < shown { first.append(abbreviated(description())) }
    }

    /// "context: N mismatches; first k: a; b; c" (or nil when there were none).
    public var summary: String? {
        guard count > 0 else { return nil }
        let noun = count == 1 ? "mismatch" : "mismatches"
        let quoted = first.count == count ? "" : " first \(first.count):"
        return "\(context): \(count) \(noun);\(quoted) " + first.joined(separator: "; ")
    }

    /// Records one test issue (and only one) when anything was added.
    public func expectEmpty(sourceLocation: SourceLocation = #_sourceLocation) {
        if let summary { Issue.record(Comment(rawValue: summary), sourceLocation: sourceLocation) }
    }
}

/// A value's description cut to `limit` characters, so one message line stays one line.
public func abbreviated(_ text: String, limit: Int = 240) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(limit)) + "… (\(text.count) characters)"
}
