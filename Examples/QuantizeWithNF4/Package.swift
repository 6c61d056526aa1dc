// swift-tools-version:6.0
// An example of LowBit as a dependency: another package that imports the NF4 product, quantizes
// a tensor with QLoRA's 4-bit NormalFloat and prints what it stored. Built and run by .ci/run:
//   swift run -c release --package-path Examples/QuantizeWithNF4
import PackageDescription

let package = Package(
    name: "QuantizeWithNF4",
    dependencies: [.package(name: "LowBit", path: "../..")],
    targets: [
        .executableTarget(
            name: "QuantizeWithNF4",
            dependencies: [
                .product(name: "NF4", package: "LowBit"),
                .product(name: "Core", package: "LowBit"),
            ])
    ]
)
