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
    /// The CurveZMQ server key pair (Z85, 40 characters each) that jupyter_client's
    /// `transport_encryption` writes as `curve_publickey` / `curve_secretkey`; when present every
    /// socket is a CURVE server and all traffic is encrypted.
    public var curveKeys: CurveKeyPair?

    public init(transport: String = "tcp", ip: String = "127.0.0.1", key: String, ports: [Channel: Int], kernelName: String = "",
                curveKeys: CurveKeyPair? = nil) {
        self.transport = transport
        self.ip = ip
        self.key = key
        self.ports = ports
        self.kernelName = kernelName
        self.curveKeys = curveKeys
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
        var curveKeys: CurveKeyPair?
        let publicKey = json["curve_publickey"]?.stringValue, secretKey = json["curve_secretkey"]?.stringValue
        if publicKey != nil || secretKey != nil {
            guard let publicKey, let secretKey, CurveKeyPair.isZ85Key(publicKey), CurveKeyPair.isZ85Key(secretKey) else {
                throw .invalid(path: path, reason: "curve_publickey and curve_secretkey must both be 40-character Z85 keys")
            }
            curveKeys = CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
        }
        return ConnectionInfo(
            transport: transport, ip: json.string("ip", default: "127.0.0.1"), key: json.string("key"),
            ports: ports, kernelName: json.string("kernel_name"), curveKeys: curveKeys)
    }

    /// The ZeroMQ endpoint a channel binds: `tcp://ip:port` or `ipc://ip-port`.
    public func endpoint(_ channel: Channel) -> String {
        let port = ports[channel] ?? 0
        if transport == "ipc" { return "ipc://\(ip)-\(port)" }
        return port == 0 ? "tcp://\(ip):*" : "tcp://\(ip):\(port)"
    }
}

/// A CurveZMQ key pair in Z85 text (ZeroMQ's base-85: 40 characters for 32 bytes).
public struct CurveKeyPair: Sendable, Equatable {
    public var publicKey: String
    public var secretKey: String

    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Z85's alphabet, in its order.
    static let z85Alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// True for a 40-character Z85 string (a 32-byte CURVE key).
    static func isZ85Key(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy(z85Alphabet.contains)
    }
}
