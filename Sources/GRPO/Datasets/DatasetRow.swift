/// One row of a dataset: cells by column name. A missing column reads as `.null`.
public struct DatasetRow: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// The cells present in this row.
    public var cells: [String: DatasetValue]

    public init(_ cells: [String: DatasetValue] = [:]) {
        self.cells = cells
    }

    public init(dictionaryLiteral elements: (String, DatasetValue)...) {
        self.cells = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The cell in `column`, or `.null` when the row has no such column.
    public subscript(column: String) -> DatasetValue {
        get { cells[column] ?? .null }
        set { cells[column] = newValue }
    }

    /// The names of the columns this row has, sorted.
    public var columns: [String] { cells.keys.sorted() }

    /// True when the row has a cell (possibly `.null`) for `column`.
    public func has(_ column: String) -> Bool { cells[column] != nil }

    /// Removes a column's cell and returns it.
    @discardableResult
    public mutating func removeValue(forColumn column: String) -> DatasetValue? {
        cells.removeValue(forKey: column)
    }
}
