import Foundation
import TextFormats

/// Why the kernelspec could not be installed.
public enum KernelSpecError: Error, CustomStringConvertible {
    case invalidName(String)
    case noSysPrefix
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "kernel name \"\(name)\" is not valid; use letters, digits, '.', '_' and '-' only"
        case .noSysPrefix:
            return "--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX); activate one or use --user or --prefix"
        case .cannotWrite(let path, let reason):
            return "cannot write the kernelspec to \(path): \(reason); try --user or --prefix DIR"
        }
    }
}

/// Writes a Jupyter kernelspec (kernel.json and logos) for this binary.
public struct KernelSpecInstaller {
    /// Where the kernelspec goes, as `jupyter kernelspec install` spells it.
    public enum Location: Equatable {
        /// The user's Jupyter data directory (JUPYTER_DATA_DIR, else ~/.local/share/jupyter).
        case user
        /// `P/share/jupyter/kernels`.
        case prefix(String)
        /// The active Python environment's prefix.
        case sysPrefix
        /// /usr/local/share/jupyter/kernels.
        case system
    }

    public var name: String
    public var displayName: String
    /// The absolute path of the executable the kernel runs.
    public var executable: String
    /// Environment variables the kernel needs before it loads libraries.
    public var environment: [String: String]

    public init(name: String = "swift-grpo", displayName: String = "Swift (SwiftGRPO)", executable: String, environment: [String: String] = [:]) {
        self.name = name
        self.displayName = displayName
        self.executable = executable
        self.environment = environment
    }

    /// The absolute path of the running executable.
    public static func currentExecutable() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The kernel.json contents.
    public var kernelJSON: JSONValue {
        [
            "argv": [.string(executable), "kernel", "-f", "{connection_file}"],
            "display_name": .string(displayName),
            "language": "swift",
            "interrupt_mode": "message",
            "env": .object(environment.mapValues { .string($0) }),
            // jupyter_client provisions CurveZMQ keys (transport_encryption) only for kernels
            // that declare it; KernelServer encrypts every socket when the keys are present.
            "metadata": ["debugger": false, "supported_encryption": ["curve"]],
            "kernel_protocol_version": .string(MessageFactory.protocolVersion),
        ]
    }

    /// The kernels directory of `location`.
    public static func kernelsDirectory(_ location: Location) throws(KernelSpecError) -> String {
        let environment = ProcessInfo.processInfo.environment
        switch location {
        case .user:
            if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty { return data + "/kernels" }
            #if os(macOS)
            return NSHomeDirectory() + "/Library/Jupyter/kernels"
            #else
            let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/share"
            return base + "/jupyter/kernels"
            #endif
        case .prefix(let prefix):
            return URL(fileURLWithPath: prefix).standardizedFileURL.path + "/share/jupyter/kernels"
        case .sysPrefix:
            guard let prefix = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"], !prefix.isEmpty else {
                throw .noSysPrefix
            }
            return prefix + "/share/jupyter/kernels"
        case .system:
            return "/usr/local/share/jupyter/kernels"
        }
    }

    /// Writes kernel.json and the logos; returns the kernelspec directory.
    @discardableResult
    public func install(at location: Location) throws(KernelSpecError) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
            throw .invalidName(name)
        }
        let directory = try Self.kernelsDirectory(location) + "/" + name.lowercased()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let json = JSONWriter(indent: 1, sortedKeys: true).bytes(kernelJSON) + [UInt8(ascii: "\n")]
            try Data(json).write(to: URL(fileURLWithPath: directory + "/kernel.json"), options: .atomic)
            for (file, encoded) in KernelLogos.base64 {
                guard let data = Data(base64Encoded: encoded) else { continue }
                try data.write(to: URL(fileURLWithPath: directory + "/" + file), options: .atomic)
            }
        } catch {
            throw .cannotWrite(path: directory, reason: error.localizedDescription)
        }
        return directory
    }
}
