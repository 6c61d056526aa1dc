import GGUF
import TensorIO

/// What `lowbit gguf inspect` prints: the header, every key with its type and value, every
/// tensor's name, type, shape (NumPy order) and offset — as text or as one JSON object.
struct GGUFInspection {
    /// Arrays longer than this show their first `shownElements` values in text.
    static let shownElements = 8

    let file: GGUFFile
    let alignment: Int
    let dataOffset: Int
    let placements: [GGUFTensorPlacement]

    init(_ file: GGUFFile) throws {
        self.file = file
        alignment = try file.alignment()
        let layout = try file.placements()
        dataOffset = layout.dataOffset
        placements = layout.tensors
    }

    // MARK: Text

    var text: String {
        var lines = [
            "GGUF version \(file.version), alignment \(alignment), \(file.metadata.count) keys, "
                + "\(file.tensors.count) tensors, data section at byte \(dataOffset)",
            "metadata:",
        ]
        for (key, value) in file.metadata {
            lines.append(
                "  \(key): \(Self.typeName(value)) = \(Self.text(value, abbreviated: true))")
        }
        lines.append("tensors (shape outermost first; offset from the data section):")
        let rows = placements.map { p in
            [
                p.name, p.type.name, "[" + p.shape.map(String.init).joined(separator: ", ") + "]",
                String(p.offset), String(p.byteCount),
            ]
        }
        let header = ["name", "type", "shape", "offset", "bytes"]
        let widths = (0..<header.count).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            let cells = zip(row, widths).map {
                $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0)
            }
            lines.append("  " + cells.joined(separator: "  ").trimmingTrailingSpaces())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "UINT32", "ARRAY[STRING]", "ARRAY[ARRAY]".
    static func typeName(_ value: GGUFValue) -> String {
        if case .array(let elementType, _) = value { return "ARRAY[\(elementType.name)]" }
        return value.type.name
    }

    static func text(_ value: GGUFValue, abbreviated: Bool) -> String {
        switch value {
        case .string(let s): return Safetensors.jsonString(s)
        case .float32(let v): return "\(v)"
        case .float64(let v): return "\(v)"
        case .bool(let v): return "\(v)"
        case .uint64(let v): return String(v)  // may exceed Int.max
        case .array(_, let elements):
            let shown = abbreviated ? Array(elements.prefix(shownElements)) : elements
            var items = shown.map { text($0, abbreviated: abbreviated) }
            if shown.count < elements.count { items.append("… \(elements.count) values") }
            return "[" + items.joined(separator: ", ") + "]"
        default:
            return value.integerValue.map(String.init) ?? "\(value)"
        }
    }

    // MARK: JSON

    var json: String {
        let metadata = file.metadata.map { key, value in
            var fields = [
                "\"key\": \(Safetensors.jsonString(key))", "\"type\": \"\(value.type.name)\"",
            ]
            if case .array(let elementType, _) = value {
                fields.append("\"element_type\": \"\(elementType.name)\"")
            }
            fields.append("\"value\": \(Self.json(value))")
            return "{" + fields.joined(separator: ", ") + "}"
        }
        let tensors = placements.map { p in
            "{\"name\": \(Safetensors.jsonString(p.name)), \"type\": \"\(p.type.name)\", "
                + "\"shape\": [\(p.shape.map(String.init).joined(separator: ", "))], "
                + "\"offset\": \(p.offset), \"bytes\": \(p.byteCount)}"
        }
        return "{\"version\": \(file.version), \"alignment\": \(alignment), "
            + "\"data_offset\": \(dataOffset), "
            + "\"metadata\": [" + metadata.joined(separator: ", ") + "], "
            + "\"tensors\": [" + tensors.joined(separator: ", ") + "]}"
    }

    /// A value as JSON; non-finite floats, which JSON cannot hold, as "nan", "inf", "-inf".
    static func json(_ value: GGUFValue) -> String {
        switch value {
        case .float32(let v): return finite(Double(v), "\(v)")
        case .float64(let v): return finite(v, "\(v)")
        case .array(_, let elements): return "[" + elements.map(json).joined(separator: ", ") + "]"
        default: return text(value, abbreviated: false)
        }
    }

    private static func finite(_ v: Double, _ shortest: String) -> String {
        if v.isNaN { return "\"nan\"" }
        if v.isInfinite { return v > 0 ? "\"inf\"" : "\"-inf\"" }
        return shortest
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
