import FloatFormats
import Testing

@Suite struct ExplainTests {
    /// 0.1 in fp16: 0.1 = 1.6 × 2^−4; 0.6 × 1024 = 614.4 → 614 = 0b1001100110; 0.0999755859375.
    @Test func explainsPointOneInFP16() {
        let e = FloatFormat.fp16.explain(0.1)
        #expect(e.bitString == "0 01011 1001100110")
        #expect(e.bits == 0x2e66)
        #expect((e.signBit, e.exponentField, e.mantissaField) == (0, 11, 614))
        #expect(e.unbiasedExponent == -4)
        #expect(e.value == 0.099_975_585_937_5)
        #expect(e.significand == 1.599_609_375)
        #expect(e.kind == .normal && !e.overflowed && !e.isSubnormal)
        // Relative to the float32 input 0.100000001490116…, not to the real number 0.1.
        #expect(abs(e.relativeError - 2.441_555_2e-4) < 1e-10)
        #expect(
            e.description
                == "0.1 → fp16 0 01011 1001100110 = 0.099975586 (normal, 2^-4 × 1.5996094), rel. error 0.00024415552252299305"
        )
    }

    @Test func explainsSubnormalOverflowAndNaN() {
        let tiny = FloatFormat.fp16.explain(-1e-7)  // ≈ −1.68 × 2^−24 → −2 × 2^−24
        #expect(tiny.bitString == "1 00000 0000000010" && tiny.kind == .subnormal)
        #expect(tiny.unbiasedExponent == -14 && tiny.value == -1.192_092_9e-7)
        let big = FloatFormat.fp16.explain(70000)
        #expect(big.kind == .infinity && big.overflowed && big.relativeError == .infinity)
        let clamped = FloatFormat.fp16.explain(70000, overflow: .saturate)
        #expect(clamped.value == 65504 && clamped.overflowed && clamped.kind == .normal)
        let e4m3 = FloatFormat.fp8E4M3.explain(-500)
        #expect(
            e4m3.kind == .nan && e4m3.isNaN && e4m3.bitString == "1 1111 111" && e4m3.overflowed)
        let nan = FloatFormat.bf16.explain(.nan)
        #expect(nan.kind == .nan && !nan.overflowed && nan.relativeError.isNaN)
        #expect(FloatFormat.fp4E2M1.explain(0).kind == .zero)
        #expect(FloatFormat.fp4E2M1.explain(2.5).bitString == "0 10 0")  // tie 2 | 3 → even 2
    }

    @Test func tf32ShowsItsNineteenBits() {
        let e = FloatFormat.tf32.explain(1 / 3)
        #expect(e.bitString == "0 01111101 0101010101")
        #expect(e.bits == 0x3eaa_a000)
    }
}

@Suite struct CatalogueTests {
    @Test func catalogueIsInTableOrderWithTheCLINames() {
        #expect(
            FloatFormat.all.map(\.name) == [
                "fp32", "fp16", "bf16", "tf32", "fp8-e4m3", "fp8-e5m2", "fp4-e2m1",
            ])
        let layouts = FloatFormat.all.map {
            [$0.exponentBits, $0.mantissaBits, $0.bias, $0.storageBits]
        }
        #expect(
            layouts == [
                [8, 23, 127, 32], [5, 10, 15, 16], [8, 7, 127, 16], [8, 10, 127, 32],
                [4, 3, 7, 8], [5, 2, 15, 8], [2, 1, 1, 4],
            ])
    }

    @Test func lookupByName() {
        for format in FloatFormat.all { #expect(FloatFormat(name: format.name) == format) }
        #expect(FloatFormat(name: "fp8") == nil)
        #expect(FloatFormat(name: "FP16") == nil)
        #expect(FloatFormat.fp8E4M3.description == "fp8-e4m3 (1-4-3, bias 7)")
    }
}
