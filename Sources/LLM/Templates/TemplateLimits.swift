/// Bounds on what one render may build. A chat template comes from a model file, so it is
/// untrusted input: `'a' * 10**9`, `range(10**9)`, a macro calling itself or a huge indent must
/// end in a `TemplateError`, not in an exhausted memory, a stack overflow or a hang.
enum TemplateLimits {
    /// The longest string a render may build (its output, a repeated string, a padding), in characters.
    static let maximumTextLength = 1 << 24
    /// The longest list a render may build (`range`, a repeated list).
    static let maximumListLength = 1 << 20
    /// Statements and loop iterations one render may run.
    static let maximumSteps = 2_000_000
    /// How deeply macros may call each other (a macro calling itself never ends).
    static let maximumMacroDepth = 64
    /// The widest indent `indent` and `tojson` accept.
    static let maximumIndent = 1024

    /// Throws unless `count` items of `unit` length each stay within `limit`.
    static func checkSize(_ unit: Int, times count: Int, limit: Int, what: String, line: Int) throws {
        let (total, overflow) = unit.multipliedReportingOverflow(by: max(count, 0))
        guard !overflow, total <= limit else {
            throw TemplateError.runtime(message: "\(what) would have \(overflow ? "more than \(Int.max)" : "\(total)") elements; the limit is \(limit)", line: line)
        }
    }
}
