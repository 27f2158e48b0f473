// swift-tools-version:6.0
import PackageDescription
#if canImport(Foundation)
import Foundation
#endif

/// Release builds of the numeric code skip exclusivity checks in hot loops.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The tensor engine's own loops (quantized matrix-vector products above all) use AVX2 when the
/// building machine has it (this project's does): x86-64's baseline SSE2 has no byte-to-int32
/// widening or 8-lane float ops, and decoding with Q4_1 weights ran at half the speed. Swift
/// never fuses a multiply and an add on its own, so results are the same either way.
let hostHasAVX2: Bool = {
    #if os(Linux) && arch(x86_64) && canImport(Foundation)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let present = Set(flags.split(separator: " ").map(String.init))
    return ["avx2", "fma", "f16c", "bmi2"].allSatisfy(present.contains)
    #else
    return false
    #endif
}()
let tensorSettings = numericSettings + (hostHasAVX2 ? [.unsafeFlags(["-target-cpu", "haswell"])] : [])

let package = Package(
    name: "SwiftGRPO",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swift-grpo", targets: ["swift-grpo"]),
        .library(name: "TextFormats", targets: ["TextFormats"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "LLM", targets: ["LLM"]),
        .library(name: "GRPO", targets: ["GRPO"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Kernel", targets: ["Kernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libzmq3-dev, libreadline-dev).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),

        // Integer dot products of quantized weights (C with x86 intrinsics, chosen at run time).
        .target(name: "CQuantKernels", cSettings: [.unsafeFlags(["-O3"], .when(configuration: .release))]),

        // Kernel → Runtime → GRPO → LLM → Tensor → TextFormats (JSON, escaping; each layer imports it)
        .target(name: "TextFormats", swiftSettings: numericSettings),
        .target(name: "Tensor", dependencies: ["TextFormats", "COpenBLAS", "CQuantKernels"], swiftSettings: tensorSettings),
        .target(name: "LLM", dependencies: ["TextFormats", "Tensor"], swiftSettings: numericSettings),
        .target(name: "GRPO", dependencies: ["TextFormats", "Tensor", "LLM"], swiftSettings: numericSettings),
        .target(name: "Runtime", dependencies: ["TextFormats", "LLM", "GRPO"], swiftSettings: numericSettings),
        .target(name: "Kernel", dependencies: [
            "TextFormats", "Runtime", "CZeroMQ", "CReadline",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The fuzz targets (issue #19): seeds, mutators and each reader's "load as far as a real load".
        .target(name: "Fuzzing", dependencies: ["TextFormats", "Tensor", "LLM", "GRPO", "Kernel"]),
        .executableTarget(name: "swift-grpo", dependencies: [
            "TextFormats", "Tensor", "LLM", "GRPO", "Runtime", "Kernel", "Fuzzing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),

        .testTarget(name: "TextFormatsTests", dependencies: ["TextFormats"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], exclude: ["Fixtures"]),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "Tensor", "TextFormats"]),
        .testTarget(name: "GRPOTests", dependencies: ["GRPO", "Tensor", "TextFormats"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"], resources: [.copy("Conformance")]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "Runtime", "TextFormats"]),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing"]),
    ],
    swiftLanguageModes: [.v5]
)

/// The libFuzzer harness (`make fuzz-libfuzzer`): built only when SWIFT_GRPO_LIBFUZZER=1, in its
/// own scratch path with `-sanitize=fuzzer,address`. It has no `main` (libFuzzer supplies it), so a
/// normal build must not see it.
#if canImport(Foundation)
if ProcessInfo.processInfo.environment["SWIFT_GRPO_LIBFUZZER"] == "1" {
    package.products.append(.executable(name: "swift-grpo-libfuzz", targets: ["swift-grpo-libfuzz"]))
    package.targets.append(.executableTarget(name: "swift-grpo-libfuzz", dependencies: ["Fuzzing", "LLM"]))
}
#endif
