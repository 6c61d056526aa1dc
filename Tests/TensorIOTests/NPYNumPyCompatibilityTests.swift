import Testing
@testable import TensorIO

/// The .npy reader accepts what `numpy.load` accepts for these dtypes and refuses what it
/// refuses (issue #14: '=f4', '|f4', '<e', ml_dtypes' bfloat16 and Fortran order were refused;
/// (04,) and 65-dimensional shapes were accepted).
@Suite struct NPYNumPyCompatibilityTests {
    static func file(_ descr: String, fortran: Bool = false, shape: String, data: [UInt8]) -> [UInt8] {
        npyBytes(
            header: "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), "
                + "'shape': \(shape), }",
            data: data)
    }

    /// 1.5 as float32 is 0x3FC00000 (IEEE 754), little-endian bytes 00 00 C0 3F.
    @Test(arguments: ["<f4", "=f4", "|f4", "f4", "<f", "f", "=f"])
    func everyNumPySpellingOfFloat32Reads(descr: String) throws {
        let tensor = try NPY.decode(Self.file(descr, shape: "(1,)", data: [0, 0, 0xC0, 0x3F]))
        #expect(tensor.elementType == .float32)
        #expect(try tensor.floats() == [1.5])
    }

    /// np.dtype('<e') is float16; 1.5 is 0x3E00. np.dtype('<i') int32, '<l'/'<q' int64, '?' bool.
    @Test func oneLetterCodesMapAsNumPyMapsThem() throws {
        #expect(try NPY.decode(Self.file("<e", shape: "(1,)", data: [0x00, 0x3E])).floats() == [1.5])
        #expect(try NPY.decode(Self.file("<i", shape: "(1,)", data: [7, 0, 0, 0])).int32s() == [7])
        let eight: [UInt8] = [9, 0, 0, 0, 0, 0, 0, 0]
        #expect(try NPY.decode(Self.file("<l", shape: "(1,)", data: eight)).int64s() == [9])
        #expect(try NPY.decode(Self.file("<q", shape: "(1,)", data: eight)).int64s() == [9])
        #expect(try NPY.decode(Self.file("?", shape: "(1,)", data: [1])).elementType == .bool)
    }

    /// np.save of an ml_dtypes.bfloat16 array writes descr '<V2' (numpy 2.4.6, ml_dtypes 0.7.0:
    /// the header of np.save(f, np.array([1.5, 2], dtype=ml_dtypes.bfloat16))). 1.5 in bfloat16
    /// is 0x3FC0, 2.0 is 0x4000.
    @Test func mlDtypesBfloat16FileReadsAsBfloat16() throws {
        let tensor = try NPY.decode(Self.file("<V2", shape: "(2,)", data: [0xC0, 0x3F, 0x00, 0x40]))
        #expect(tensor.elementType == .bfloat16)
        #expect(try tensor.floats() == [1.5, 2])
    }

    /// '>i2' 0x0102 is bytes 01 02; numpy reads it as 258.
    @Test func bigEndianIntegersAreSwapped() throws {
        let tensor = try NPY.decode(Self.file(">i2", shape: "(2,)", data: [1, 2, 0xFF, 0xFE]))
        #expect(try tensor.int16s() == [258, -2])
    }

    /// A 2 x 3 x 2 array in Fortran order: element (i, j, k) at i + 2 j + 6 k. Read back in C
    /// order, position (i, j, k) must hold the value stored there.
    @Test func fortranOrderIsTransposedToCOrderOnRead() throws {
        var stored = [Float](repeating: 0, count: 12)
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 { stored[i + 2 * j + 6 * k] = Float(100 * i + 10 * j + k) } } }
        let bytes = stored.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
        let tensor = try NPY.decode(Self.file("<f4", fortran: true, shape: "(2, 3, 2)", data: bytes))
        var expected: [Float] = []
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 { expected.append(Float(100 * i + 10 * j + k)) } } }
        #expect(tensor.shape == [2, 3, 2])
        #expect(try tensor.floats() == expected)
    }

    /// NumPy 2's NPY_MAXDIMS is 64: 64 dimensions load, 65 do not.
    @Test func sixtyFourDimensionsAreTheLimit() throws {
        let ones = (0..<64).map { _ in "1" }.joined(separator: ", ")
        let tensor = try NPY.decode(Self.file("<f4", shape: "(\(ones))", data: [0, 0, 0x80, 0x3F]))
        #expect(tensor.shape.count == 64)
        let error = tensorFileError {
            try NPY.decode(Self.file("<f4", shape: "(\(ones), 1)", data: [0, 0, 0x80, 0x3F]))
        }
        guard case .invalidShape(let reason) = error else {
            Issue.record("65 dimensions: expected invalidShape, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("64"))
    }
}
