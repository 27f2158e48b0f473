import Foundation

/// One conformance snippet: cells of code and what running them must produce.
///
/// File format: snippets are separated by a line `// ---`; cells within a snippet by `// cell`.
/// Directives are comments (on their own line or trailing a line of code):
/// `// expect: text` (a stdout line, in order; `// expect:` alone is an empty line),
/// `// expect-stderr: text`, `// expect-display: [update ][#id ]mime content` (or `clear`,
/// `clear wait`), `// expect-prompt: text`, `// input: text` (a line readLine returns),
/// `// expect-error: substring` (the cell must fail; several may be given),
/// `// expect-error-kind: RuntimeError|ParseError`, `// expect-error-at: line:column` (in the
/// cell), `// expect-result: debug form`, `// expect-no-result`, and `// ours` (the snippet
/// is not plain Swift, so the swiftc check skips it).
struct ConformanceSnippet {
    struct Cell {
        var code: String
        /// 1-based line of the cell's first line in the file.
        var line: Int
        var errorSubstrings: [String] = []
        var errorKind: String?
        var errorAt: (line: Int, column: Int)?
        var result: String?
        var expectsNoResult = false

        var expectsError: Bool { !errorSubstrings.isEmpty || errorKind != nil || errorAt != nil }
    }

    var file: String
    /// 1-based line of the snippet's first line in the file.
    var line: Int
    var cells: [Cell]
    var stdout: [String] = []
    var stderr: [String] = []
    var displays: [String] = []
    var prompts: [String] = []
    var inputs: [String] = []
    var isOurs = false

    var location: String { "\(file):\(line)" }
}

/// Reads conformance files into snippets.
enum ConformanceParser {
    static func snippets(in text: String, file: String) -> [ConformanceSnippet] {
        var result: [ConformanceSnippet] = []
        var block: [(number: Int, text: String)] = []
        let lines = text.components(separatedBy: "\n")
        for (index, line) in (lines + ["// ---"]).enumerated() {
            if line.trimmingCharacters(in: .whitespaces) == "// ---" {
                if block.contains(where: { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    result.append(snippet(from: block, file: file))
                }
                block = []
            } else {
                block.append((index + 1, line))
            }
        }
        return result
    }

    /// The directive on a line: its name (`expect`, `expect-error`, `input`, `ours`, ...) and
    /// value (one leading space removed), or nil.
    static func directive(in line: String) -> (name: String, value: String)? {
        guard let match = line.range(of: #"(?:^|\s)//\s?(expect(?:-[a-z]+)*|input|ours)(?::(.*))?$"#,
                                     options: .regularExpression) else { return nil }
        var comment = String(line[match]).drop { $0 != "/" }.dropFirst(2)
        if comment.first == " " { comment = comment.dropFirst() }
        let name = String(comment.prefix { $0 == "-" || $0.isLetter })
        var value = comment.dropFirst(name.count)
        guard value.isEmpty || value.first == ":" else { return nil }
        value = value.dropFirst()
        if value.first == " " { value = value.dropFirst() }
        return (name, String(value))
    }

    private static func snippet(from block: [(number: Int, text: String)], file: String) -> ConformanceSnippet {
        var snippet = ConformanceSnippet(file: file, line: block[0].number, cells: [])
        var cell = ConformanceSnippet.Cell(code: "", line: block[0].number)
        var code: [String] = []
        func finishCell() {
            cell.code = code.joined(separator: "\n")
            snippet.cells.append(cell)
            code = []
        }
        for (number, line) in block {
            if line.trimmingCharacters(in: .whitespaces) == "// cell" {
                finishCell()
                cell = ConformanceSnippet.Cell(code: "", line: number + 1)
                continue
            }
            code.append(line)
            guard let (name, value) = directive(in: line) else { continue }
            switch name {
            case "expect": snippet.stdout.append(value)
            case "expect-stderr": snippet.stderr.append(value)
            case "expect-display": snippet.displays.append(value)
            case "expect-prompt": snippet.prompts.append(value)
            case "input": snippet.inputs.append(value)
            case "ours": snippet.isOurs = true
            case "expect-error": cell.errorSubstrings.append(value)
            case "expect-error-kind": cell.errorKind = value
            case "expect-error-at":
                let parts = value.split(separator: ":").compactMap { Int($0) }
                if parts.count == 2 { cell.errorAt = (parts[0], parts[1]) }
            case "expect-result": cell.result = value
            case "expect-no-result": cell.expectsNoResult = true
            default: break
            }
        }
        finishCell()
        return snippet
    }
}
