import LLMInt8
import Testing

/// `InferenceCost`: the bytes and operations of the fp16 and LLM.int8() forward passes that
/// Chapter 3 prints to explain why LLM.int8() is slowest, relative to fp16, for small models.
@Suite struct InferenceCostTests {

    /// A layer small enough to count by hand: t = 2 tokens, h = 4 in, o = 3 out, k = 1
    /// outlier column. Every expected number is the formula of its pass in
    /// `InferenceCost.swift`, evaluated on paper (written out beside it).
    @Test func passesOfASmallLayerMatchTheHandCount() {
        let layer = InferenceCost.Layer(
            tokens: 2, inFeatures: 4, outFeatures: 3, outlierColumns: 1)
        let fp16 = InferenceCost.float16Passes(layer)
        // read 2·2·4 + 2·3·4 = 40, write 2·2·3 = 12, operations 2·2·4·3 = 48
        #expect(fp16.map(\.bytesRead) == [40])
        #expect(fp16.map(\.bytesWritten) == [12])
        #expect(fp16.totalOperations == 48)

        let int8 = InferenceCost.llmInt8Passes(layer)
        // find: 2·t·h = 16 → h = 4;  quantize: 16 → t·h + 4t = 16;
        // matmul: t·h + o·h = 20 → 4·t·o = 24;  rescale: 4·t·o + 4t + 4o = 44 → 2·t·o = 12;
        // gather: 2·t·k = 4 → 4;  dequantize W[:, O]: o·k + 4o = 15 → 2·o·k = 6;
        // outlier matmul: 2tk + 2ok + 2to = 22 → 12
        #expect(int8.map(\.bytesRead) == [16, 16, 20, 44, 4, 15, 22])
        #expect(int8.map(\.bytesWritten) == [4, 16, 24, 12, 4, 6, 12])
        // t·h = 8, 3·t·h = 24, 2·t·h·o = 48, 3·t·o = 18, 0, 2·o·k = 6, 2·t·k·o + t·o = 18
        #expect(int8.map(\.operations) == [8, 24, 48, 18, 0, 6, 18])
        #expect(int8.totalBytes == 215)
        #expect(int8.overhead.count == 6, "everything but the int8 matmul")
        #expect(int8.overhead.totalBytes == 215 - 44)
    }

    @Test func withoutOutlierColumnsThereIsNoFloatPath() {
        let layer = InferenceCost.Layer(tokens: 8, inFeatures: 64, outFeatures: 32)
        let names = InferenceCost.llmInt8Passes(layer).map(\.name)
        #expect(
            names == [
                "find outlier columns", "row absmax, quantize X", "int8 matmul",
                "rescale Int32 to fp16",
            ])
    }

    @Test func bothPathsDoTheSameMatmulAndInt8ReadsHalfTheWeightBytes() {
        let layer = InferenceCost.Layer(
            tokens: 16, inFeatures: 1024, outFeatures: 512, outlierColumns: 6)
        let fp16 = InferenceCost.float16Passes(layer).filter(\.isMatmul)
        let int8 = InferenceCost.llmInt8Passes(layer).filter(\.isMatmul)
        #expect(fp16.count == 1 && int8.count == 1)
        #expect(fp16[0].operations == int8[0].operations)
        // The weights dominate what a matmul reads: 2·o·h bytes in fp16, o·h in int8.
        let weightBytes = 512 * 1024
        #expect(fp16[0].bytesRead - int8[0].bytesRead == weightBytes + 16 * 1024)
    }

    /// The chapter's claim: the passes around the matmul touch t·h or t·o values, the fp16
    /// matmul moves 2·h² bytes of weights, so for a square layer with t tokens the overhead's
    /// share of the bytes falls like 1/h. Doubling h multiplies it by about
    /// (h + 2t) / (2h + 2t): between 1/2 and 0.6 once h ≥ 4t (here t = 64, h ≥ 512).
    @Test func overheadShareOfTheBytesHalvesWhenTheLayerDoubles() {
        func share(_ h: Int) -> Double {
            let layer = InferenceCost.Layer(
                tokens: 64, inFeatures: h, outFeatures: h, outlierColumns: 6)
            let overhead = Double(InferenceCost.llmInt8Passes(layer).overhead.totalBytes)
            return overhead / Double(InferenceCost.float16Passes(layer).totalBytes)
        }
        var failures: [String] = []
        for h in [512, 1024, 2048, 4096, 8192] {
            let ratio = share(2 * h) / share(h)
            if !(ratio > 0.5 && ratio < 0.6) { failures.append("h = \(h): share ratio \(ratio)") }
        }
        #expect(
            failures.isEmpty, "\(failures.count) sizes outside (0.5, 0.6): \(failures.prefix(3))")
    }
}
