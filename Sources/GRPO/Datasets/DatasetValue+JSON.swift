import TextFormats

extension DatasetValue: JSONTree {
    public static var jsonNull: DatasetValue { .null }
    public static func jsonBool(_ value: Bool) -> DatasetValue { .bool(value) }
    public static func jsonInt(_ value: Int) -> DatasetValue { .int(value) }
    public static func jsonDouble(_ value: Double) -> DatasetValue { .double(value) }
    public static func jsonString(_ value: String) -> DatasetValue { .string(value) }
    public static func jsonArray(_ elements: [DatasetValue]) -> DatasetValue { .array(elements) }
    public static func jsonObject(_ members: [(key: String, value: DatasetValue)]) -> DatasetValue {
        .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
    }
}

extension DatasetValue {
    /// Compact JSON for this value; object keys are sorted so the text is deterministic.
    public var jsonString: String {
        var out = JSONWriter(sortedKeys: true).output()
        write(to: &out)
        return out.text
    }

    private func write(to out: inout JSONOutput) {
        switch self {
        case .string(let value): out.string(value)
        case .int(let value): out.int(value)
        case .double(let value): out.double(value)
        case .bool(let value): out.bool(value)
        case .null: out.null()
        case .array(let values): out.array(values) { out, value in value.write(to: &out) }
        case .object(let fields): out.object(fields.map { ($0.key, $0.value) }) { out, value in value.write(to: &out) }
        }
    }
}
