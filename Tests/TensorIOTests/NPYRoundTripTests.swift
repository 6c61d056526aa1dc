import Foundation
import Testing

@testable import TensorIO

/// decode(encode(t)) == t for every dtype NumPy has, at every shape kind; and the header is
/// laid out as NumPy lays it out.
@Suite struct NPYRoundTripTests {
    static let npyTypes = ElementType.allCases.filter { $0 != .bfloat16 }

    @Test(arguments: npyTypes, roundTripShapes)
    func encodeThenDecodeGivesBackTheSameTensor(type: ElementType, shape: [Int]) throws {
        let tensor = try patternTensor(type, shape: shape)
        let encoded = NPY.encode(tensor)
        #expect(try NPY.decode(encoded) == tensor)
    }

    @Test(arguments: npyTypes, roundTripShapes)
    func dataStartsOnA64ByteBoundaryAfterANewline(type: ElementType, shape: [Int]) throws {
        let tensor = try patternTensor(type, shape: shape)
        let encoded = NPY.encode(tensor)
        let dataStart = encoded.count - tensor.bytes.count
        #expect(dataStart % 64 == 0)
        #expect(encoded[dataStart - 1] == 0x0A)
        #expect(Array(encoded[6...7]) == [1, 0])
    }

    @Test func headerTextMatchesNumpysLayout() throws {
        let encoded = NPY.encode(RawTensor(float32: [1, 2, 3, 4, 5, 6], shape: [2, 3]))
        let header = String(decoding: encoded[10..<128], as: UTF8.self)
        // 21 - len("2") = 20 spaces of growth room, then padding, then '\n'.
        let expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        #expect(header.hasPrefix(expected + String(repeating: " ", count: 20)))
        #expect(header.hasSuffix(" \n"))
        #expect(encoded[8] == 118 && encoded[9] == 0)  // header length 118, little-endian u16
    }

    @Test(arguments: [([Int](), "()"), ([5], "(5,)"), ([2, 3, 4], "(2, 3, 4)")])
    func shapesAreWrittenAsPythonTuples(shape: [Int], literal: String) {
        let header = NPYHeader(descr: "<f4", fortranOrder: false, shape: shape)
        #expect(header.pythonLiteral.contains("'shape': \(literal), }"))
    }

    /// A header over 65535 bytes needs the 4-byte length field of version 2.0. Only a shape
    /// past NumPy's 64 dimensions makes one here, so reading it back is refused, and
    /// `NPY.write` refuses to write it (issue #14: such files were written and NumPy could not
    /// load them).
    @Test func hugeHeaderIsEncodedAsVersion2ButNotWrittenOrRead() throws {
        let shape = [Int](repeating: 1, count: 30_000)  // "(1, 1, …)" is ~90 kB of header text
        let tensor = RawTensor(int8: [-5], shape: shape)
        let encoded = NPY.encode(tensor)
        #expect(encoded[6] == 2)
        #expect((encoded.count - 1) % 64 == 0)
        #expect(throws: TensorFileError.self) { try NPY.decode(encoded) }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lowbit-npy-rank-\(UInt32.random(in: 0...UInt32.max)).npy").path
        #expect(throws: TensorFileError.self) { try NPY.write(tensor, to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func headersParseWithAnyKeyOrderQuotesAndWhitespace() throws {
        let variants = [
            "{'shape': (2,), 'fortran_order': False, 'descr': '<i2'}",
            "{\"descr\" : \"<i2\" ,\n\t'fortran_order':False,'shape':( 2 , ),}",
            "{ 'descr': '<i2', 'fortran_order': False, 'shape': (2,) }",
        ]
        for header in variants {
            let tensor = try NPY.decode(npyBytes(header: header, data: [0x01, 0x80, 0xFF, 0x7F]))
            #expect(try tensor.int16s() == [-32767, 32767], "header \(header)")
        }
    }

    @Test func oneByteTypesAcceptAnyByteOrderMark() throws {
        for descr in ["|u1", "<u1", ">u1"] {
            let tensor = try NPY.decode(
                npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }", data: [7, 250]))
            #expect(try tensor.uint8s() == [7, 250])
        }
    }

    @Test func writeThenReadGivesBackTheSameTensor() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tensor = RawTensor(float64: [0.25, -1e-310, 12345.678], shape: [3])
        try NPY.write(tensor, to: directory + "/x.npy")
        #expect(try NPY.read(contentsOf: directory + "/x.npy") == tensor)
    }

    @Test func bfloat16IsRefusedByWriteBecauseNumpyHasNoSuchDtype() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tensor = RawTensor(bfloat16Bits: [0x3F80], shape: [1])
        let error = tensorFileError { try NPY.write(tensor, to: directory + "/x.npy") }
        guard case .unsupportedElementType(.bfloat16, _) = error else {
            Issue.record("expected unsupportedElementType, got \(String(describing: error))")
            return
        }
        #expect(NPY.descriptor(for: .bfloat16) == nil)
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.npy"))
    }
}
