import Foundation
import TensorIO
import TestSupport
import Testing

/// `.safetensors` inputs and `lowbit inspect` (issue #14: a user holding model.safetensors was
/// told "bad magic"). The fixture all_dtypes.safetensors was written by safetensors 0.8.0
/// (Tests/TensorIOTests/Fixtures/README.md): 15 tensors, metadata {"source": "make_fixtures.py"}.
@Suite struct SafetensorsInputCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    static func fixture(_ name: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Tests/TensorIOTests/Fixtures/\(name)").path
    }

    @Test func inspectListsEveryTensorWithDtypeShapeAndTheMetadata() throws {
        let result = try BuiltProducts.run("lowbit", ["inspect", Self.fixture("all_dtypes.safetensors"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let tensors = try #require(object?["tensors"] as? [[String: Any]])
        #expect(tensors.count == 15)
        let bf16 = try #require(tensors.first { $0["name"] as? String == "bf16" })
        #expect(bf16["dtype"] as? String == "bfloat16" && bf16["shape"] as? [Int] == [2, 2])
        #expect(bf16["bytes"] as? Int == 8)
        #expect((object?["metadata"] as? [String: String]) == ["source": "make_fixtures.py"])
        let plain = try BuiltProducts.run("lowbit", ["inspect", Self.fixture("f4_2x3.npy")])
        #expect(plain.status == 0 && plain.stdout.contains(".npy, 1 tensor(s), 24 bytes"))
    }

    /// The f32 tensor of the safetensors file holds the values of f4_2x3.npy (make_fixtures.py):
    /// quantizing either gives the same bytes.
    @Test func aSafetensorsTensorQuantizesLikeTheSameNpy() throws {
        let fromSafetensors = try BuiltProducts.run("lowbit", [
            "quantize", "--scheme", "nf4", Self.fixture("all_dtypes.safetensors"), "--tensor", "f32",
            "--codes", path("a.npy"), "--absmax", path("am.npy"),
        ])
        #expect(fromSafetensors.status == 0, "\(fromSafetensors.stderr)")
        let fromNpy = try BuiltProducts.run("lowbit", [
            "quantize", "--scheme", "nf4", Self.fixture("f4_2x3.npy"), "--codes", path("b.npy"),
            "--absmax", path("bm.npy"),
        ])
        #expect(fromNpy.status == 0, "\(fromNpy.stderr)")
        #expect(try NPY.read(contentsOf: path("a.npy")) == NPY.read(contentsOf: path("b.npy")))
        #expect(try NPY.read(contentsOf: path("am.npy")) == NPY.read(contentsOf: path("bm.npy")))
    }

    @Test(arguments: [
        (["--tensor", "nope"], "no tensor named \"nope\""),
        ([String](), "holds 15 tensors; choose one with --tensor NAME"),
        (["--tensor", "i8"], "dtype int8 is not accepted"),
    ])
    func aBadTensorChoiceIsOneLine(extra: [String], message: String) throws {
        let result = try BuiltProducts.run("lowbit", [
            "quantize", "--scheme", "nf4", Self.fixture("all_dtypes.safetensors"), "--codes", path("q.npy"),
        ] + extra)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// "error: -: no such file: -" named the path twice.
    @Test func aMissingFileIsNamedOnce() throws {
        let missing = path("missing.npy")
        let result = try BuiltProducts.run("lowbit", ["inspect", missing])
        #expect(result.status == 1)
        #expect(result.stderr.components(separatedBy: missing).count == 2)
    }
}
