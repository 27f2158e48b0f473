import Foundation

extension TemplateValue {
    /// Converts Foundation/JSONSerialization values (`[String: Any]`, `[Any]`, `NSNumber`, …).
    /// Dictionary keys are sorted, since `[String: Any]` has no order; pass `TemplateValue`s or
    /// JSON text (`TemplateValue(parsingJSON:)`) when key order matters.
    public init(any value: Any?) {
        switch value {
        case nil, is NSNull: self = .none
        case let v as TemplateValue: self = v
        case let s as String: self = .string(s)
        case let b? where type(of: b) == Bool.self: self = .bool(b as! Bool)
        case let i? where type(of: i) == Int.self: self = .int(i as! Int)
        case let d? where type(of: d) == Double.self: self = .double(d as! Double)
        case let f? where type(of: f) == Float.self: self = .double(Double(f as! Float))
        case let n as NSNumber:
            let type = String(cString: n.objCType)
            if type == "c" { self = .bool(n.boolValue) }
            else if type == "d" || type == "f" { self = .double(n.doubleValue) }
            else { self = .int(n.intValue) }
        case let a as [Any?]: self = .array(a.map { TemplateValue(any: $0) })
        case let a as [Any]: self = .array(a.map { TemplateValue(any: $0) })
        case let d as [String: Any?]:
            self = .dictionary(TemplateDictionary(d.keys.sorted().map { ($0, TemplateValue(any: d[$0] ?? nil)) }))
        case let d as [String: Any]:
            self = .dictionary(TemplateDictionary(d.keys.sorted().map { ($0, TemplateValue(any: d[$0])) }))
        default: self = .string("\(value!)")
        }
    }
}
