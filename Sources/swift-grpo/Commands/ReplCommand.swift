import ArgumentParser
import Foundation
import Kernel

/// `swift-grpo repl` (and `swift-grpo` alone): the terminal REPL.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start the interactive REPL (readline editing, history, tab completion).")

    @Option(help: "The history file (default: $SWIFT_GRPO_HISTORY or ~/.swift_grpo_history).")
    var history: String?

    @Flag(name: .customLong("no-history"), help: "Neither read nor write a history file.")
    var noHistory = false

    func run() throws {
        let repl = REPL(historyPath: noHistory ? nil : history ?? REPL.defaultHistoryPath)
        let banner = "SwiftGRPO \(SwiftGRPO.version) REPL. Ctrl-C interrupts, Ctrl-D exits, Tab completes."
        let status = repl.run(banner: banner)
        if status != 0 { throw ExitCode(status) }
    }
}
