import Foundation

/// Tolerant reads from parsed JSON: a field of the wrong type reads as nil instead of failing.
enum LooseJSON {
    /// Parses the JSON object in the file at `url`.
    static func object(at url: URL) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelLoadingError.missingFile(folder: url.deletingLastPathComponent().path, file: url.lastPathComponent)
        }
        return try object(from: data, path: url.path)
    }

    static func object(from data: Data, path: String) throws -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ModelLoadingError.invalidJSON(path: path, detail: "it is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw ModelLoadingError.invalidJSON(path: path, detail: "the top level is not a JSON object")
        }
        return object
    }

    static func int(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, !isBool(number) else { return nil }
        return Int(exactly: number.doubleValue)
    }

    static func double(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !isBool(number) else { return nil }
        return number.doubleValue
    }

    static func bool(_ value: Any?) -> Bool? {
        guard let number = value as? NSNumber, isBool(number) else { return nil }
        return number.boolValue
    }

    static func string(_ value: Any?) -> String? { value as? String }

    /// An int or a list of ints (as in `eos_token_id`).
    static func ints(_ value: Any?) -> [Int]? {
        if let single = int(value) { return [single] }
        guard let list = value as? [Any] else { return nil }
        let ints = list.compactMap(int)
        return ints.count == list.count ? ints : nil
    }

    /// A special token written as a string or as an object `{"content": …}`.
    static func tokenContent(_ value: Any?) -> String? {
        if let s = value as? String { return s }
        return (value as? [String: Any])?["content"] as? String
    }

    /// JSONSerialization stores JSON booleans as NSNumbers of ObjC type "c" (char).
    static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
