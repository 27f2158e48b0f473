import Foundation
import TextFormats

/// Makes outgoing messages: fresh ids, this process's session, the request as parent.
public struct MessageFactory: Sendable {
    /// The protocol version stamped in every header.
    public static let protocolVersion = "5.4"
    /// One id per kernel process.
    public let session: String
    public let username: String

    public init(session: String = UUID().uuidString.lowercased(), username: String = "swift-grpo") {
        self.session = session
        self.username = username
    }

    /// A header for a new message of `type`.
    public func header(type: String) -> JSONValue {
        [
            "msg_id": .string(UUID().uuidString.lowercased()),
            "session": .string(session),
            "username": .string(username),
            "date": .string(Self.timestamp()),
            "msg_type": .string(type),
            "version": .string(Self.protocolVersion),
        ]
    }

    /// A reply or side effect of `parent`; replies keep the parent's identities.
    public func message(
        _ type: String, content: JSONValue, parent: Message?, identities: [[UInt8]]? = nil,
        metadata: JSONValue = [:]
    ) -> Message {
        Message(
            identities: identities ?? parent?.identities ?? [], header: header(type: type),
            parentHeader: parent?.header ?? [:], metadata: metadata, content: content)
    }

    /// The current UTC time as ISO-8601 with microseconds, e.g. "2026-11-21T10:09:59.123456Z".
    public static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let micros = Int32(now.tv_nsec / 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(micros, 6))Z"
    }
}
