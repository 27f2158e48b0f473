import ArgumentParser
import Foundation
import Kernel
import Runtime

/// `swift-grpo run FILE`: a `.swift` script on the cell-language engine, or a notebook headlessly.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .swift script or execute a .ipynb notebook headlessly (exit code 1 on error).")

    @Argument(help: "A .swift script or a .ipynb notebook.")
    var file: String

    @Option(name: .short, help: "Notebook parameter NAME=VALUE (repeatable), injected after the 'parameters' cell.")
    var parameter: [String] = []

    @Option(name: .short, help: "Where to write the executed notebook (default: NAME.out.ipynb).")
    var output: String?

    @Flag(help: "Keep running a notebook after a failing cell.")
    var allowErrors = false

    @Option(help: "Seconds a notebook cell may run before it is interrupted.")
    var timeout: Double?

    func run() throws {
        let status: Int32
        switch (file as NSString).pathExtension.lowercased() {
        case "ipynb":
            status = NotebookCommandLine.run(notebook: file, parameters: parameter, outputPath: output,
                                             allowErrors: allowErrors, timeout: timeout)
        case "swift":
            status = ScriptRunner.run(path: file)
        default:
            throw ValidationError("'\(file)' is neither a .swift script nor a .ipynb notebook.")
        }
        if status != 0 { throw ExitCode(status) }
    }
}
