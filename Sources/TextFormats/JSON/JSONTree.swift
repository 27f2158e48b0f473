/// A value type that JSON text can be read into: `JSONValue`, a dataset cell, a template value.
///
/// `JSONScanner.readValue(as:)` and `JSONParser.parse(_:as:)` build one from the text; objects
/// arrive as their members in the order of the text (a type without order keeps the last of
/// repeated keys, as Python's `json` does).
public protocol JSONTree {
    static var jsonNull: Self { get }
    static func jsonBool(_ value: Bool) -> Self
    static func jsonInt(_ value: Int) -> Self
    static func jsonDouble(_ value: Double) -> Self
    static func jsonString(_ value: String) -> Self
    static func jsonArray(_ elements: [Self]) -> Self
    static func jsonObject(_ members: [(key: String, value: Self)]) -> Self
}

extension JSONValue: JSONTree {
    public static var jsonNull: JSONValue { .null }
    public static func jsonBool(_ value: Bool) -> JSONValue { .bool(value) }
    public static func jsonInt(_ value: Int) -> JSONValue { .int(value) }
    public static func jsonDouble(_ value: Double) -> JSONValue { .double(value) }
    public static func jsonString(_ value: String) -> JSONValue { .string(value) }
    public static func jsonArray(_ elements: [JSONValue]) -> JSONValue { .array(elements) }
    public static func jsonObject(_ members: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
    }
}
