import ArgumentParser
import Foundation
import Kernel
import Tensor

/// `swift-grpo install` (also `swift-grpo kernel install`): writes the Jupyter kernelspec.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the Jupyter kernelspec so Jupyter can start this kernel.",
        discussion: """
            Without a location flag the kernelspec goes to /usr/local/share/jupyter/kernels, as with \
            `jupyter kernelspec install`. Check the result with `jupyter kernelspec list`.
            """)

    @Flag(help: "Install for the current user (JUPYTER_DATA_DIR, else ~/.local/share/jupyter).")
    var user = false

    @Option(help: "Install into PREFIX/share/jupyter/kernels.")
    var prefix: String?

    @Flag(name: .customLong("sys-prefix"), help: "Install into the active Python environment (VIRTUAL_ENV or CONDA_PREFIX).")
    var sysPrefix = false

    @Option(help: "The kernelspec name (letters, digits, '.', '_', '-').")
    var name = "swift-grpo"

    @Option(name: .customLong("display-name"), help: "The name Jupyter shows in its kernel menu.")
    var displayName = "Swift (SwiftGRPO)"

    func validate() throws {
        let chosen = [user, prefix != nil, sysPrefix].filter { $0 }.count
        if chosen > 1 { throw ValidationError("Choose at most one of --user, --prefix and --sys-prefix.") }
    }

    func run() throws {
        let location: KernelSpecInstaller.Location =
            user ? .user : sysPrefix ? .sysPrefix : prefix.map { .prefix($0) } ?? .system
        let installer = KernelSpecInstaller(
            name: name, displayName: displayName, executable: KernelSpecInstaller.currentExecutable(),
            environment: ["OPENBLAS_CORETYPE": BLAS.preferredCoreType,
                          "OPENBLAS_THREAD_TIMEOUT": BLAS.preferredThreadTimeout])
        let directory = try installer.install(at: location)
        print("Installed kernelspec \(name.lowercased()) in \(directory)")
    }
}
