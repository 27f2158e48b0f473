/// Whether a piece of code can run as it is (the REPL's and Jupyter's is_complete).
public enum CompletenessStatus: Equatable, Sendable {
    case complete
    /// More lines are expected; `indent` is what the next line should start with.
    case incomplete(indent: String)
    case invalid
}

/// Completion candidates for the text between `cursorStart` and `cursorEnd`.
public struct Completion: Equatable, Sendable {
    public var matches: [String]
    /// Unicode-scalar offsets into the code.
    public var cursorStart: Int
    public var cursorEnd: Int
    /// Same length as `matches`: "function", "variable", "keyword", "type", "method", "property".
    public var types: [String]
    /// Same length as `matches`: a signature to show beside the match ("beta: Double = 0.0" for
    /// an argument label with its default), or "".
    public var signatures: [String]

    public init(matches: [String], cursorStart: Int, cursorEnd: Int, types: [String], signatures: [String] = []) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
        self.types = types
        self.signatures = signatures.count == matches.count ? signatures : Array(repeating: "", count: matches.count)
    }
}

/// One executed cell in the session's history.
public struct HistoryEntry: Sendable {
    /// 1 for the current process.
    public var session: Int
    /// The execution count.
    public var line: Int
    public var input: String
    /// The text/plain of the result, if any.
    public var output: String?

    public init(session: Int, line: Int, input: String, output: String?) {
        self.session = session
        self.line = line
        self.input = input
        self.output = output
    }
}
