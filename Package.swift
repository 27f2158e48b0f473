// swift-tools-version:6.0
import PackageDescription

/// Release builds of the numeric code skip exclusivity checks in hot loops.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "SwiftGRPO",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swift-grpo", targets: ["swift-grpo"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "LLM", targets: ["LLM"]),
        .library(name: "GRPO", targets: ["GRPO"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Kernel", targets: ["Kernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libzmq3-dev, libreadline-dev).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),

        // Kernel → Runtime → GRPO → LLM → Tensor
        .target(name: "Tensor", dependencies: ["COpenBLAS"], swiftSettings: numericSettings),
        .target(name: "LLM", dependencies: ["Tensor"], swiftSettings: numericSettings),
        .target(name: "GRPO", dependencies: ["LLM"], swiftSettings: numericSettings),
        .target(name: "Runtime", dependencies: ["GRPO"], swiftSettings: numericSettings),
        .target(name: "Kernel", dependencies: [
            "Runtime", "CZeroMQ", "CReadline",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "swift-grpo", dependencies: [
            "Tensor", "LLM", "Runtime", "Kernel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"], exclude: ["Fixtures"]),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "Tensor"]),
        .testTarget(name: "GRPOTests", dependencies: ["GRPO"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"], resources: [.copy("Conformance")]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "Runtime"]),
    ],
    swiftLanguageModes: [.v5]
)
