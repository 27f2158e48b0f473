import Foundation

// The C entry points libFuzzer calls (it supplies `main`; build with -sanitize=fuzzer,address).

/// Called once before fuzzing: picks the target; with `SWIFT_GRPO_FUZZ_WRITE_SEEDS=DIR` writes the
/// target's seeds into DIR (the initial corpus) and exits.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = LibFuzzerHarness.target
    if let folder = ProcessInfo.processInfo.environment["SWIFT_GRPO_FUZZ_WRITE_SEEDS"] {
        do {
            let count = try LibFuzzerHarness.writeSeeds(to: folder)
            print("swift-grpo-libfuzz: wrote \(count) \(LibFuzzerHarness.target.name) seeds to \(folder)")
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("swift-grpo-libfuzz: cannot write the seeds: \(error)\n".utf8))
            exit(2)
        }
    }
    _ = LibFuzzerHarness.scratch
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    LibFuzzerHarness.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerMutate")
func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// Half of the mutations are libFuzzer's own (byte-level, guided by comparisons it saw), half the
/// target's structure-aware ones (GGUF fields to edge values, JSON numbers and strings, snippets).
@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzerCustomMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: CUnsignedInt) -> Int {
    if seed & 1 == 0 { return libFuzzerMutate(data, size, maxSize) }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    LibFuzzerHarness.target.mutate(&bytes, randomSeed: UInt64(seed))
    let count = min(bytes.count, maxSize)
    bytes.withUnsafeBufferPointer { buffer in
        if let source = buffer.baseAddress { data.update(from: source, count: count) }
    }
    return count
}

@_silgen_name("LLVMFuzzerRunDriver")
func libFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point. SwiftPM links an executable target with `main` aliased to
/// `<module>_main`; this one hands the command line to libFuzzer's driver, as its own `main` would.
@_cdecl("swift_grpo_libfuzz_main")
public func libFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return libFuzzerRunDriver(&count, &arguments) { data, size in fuzzerTestOneInput(data, size) }
}
