import FloatFormats
import TestSupport
import Testing

/// The branch-light fp16/bf16 kernels compute the same function as the general encoder and
/// decoder — bit for bit, NaN payloads included — and fp16 agrees with Swift's `Float16`.
@Suite struct FastConversionTests {
    #if DEBUG
        /// Debug builds check every 4099th float32 bit pattern (1 million) against the
        /// general encoder and against `Float16`.
        static let generalStride: UInt64 = 4099
        static let float16Stride: UInt64 = 4099
    #else
        /// Release builds (`swift test -c release`): every 61st pattern (70 million) against
        /// the general encoder, and all 2^32 against `Float16` (≈ 15 s on two cores).
        static let generalStride: UInt64 = 61
        static let float16Stride: UInt64 = 1
    #endif

    /// Runs `check` over the float32 bit patterns 0, stride, 2·stride, … < 2^32 in blocks of
    /// 16 Ki patterns (small enough for malloc to reuse rather than mmap), spread over the
    /// cores. Returns the failure messages in input order (at most one per 1/64 of the range).
    static func sweepAllPatterns(
        stride: UInt64, _ check: @escaping @Sendable ([Float]) -> String?
    ) async -> [String] {
        let parts: UInt64 = 64
        let partSize = (UInt64(1) << 32) / parts
        return await withTaskGroup(of: (UInt64, String?).self) { group in
            for part in 0..<parts {
                group.addTask {
                    // The first multiple of `stride` in this part of the range.
                    var pattern = (part * partSize + stride - 1) / stride * stride
                    let end = (part + 1) * partSize
                    let blockSize: UInt64 = 1 << 14
                    while pattern < end {
                        let count = Int(min(blockSize, (end - pattern + stride - 1) / stride))
                        let start = pattern
                        let block = [Float](unsafeUninitializedCapacity: count) {
                            buffer, initialized in
                            for i in 0..<count {
                                buffer[i] = Float(
                                    bitPattern: UInt32(
                                        truncatingIfNeeded: start &+ UInt64(i) &* stride))
                            }
                            initialized = count
                        }
                        if let failure = check(block) { return (part, failure) }
                        pattern += UInt64(count) * stride
                    }
                    return (part, nil)
                }
            }
            var failures: [(UInt64, String)] = []
            for await (part, failure) in group {
                if let failure { failures.append((part, failure)) }
            }
            return failures.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The fast kernels against the general encoder on the sweep plus samples near the
    /// fp16/bf16 ranges: bit for bit, NaN payloads included.
    @Test(arguments: [FloatFormat.fp16, .bf16])
    func fastEncodeAgreesWithGeneralEncoder(format: FloatFormat) async {
        let near = samplePatterns(for: format, count: 200_000, seed: 31)
        let check: @Sendable ([Float]) -> String? = { inputs in
            firstMismatch(
                inputs: inputs, expected: inputs.map { format.encode($0) },
                actual: format.encodeUInt16(inputs).map { UInt32($0) },
                what: "\(format.name) fast vs general")
        }
        let failures =
            await Self.sweepAllPatterns(stride: Self.generalStride, check)
            + [check(near)].compactMap { $0 }
        // (The count and the first failure only: the array itself would be a 64-line dump.)
        let chunks = failures.count
        #expect(chunks == 0, "\(chunks) chunks differ; first: \(failures.first ?? "")")
    }

    @Test(arguments: [FloatFormat.fp16, .bf16])
    func fastDecodeAgreesWithGeneralDecoderOnEveryCode(format: FloatFormat) {
        let codes = (0...UInt16.max).map { $0 }
        let fast = format.decode(codes)
        let codeInputs = codes.map { Float(bitPattern: UInt32($0)) }  // for the message only
        let message = firstMismatch(
            inputs: codeInputs, expected: codes.map { format.decode(UInt32($0)).bitPattern },
            actual: fast.map(\.bitPattern), what: "\(format.name) decode (input shows the code)")
        #expect(message == nil, "\(message ?? "")")
    }

    /// Encode then decode through the buffer API reproduces `roundTrip` element-wise.
    @Test func bufferRoundTripMatchesScalarRoundTrip() {
        let inputs = samplePatterns(for: .fp16, count: 10_000, seed: 32)
        for format in [FloatFormat.fp16, .bf16] {
            let bulk = format.roundTrip(inputs).map(\.bitPattern)
            let scalar = inputs.map { format.roundTrip($0).bitPattern }
            let message = firstMismatch(
                inputs: inputs, expected: scalar, actual: bulk, what: "\(format.name) roundTrip")
            #expect(message == nil, "\(message ?? "")")
        }
        #expect(
            FloatFormat.fp16.encodeUInt16([]).isEmpty && FloatFormat.bf16.decode([UInt16]()).isEmpty
        )
    }

    /// The `into:` variants reuse (or resize) the caller's buffer and give the same result.
    @Test func encodeIntoReusedBuffersMatchesAllocatingVersion() {
        let inputs = samplePatterns(for: .fp16, count: 3000, seed: 34)
        var codes = [UInt16](repeating: 0xabcd, count: 17)  // wrong size: resized
        var values = [Float](repeating: .nan, count: 3000)  // right size: reused
        for format in [FloatFormat.fp16, .bf16, .fp8E4M3] {
            format.encode(inputs, into: &codes)
            let encodeMessage = TestSupport.firstMismatch(format.encodeUInt16(inputs), codes)
            #expect(encodeMessage == nil, "\(format.name) encode(into:): \(encodeMessage ?? "")")
            format.decode(codes, into: &values)
            let decodeMessage = TestSupport.firstMismatch(
                format.decode(codes).map(\.bitPattern), values.map(\.bitPattern))
            #expect(decodeMessage == nil, "\(format.name) decode(into:): \(decodeMessage ?? "")")
        }
    }

    /// Bulk encoding in a non-default mode takes the general path and still agrees.
    @Test func bulkSaturatingModeMatchesScalar() {
        let inputs = samplePatterns(for: .fp8E4M3, count: 5000, seed: 33)
        for format in FloatFormat.all {
            let bulk = format.encode(inputs, overflow: .saturate)
            let scalar = inputs.map { format.encode($0, overflow: .saturate) }
            let message = firstMismatch(
                inputs: inputs, expected: scalar, actual: bulk, what: "\(format.name) saturate")
            #expect(message == nil, "\(message ?? "")")
        }
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        /// fp16 against Swift's `Float16(x)` (hardware or compiler-rt round-to-nearest-even)
        /// on the sweep (all 2^32 patterns in release). NaN: both must be NaN — Float16
        /// may quiet a signalling NaN; NumPy and we keep its payload bits as they are.
        @Test func fp16AgreesWithSwiftFloat16() async {
            let failures = await Self.sweepAllPatterns(stride: Self.float16Stride) { inputs in
                let ours = FloatFormat.fp16.encodeUInt16(inputs)
                for (x, code) in zip(inputs, ours) {
                    // Compare bits: Float16.isNaN is a slow library call without F16C.
                    let swift = Float16(x).bitPattern
                    let agree = swift & 0x7fff > 0x7c00 ? code & 0x7fff > 0x7c00 : swift == code
                    if !agree {
                        return
                            "input \(hex(x)): Float16 \(hex(UInt32(swift))), ours \(hex(UInt32(code)))"
                    }
                }
                return nil
            }
            let chunks = failures.count
            #expect(chunks == 0, "\(chunks) chunks differ; first: \(failures.first ?? "")")
        }

        @Test func fp16DecodeAgreesWithSwiftFloat16OnEveryCode() {
            var log = MismatchLog("fp16 decode vs Float16")
            for code in 0...UInt16.max {
                let swift = Float(Float16(bitPattern: code))
                let ours = FloatFormat.fp16.decode(UInt32(code))
                let agree = swift.isNaN ? ours.isNaN : swift.bitPattern == ours.bitPattern
                if !agree { log.add("code \(hex(UInt32(code))): Float16 \(swift), ours \(ours)") }
            }
            log.expectEmpty()
        }
    #endif
}
