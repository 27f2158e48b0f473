import TextFormats

/// Why incoming frames were not accepted as a message.
public enum WireError: Error, CustomStringConvertible, Equatable {
    case missingDelimiter
    case tooFewFrames(Int)
    case badSignature
    case invalidJSON(part: String, JSONParseError)
    case notAnObject(part: String)

    public var description: String {
        switch self {
        case .missingDelimiter: return "no <IDS|MSG> delimiter frame; the message was dropped"
        case .tooFewFrames(let count): return "expected signature and 4 JSON frames after the delimiter, got \(count)"
        case .badSignature: return "HMAC signature does not match; check that client and kernel share the connection file's key"
        case .invalidJSON(let part, let error): return "\(part) is not valid JSON (\(error))"
        case .notAnObject(let part): return "\(part) must be a JSON object"
        }
    }
}

/// Turns messages into ZeroMQ frames and back: `[ids…] <IDS|MSG> sig header parent metadata content [buffers…]`.
public struct WireCodec: Sendable {
    public static let delimiter = Array("<IDS|MSG>".utf8)
    public let signer: MessageSigner
    private let writer = JSONWriter()

    public init(signer: MessageSigner) { self.signer = signer }

    /// The signed frames of `message`.
    public func encode(_ message: Message) -> [[UInt8]] {
        let parts = [message.header, message.parentHeader, message.metadata, message.content].map(writer.bytes)
        return message.identities + [Self.delimiter, signer.signature(of: parts)] + parts + message.buffers
    }

    /// The message in `frames`, after checking its signature.
    public func decode(_ frames: [[UInt8]]) throws(WireError) -> Message {
        guard let split = frames.firstIndex(of: Self.delimiter) else { throw .missingDelimiter }
        let rest = frames[(split + 1)...]
        guard rest.count >= 5 else { throw .tooFewFrames(rest.count) }
        let signature = rest[rest.startIndex]
        let parts = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
        guard signer.isValid(signature: signature, for: parts) else { throw .badSignature }
        let names = ["header", "parent_header", "metadata", "content"]
        var values: [JSONValue] = []
        for (name, bytes) in zip(names, parts) {
            let value: JSONValue
            do { value = try JSONParser.parse(bytes) } catch { throw .invalidJSON(part: name, error) }
            guard case .object = value else { throw .notAnObject(part: name) }
            values.append(value)
        }
        return Message(
            identities: Array(frames[..<split]), header: values[0], parentHeader: values[1],
            metadata: values[2], content: values[3], buffers: Array(rest.dropFirst(5)))
    }
}
