import Runtime
import TextFormats

extension MIMEBundle {
    /// The bundle as Jupyter `data`: JSON types (`application/json`, `…+json`) unpacked into
    /// objects; everything else (text, base64 for binary types) as strings.
    public var jupyterData: JSONValue {
        var members: [String: JSONValue] = [:]
        for (mime, value) in data {
            if mime == "application/json" || mime.hasSuffix("+json"), let parsed = try? JSONParser.parse(value) {
                members[mime] = parsed
            } else {
                members[mime] = .string(value)
            }
        }
        if members["text/plain"] == nil { members["text/plain"] = .string(plainText) }
        return .object(members)
    }

    /// The bundle's metadata as a JSON object; values that are JSON text are unpacked.
    public var jupyterMetadata: JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, value) in metadata {
            if let parsed = try? JSONParser.parse(value), case .object = parsed {
                members[key] = parsed
            } else if let number = Int(value) {
                members[key] = .int(number)
            } else {
                members[key] = .string(value)
            }
        }
        return .object(members)
    }
}
