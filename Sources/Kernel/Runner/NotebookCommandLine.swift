import Foundation

/// The `swift-grpo run NOTEBOOK.ipynb` entry point, for the `run` command to call.
public enum NotebookCommandLine {
    /// Runs a notebook, reports on stderr, and returns the exit status: 0 when every cell ran
    /// (or failures were allowed), 1 when a cell failed or the notebook could not be run.
    ///
    /// - Parameters:
    ///   - parameters: `NAME=VALUE` strings from `-p`.
    ///   - outputPath: `-o`; nil writes `NAME.out.ipynb` beside the input.
    ///   - timeout: seconds per cell (`--timeout`).
    public static func run(
        notebook path: String, parameters: [String], outputPath: String?, allowErrors: Bool, timeout: Double?,
        echoOutput: Bool = true
    ) -> Int32 {
        do {
            let options = NotebookRunOptions(
                parameters: try NotebookRunOptions.parameters(from: parameters), outputPath: outputPath,
                allowErrors: allowErrors, cellTimeout: timeout, echoOutput: echoOutput)
            let report = try NotebookRunner(options: options).run(notebookAt: path)
            if let failure = report.failure {
                let detail = failure.error.displayTraceback(colored: false).joined(separator: "\n")
                log("cell \(failure.cellIndex + 1) failed:\n\(detail)")
                log("wrote the partial notebook to \(report.outputPath)")
                return 1
            }
            log("ran \(report.executedCells) cells; wrote \(report.outputPath)")
            return 0
        } catch {
            log("error: \(error)")
            return 1
        }
    }

    private static func log(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
