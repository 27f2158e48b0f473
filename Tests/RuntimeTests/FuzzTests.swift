import Foundation
import Runtime
import XCTest

/// Random and mutated programs through lexer, parser, interpreter and the editor services:
/// nothing may crash or hang.
///
/// Inputs are the conformance snippets mutated (byte flips, token deletion, duplication and
/// insertion, splicing two snippets) plus random token soup. Each run has a time budget enforced
/// by interrupting the session. Environment: FUZZ_ITERATIONS (default 100000), FUZZ_SEED.
final class FuzzTests: XCTestCase {
    func testRandomAndMutatedInputsNeitherCrashNorHang() throws {
        let environment = ProcessInfo.processInfo.environment
        let iterations = environment["FUZZ_ITERATIONS"].flatMap(Int.init) ?? 100_000
        let seed = environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_F022
        let corpus = try ConformanceFiles.all().flatMap { file in
            ConformanceParser.snippets(in: file.text, file: file.name).flatMap { $0.cells.map(\.code) }
        }
        XCTAssertGreaterThan(corpus.count, 300)

        var generator = FuzzInputGenerator(corpus: corpus, seed: seed)
        let runner = FuzzRunner()
        // FUZZ_LOG=path keeps the inputs of the session being run (one JSON string per line, the
        // crashing one last) in a file, to replay a crash that depends on earlier cells.
        let log = environment["FUZZ_LOG"].map { URL(fileURLWithPath: $0) }
        var sessionInputs: [String] = []
        // FUZZ_SKIP=regex skips inputs matching a known, already reported crash while hunting for others.
        let skip = environment["FUZZ_SKIP"]
        let start = Date()
        for index in 0..<iterations {
            if index % 20_000 == 0 { print("fuzz: input \(index) of \(iterations) (seed \(seed))") }
            let input = generator.next()
            if let skip, input.range(of: skip, options: .regularExpression) != nil { continue }
            if let log {
                if runner.startsNewSession { sessionInputs.removeAll() }
                sessionInputs.append(input)
                let lines = sessionInputs.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) }
                try? Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
            }
            runner.run(input, cursor: generator.cursor(in: input))
        }
        runner.finish()
        let seconds = Date().timeIntervalSince(start)
        for (seconds, input) in runner.slowest {
            print("fuzz: slow input (\(String(format: "%.3f", seconds)) s): \(input.prefix(300).debugDescription)")
        }
        print("fuzz: \(iterations) inputs in \(String(format: "%.1f", seconds)) s: \(runner.outcomes.sorted { $0.key < $1.key })")

        // The inputs must reach every stage: some run cleanly, some fail to parse, some fail at run time.
        for outcome in ["ok", "ParseError", "RuntimeError"] {
            XCTAssertGreaterThan(runner.outcomes[outcome, default: 0], iterations / 100, "too few inputs ended as \(outcome)")
        }
    }

    func testMutationsAreReproducibleFromTheSeed() {
        let corpus = ["let x = 1\nprint(x)", "func f() -> Int { 2 }\nprint(f())"]
        var a = FuzzInputGenerator(corpus: corpus, seed: 7)
        var b = FuzzInputGenerator(corpus: corpus, seed: 7)
        let first = (0..<50).map { _ in a.next() }
        XCTAssertEqual(first, (0..<50).map { _ in b.next() })
        XCTAssertGreaterThan(Set(first).count, 25, "mutations should vary")
    }
}

/// Runs inputs in a session, replacing it every so often, with a watchdog that interrupts long
/// runs and stops the process (printing the input) if one never ends.
final class FuzzRunner {
    /// Time a cell may run before it is interrupted.
    static let budget: TimeInterval = 0.02
    /// Time after which a run counts as a hang.
    static let hangLimit: TimeInterval = 20
    static let inputsPerSession = 250

    private(set) var outcomes: [String: Int] = [:]
    /// The slowest inputs, for the report.
    private(set) var slowest: [(seconds: TimeInterval, input: String)] = []
    private var session: Session
    private var runsInSession = 0
    private let sink = DiscardingSink()
    private let lock = NSLock()
    private var current: (input: String, started: Date, session: Session)?
    private var watchdog: Thread?
    private var stopped = false

    init() {
        session = Session(output: sink, input: nil)
        let thread = Thread { [unowned self] in self.watch() }
        thread.start()
        watchdog = thread
    }

    /// Whether the next `run` starts a fresh session.
    var startsNewSession: Bool { runsInSession >= FuzzRunner.inputsPerSession || runsInSession == 0 }

    func run(_ input: String, cursor: Int) {
        if runsInSession >= FuzzRunner.inputsPerSession {
            session = Session(output: sink, input: nil)
            runsInSession = 0
        }
        runsInSession += 1
        _ = session.isComplete(input)
        _ = session.complete(input, cursor: cursor)
        _ = session.inspect(input, cursor: cursor)
        let started = Date()
        lock.withLock { current = (input, started, session) }
        let result = session.execute(input, storeHistory: false)
        lock.withLock { current = nil }
        let elapsed = Date().timeIntervalSince(started)
        if slowest.count < 5 || elapsed > slowest[slowest.count - 1].seconds {
            slowest.append((elapsed, input))
            slowest.sort { $0.seconds > $1.seconds }
            if slowest.count > 5 { slowest.removeLast() }
        }
        switch result {
        case .success: outcomes["ok", default: 0] += 1
        case .failure(let error): outcomes[error.name, default: 0] += 1
        }
    }

    func finish() { lock.withLock { stopped = true } }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.005)
            let running = lock.withLock { stopped ? nil : current }
            if lock.withLock({ stopped }) { return }
            guard let running else { continue }
            let elapsed = Date().timeIntervalSince(running.started)
            if elapsed > FuzzRunner.hangLimit {
                FileHandle.standardError.write(Data("fuzz: this input hangs even when interrupted:\n\(running.input)\n".utf8))
                exit(1)
            }
            if elapsed > FuzzRunner.budget { running.session.interrupt() }
        }
    }
}

/// An OutputSink that drops everything (fuzz output is noise).
final class DiscardingSink: OutputSink {
    func write(_ text: String, to stream: OutputStreamName) {}
    func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
}

/// Deterministic fuzz inputs from a corpus of snippets.
struct FuzzInputGenerator {
    private let corpus: [[String]]
    private var random: SplitMix64
    private static let maximumLength = 1_500

    /// Tokens for insertions and random programs: keywords, names, literals and punctuation.
    private static let vocabulary: [String] = [
        "let", "var", "func", "if", "else", "for", "in", "while", "repeat", "return", "struct", "enum", "case",
        "switch", "default", "break", "continue", "do", "try", "try?", "catch", "throw", "throws", "guard", "nil", "true",
        "false", "inout", "mutating", "static", "import", "defer", "where", "as?", "is", "fallthrough", "init", "self",
        "x", "y", "f", "xs", "s", "d", "i", "n", "print", "Point", "Int", "Double", "String", "Int.max", "map", "filter",
        "reduce", "sorted", "count", "append", "firstMatch", "split", "display", "readLine",
        "0", "1", "42", "-7", "3.5", "1e308", "0x7FFFFFFFFFFFFFFF", "\"a\"", "\"\\(x)\"", "#\"r\\d\"#", "\"\"\"", "\"",
        "(", ")", "{", "}", "[", "]", ",", ":", ";", ".", "->", "=", "==", "+", "-", "*", "/", "%", "!", "?", "??",
        "..<", "...", "&&", "||", "<", ">", "$0", "$1", "\\(", "#", "@", "&", "_", "\n", " ", "//", "/*", "*/",
    ]

    init(corpus: [String], seed: UInt64) {
        self.corpus = corpus.map(FuzzInputGenerator.tokens)
        random = SplitMix64(seed: seed)
    }

    /// A cursor position for completion and inspection.
    mutating func cursor(in input: String) -> Int {
        Int(random.next(below: UInt64(input.unicodeScalars.count + 1)))
    }

    mutating func next() -> String {
        var tokens: [String]
        if random.next(below: 20) == 0 {
            tokens = (0..<random.next(below: 60)).map { _ in pick(FuzzInputGenerator.vocabulary) }
        } else {
            tokens = pick(corpus)
            for _ in 0...random.next(below: 3) { mutate(&tokens) }
        }
        var text = tokens.joined()
        if random.next(below: 8) == 0 { text = flipBytes(text) }
        return String(text.unicodeScalars.prefix(FuzzInputGenerator.maximumLength))
    }

    private mutating func mutate(_ tokens: inout [String]) {
        guard !tokens.isEmpty else { tokens = [pick(FuzzInputGenerator.vocabulary)]; return }
        let start = Int(random.next(below: UInt64(tokens.count)))
        let length = Int(min(random.next(below: 8) + 1, UInt64(tokens.count - start)))
        switch random.next(below: 7) {
        case 5, 6: replaceWord(&tokens)
        case 0: tokens.removeSubrange(start..<start + length)
        case 1: tokens.insert(contentsOf: tokens[start..<start + length], at: start)
        case 2: tokens.insert(pick(FuzzInputGenerator.vocabulary), at: start)
        case 3: tokens[start] = pick(FuzzInputGenerator.vocabulary)
        default:
            let other = pick(corpus)
            let cut = Int(random.next(below: UInt64(other.count + 1)))
            tokens = Array(tokens[..<start]) + Array(other[cut...])
        }
    }

    /// Keeps the syntax: a number becomes another (often extreme) number, a name another name
    /// from the same input.
    private mutating func replaceWord(_ tokens: inout [String]) {
        let words = tokens.indices.filter { tokens[$0].first.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
        guard !words.isEmpty else { return }
        let i = pick(words)
        if tokens[i].first?.isNumber == true {
            tokens[i] = pick(["0", "1", "2", "10", "255", "100000", "9223372036854775807", "3", "64", "1000000000"])
        } else {
            tokens[i] = tokens[pick(words)]
        }
    }

    private mutating func flipBytes(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return text }
        for _ in 0...random.next(below: 4) {
            let i = Int(random.next(below: UInt64(bytes.count)))
            switch random.next(below: 3) {
            case 0: bytes[i] ^= UInt8(1 << random.next(below: 8))
            case 1: bytes[i] = UInt8(random.next(below: 256))
            default: bytes[i] = UInt8(32 + random.next(below: 95))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next(below: UInt64(items.count)))] }

    /// Identifier runs, whitespace runs and single other characters.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentIsWord = false
        for character in text {
            let isWord = character.isLetter || character.isNumber || character == "_"
            if !current.isEmpty && (isWord != currentIsWord || !isWord && !(character.isWhitespace && current.last!.isWhitespace)) {
                tokens.append(current)
                current = ""
            }
            current.append(character)
            currentIsWord = isWord
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}

/// A small, fast, seedable random number generator.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0).
    mutating func next(below bound: UInt64) -> UInt64 { bound == 0 ? 0 : next() % bound }
}
