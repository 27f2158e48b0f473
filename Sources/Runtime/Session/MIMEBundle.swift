/// A display payload keyed by MIME type: text/plain always; others optional.
///
/// Values are strings: text types as-is, binary types (image/png) base64, and
/// application/json as JSON text (the kernel unpacks it).
public struct MIMEBundle: Sendable, Equatable {
    public var data: [String: String]
    public var metadata: [String: String]

    public init(data: [String: String], metadata: [String: String] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    /// A bundle holding only text/plain.
    public static func plain(_ text: String) -> MIMEBundle {
        MIMEBundle(data: ["text/plain": text])
    }

    /// The text/plain representation, or "" when absent.
    public var plainText: String { data["text/plain"] ?? "" }
}
