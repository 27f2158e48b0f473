import TextFormats

/// The result of `reward.check(…)`: each completion's score next to its expected score, and
/// the property checks (one score per completion, scores in the declared range, determinism).
public struct RewardCheck: CustomStringConvertible {
    /// One completion's line in the table.
    public struct Row: Equatable {
        public let completion: String
        /// The score, nil when the reward returned nil (or failed).
        public let score: Double?
        /// The expected score; nil when none was given or nil is expected.
        public let expected: Double?
        /// Whether an expectation was given for this row.
        public let hasExpectation: Bool
        /// True when the score matches the expectation (or there is none).
        public let passed: Bool
    }

    /// One property check and what was found.
    public struct Property: Equatable {
        public let name: String
        public let passed: Bool
        public let detail: String
    }

    /// The reward's name.
    public let reward: String
    public let rows: [Row]
    public let properties: [Property]
    /// The error the reward threw, if it threw.
    public let error: String?

    /// True when every expectation and every property held and the reward did not throw.
    public var passed: Bool { error == nil && rows.allSatisfy(\.passed) && properties.allSatisfy(\.passed) }

    /// The table and the property checks as plain text.
    public var text: String {
        var lines = ["Reward check: \(reward) — \(passed ? "PASSED" : "FAILED")"]
        if let error { lines.append("error: \(error)") }
        lines.append(RewardFormatting.textTable(header: Self.header, rows: tableRows(limit: 48)))
        for property in properties {
            lines.append("\(property.passed ? "✓" : "✗") \(property.name): \(property.detail)")
        }
        return lines.joined(separator: "\n")
    }

    /// The table and the property checks as HTML.
    public var html: String {
        var out = "<div><p><b>Reward check: \(HTMLText.escape(reward))</b> — \(passed ? "passed" : "<b>failed</b>")</p>"
        if let error { out += "<p>error: \(HTMLText.escape(error))</p>" }
        out += RewardFormatting.htmlTable(header: Self.header, rows: tableRows(limit: 400))
        out += "<ul>"
        for property in properties {
            out += "<li>\(property.passed ? "✓" : "✗") \(HTMLText.escape(property.name)): "
                + "\(HTMLText.escape(property.detail))</li>"
        }
        return out + "</ul></div>"
    }

    public var description: String { text }

    private static let header = ["#", "completion", "score", "expected", "result"]

    private func tableRows(limit: Int) -> [[String]] {
        rows.enumerated().map { index, row in
            [String(index), RewardFormatting.cell(row.completion, limit: limit), RewardFormatting.number(row.score),
             row.hasExpectation ? RewardFormatting.number(row.expected) : "",
             row.hasExpectation ? (row.passed ? "pass" : "FAIL") : ""]
        }
    }
}

extension RewardFunction {
    /// Scores `completions` (twice) and compares them with `expected`, before training.
    ///
    /// `expected` has one entry per completion (nil = the reward should return nil), or is
    /// omitted to only show scores. `columns` (and `answers`, a shortcut for the "answer"
    /// column) give the dataset cells of each row. Scores match within `tolerance`.
    /// Never throws: a throwing reward gives a failed report that names the error.
    public func check(completions: [String], expected: [Double?]? = nil, answers: [String]? = nil,
                      prompts: [String] = [], columns: [String: [DatasetValue]] = [:],
                      tolerance: Double = 1e-6) -> RewardCheck {
        var columns = columns
        if let answers { columns["answer"] = answers.map { DatasetValue.string($0) } }
        let batch: RewardBatch
        do {
            batch = try RewardBatch(prompts: prompts, completions: completions, columns: columns)
        } catch {
            return RewardCheck(reward: name, rows: [], properties: [], error: "\(error)")
        }
        var properties: [RewardCheck.Property] = []
        if let expected, expected.count != completions.count {
            properties.append(.init(name: "expectations", passed: false,
                                    detail: "\(expected.count) expected scores for \(completions.count) completions"))
        }
        let first: [Double?], second: [Double?]
        do {
            first = try score(batch)
            second = try score(batch)
        } catch {
            return RewardCheck(reward: name, rows: completions.map {
                RewardCheck.Row(completion: $0, score: nil, expected: nil, hasExpectation: false, passed: false)
            }, properties: properties, error: "\(error)")
        }

        properties.append(.init(name: "one score per completion", passed: first.count == completions.count,
                                detail: "\(first.count) scores for \(completions.count) completions"))
        let outside = first.compactMap { $0 }.filter { !($0.isFinite && range.contains($0)) }
        let rangeText = "\(RewardFormatting.number(range.lowerBound))...\(RewardFormatting.number(range.upperBound))"
        properties.append(.init(name: "scores in range", passed: outside.isEmpty,
                                detail: outside.isEmpty ? "all finite and within \(rangeText)"
                                    : "\(outside.count) outside \(rangeText) or not finite: "
                                    + outside.prefix(5).map { RewardFormatting.number($0) }.joined(separator: ", ")))
        let same = first.count == second.count && zip(first, second).allSatisfy { Self.sameScore($0, $1) }
        properties.append(.init(name: "deterministic", passed: same,
                                detail: same ? "two runs gave the same scores" : "two runs gave different scores"))
        let nils = first.filter { $0 == nil }.count
        properties.append(.init(name: "nil rate", passed: true, detail: "\(nils) of \(first.count) scores are nil"))

        let rows = completions.indices.map { index -> RewardCheck.Row in
            let score = index < first.count ? first[index] : nil
            guard let expected, index < expected.count else {
                return RewardCheck.Row(completion: completions[index], score: score, expected: nil,
                                       hasExpectation: false, passed: expected == nil)
            }
            let want = expected[index]
            let ok: Bool
            switch (score, want) {
            case (nil, nil): ok = true
            case (let got?, let want?): ok = abs(got - want) <= tolerance || got == want
            default: ok = false
            }
            return RewardCheck.Row(completion: completions[index], score: score, expected: want,
                                   hasExpectation: true, passed: ok)
        }
        return RewardCheck(reward: name, rows: rows, properties: properties, error: nil)
    }

    private static func sameScore(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return x == y || (x.isNaN && y.isNaN)
        default: return false
        }
    }
}
