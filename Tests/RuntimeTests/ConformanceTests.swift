import Foundation
import Runtime
import XCTest

/// Runs every snippet in Conformance/*.swift in a fresh session and compares its output.
///
/// A failing snippet is reported with its file and line. Conformance/known_failures.swift is
/// run and reported but does not fail the test.
final class ConformanceTests: XCTestCase {
    func testConformanceSuite() throws {
        let files = try ConformanceFiles.all().filter { $0.name != "known_failures.swift" }
        var total = 0
        var failures: [String] = []
        for file in files {
            for snippet in ConformanceParser.snippets(in: file.text, file: file.name) {
                total += 1
                if let failure = ConformanceRunner.run(snippet) { failures.append(failure) }
            }
        }
        for failure in failures { XCTFail(failure) }
        print("conformance: \(total - failures.count) of \(total) snippets pass")
        XCTAssertGreaterThanOrEqual(total, 300, "the suite should hold at least 300 snippets")
    }

    func testKnownFailuresAreReported() throws {
        guard let file = try ConformanceFiles.all().first(where: { $0.name == "known_failures.swift" }) else { return }
        for snippet in ConformanceParser.snippets(in: file.text, file: file.name) {
            if let failure = ConformanceRunner.run(snippet) {
                print("known failure: \(failure)")
            } else {
                print("known failure now passes (move it back): \(snippet.location)")
            }
        }
    }

    func testParserReadsDirectives() {
        let text = """
        print(1) // expect: 1
        // expect:
        // ---
        let x = 1
        // cell
        x!
        // expect-error: nil
        // expect-error-at: 1:2
        """
        let snippets = ConformanceParser.snippets(in: text, file: "t.swift")
        XCTAssertEqual(snippets.count, 2)
        XCTAssertEqual(snippets[0].stdout, ["1", ""])
        XCTAssertEqual(snippets[1].line, 4)
        XCTAssertEqual(snippets[1].cells.count, 2)
        XCTAssertEqual(snippets[1].cells[1].line, 6)
        XCTAssertEqual(snippets[1].cells[1].errorSubstrings, ["nil"])
        XCTAssertEqual(snippets[1].cells[1].errorAt?.column, 2)
        XCTAssertFalse(snippets[1].cells[0].expectsError)
    }
}

/// The conformance files shipped as test resources.
enum ConformanceFiles {
    struct File {
        var name: String
        var text: String
    }

    static func all() throws -> [File] {
        guard let folder = Bundle.module.url(forResource: "Conformance", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "Conformance resources are missing"])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        return try names.map { File(name: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }
}

/// Runs one snippet and describes how it differs from its expectations.
enum ConformanceRunner {
    /// Seconds a snippet may run before the watchdog interrupts it.
    static let timeLimit: Double = 20

    /// nil when the snippet behaves as expected, else a message naming file and line.
    static func run(_ snippet: ConformanceSnippet) -> String? {
        let sink = CollectingSink()
        let input = ScriptedInput(lines: snippet.inputs)
        let session = Session(output: sink, input: input)
        var problems: [String] = []
        for cell in snippet.cells {
            let result = execute(cell.code, in: session)
            problems += check(cell, result)
            if case .failure = result, !cell.expectsError { break }
        }
        problems += compare("stdout", expected: snippet.stdout, actual: lines(sink.stdout))
        problems += compare("stderr", expected: snippet.stderr, actual: lines(sink.stderr))
        problems += compare("display", expected: snippet.displays, actual: sink.displays)
        if !snippet.prompts.isEmpty {
            problems += compare("prompts", expected: snippet.prompts, actual: input.prompts)
        }
        guard !problems.isEmpty else { return nil }
        return "\(snippet.location): " + problems.joined(separator: "; ")
    }

    /// Runs a cell with a watchdog that interrupts it after `timeLimit` seconds.
    private static func execute(_ code: String, in session: Session) -> Result<MIMEBundle?, CellError> {
        let done = DispatchSemaphore(value: 0)
        let watchdog = DispatchQueue.global()
        watchdog.async {
            if done.wait(timeout: .now() + timeLimit) == .timedOut { session.interrupt() }
        }
        let result = session.execute(code)
        done.signal()
        return result
    }

    private static func check(_ cell: ConformanceSnippet.Cell, _ result: Result<MIMEBundle?, CellError>) -> [String] {
        let at = "cell at line \(cell.line)"
        switch result {
        case .success(let bundle):
            var problems: [String] = []
            if cell.expectsError { problems.append("\(at) should fail (\(cell.errorSubstrings.joined(separator: ", "))) but succeeded") }
            if let expected = cell.result, bundle?.plainText != expected {
                problems.append("\(at) result: expected \(expected), got \(bundle.map(\.plainText) ?? "no result")")
            }
            if cell.expectsNoResult, let bundle { problems.append("\(at) should have no result, got \(bundle.plainText)") }
            return problems
        case .failure(let error):
            guard cell.expectsError else { return ["\(at) failed: \(error.description)"] }
            var problems: [String] = []
            for substring in cell.errorSubstrings where !error.message.lowercased().contains(substring.lowercased()) {
                problems.append("\(at) error message \"\(error.message)\" lacks \"\(substring)\"")
            }
            if let kind = cell.errorKind, error.name != kind {
                problems.append("\(at) error kind: expected \(kind), got \(error.name) (\(error.message))")
            }
            if let position = cell.errorAt {
                let marker = "line \(position.line), column \(position.column):"
                if !(error.traceback.first ?? "").contains(marker) {
                    problems.append("\(at) error position: expected \(marker) got \(error.traceback.first ?? "no traceback")")
                }
            }
            return problems
        }
    }

    private static func compare(_ stream: String, expected: [String], actual: [String]) -> [String] {
        guard expected != actual else { return [] }
        return ["\(stream): expected \(expected.debugDescription), got \(actual.debugDescription)"]
    }

    /// Output split into lines; a final newline does not make an extra empty line.
    private static func lines(_ text: String) -> [String] {
        var parts = text.components(separatedBy: "\n")
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

/// An OutputSink that records everything a cell writes, in the forms the directives use.
final class CollectingSink: OutputSink {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    private var events: [String] = []

    var stdout: String { lock.withLock { out } }
    var stderr: String { lock.withLock { err } }
    /// `[update ][#id ]mime content` per display (one per MIME type, sorted), `clear[ wait]`.
    var displays: [String] { lock.withLock { events } }

    func write(_ text: String, to stream: OutputStreamName) {
        lock.withLock {
            switch stream {
            case .stdout: out += text
            case .stderr: err += text
            }
        }
    }

    func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {
        let head = (update ? "update " : "") + (displayID.map { "#\($0) " } ?? "")
        // text/plain is listed only when it is the sole representation.
        let types = bundle.data.keys.sorted().filter { $0 != "text/plain" || bundle.data.count == 1 }
        lock.withLock {
            for type in types {
                let content = (bundle.data[type] ?? "").replacingOccurrences(of: "\n", with: "\\n")
                events.append(head + type + " " + content)
            }
        }
    }

    func clearOutput(wait: Bool) {
        lock.withLock { events.append(wait ? "clear wait" : "clear") }
    }
}

/// An InputProvider that returns scripted lines, then reports that input is unavailable.
final class ScriptedInput: InputProvider {
    private var lines: [String]
    private(set) var prompts: [String] = []

    init(lines: [String]) { self.lines = lines }

    func readLine(prompt: String, password: Bool) throws -> String {
        prompts.append(password ? "\(prompt) (password)" : prompt)
        guard !lines.isEmpty else { throw InputUnavailable("no more scripted input") }
        return lines.removeFirst()
    }
}
