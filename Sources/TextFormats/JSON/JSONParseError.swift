/// Why JSON text could not be read: what was wrong and where (1-based line and column, counted
/// in bytes, plus the byte offset).
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Byte offset of the problem from the start of the text.
    public var offset: Int
    public var line: Int
    public var column: Int
    public var reason: String

    public init(offset: Int, line: Int, column: Int, reason: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "invalid JSON at line \(line), column \(column): \(reason)" }
}
