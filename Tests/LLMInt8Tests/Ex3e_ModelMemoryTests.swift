import LLMInt8
import Testing

/// Exercise 3e — `ModelMemory.bytes(parameters:precision:)` and `devicesNeeded(bytes:deviceBytes:)`.
@Suite struct Ex3e_ModelMemoryTests {
    let bloom = ModelMemory.bloom176BParameters

    @Test func bloomWeightsInEachPrecision() {
        #expect(ModelMemory.bytes(parameters: bloom, precision: .fp32) == 704_000_000_000)
        #expect(ModelMemory.bytes(parameters: bloom, precision: .bf16) == 352_000_000_000)
        #expect(ModelMemory.bytes(parameters: bloom, precision: .int8) == 176_000_000_000)
        #expect(ModelMemory.gigabytes(ModelMemory.bytes(parameters: bloom, precision: .bf16)) == 352)
    }

    @Test func bloomNeedsNineFiveOrThreeA100s() {
        let gpus = ModelMemory.Precision.allCases.map {
            ModelMemory.devicesNeeded(bytes: ModelMemory.bytes(parameters: bloom, precision: $0))
        }
        #expect(gpus == [9, 5, 5, 3], "fp32 704 GB, bf16/fp16 352 GB, int8 176 GB over 80 GB each")
    }

    @Test func devicesRoundUp() {
        #expect(ModelMemory.devicesNeeded(bytes: 0) == 0)
        #expect(ModelMemory.devicesNeeded(bytes: 80_000_000_000) == 1)
        #expect(ModelMemory.devicesNeeded(bytes: 80_000_000_001) == 2)
        #expect(ModelMemory.devicesNeeded(bytes: 10, deviceBytes: 3) == 4)
    }

    /// Integers, not Doubles: 2⁶⁰ + 1 bytes is 2⁶⁰ as a Double, and ⌈2⁶⁰ / 2³⁰⌉ would lose the
    /// one extra device.
    @Test func largeCountsRoundUpExactly() {
        #expect(ModelMemory.devicesNeeded(bytes: (1 << 60) + 1, deviceBytes: 1 << 30) == (1 << 30) + 1)
        #expect(ModelMemory.bytes(parameters: 3, precision: .fp16) == 6)
        #expect(ModelMemory.bytes(parameters: 7, precision: .int8) == 7)
    }
}
