import Runtime

extension CellError {
    /// The traceback as front ends show it: the first line names the error type
    /// ("InterruptError: Cell [2], line 1, column 1: interrupted"), optionally in red.
    public func displayTraceback(colored: Bool) -> [String] {
        let label = colored ? "\u{1B}[0;31m\(name)\u{1B}[0m" : name
        guard let first = traceback.first else { return ["\(label): \(message)"] }
        if first.hasPrefix(name) { return traceback }
        return ["\(label): \(first)"] + traceback.dropFirst()
    }
}
