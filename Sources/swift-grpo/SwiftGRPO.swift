import ArgumentParser
import Foundation
import Tensor

/// The `swift-grpo` command: front ends (kernel, REPL, notebook runner), model tools and benchmarks.
@main
struct SwiftGRPO: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "swift-grpo",
        abstract: "GRPO fine-tuning for language models, notebook first, in Swift.",
        version: version,
        subcommands: [
            ReplCommand.self,
            KernelCommand.self,
            InstallCommand.self,
            RunCommand.self,
            BenchCommand.self,
            TokenizeCommand.self,
            ChatTemplateCommand.self,
            GenerateCommand.self,
            ScoreCommand.self,
            GRPOLossCommand.self,
            EmbedCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            ExportCommand.self,
            FuzzCommand.self,
        ],
        defaultSubcommand: ReplCommand.self
    )

    static func main() {
        Launcher.prepareEnvironment()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// `swift-grpo bench …`: the benchmarks recorded in BENCHMARKS.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its numbers.",
        subcommands: [
            BenchTensorCommand.self,
            BenchGenerateCommand.self,
            BenchLanguageCommand.self,
            BenchGRPOCommand.self,
            BenchLogProbCommand.self,
        ]
    )
}
