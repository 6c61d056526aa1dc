/// The header of a `.npy` file: a Python dict literal with exactly three keys.
///
/// ```
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
/// ```
///
/// NumPy reads this with `ast.literal_eval`; we accept the small, strict subset NumPy writes
/// and nothing else: single- or double-quoted ASCII strings without escapes, `True`/`False`,
/// and tuples of non-negative integers (`()`, `(5,)`, `(2, 3)`). Whitespace and key order are
/// free; a trailing comma is allowed; each key must appear exactly once. Anything else is a
/// `TensorFileError.malformedHeader` naming the byte offset where parsing stopped.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    // MARK: Writing, exactly as numpy.lib.format does

    /// The dict as NumPy writes it: keys sorted, `repr` of each value, `", "` after each item,
    /// then spare spaces so the first axis can grow in place (NumPy's GROWTH_AXIS_MAX_DIGITS = 21).
    var pythonLiteral: String {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var text = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
        text += "'shape': \(shapeText), }"
        if let first = shape.first {
            text += String(repeating: " ", count: max(0, 21 - String(first).count))
        }
        return text
    }

    // MARK: Reading

    /// Parses the header bytes (everything between the length field and the data).
    static func parse(_ bytes: ArraySlice<UInt8>) throws -> NPYHeader {
        var parser = Parser(bytes: Array(bytes))
        return try parser.parseHeader()
    }

    /// A cursor over the header bytes; each `parse…` consumes what it recognises or throws.
    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        func fail(_ what: String) -> TensorFileError {
            .malformedHeader(reason: "\(what) at byte \(position) of the .npy header")
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                position += 1
            }
        }

        /// Consumes `byte` (after optional whitespace) or throws.
        mutating func expect(_ byte: UInt8, _ name: String) throws {
            skipWhitespace()
            guard current == byte else { throw fail("expected \(name)") }
            position += 1
        }

        /// Consumes `byte` if it is next (after optional whitespace).
        mutating func consume(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard current == byte else { return false }
            position += 1
            return true
        }

        mutating func parseHeader() throws -> NPYHeader {
            var descr: String?
            var fortranOrder: Bool?
            var shape: [Int]?
            try expect(UInt8(ascii: "{"), "'{'")
            while !consume(UInt8(ascii: "}")) {
                let keyPosition = position
                let key = try parseString()
                try expect(UInt8(ascii: ":"), "':' after key '\(key)'")
                switch key {
                case "descr" where descr == nil:
                    skipWhitespace()
                    if current == UInt8(ascii: "[") {
                        throw TensorFileError.unsupportedDtype("(a structured dtype: a list of fields)")
                    }
                    descr = try parseString()
                case "fortran_order" where fortranOrder == nil:
                    fortranOrder = try parseBool()
                case "shape" where shape == nil:
                    shape = try parseTuple()
                case "descr", "fortran_order", "shape":
                    position = keyPosition
                    throw fail("duplicate key '\(key)'")
                default:
                    position = keyPosition
                    throw fail("unexpected key '\(key)' (expected descr, fortran_order, shape)")
                }
                // Items are separated by commas; a comma may also follow the last item.
                if consume(UInt8(ascii: "}")) { break }
                try expect(UInt8(ascii: ","), "',' or '}'")
            }
            skipWhitespace()  // NumPy pads with spaces and ends with '\n'
            guard position == bytes.count else { throw fail("unexpected text after the dict") }
            guard let descr else { throw fail("missing key 'descr'") }
            guard let fortranOrder else { throw fail("missing key 'fortran_order'") }
            guard let shape else { throw fail("missing key 'shape'") }
            return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
        }

        /// `True` or `False`.
        mutating func parseBool() throws -> Bool {
            skipWhitespace()
            for word in ["True", "False"] where bytes[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return word == "True"
            }
            throw fail("fortran_order must be True or False")
        }

        /// A quoted string of printable ASCII without backslashes.
        mutating func parseString() throws -> String {
            skipWhitespace()
            guard let quote = current, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
                throw fail("expected a quoted string")
            }
            position += 1
            let start = position
            while let byte = current, byte != quote {
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else {
                    throw fail("unsupported character in string")
                }
                position += 1
            }
            guard current == quote else { throw fail("unterminated string") }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            position += 1
            return text
        }

        /// `()`, `(5,)`, `(2, 3)` or `(2, 3,)`. `(5)` is not a tuple in Python, so we refuse it.
        mutating func parseTuple() throws -> [Int] {
            skipWhitespace()
            guard current == UInt8(ascii: "(") else { throw fail("shape must be a tuple such as (2, 3)") }
            position += 1
            var items: [Int] = []
            if consume(UInt8(ascii: ")")) { return items }
            while true {
                items.append(try parseDimension())
                if consume(UInt8(ascii: ")")) {
                    guard items.count > 1 else {
                        throw fail("(\(items[0])) is not a tuple; a 1-D shape is written (\(items[0]),)")
                    }
                    return items
                }
                try expect(UInt8(ascii: ","), "',' or ')' in shape")
                if consume(UInt8(ascii: ")")) { return items }
            }
        }

        /// A decimal integer. Negative values and values beyond `Int.max` throw `invalidShape`.
        mutating func parseDimension() throws -> Int {
            skipWhitespace()
            let negative = consume(UInt8(ascii: "-"))
            guard let first = current, (0x30...0x39).contains(first) else { throw fail("expected a dimension") }
            var value = 0
            var digits = ""
            while let byte = current, (0x30...0x39).contains(byte) {
                digits.append(Character(Unicode.Scalar(byte)))
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
                guard !overflow1, !overflow2 else {
                    throw TensorFileError.invalidShape(reason: "dimension \(digits)… does not fit in 64 bits")
                }
                value = sum
                position += 1
            }
            guard !negative || value == 0 else {
                throw TensorFileError.invalidShape(reason: "negative dimension -\(value)")
            }
            // Python (and so numpy.load) refuses 04: leading zeros are not a decimal literal.
            guard digits.count == 1 || digits.first != "0" else {
                throw TensorFileError.invalidShape(reason: "dimension \(digits) has a leading zero")
            }
            return value
        }
    }
}
