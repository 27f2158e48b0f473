import ArgumentParser
import Foundation
import Fuzzing
import LLM

/// `swift-grpo fuzz TARGET --count N --seed S`: a seeded, structure-aware fuzz campaign against
/// one reader of untrusted input, run in a child process so crashes and hangs are caught.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz a reader of untrusted input (model files, configs, tokenizers, templates, datasets, wire frames).",
        discussion: """
            Inputs are mutated from real seed files (the model cache, $SWIFT_GRPO_FIXTURES, --seeds \
            folders) and built-in ones: lengths, counts, offsets, types and shapes set to edge values, \
            plus byte flips and cuts. Input i depends only on --seed and i. A worker process runs the \
            inputs; an input that kills it (signal, abort) or stalls it past --timeout is written to \
            --output with a report, and the campaign goes on after it. The exit status is 1 when \
            anything was found. Targets: \(FuzzTargets.all.map(\.name).joined(separator: ", ")).
            """
    )

    @Argument(help: "The reader to fuzz (or 'all').")
    var target: String

    @Option(name: .long, help: "How many inputs to run.")
    var count: UInt64 = 1000

    @Option(name: .long, help: "The campaign seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Seconds one input may run before it counts as a hang.")
    var timeout: Double = 20

    @Option(name: .long, help: "Where crashing and hanging inputs are written.")
    var output: String = "fuzz-findings"

    @Option(name: .long, help: "More folders to take seed files from (repeatable).")
    var seeds: [String] = []

    @Option(name: .long, help: "The worker's address-space limit in MiB (an allocation past it aborts and is reported).")
    var memoryLimit: Int = 6144

    @Option(name: .long, help: "Run one saved input in this process and print what the reader said.")
    var replay: String?

    @Flag(name: .long, help: "Run the inputs in this process, timed, and print where the time goes (per seed, slowest inputs).")
    var profile = false

    @Flag(name: .long, help: .hidden)
    var worker = false

    @Option(name: .long, help: .hidden)
    var from: UInt64 = 0

    /// Replaces the worker (tests of the driver use a stand-in that crashes on purpose).
    @Option(name: .long, help: .hidden)
    var workerCommand: String?

    func run() throws {
        let targets = target == "all" ? FuzzTargets.all : FuzzTargets.named(target).map { [$0] } ?? []
        guard !targets.isEmpty else {
            throw ValidationError("No fuzz target '\(target)'. Targets: \(FuzzTargets.all.map(\.name).joined(separator: ", ")), all.")
        }
        let environment = ProcessInfo.processInfo.environment
        let sources = FuzzSeedSources(
            fixtures: environment["SWIFT_GRPO_FIXTURES"].map { URL(fileURLWithPath: $0) },
            extraFolders: seeds.map { URL(fileURLWithPath: $0) },
            modelCache: ModelRegistry().cacheDirectory)
        if let replay {
            for target in targets { try Self.replay(replay, target: target) }
            return
        }
        if profile {
            for target in targets {
                let engine = FuzzEngine(target: target, sources: sources, campaignSeed: seed)
                print("fuzz \(target.name) --profile: \(count) inputs, seed \(seed), \(engine.seeds.count) seeds")
                print(try FuzzProfile.measure(engine, 0..<count).report)
            }
            return
        }
        if worker {
            limitAddressSpace(megabytes: memoryLimit)
            let engine = FuzzEngine(target: targets[0], sources: sources, campaignSeed: seed)
            let accepted = try engine.runInProcess(from..<count, progress: STDOUT_FILENO)
            print("done \(accepted)")
            return
        }
        var found = false
        for target in targets {
            found = try campaign(target, sources: sources) || found
        }
        if found { throw ExitCode(1) }
    }

    /// Runs one campaign; true when something was found.
    private func campaign(_ target: FuzzTarget, sources: FuzzSeedSources) throws -> Bool {
        let engine = FuzzEngine(target: target, sources: sources, campaignSeed: seed)
        guard !engine.seeds.isEmpty else { throw ValidationError("fuzz \(target.name): no seeds could be built") }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var shared = ["--seed", "\(seed)", "--memory-limit", "\(memoryLimit)"]
        for folder in seeds { shared += ["--seeds", folder] }
        let campaign = FuzzCampaign(
            engine: engine, count: count, timeout: timeout, outputFolder: URL(fileURLWithPath: output),
            workerArguments: { [workerCommand] from, to in
                if let workerCommand {
                    return workerCommand.split(separator: " ").map(String.init) + ["--from", "\(from)", "--count", "\(to)"]
                }
                return [executable, "fuzz", target.name, "--worker", "--from", "\(from)", "--count", "\(to)"] + shared
            })
        let start = Date()
        let (findings, accepted) = try campaign.run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        let seconds = Date().timeIntervalSince(start)
        let rate = seconds > 0 ? Double(count) / seconds : 0
        print("fuzz \(target.name): \(count) inputs, seed \(seed), \(engine.seeds.count) seeds, "
              + String(format: "%.1f s (%.0f inputs/s), ", seconds, rate)
              + "\(accepted) accepted, \(findings.count) findings")
        for finding in findings { print("  \(finding.kind) at input \(finding.index): \(finding.file.path)") }
        return !findings.isEmpty
    }

    private static func replay(_ path: String, target: FuzzTarget) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let scratch = try FuzzScratch()
        defer { scratch.remove() }
        do {
            try target.run(FuzzInput(bytes: bytes, paddedSize: nil, origin: path), scratch)
            print("\(target.name): accepted \(path)")
        } catch {
            print("\(target.name): rejected \(path): \(error)")
        }
    }

    private func limitAddressSpace(megabytes: Int) {
        guard megabytes > 0 else { return }
        var limit = rlimit(rlim_cur: rlim_t(megabytes) << 20, rlim_max: rlim_t(megabytes) << 20)
        setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }
}
