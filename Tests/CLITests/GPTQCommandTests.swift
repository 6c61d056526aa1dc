import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit gptq` against IST-DASLab/gptq's reference cases (committed with the GPTQ tests,
/// Tests/GPTQTests/Fixtures/README.md), and its error contract.
@Suite struct GPTQCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    static func fixture(_ caseName: String, _ file: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent(
            "Tests/GPTQTests/Fixtures/gptq/\(caseName)/\(file)"
        ).path
    }

    /// Each case's parameters (case.json) as flags; output error from case.json's results.
    @Test(arguments: [
        (
            "w4_g32_actorder", ["--bits", "4", "--group-size", "32", "--act-order"],
            35.83614352710022
        ),
        ("w4_g16_dead_outliers", ["--bits", "4", "--group-size", "16"], 233.50554823847563),
        (
            "w4_g128_heavy_actorder", ["--bits", "4", "--group-size", "128", "--act-order"],
            449.5016669958319
        ),
        (
            "w3_perchannel_actorder", ["--bits", "3", "--group-size", "-1", "--act-order"],
            188.43211451324333
        ),
    ])
    func reproducesTheReferenceCases(caseName: String, flags: [String], referenceError: Double)
        throws
    {
        let result = try BuiltProducts.run(
            "lowbit",
            ["gptq", Self.fixture(caseName, "W.npy"), Self.fixture(caseName, "X.npy")] + flags
                + [
                    "--calib-seq-len", "32", "--dequantized", path("q.npy"), "--codes",
                    path("c.npy"), "--json",
                ])
        #expect(result.status == 0, "\(result.stderr)")
        let q = try NPY.read(contentsOf: path("q.npy"))
        #expect(q.elementType == .float32)
        let expected = try NPY.read(contentsOf: Self.fixture(caseName, "Q.npy"))
        #expect(q.shape == expected.shape)
        let (got, want) = (try q.floats(), try expected.floats())
        // Equal to 1e-6 relative: a group refitted after a lazy batch update can move its scale by
        // an ulp or two (GPTQReferenceTests.dequantizedWeightsMatchTheReference says why).
        let equal = zip(got, want).filter { abs($0 - $1) <= 1e-6 * $1.magnitude }.count
        #expect(
            Double(equal) >= 0.98 * Double(want.count),
            "\(caseName): \(equal) of \(want.count) equal")
        let codes = try NPY.read(contentsOf: path("c.npy"))
        #expect(codes.elementType == .uint8 && codes.shape == expected.shape)
        let wantCodes = try NPY.read(contentsOf: Self.fixture(caseName, "codes.npy")).uint8s()
        let equalCodes = zip(try codes.uint8s(), wantCodes).filter { $0 == $1 }.count
        #expect(
            Double(equalCodes) >= 0.98 * Double(wantCodes.count),
            "\(caseName): \(equalCodes) codes equal")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "\(result.stdout)")
        let error = try #require(json["output_error"] as? Double)
        #expect(
            abs(error - referenceError) <= 0.01 * referenceError, "\(error) vs \(referenceError)")
        let rtn = try #require(json["rtn_output_error"] as? Double)
        #expect(rtn > error)
        // bits + (16-bit scale + `bits`-bit zero) per group of G (group -1: G = in, 64 here).
        let bits = Double(flags[1])!
        let group = flags[3] == "-1" ? 64 : Double(flags[3])!
        #expect(json["bits_per_weight"] as? Double == bits + (16 + bits) / group)
        #expect(json["add_batch_calls"] as? Int == (caseName.hasPrefix("w4_g128") ? 16 : 4))
    }

    /// Without --calib-seq-len all rows are one call: H differs only by the running average's
    /// weighting, which is a scale for equal-length runs — same Q up to rounding (≥ 98 %).
    @Test func oneCallByDefaultGivesTheSameQuantization() throws {
        let c = "w4_perchannel"
        let result = try BuiltProducts.run(
            "lowbit",
            [
                "gptq", Self.fixture(c, "W.npy"), Self.fixture(c, "X.npy"), "--bits", "4",
                "--dequantized", path("q.npy"),
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("gptq 4-bit"), "\(result.stdout)")
        let got = try NPY.read(contentsOf: path("q.npy")).floats()
        let want = try NPY.read(contentsOf: Self.fixture(c, "Q.npy")).floats()
        let equal = zip(got, want).filter { $0 == $1 }.count
        #expect(Double(equal) >= 0.98 * Double(want.count), "\(equal) of \(want.count)")
    }

    func write(_ name: String, _ values: [Float], _ shape: [Int]) throws -> String {
        try NPY.write(RawTensor(float32: values, shape: shape), to: path(name))
        return path(name)
    }

    @Test(arguments: [
        ("X with another input dimension", "x5", ["--bits", "4"], "X is 3 × 5"),
        ("too few bits", "x", ["--bits", "1"], "--bits must be 2"),
        ("too many bits", "x", ["--bits", "9"], "--bits must be 2"),
        (
            "a group size that does not divide", "x", ["--bits", "4", "--group-size", "3"],
            "does not divide"
        ),
        ("NaN in W", "x", ["--bits", "4", "--use-nan-w"], "finite"),
        ("infinity in X", "xinf", ["--bits", "4"], "finite"),
        ("an empty X", "xempty", ["--bits", "4"], "empty"),
        ("a 1-D W", "x", ["--bits", "4", "--use-1d-w"], "2-D"),
        ("a negative damping", "x", ["--bits", "4", "--damp", "-0.1"], "--damp"),
        (
            "static groups without groups", "x", ["--bits", "4", "--static-groups"],
            "--static-groups"
        ),
        (
            "a singular H without damping", "xsingular",
            ["--bits", "4", "--damp", "0", "--calib-seq-len", "1"], "pivot 1"
        ),
    ])
    func badInputIsOneLineErrorAndNoOutput(
        name: String, x: String, flags: [String], mentioning: String
    ) throws {
        // W: 2 × 4, all finite; its NaN and 1-D variants are chosen by the fake flags above.
        let w = try write("w.npy", [0.1, -0.2, 0.3, 0.05, -0.4, 0.25, 0.15, -0.1], [2, 4])
        let wNaN = try write("w_nan.npy", [0.1, .nan, 0.3, 0.05, -0.4, 0.25, 0.15, -0.1], [2, 4])
        let w1D = try write("w_1d.npy", [0.1, -0.2, 0.3, 0.05], [4])
        let xs: [String: String] = [
            "x": try write("x.npy", (0..<12).map { Float($0 % 5) - 1.5 }, [3, 4]),
            "x5": try write("x5.npy", [Float](repeating: 0.5, count: 15), [3, 5]),
            "xinf": try write("xinf.npy", [1, 2, 3, 4, 5, .infinity, 7, 8], [2, 4]),
            "xempty": try write("xempty.npy", [], [0, 4]),
            // One zero row, then [1, 2, 1, 1]: with one row per call H = xᵀx exactly (the second
            // call scales by √(2/2) = 1 and halves the first, zero, call) — rank 1, so the
            // second pivot is 4 − 2² = 0 and damping 0 cannot rescue it.
            "xsingular": try write("xsingular.npy", [0, 0, 0, 0, 1, 2, 1, 1], [2, 4]),
        ]
        var args = flags.filter { !$0.hasPrefix("--use-") }
        let weight = flags.contains("--use-nan-w") ? wNaN : flags.contains("--use-1d-w") ? w1D : w
        args =
            ["gptq", weight, xs[x]!] + args + [
                "--dequantized", path("q.npy"), "--codes", path("c.npy"),
            ]
        let result = try BuiltProducts.run("lowbit", args)
        expectContractError(result, mentioning: mentioning)
        #expect(
            !FileManager.default.fileExists(atPath: path("q.npy")), "\(name): q.npy was written")
        #expect(
            !FileManager.default.fileExists(atPath: path("c.npy")), "\(name): c.npy was written")
    }
}
