import GGUF

/// `--metadata KEY=VALUE` for `lowbit gguf write`, typed the way gguf-py types a Python value
/// (`GGUFValueType.get_type` in gguf-py/gguf/constants.py): a bool is BOOL, an int INT32, a
/// float FLOAT32, a str STRING.
///
/// On the command line everything is text, so: `true` / `false` → BOOL; an integer literal →
/// INT32, or INT64 when it does not fit (gguf-py would fail to pack it); a decimal literal
/// (digits with `.` or an exponent) → FLOAT32; anything else, the empty string included →
/// STRING. `general.alignment` is a UINT32, the type `GGUFWriter.add_custom_alignment` writes
/// and llama.cpp requires.
enum GGUFMetadataArgument {
    static func parse(_ argument: String) throws -> (String, GGUFValue) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw CLIError("--metadata '\(argument)': expected KEY=VALUE")
        }
        let key = String(argument[..<equals])
        let text = String(argument[argument.index(after: equals)...])
        if key == GGUFFile.alignmentKey {
            guard let alignment = UInt32(text) else {
                throw CLIError("--metadata \(key): '\(text)' is not a UINT32")
            }
            return (key, .uint32(alignment))
        }
        return (key, value(text))
    }

    static func value(_ text: String) -> GGUFValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let small = Int32(text) { return .int32(small) }
        if let large = Int64(text) { return .int64(large) }
        let decimal = !text.isEmpty && text.allSatisfy { "0123456789+-.eE".contains($0) }
        if decimal, let number = Float(text) { return .float32(number) }
        return .string(text)
    }
}
