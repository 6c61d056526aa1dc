import BERT
import Core
import Foundation
import PostTraining
import Testing

/// all-MiniLM-L6-v2 is fetched by `make test` (scripts/fetch-minilm.sh); without it these
/// tests fail with the line that says how to get it.
func miniLMCheckpoint() throws -> BERTCheckpoint {
    let folder = ModelFolder.miniLM
    try #require(ModelFolder.isPresent(folder), "\(ModelFolder.howToFetch)")
    return try BERTCheckpoint.load(folder: folder)
}

/// Every data-free scheme on MiniLM's real weights: layer 0's query ([384, 384], rows of 384:
/// the k-quants fall back) and output.dense ([384, 1536]: the k-quants are stored as such).
@Suite struct BERTMiniLMLinearTests {
    static func layer(_ checkpoint: BERTCheckpoint, _ slot: BERTLinearSlot) throws -> FloatLinear {
        let name = slot.name(layer: 0)
        let w = try #require(checkpoint.tensors[name + ".weight"])
        let b = try #require(checkpoint.tensors[name + ".bias"])
        return FloatLinear(weight: w, bias: b.data)
    }

    @Test func realWeightsStayWithinEachSchemesBound() throws {
        let checkpoint = try miniLMCheckpoint()
        let query = try Self.layer(checkpoint, .query)
        let output = try Self.layer(checkpoint, .output)
        var failures: [String] = []
        for scheme in BERTQuantizationScheme.allCases where !scheme.needsCalibration {
            // The k-quants' own searches on 590k weights are the slow part: output.dense
            // only for them, query for the rest.
            let layer = scheme.rawValue.hasSuffix("_k") ? output : query
            let q = try BERTQuantization.quantize(layer, scheme: scheme)
            let a = Double(layer.weight.data.map(abs).max()!)
            let worst = zip(layer.weight.data, q.dequantizedWeight.data)
                .map { Double(abs($0 - $1)) }.max()!
            let k = try #require(WorstCaseWeightError.fraction(scheme))
            if worst > k * a { failures.append("\(scheme.rawValue) \(worst / a)") }
        }
        #expect(failures.isEmpty, "beyond the bound: \(failures)")
    }
}
