import TextFormats

/// One Jupyter message: routing identities, the four JSON parts and raw buffers.
public struct Message: Sendable {
    /// ROUTER identities (or the IOPub topic) that precede the `<IDS|MSG>` delimiter.
    public var identities: [[UInt8]]
    public var header: JSONValue
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    public var buffers: [[UInt8]]

    public init(
        identities: [[UInt8]] = [], header: JSONValue, parentHeader: JSONValue = [:],
        metadata: JSONValue = [:], content: JSONValue = [:], buffers: [[UInt8]] = []
    ) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// `header.msg_type`, e.g. "execute_request".
    public var type: String { header.string("msg_type") }

    /// `header.msg_id`.
    public var id: String { header.string("msg_id") }

    /// The reply type for a request type: "execute_request" → "execute_reply".
    public var replyType: String {
        type.hasSuffix("_request") ? String(type.dropLast("_request".count)) + "_reply" : type + "_reply"
    }
}
