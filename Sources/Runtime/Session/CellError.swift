/// A cell that failed: what Jupyter's `error` message needs.
public struct CellError: Error, Sendable, CustomStringConvertible {
    /// The error class, e.g. "RuntimeError", "ParseError", "InterruptError".
    public var name: String
    /// One line.
    public var message: String
    /// "Cell [3], line 2, column 5: message", the source line, a caret line.
    public var traceback: [String]

    public init(name: String, message: String, traceback: [String]) {
        self.name = name
        self.message = message
        self.traceback = traceback
    }

    public var description: String { traceback.joined(separator: "\n") }
}
