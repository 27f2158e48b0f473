import ArgumentParser
import Foundation
import Kernel
import Runtime

/// `swift-grpo kernel`: the Jupyter kernel (`kernel -f FILE`, what kernel.json runs) and
/// `kernel install`.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run the Jupyter kernel, or install its kernelspec.",
        subcommands: [KernelStartCommand.self, InstallCommand.self],
        defaultSubcommand: KernelStartCommand.self)
}

/// `swift-grpo kernel [start] -f CONNECTION_FILE`.
struct KernelStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Serve the Jupyter protocol (5.4) on the sockets of a connection file.")

    @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter wrote.")
    var connectionFile: String

    func run() throws {
        let connection = try ConnectionInfo.load(path: connectionFile)
        KernelInfo.implementationVersion = SwiftGRPO.version
        let server = try KernelServer(connection: connection)
        server.run()
    }
}
