import Foundation
import Core
import GPTQ
import TensorIO
import TestSupport
import Testing

/// The path of a file in Tests/GPTQTests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

/// One IST-DASLab/gptq reference case (Fixtures/README.md): tensors and case.json's params.
struct ReferenceCase: CustomStringConvertible {
    static let names = [
        "w4_perchannel", "w4_g32", "w4_g32_actorder", "w3_perchannel_actorder",
        "w4_g16_dead_outliers",
        "w4_g16_dead_outliers_actorder", "w4_g128_heavy", "w4_g128_heavy_actorder",
        "w4_g32_actorder_static", "w4_g32_sym", "w4_g32_bs16",
    ]

    let name: String
    let rows: Int
    let columns: Int
    let samples: Int
    let w: [Float]
    let x: [Float]
    let configuration: GPTQConfiguration
    let calibSeqLen: Int
    /// results.gptq_output_error and results.rtn_output_error of case.json.
    let referenceOutputError: Double
    let referenceRTNOutputError: Double

    var description: String { name }

    init(_ name: String) throws {
        self.name = name
        let fixtures = Fixtures(.module)
        let wRaw = try fixtures.raw("gptq/\(name)/W.npy")
        let xRaw = try fixtures.raw("gptq/\(name)/X.npy")
        (rows, columns, samples) = (wRaw.shape[0], wRaw.shape[1], xRaw.shape[0])
        w = try wRaw.floats()
        x = try xRaw.floats()
        let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath("gptq/\(name)/case.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let p = try #require(json["params"] as? [String: Any])
        let results = try #require(json["results"] as? [String: Any])
        let group = try #require(p["groupsize"] as? Int)
        configuration = GPTQConfiguration(
            bits: try #require(p["bits"] as? Int), groupSize: group == -1 ? nil : group,
            blockSize: try #require(p["blocksize"] as? Int),
            dampingPercent: Float(try #require(p["percdamp"] as? Double)),
            actOrder: try #require(p["actorder"] as? Bool),
            staticGroups: try #require(p["static_groups"] as? Bool),
            symmetric: try #require(p["sym"] as? Bool))
        calibSeqLen = try #require(p["calib_seq_len"] as? Int)
        referenceOutputError = try #require(results["gptq_output_error"] as? Double)
        referenceRTNOutputError = try #require(results["rtn_output_error"] as? Double)
    }

    func floats(_ file: String) throws -> [Float] {
        try Fixtures(.module).floats("gptq/\(name)/\(file)")
    }
    func ints(_ file: String) throws -> [Int] {
        let raw = try Fixtures(.module).raw("gptq/\(name)/\(file)")
        switch raw.elementType {
        case .uint8: return try raw.uint8s().map { Int($0) }
        case .int32: return try raw.int32s().map { Int($0) }
        case .int64: return try raw.int64s().map { Int($0) }
        default:
            Issue.record("\(file): dtype \(raw.elementType.rawValue) is not an integer type")
            return []
        }
    }

    func hessian() -> HessianAccumulator {
        HessianAccumulator.accumulate(
            x, samples: samples, columns: columns, sequenceLength: calibSeqLen)
    }

    func gptq() throws -> GPTQResult {
        try GPTQ.quantize(
            weight: w, rows: rows, columns: columns, hessian: hessian().h,
            configuration: configuration)
    }

    func outputError(_ q: [Float]) -> Double {
        OutputError.squared(
            x: x, samples: samples, weight: w, approximation: q, rows: rows, columns: columns)
    }
}

/// How many entries of two equal-length arrays are equal.
func equalCount<T: Equatable>(_ a: [T], _ b: [T]) -> Int { zip(a, b).filter { $0 == $1 }.count }
