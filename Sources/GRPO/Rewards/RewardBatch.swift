/// What a reward sees: prompts, completions and every dataset column, all row-aligned.
///
/// Row `i` of each column belongs to completion `i` (a dataset row appears once per
/// completion generated from it, as in TRL).
public struct RewardBatch {
    /// The prompt text of each completion (empty strings when the caller has none).
    public let prompts: [String]
    /// The completion texts.
    public let completions: [String]
    /// Every other dataset column by name.
    public let columns: [String: [DatasetValue]]
    /// The token ids of each completion, when the caller has them (the trainer does).
    public let completionIDs: [[Int]]?

    /// A batch; `prompts` may be empty (then every prompt is ""), every other array must have
    /// one entry per completion.
    public init(prompts: [String] = [], completions: [String], columns: [String: [DatasetValue]] = [:],
                completionIDs: [[Int]]? = nil) throws {
        let count = completions.count
        guard prompts.isEmpty || prompts.count == count else {
            throw RewardError.misalignedColumn("prompts", rows: prompts.count, completions: count)
        }
        for (name, values) in columns where values.count != count {
            throw RewardError.misalignedColumn(name, rows: values.count, completions: count)
        }
        if let completionIDs, completionIDs.count != count {
            throw RewardError.misalignedColumn("completionIDs", rows: completionIDs.count, completions: count)
        }
        self.prompts = prompts.isEmpty ? Array(repeating: "", count: count) : prompts
        self.completions = completions
        self.columns = columns
        self.completionIDs = completionIDs
    }

    /// A batch whose columns come from dataset rows, one row per completion.
    public init(prompts: [String] = [], completions: [String], rows: [DatasetRow],
                completionIDs: [[Int]]? = nil) throws {
        guard rows.count == completions.count else {
            throw RewardError.misalignedColumn("rows", rows: rows.count, completions: completions.count)
        }
        // One pass over the cells: a column is created (all `.null`) the first time a row has it,
        // so the work is the cells present plus one column of `.null`s per name.
        var columns: [String: [DatasetValue]] = [:]
        for (index, row) in rows.enumerated() {
            for (name, value) in row.cells {
                columns[name, default: Array(repeating: .null, count: rows.count)][index] = value
            }
        }
        try self.init(prompts: prompts, completions: completions, columns: columns, completionIDs: completionIDs)
    }

    /// The number of completions.
    public var count: Int { completions.count }

    /// The column names, sorted.
    public var columnNames: [String] { columns.keys.sorted() }

    /// True when the batch has a column `name`.
    public func hasColumn(_ name: String) -> Bool { columns[name] != nil }

    /// The cells of column `name`.
    public func values(_ name: String) throws -> [DatasetValue] {
        guard let values = columns[name] else { throw RewardError.missingColumn(name, available: columnNames) }
        return values
    }

    /// Column `name` as text (strings as they are, numbers spelled out, null as "").
    public func column(_ name: String) throws -> [String] {
        try values(name).map { $0.isNull ? "" : $0.text }
    }
}
