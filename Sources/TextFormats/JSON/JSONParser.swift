/// Parses whole JSON documents (RFC 8259, strict) into `JSONValue` or any other `JSONTree`.
///
/// Integers stay exact when they fit an `Int`; errors give the line and column. For reading a
/// large file piece by piece, use `JSONScanner` directly.
public enum JSONParser {
    /// Parses one complete document from UTF-8 bytes.
    public static func parse<Tree: JSONTree>(_ bytes: UnsafeBufferPointer<UInt8>, as tree: Tree.Type) throws(JSONParseError) -> Tree {
        var scanner = JSONScanner(bytes: bytes)
        let value = try scanner.readValue(as: tree)
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw scanner.error("unexpected \(scanner.describePeek()) after the end of the JSON document")
        }
        return value
    }

    /// Parses one complete document from UTF-8 bytes.
    public static func parse<Tree: JSONTree>(_ bytes: [UInt8], as tree: Tree.Type) throws(JSONParseError) -> Tree {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer, as: tree) }
    }

    /// Parses one complete document from a string.
    public static func parse<Tree: JSONTree>(_ text: String, as tree: Tree.Type) throws(JSONParseError) -> Tree {
        try parse(Array(text.utf8), as: tree)
    }

    /// Parses one complete document from UTF-8 bytes into a `JSONValue`.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try parse(bytes, as: JSONValue.self)
    }

    /// Parses one complete document from a string into a `JSONValue`.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), as: JSONValue.self)
    }
}
