import Foundation
import TextFormats

/// Why a connection file could not be used.
public enum ConnectionFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)
    case unsupportedScheme(String)
    case unsupportedTransport(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read connection file \(path): \(reason); Jupyter passes it with -f {connection_file}"
        case .invalid(let path, let reason):
            return "connection file \(path) is not valid: \(reason)"
        case .unsupportedScheme(let scheme):
            return "signature_scheme \"\(scheme)\" is not supported; use \"hmac-sha256\""
        case .unsupportedTransport(let transport):
            return "transport \"\(transport)\" is not supported; use \"tcp\" or \"ipc\""
        }
    }
}

/// The Jupyter connection file: where each socket binds and the signing key.
public struct ConnectionInfo: Sendable, Equatable {
    public enum Channel: String, CaseIterable, Sendable { case shell, iopub, stdin, control, hb }

    public var transport: String
    public var ip: String
    public var key: String
    public var ports: [Channel: Int]
    public var kernelName: String

    public init(transport: String = "tcp", ip: String = "127.0.0.1", key: String, ports: [Channel: Int], kernelName: String = "") {
        self.transport = transport
        self.ip = ip
        self.key = key
        self.ports = ports
        self.kernelName = kernelName
    }

    /// Reads and checks the connection file at `path`.
    public static func load(path: String) throws(ConnectionFileError) -> ConnectionInfo {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let json: JSONValue
        do { json = try JSONParser.parse(Array(data)) } catch {
            throw .invalid(path: path, reason: error.description)
        }
        return try parse(json, path: path)
    }

    /// The connection described by an already parsed connection file.
    public static func parse(_ json: JSONValue, path: String = "connection file") throws(ConnectionFileError) -> ConnectionInfo {
        guard case .object = json else { throw .invalid(path: path, reason: "expected a JSON object") }
        let scheme = json.string("signature_scheme", default: "hmac-sha256")
        guard scheme == "hmac-sha256" else { throw .unsupportedScheme(scheme) }
        let transport = json.string("transport", default: "tcp")
        guard transport == "tcp" || transport == "ipc" else { throw .unsupportedTransport(transport) }
        var ports: [Channel: Int] = [:]
        for channel in Channel.allCases {
            guard let port = json["\(channel.rawValue)_port"]?.intValue, port >= 0 else {
                throw .invalid(path: path, reason: "missing \(channel.rawValue)_port")
            }
            ports[channel] = port
        }
        return ConnectionInfo(
            transport: transport, ip: json.string("ip", default: "127.0.0.1"), key: json.string("key"),
            ports: ports, kernelName: json.string("kernel_name"))
    }

    /// The ZeroMQ endpoint a channel binds: `tcp://ip:port` or `ipc://ip-port`.
    public func endpoint(_ channel: Channel) -> String {
        let port = ports[channel] ?? 0
        if transport == "ipc" { return "ipc://\(ip)-\(port)" }
        return port == 0 ? "tcp://\(ip):*" : "tcp://\(ip):\(port)"
    }
}
