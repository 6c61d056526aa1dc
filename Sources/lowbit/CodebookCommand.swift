import ArgumentParser
import Blockwise8
import NF4

/// `lowbit codebook NAME [--json]` — the tables the 4-bit and 8-bit blockwise schemes use,
/// value i on line i (code order), each printed as the shortest decimal that reads back as
/// the same float32.
struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Print a quantization codebook: one value per line in code order, or a JSON array.")

    enum Name: String, CaseIterable, ExpressibleByArgument {
        case nf4, fp4, int4
        case dynamic8Signed = "dynamic8-signed"
        case dynamic8Unsigned = "dynamic8-unsigned"

        /// The table, index = code.
        var values: [Float] {
            switch self {
            case .nf4: FourBitDataType.nf4.values
            case .fp4: FourBitDataType.fp4.values
            case .int4: FourBitDataType.int4.values
            case .dynamic8Signed: DynamicMap.signed
            case .dynamic8Unsigned: DynamicMap.unsigned
            }
        }
    }

    @Argument(help: "One of: \(Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: Name

    @Flag(help: "Print a JSON array instead of one value per line.")
    var json = false

    func run() throws {
        let text = name.values.map { "\($0)" }
        print(json ? "[" + text.joined(separator: ", ") + "]" : text.joined(separator: "\n"))
    }
}
