/// A range of Unicode-scalar offsets in one source (a cell or a script file).
public struct SourceSpan: Sendable, Equatable {
    /// Which source: an index into the session's sources.
    public var source: Int
    public var start: Int
    public var end: Int

    public init(source: Int, start: Int, end: Int) {
        self.source = source
        self.start = start
        self.end = end
    }

    /// A span covering both.
    func to(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(source: source, start: min(start, other.start), end: max(end, other.end))
    }
}

/// One piece of source text with a name for tracebacks ("Cell [3]", "script.swift").
public struct SourceText {
    public let name: String
    public let scalars: [Unicode.Scalar]

    public init(name: String, text: String) {
        self.name = name
        self.scalars = Array(text.unicodeScalars)
    }

    /// 1-based line and column of a scalar offset.
    public func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for scalar in scalars[0..<min(max(offset, 0), scalars.count)] {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// The text of a 1-based line, without its newline.
    public func line(_ number: Int) -> String {
        var current = 1
        var text = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar == "\n" {
                if current == number { break }
                current += 1
            } else if current == number {
                text.append(scalar)
            }
        }
        return String(text)
    }

    /// "name, line L, column C: message", the source line, and a caret under the column.
    public func traceback(message: String, at offset: Int) -> [String] {
        let (line, column) = lineAndColumn(of: offset)
        let sourceLine = self.line(line)
        let caretPrefix = String(sourceLine.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        return ["\(name), line \(line), column \(column): \(message)", sourceLine, caretPrefix + "^"]
    }
}

/// The code could not be parsed (or resolved) into a program.
public struct ParseError: Error, CustomStringConvertible {
    public var message: String
    public var span: SourceSpan
    /// True when more input could make the code valid (unclosed bracket, open string, trailing
    /// operator): is-complete uses this.
    public var isAtEnd: Bool

    public init(_ message: String, span: SourceSpan, isAtEnd: Bool = false) {
        self.message = message
        self.span = span
        self.isAtEnd = isAtEnd
    }

    public var description: String { message }
}

/// What went wrong at run time.
public enum RuntimeErrorKind: String, Sendable {
    case nilUnwrap, indexOutOfRange, divisionByZero, overflow, wrongArguments, notCallable
    case unknownMember, unknownName, typeMismatch, uncaughtThrow, recursionDepth, interrupted
    case invalidOperation
    /// An interrupt after one was already caught: it cannot be caught.
    case forcedInterrupt
    /// Code run under `InterruptFlag.withTimeBudget` (a reward written in a cell) ran out of time.
    case timeBudgetExceeded
}

/// A runtime trap: an error the program cannot `catch` (except interrupts, which it can).
///
/// Natives throw `RuntimeError(message)` for misuse (a wrong argument type, an invalid
/// argument); any other Swift `Error` they throw becomes a catchable error value.
public struct RuntimeError: Error, CustomStringConvertible {
    public var kind: RuntimeErrorKind
    public var message: String
    public var span: SourceSpan?

    public init(_ message: String, kind: RuntimeErrorKind = .invalidOperation, span: SourceSpan? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
    }

    public var description: String { message }

    /// The Jupyter ename.
    public var name: String { kind == .interrupted || kind == .forcedInterrupt ? "InterruptError" : "RuntimeError" }
}

/// A value thrown with `throw` (or a native Swift error), travelling to the nearest `catch`.
public struct ThrownError: Error, CustomStringConvertible {
    public var value: Value
    public var span: SourceSpan?

    public init(_ value: Value, span: SourceSpan? = nil) {
        self.value = value
        self.span = span
    }

    public var description: String { Formatter.description(of: value) }
}

/// The error value a caught interrupt binds to `error` (`catch is InterruptError`).
public final class InterruptErrorObject: NativeObject, CustomStringConvertible {
    public init() {}
    public var typeName: String { "InterruptError" }
    public var description: String { "InterruptError: the cell was interrupted" }
}

/// A native Swift error made catchable in the language.
public final class NativeErrorObject: NativeObject, CustomStringConvertible {
    public let error: Error
    public init(_ error: Error) { self.error = error }
    public var typeName: String { "Error" }
    public var description: String { String(describing: error) }
}
