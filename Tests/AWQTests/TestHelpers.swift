import AWQ
import Core
import Foundation
import TensorIO
import TestSupport
import Testing

/// Files in Tests/AWQTests/Fixtures (copied unchanged from the shared reference set's
/// `awq/`, section L of its README; see Fixtures/README.md).
func loadFloats(_ name: String) throws -> [Float] { try Fixtures(.module).floats(name) }
func loadBytes(_ name: String) throws -> [UInt8] { try Fixtures(.module).bytes(name) }
func loadShape(_ name: String) throws -> [Int] { try Fixtures(.module).raw(name).shape }

/// A weight fixture [rows][columns] as a LinearWeight.
func loadWeight(_ name: String) throws -> LinearWeight {
    let raw = try Fixtures(.module).raw(name)
    try #require(raw.shape.count == 2, "\(name) is not 2-D: \(raw.shape)")
    return LinearWeight(try raw.floats(), rows: raw.shape[0], columns: raw.shape[1])
}

/// A reference case's `case.json`: its `params` and `results` objects.
struct CaseJSON {
    let params: [String: Any]
    let results: [String: Any]

    init(_ caseName: String) throws {
        let url = URL(fileURLWithPath: try Fixtures(.module).path("awq/\(caseName)/case.json"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        params = try #require(object?["params"] as? [String: Any])
        results = try #require(object?["results"] as? [String: Any])
    }

    func int(_ key: String) throws -> Int { try #require(params[key] as? Int, "params.\(key)") }
    func result(_ key: String) throws -> Double {
        try #require(results[key] as? Double, "results.\(key)")
    }
    func resultArray(_ key: String) throws -> [Double] {
        try #require(results[key] as? [Double], "results.\(key)")
    }
}

/// One of the four scale-search cases: X, the linears (in the reference's order) and the
/// block the search measures.
struct SearchCase: CustomStringConvertible {
    static let names = [
        "search_single_g128", "search_qkv_g64", "search_dead_channel_g64", "search_mlp_g64",
    ]

    let name: String
    let json: CaseJSON
    let x: [Float]
    let tokens: Int
    let groupSize: Int
    /// The names of the scaled linears ("fc" for the single ones, file suffix "").
    let linearNames: [String]
    let weights: [LinearWeight]
    /// down_proj for the MLP case (stays float), nil otherwise.
    let down: LinearWeight?

    init(_ name: String) throws {
        let json = try CaseJSON(name)
        let names = try #require(json.params["linears2scale"] as? [String])
        self.name = name
        self.json = json
        x = try loadFloats("awq/\(name)/X.npy")
        tokens = try loadShape("awq/\(name)/X.npy")[0]
        groupSize = try json.int("q_group_size")
        linearNames = names
        weights = try names.map { try loadWeight("awq/\(name)/W\(Self.suffix($0, names)).npy") }
        down = name == "search_mlp_g64" ? try loadWeight("awq/\(name)/W_down_proj.npy") : nil
    }

    var description: String { name }

    /// The file suffix for a linear: "" when there is only one ("W.npy"), "_q_proj" etc.
    static func suffix(_ linear: String, _ all: [String]) -> String {
        all.count == 1 ? "" : "_\(linear)"
    }
    func file(_ stem: String, _ linear: String) -> String {
        "awq/\(name)/\(stem)\(Self.suffix(linear, linearNames)).npy"
    }

    /// The block output the reference's search compares: concatenated linears, or the MLP
    /// down(silu(gate(x)) ⊙ up(x)) with down in float.
    func block(_ ws: [LinearWeight]) -> [Float] {
        guard let down else {
            return ScaleSearch.concatenatedOutputs(x, tokens: tokens, weights: ws)
        }
        let gate = ws[0].forward(x, tokens: tokens)
        let up = ws[1].forward(x, tokens: tokens)
        // silu(g) = g / (1 + exp(−g)) in float32, as PyTorch evaluates it.
        let hidden = zip(gate, up).map { g, u in (g / (1 + expf(-g))) * u }
        return down.forward(hidden, tokens: tokens)
    }

    func runAWQ(clip: Bool = false) -> AWQ.Result {
        AWQ.quantize(
            x: x, tokens: tokens, weights: weights, bits: 4, groupSize: groupSize,
            clip: clip, block: block)
    }
}

/// How many of two equal-length arrays agree bit for bit, and how many within `tolerance`.
func agreement(_ expected: [Float], _ actual: [Float], tolerance: Float) -> (
    bitEqual: Int, within: Int
) {
    precondition(expected.count == actual.count)
    var bitEqual = 0
    var within = 0
    for (e, a) in zip(expected, actual) {
        if e.bitPattern == a.bitPattern { bitEqual += 1 }
        if abs(e - a) <= tolerance { within += 1 }
    }
    return (bitEqual, within)
}

/// LayerNorm over the channels of each token ([tokens][channels]), ε = 1e-5, in Double then
/// rounded: the fold tests need the same normalised x̂ on both sides, not PyTorch's digits.
func layerNorm(_ x: [Float], tokens: Int, affine: ScaleFolding.LayerNormAffine) -> [Float] {
    let channels = affine.gamma.count
    var y = [Float](repeating: 0, count: x.count)
    for t in 0..<tokens {
        let row = x[(t * channels)..<((t + 1) * channels)].map(Double.init)
        let mean = row.reduce(0, +) / Double(channels)
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(channels)
        for c in 0..<channels {
            let normalised = Float((row[c] - mean) / (variance + 1e-5).squareRoot())
            y[t * channels + c] = affine.gamma[c] * normalised + affine.beta[c]
        }
    }
    return y
}

/// A synthetic layer with salient input channels (Chapter 3's emergent outliers, small):
/// W ~ 0.05 N(0, 1) [rows][columns]; X ~ N(0, 1) [tokens][columns] with `salient` channels
/// ×`boost`, and `dead` channels all zero.
func syntheticLayer(
    rows: Int, columns: Int, tokens: Int, salient: [Int], boost: Float = 20, dead: [Int] = [],
    seed: UInt64
) -> (weight: LinearWeight, x: [Float]) {
    var rng = SeededRNG(seed: seed)
    let w = rng.normalFloats(rows * columns, std: 0.05)
    var x = rng.normalFloats(tokens * columns)
    for t in 0..<tokens {
        for c in salient { x[t * columns + c] *= boost }
        for c in dead { x[t * columns + c] = 0 }
    }
    return (LinearWeight(w, rows: rows, columns: columns), x)
}

/// The largest |a − b| relative to the largest |a|.
func relativeMaxDifference(_ a: [Float], _ b: [Float]) -> Double {
    let scale = a.map { abs(Double($0)) }.max() ?? 0
    let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
    return scale > 0 ? worst / scale : worst
}
