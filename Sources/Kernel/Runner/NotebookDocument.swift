import Foundation
import TextFormats

/// An nbformat 4 notebook held as JSON, so fields this runner does not know survive untouched.
struct NotebookDocument {
    var json: JSONValue
    var cells: [JSONValue]

    static func load(path: String) throws(NotebookError) -> NotebookDocument {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let json: JSONValue
        do { json = try JSONParser.parse(Array(data)) } catch { throw .notANotebook(path: path, reason: error.description) }
        guard json["nbformat"]?.intValue == 4 else {
            throw .notANotebook(path: path, reason: "nbformat must be 4; convert it with `jupyter nbconvert --to notebook`")
        }
        guard let cells = json["cells"]?.arrayValue else { throw .notANotebook(path: path, reason: "no cells array") }
        return NotebookDocument(json: json, cells: cells)
    }

    func isCode(_ index: Int) -> Bool { cells[index].string("cell_type") == "code" }

    func tags(_ index: Int) -> Set<String> {
        Set((cells[index]["metadata"]?["tags"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// The cell's source; nbformat allows a string or a list of lines.
    func source(_ index: Int) -> String {
        Self.text(cells[index]["source"])
    }

    static func text(_ value: JSONValue?) -> String {
        if let lines = value?.arrayValue { return lines.compactMap(\.stringValue).joined() }
        return value?.stringValue ?? ""
    }

    /// Inserts the parameters cell as papermill does: after the first cell tagged `parameters`
    /// (or at the top), replacing any earlier injected cell.
    mutating func injectParameters(_ parameters: [(name: String, value: JSONValue)]) {
        cells.removeAll { cell in
            (cell["metadata"]?["tags"]?.arrayValue ?? []).contains(.string("injected-parameters"))
        }
        let cell: JSONValue = [
            "cell_type": "code", "id": .string(Self.newID()), "execution_count": nil, "outputs": [],
            "metadata": ["tags": ["injected-parameters"]],
            "source": .string(SwiftLiteral.parameterCell(parameters)),
        ]
        let position = cells.indices.first { tags($0).contains("parameters") }.map { $0 + 1 } ?? 0
        cells.insert(cell, at: position)
        var recorded: [String: JSONValue] = [:]
        for parameter in parameters { recorded[parameter.name] = parameter.value }
        var metadata = json["metadata"] ?? [:]
        var papermill = metadata["papermill"] ?? [:]
        papermill["parameters"] = .object(recorded)
        metadata["papermill"] = papermill
        json["metadata"] = metadata
    }

    /// Upgrades to nbformat 4.5 (unique cell ids), clears old outputs and records the language.
    mutating func prepareForExecution() {
        var seen = Set<String>()
        let idPattern = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        for index in cells.indices {
            let id = cells[index].string("id")
            if id.isEmpty || id.count > 64 || !id.unicodeScalars.allSatisfy(idPattern.contains) || seen.contains(id) {
                cells[index]["id"] = .string(Self.newID())
            }
            seen.insert(cells[index].string("id"))
            if cells[index]["metadata"] == nil { cells[index]["metadata"] = [:] }
            if isCode(index) {
                cells[index]["outputs"] = []
                cells[index]["execution_count"] = .null
            }
        }
        json["nbformat"] = 4
        json["nbformat_minor"] = .int(max(5, json["nbformat_minor"]?.intValue ?? 5))
        var metadata = json["metadata"] ?? [:]
        metadata["language_info"] = KernelInfo.languageInfo
        if metadata["kernelspec"] == nil {
            metadata["kernelspec"] = ["name": "swift-grpo", "display_name": "Swift (SwiftGRPO)", "language": "swift"]
        }
        json["metadata"] = metadata
    }

    mutating func record(cell index: Int, outputs: [JSONValue], executionCount: Int, started: String, finished: String) {
        cells[index]["outputs"] = .array(outputs)
        cells[index]["execution_count"] = .int(executionCount)
        var metadata = cells[index]["metadata"] ?? [:]
        metadata["execution"] = [
            "iopub.status.busy": .string(started), "iopub.execute_input": .string(started),
            "shell.execute_reply": .string(finished), "iopub.status.idle": .string(finished),
        ]
        cells[index]["metadata"] = metadata
    }

    mutating func setOutputs(cell index: Int, _ outputs: [JSONValue]) {
        cells[index]["outputs"] = .array(outputs)
    }

    /// Writes the notebook atomically (temporary file, then rename).
    func write(to path: String) throws(NotebookError) {
        var document = json
        document["cells"] = .array(cells)
        let bytes = JSONWriter(indent: 1, sortedKeys: true).bytes(document) + [UInt8(ascii: "\n")]
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    static func newID() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))
    }
}
