import Foundation
import TextFormats

/// The JSON files of a model folder (config.json, generation_config.json, tokenizer_config.json,
/// the shard index), read with errors that name the file.
enum ConfigFile {
    /// Parses the JSON object in the file at `url`.
    static func object(at url: URL) throws -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelLoadingError.missingFile(folder: url.deletingLastPathComponent().path, file: url.lastPathComponent)
        }
        return try object(from: data, path: url.path)
    }

    /// Parses the JSON object in `data` (read from `path`).
    static func object(from data: Data, path: String) throws -> JSONValue {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse([UInt8](data))
        } catch {
            throw ModelLoadingError.invalidJSON(path: path, detail: "it is not valid JSON (\(error))")
        }
        guard case .object = parsed else {
            throw ModelLoadingError.invalidJSON(path: path, detail: "the top level is not a JSON object")
        }
        return parsed
    }
}

/// Tolerant reads of config fields: a field of the wrong type reads as nil instead of failing.
extension JSONValue {
    /// An int or a list of ints (as in `eos_token_id`).
    var intList: [Int]? {
        if let single = intValue { return [single] }
        guard let list = arrayValue else { return nil }
        let ints = list.compactMap(\.intValue)
        return ints.count == list.count ? ints : nil
    }

    /// A special token written as a string or as an object `{"content": …}`.
    var tokenContent: String? {
        stringValue ?? self["content"]?.stringValue
    }

    /// A number as a `Float`.
    var floatValue: Float? { doubleValue.map(Float.init) }
}
