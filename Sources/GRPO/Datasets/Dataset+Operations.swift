import Tensor

extension Dataset {
    /// A new dataset from transforming every row. Columns that remain keep their order;
    /// new ones follow, sorted by name.
    public func map(_ transform: (DatasetRow) throws -> DatasetRow) rethrows -> Dataset {
        Dataset(rows: try rows.map(transform), columns: columns)
    }

    /// The rows for which `isIncluded` is true.
    public func filter(_ isIncluded: (DatasetRow) throws -> Bool) rethrows -> Dataset {
        Dataset(rows: try rows.filter(isIncluded), exactColumns: columns)
    }

    /// The first `n` rows (all of them when there are fewer).
    public func head(_ n: Int = 5) -> Dataset {
        select(0..<max(0, n))
    }

    /// The rows whose indices fall in `range`, clamped to the dataset.
    public func select(_ range: Range<Int>) -> Dataset {
        let lower = min(max(range.lowerBound, 0), count)
        let upper = min(max(range.upperBound, lower), count)
        return Dataset(rows: Array(rows[lower..<upper]), exactColumns: columns)
    }

    /// The rows whose indices fall in `range`, clamped to the dataset.
    public func select(_ range: ClosedRange<Int>) -> Dataset {
        select(range.lowerBound..<(range.upperBound == Int.max ? Int.max : range.upperBound + 1))
    }

    /// The rows in a random order that depends only on `seed` (Fisher-Yates over RandomStream).
    public func shuffled(seed: UInt64) -> Dataset {
        var generator = RandomStream(seed: seed)
        var shuffledRows = rows
        var index = shuffledRows.count - 1
        while index > 0 {
            shuffledRows.swapAt(index, generator.next(below: index + 1))
            index -= 1
        }
        return Dataset(rows: shuffledRows, exactColumns: columns)
    }

    /// Shuffles with `seed`, then puts `round(count × testFraction)` rows in `test` and the rest in `train`.
    public func split(testFraction: Double, seed: UInt64) throws -> (train: Dataset, test: Dataset) {
        guard testFraction >= 0 && testFraction <= 1 else {
            throw DatasetError.invalidArgument("testFraction must be between 0 and 1; got \(testFraction).")
        }
        let mixed = shuffled(seed: seed)
        let testCount = Int((Double(count) * testFraction).rounded())
        return (train: mixed.select(testCount..<count), test: mixed.select(0..<testCount))
    }

    /// Renames a column, keeping its position.
    public func rename(from old: String, to new: String) throws -> Dataset {
        try requireColumn(old)
        if old == new { return self }
        guard !columns.contains(new) else { throw DatasetError.columnExists(new) }
        let renamedRows = rows.map { row -> DatasetRow in
            var row = row
            if let value = row.removeValue(forColumn: old) { row.cells[new] = value }
            return row
        }
        return Dataset(rows: renamedRows, exactColumns: columns.map { $0 == old ? new : $0 })
    }

    /// The dataset without the named columns.
    public func removeColumns(_ names: [String]) throws -> Dataset {
        try requireColumns(names)
        let removed = Set(names)
        let keptRows = rows.map { row -> DatasetRow in
            var row = row
            for name in names { row.removeValue(forColumn: name) }
            return row
        }
        return Dataset(rows: keptRows, exactColumns: columns.filter { !removed.contains($0) })
    }

    /// Only the named columns, in the given order.
    public func selectColumns(_ names: [String]) throws -> Dataset {
        try requireColumns(names)
        let kept = Set(names)
        let keptRows = rows.map { row in DatasetRow(row.cells.filter { kept.contains($0.key) }) }
        return Dataset(rows: keptRows, exactColumns: names)
    }

    /// This dataset followed by the rows of `other`.
    public func appending(_ other: Dataset) -> Dataset {
        Dataset(rows: rows + other.rows, columns: columns + other.columns)
    }
}
