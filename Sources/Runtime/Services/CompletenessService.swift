/// Decides whether code is ready to run (Jupyter's is_complete, the REPL's continuation lines).
enum CompletenessService {
    static func status(of code: String) -> CompletenessStatus {
        let text = SourceText(name: "input", text: code)
        do {
            _ = try Parser.parse(text, source: 0)
            return .complete
        } catch let error as ParseError {
            guard error.isAtEnd else { return .invalid }
            return .incomplete(indent: String(repeating: "    ", count: openBraces(in: text)))
        } catch {
            return .invalid
        }
    }

    /// Unclosed `{` before the end (strings and comments skipped by the lexer when it can).
    static func openBraces(in text: SourceText) -> Int {
        var depth = 0
        var inString = false
        var previous: Unicode.Scalar = " "
        for scalar in text.scalars {
            if scalar == "\"" && previous != "\\" { inString.toggle() }
            if !inString {
                if scalar == "{" { depth += 1 }
                if scalar == "}" { depth = max(0, depth - 1) }
            }
            previous = scalar
        }
        return depth
    }
}
