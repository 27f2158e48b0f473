import TextFormats

/// JSON in and out of template values, keeping key order (Python dicts are ordered, and
/// `tojson` output must match `json.dumps` byte for byte).
extension TemplateValue: JSONTree {
    public static var jsonNull: TemplateValue { .none }
    public static func jsonBool(_ value: Bool) -> TemplateValue { .bool(value) }
    public static func jsonInt(_ value: Int) -> TemplateValue { .int(value) }
    public static func jsonDouble(_ value: Double) -> TemplateValue { .double(value) }
    public static func jsonString(_ value: String) -> TemplateValue { .string(value) }
    public static func jsonArray(_ elements: [TemplateValue]) -> TemplateValue { .array(elements) }
    public static func jsonObject(_ members: [(key: String, value: TemplateValue)]) -> TemplateValue {
        .dictionary(TemplateDictionary(members.map { ($0.key, $0.value) }))
    }

    /// Parses JSON text; integers stay `.int`, numbers with a fraction or exponent become
    /// `.double`, objects keep their key order.
    public init(parsingJSON text: String) throws {
        self = try JSONParser.parse(text, as: TemplateValue.self)
    }

    /// Python `json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sortKeys)`.
    public func jsonText(indent: String? = nil, separators: (item: String, key: String)? = nil,
                         sortKeys: Bool = false) throws -> String {
        let layout = JSONWriter(indentUnit: indent, itemSeparator: separators?.item ?? (indent == nil ? ", " : ","),
                                keySeparator: separators?.key ?? ": ", sortedKeys: sortKeys)
        var out = layout.output()
        try write(to: &out)
        return out.text
    }

    private func write(to out: inout JSONOutput) throws {
        // A list holding itself twice per level doubles with every level: stop at the text limit.
        guard out.bytes.count <= TemplateLimits.maximumTextLength, out.depth <= 512 else {
            throw TemplateError.runtime(message: "tojson output grew past \(TemplateLimits.maximumTextLength) bytes or 512 levels", line: 0)
        }
        switch self {
        case .none: out.null()
        case let .bool(flag): out.bool(flag)
        case let .int(number): out.int(number)
        case let .double(number):
            if number.isNaN { out.literal("NaN") }
            else if number.isInfinite { out.literal(number < 0 ? "-Infinity" : "Infinity") }
            else { out.literal(Self.pythonFloat(number)) }
        case let .string(text), let .markup(text): out.string(text)
        case let .array(items), let .tuple(items):
            try out.array(items) { out, item in try item.write(to: &out) }
        case let .dictionary(dictionary):
            try out.object(dictionary.pairs) { out, value in try value.write(to: &out) }
        case let .namespace(namespace):
            try TemplateValue.dictionary(namespace.values).write(to: &out)
        case .undefined, .function:
            throw TemplateError.runtime(message: "Object of type \(typeName) is not JSON serializable", line: 0)
        }
    }
}
