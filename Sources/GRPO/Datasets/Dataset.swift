/// A table of rows (JSON-like cells by column name) for training and evaluation.
///
/// Values, not references: every operation returns a new dataset and leaves this one as it is.
/// Columns keep the order of the source file; columns added later come after, sorted by name.
public struct Dataset: Sendable, Equatable {
    /// The column names, in display order.
    public private(set) var columns: [String]
    /// The rows, in order.
    public private(set) var rows: [DatasetRow]

    /// A dataset from rows; columns are taken from `columns` first, then any others the rows
    /// have (sorted by name).
    public init(rows: [DatasetRow], columns: [String] = []) {
        self.rows = rows
        self.columns = Self.columnOrder(preferred: columns, rows: rows)
    }

    /// A dataset from plain dictionaries.
    public init(_ rows: [[String: DatasetValue]], columns: [String] = []) {
        self.init(rows: rows.map(DatasetRow.init), columns: columns)
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// True when there are no rows.
    public var isEmpty: Bool { rows.isEmpty }

    /// The row at `index`.
    public subscript(index: Int) -> DatasetRow { rows[index] }

    /// Every cell of one column, `.null` where a row lacks it.
    public func column(_ name: String) throws -> [DatasetValue] {
        try requireColumn(name)
        return rows.map { $0[name] }
    }

    func requireColumn(_ name: String) throws {
        guard columns.contains(name) else { throw DatasetError.missingColumn(name, available: columns) }
    }

    /// Checks many names at once in time linear in the names and the columns.
    func requireColumns(_ names: [String]) throws {
        let present = Set(columns)
        if let missing = names.first(where: { !present.contains($0) }) {
            throw DatasetError.missingColumn(missing, available: columns)
        }
    }

    /// `preferred` (those any row has, or all of them when there are no rows), then the rest sorted.
    static func columnOrder(preferred: [String], rows: [DatasetRow]) -> [String] {
        var present = Set<String>()
        for row in rows { present.formUnion(row.cells.keys) }
        var order: [String] = []
        var seen = Set<String>()
        for name in preferred where (rows.isEmpty || present.contains(name)) && seen.insert(name).inserted {
            order.append(name)
        }
        order += present.subtracting(seen).sorted()
        return order
    }
}

extension Dataset: CustomStringConvertible {
    public var description: String {
        "Dataset(\(count) rows; columns: \(columns.joined(separator: ", ")))"
    }
}

extension Dataset {
    /// A dataset whose column order the caller already knows to be complete.
    init(rows: [DatasetRow], exactColumns: [String]) {
        self.rows = rows
        self.columns = exactColumns
    }
}
