import Foundation
import GRPO

/// `Dataset`: loading (JSON, JSON Lines, CSV, MedCalc problems), row operations and prompts.
enum DatasetBindings {
    static func register(in registry: NativeRegistry) {
        registry.type("Dataset", doc: "Rows of [String: …] cells for training and evaluation; operations return new datasets.") { type in
            registerLoading(type)
            registerAccess(type)
            registerOperations(type)
            registerPrompts(type)
        }
    }

    private static func dataset(_ call: NativeCall) throws -> Dataset {
        try call.receiver(as: DatasetObject.self).dataset
    }

    private static func wrap(_ dataset: Dataset) -> Value { .object(DatasetObject(dataset)) }

    private static func seed(_ call: NativeCall) throws -> UInt64 {
        let seed = try call.int("seed")
        guard seed >= 0 else { throw call.error("seed must be 0 or more, got \(seed)") }
        return UInt64(seed)
    }

    // MARK: Loading

    private static func registerLoading(_ type: NativeType) {
        type.staticMethod("json", [.positional("path", "String"), .labeled("field", "String?", default: .null)], returns: "Dataset",
                          doc: "Loads a JSON array of row objects (or the array under `field` of an object).") { call in
            let field = try call.optional("field").map { try Convert.string($0, or: call.error("field must be a String")) }
            return wrap(try Dataset.json(DataPath.resolve(try call.string("path")), field: field))
        }
        type.staticMethod("jsonl", [.positional("path", "String")], returns: "Dataset",
                          doc: "Loads JSON Lines: one row object per line.") { call in
            wrap(try Dataset.jsonl(DataPath.resolve(try call.string("path"))))
        }
        type.staticMethod("csv", [.positional("path", "String"), .labeled("inferTypes", "Bool", default: .bool(false))],
                          returns: "Dataset",
                          doc: "Loads RFC 4180 CSV with a header row; cells are Strings unless inferTypes makes numbers of them.") { call in
            wrap(try Dataset.csv(DataPath.resolve(try call.string("path")), inferTypes: try call.bool("inferTypes")))
        }
        type.staticMethod("load", [.positional("path", "String")], returns: "Dataset",
                          doc: "Loads .json, .jsonl/.ndjson or .csv by the file's extension.") { call in
            wrap(try Dataset.load(DataPath.resolve(try call.string("path"))))
        }
        type.staticMethod("medcalc", [.labeled("count", "Int"), .labeled("seed", "Int", default: .int(0))], returns: "Dataset",
                          doc: "MedCalc-style verifiable problems from \(Dataset.medcalcCalculators.count) calculators: "
                            + "calculator, note, question, answer (exact), unit, tolerance.") { call in
            let count = try call.int("count")
            guard (0...1_000_000).contains(count) else { throw call.error("count must be between 0 and 1000000, got \(count)") }
            return wrap(Dataset.medcalc(count: count, seed: try seed(call)))
        }
        type.initializer([.positional("rows", "[[String: Any]]")], doc: "A dataset from row dictionaries.") { call in
            let rows = try call.array("rows").enumerated().map { try DatasetValueBridge.row($1, at: "rows[\($0)]") }
            return wrap(Dataset(rows: rows))
        }
    }

    // MARK: Access

    private static func registerAccess(_ type: NativeType) {
        type.property("count", "Int", of: DatasetObject.self, doc: "The number of rows.") { .int($0.dataset.count) }
        type.property("isEmpty", "Bool", of: DatasetObject.self, doc: "Whether there are no rows.") { .bool($0.dataset.isEmpty) }
        type.property("columns", "[String]", of: DatasetObject.self, doc: "The column names, in display order.") {
            .array($0.dataset.columns.map { .string($0) })
        }
        type.property("rows", "[[String: Any]]", of: DatasetObject.self, doc: "Every row as a dictionary.") { object in
            let data = object.dataset
            return .array(data.rows.map { DatasetValueBridge.value($0, columns: data.columns) })
        }
        type.method("subscript", [.positional("index", "Int")], returns: "[String: Any]", doc: "The row at index.") { call in
            let data = try dataset(call)
            let index = try call.int("index")
            guard data.rows.indices.contains(index) else {
                throw call.error("row \(index) is out of range (the dataset has \(data.count) rows)", kind: .indexOutOfRange)
            }
            return DatasetValueBridge.value(data[index], columns: data.columns)
        }
        type.method("column", [.positional("name", "String")], returns: "[Any]", doc: "Every cell of one column (nil where a row lacks it).") { call in
            .array(try dataset(call).column(try call.string("name")).map(DatasetValueBridge.value))
        }
        type.method("head", [.positional("n", "Int", default: .int(5))], returns: "Dataset", doc: "The first n rows (shown as a table).") { call in
            wrap(try dataset(call).head(max(0, try call.int("n"))))
        }
        type.method("write", [.labeled("to", "String")], doc: "Writes the rows atomically: JSON Lines for .jsonl, else a JSON array.") { call in
            try dataset(call).write(to: try call.string("to"))
            return .void
        }
    }

    // MARK: Operations

    private static func registerOperations(_ type: NativeType) {
        type.method("map", [.positional("transform", "([String: Any]) -> [String: Any]")], returns: "Dataset",
                    doc: "A dataset of transform(row) for every row.") { call in
            let data = try dataset(call)
            let transform = try call.function("transform")
            return wrap(try data.map { row in
                try call.context.checkInterrupt()
                return try DatasetValueBridge.row(call.call(transform, [DatasetValueBridge.value(row, columns: data.columns)]),
                                                  at: "the map closure")
            })
        }
        type.method("filter", [.positional("isIncluded", "([String: Any]) -> Bool")], returns: "Dataset",
                    doc: "The rows for which isIncluded(row) is true.") { call in
            let data = try dataset(call)
            let test = try call.function("isIncluded")
            return wrap(try data.filter { row in
                try call.context.checkInterrupt()
                let result = try call.call(test, [DatasetValueBridge.value(row, columns: data.columns)])
                return try Convert.bool(result, or: call.error("the filter closure must return a Bool, got \(result.typeName)"))
            })
        }
        type.method("shuffled", [.labeled("seed", "Int", default: .int(0))], returns: "Dataset",
                    doc: "The rows in an order fixed by seed.") { call in
            wrap(try dataset(call).shuffled(seed: try seed(call)))
        }
        type.method("split", [.labeled("testFraction", "Double"), .labeled("seed", "Int", default: .int(0))],
                    returns: "(train: Dataset, test: Dataset)",
                    doc: "Shuffles by seed and holds out testFraction of the rows.") { call in
            let parts = try dataset(call).split(testFraction: try call.double("testFraction"), seed: try seed(call))
            return .tuple(TupleValue([wrap(parts.train), wrap(parts.test)], labels: ["train", "test"]))
        }
        type.method("select", [.positional("range", "Range<Int>")], returns: "Dataset", doc: "The rows in range (a..<b or a...b).") { call in
            let data = try dataset(call)
            guard case .range(let range) = call["range"], let bounds = range.intRange else {
                throw call.error("range must be an Int range such as 0..<100, got \(call["range"].typeName)", kind: .typeMismatch)
            }
            guard bounds.lowerBound >= 0, bounds.upperBound <= data.count else {
                throw call.error("range \(bounds) is outside the dataset's \(data.count) rows", kind: .indexOutOfRange)
            }
            return wrap(data.select(bounds))
        }
        type.method("rename", [.labeled("from", "String"), .labeled("to", "String")], returns: "Dataset",
                    doc: "Renames a column.") { call in
            wrap(try dataset(call).rename(from: try call.string("from"), to: try call.string("to")))
        }
        type.method("removeColumns", [.positional("names", "[String]")], returns: "Dataset", doc: "Drops columns.") { call in
            wrap(try dataset(call).removeColumns(try DatasetValueBridge.strings(call["names"], name: "names")))
        }
        type.method("selectColumns", [.positional("names", "[String]")], returns: "Dataset",
                    doc: "Keeps only these columns, in this order.") { call in
            wrap(try dataset(call).selectColumns(try DatasetValueBridge.strings(call["names"], name: "names")))
        }
        type.method("appending", [.positional("other", "Dataset")], returns: "Dataset", doc: "These rows, then other's.") { call in
            wrap(try dataset(call).appending(try call.object("other", as: DatasetObject.self).dataset))
        }
    }

    // MARK: Prompts

    private static func registerPrompts(_ type: NativeType) {
        type.method("chatPrompt", [.labeled("system", "String"), .labeled("userColumn", "String"),
                                   .labeled("into", "String", default: .string("prompt"))], returns: "Dataset",
                    doc: "Adds a conversational prompt column: the system message, then the user message from userColumn "
                        + "(rendered with the model's chat template when generating).") { call in
            wrap(try dataset(call).chatPrompt(system: try call.string("system"), userColumn: try call.string("userColumn"),
                                              into: try call.string("into")))
        }
        type.method("textPrompt", [.labeled("template", "String"), .labeled("into", "String", default: .string("prompt"))],
                    returns: "Dataset",
                    doc: "Adds a plain-text prompt column from a template where {Column} stands for that column's text.") { call in
            wrap(try dataset(call).textPrompt(template: try call.string("template"), into: try call.string("into")))
        }
        type.method("filterPromptLength", [.labeled("maxLength", "Int"), .labeled("model", "Model"),
                                           .labeled("column", "String", default: .string("prompt"))], returns: "Dataset",
                    doc: "Keeps the rows whose prompt (rendered for the model) has at most maxLength tokens, "
                        + "and prints how many rows were dropped.") { call in
            let model = try call.object("model", as: ModelObject.self).model
            let column = try call.string("column")
            let result = try dataset(call).filterPromptLength(maxLength: try call.int("maxLength"), column: column) { cell in
                try call.context.checkInterrupt()
                let text = try PromptText.text(DatasetValueBridge.value(cell), for: model, argument: column)
                return model.tokenizer.encode(text).count
            }
            call.context.output.write(result.description + "\n", to: .stdout)
            return wrap(result.kept)
        }
    }
}
