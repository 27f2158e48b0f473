extension Dataset {
    /// A chat message list as data: `[{role: "system", content: …}, {role: "user", content: …}]`.
    ///
    /// The model's chat template renders it later; an empty `system` leaves the system message out.
    public static func chatMessages(system: String, user: String) -> DatasetValue {
        var messages: [DatasetValue] = []
        if !system.isEmpty { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": .string(user)])
        return .array(messages)
    }

    /// Adds a conversational prompt column: the system message, then the user message taken
    /// from `userColumn`.
    public func chatPrompt(system: String, userColumn: String, into column: String = "prompt") throws -> Dataset {
        try requireColumn(userColumn)
        return map { row in
            var row = row
            row[column] = Self.chatMessages(system: system, user: row[userColumn].text)
            return row
        }
    }

    /// Adds a plain-text prompt column from a template where `{Column}` stands for that column's text.
    ///
    /// `data.textPrompt(template: "Question: {Question}\nAnswer:")`. Write `{{` and `}}` for literal braces.
    public func textPrompt(template: String, into column: String = "prompt") throws -> Dataset {
        let pieces = try PromptTemplate(template)
        for name in pieces.placeholders { try requireColumn(name) }
        return map { row in
            var row = row
            row[column] = .string(pieces.render(row))
            return row
        }
    }

    /// Keeps the rows whose prompt measures at most `maxLength` by `length` (for example a
    /// tokenizer's token count) and reports how many were dropped.
    public func filterPromptLength(maxLength: Int, column: String = "prompt",
                                   length: (DatasetValue) throws -> Int) throws -> PromptLengthFilterResult {
        try requireColumn(column)
        var kept: [DatasetRow] = []
        var longest = 0
        for row in rows {
            let measured = try length(row[column])
            longest = max(longest, measured)
            if measured <= maxLength { kept.append(row) }
        }
        return PromptLengthFilterResult(kept: Dataset(rows: kept, exactColumns: columns),
                                        dropped: count - kept.count, maxLength: maxLength, longest: longest)
    }
}

/// The outcome of `filterPromptLength`: the rows kept and how many were dropped.
public struct PromptLengthFilterResult: Sendable, CustomStringConvertible {
    /// The rows whose prompt fits.
    public var kept: Dataset
    /// How many rows had a longer prompt.
    public var dropped: Int
    /// The limit that was applied.
    public var maxLength: Int
    /// The longest prompt seen, kept or not.
    public var longest: Int

    public var description: String {
        "kept \(kept.count) rows, dropped \(dropped) with prompts longer than \(maxLength) (longest: \(longest))"
    }
}

/// A `{Column}` template split into literal text and placeholders.
struct PromptTemplate {
    enum Piece { case literal(String), placeholder(String) }
    let pieces: [Piece]

    var placeholders: [String] {
        pieces.compactMap { if case .placeholder(let name) = $0 { return name } else { return nil } }
    }

    init(_ template: String) throws {
        var pieces: [Piece] = []
        var literal = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{" && next < template.endIndex && template[next] == "{" {
                literal.append("{"); index = template.index(after: next); continue
            }
            if character == "}" && next < template.endIndex && template[next] == "}" {
                literal.append("}"); index = template.index(after: next); continue
            }
            if character == "{" {
                guard let close = template[next...].firstIndex(of: "}") else {
                    throw DatasetError.invalidArgument("The prompt template has a '{' without a closing '}'. Write {{ for a literal brace.")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                pieces.append(.placeholder(String(template[next..<close])))
                index = template.index(after: close)
                continue
            }
            literal.append(character)
            index = next
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    func render(_ row: DatasetRow) -> String {
        pieces.map { piece in
            switch piece {
            case .literal(let text): return text
            case .placeholder(let name): return row[name].text
            }
        }.joined()
    }
}
