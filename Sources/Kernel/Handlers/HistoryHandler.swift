import Foundation
import Runtime
import TextFormats

/// `history_request`: tail, range and search (glob) over this session's executed cells.
enum HistoryHandler {
    static func reply(_ request: Message, in kernel: KernelContext) -> JSONValue {
        let content = request.content
        let withOutput = content.bool("output", default: false)
        var entries = kernel.session.history
        switch content.string("hist_access_type", default: "tail") {
        case "range":
            let session = content.int("session", default: 0)
            let start = content.int("start", default: 0)
            let stop = content.int("stop", default: Int.max)
            entries = entries.filter {
                (session == 0 || $0.session == session || session < 0) && $0.line >= start && $0.line < stop
            }
        case "search":
            let pattern = content.string("pattern", default: "*")
            entries = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if content.bool("unique", default: false) {
                var seen = Set<String>()
                entries = entries.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = content["n"]?.intValue, n >= 0 { entries = Array(entries.suffix(n)) }
        default:
            let n = content.int("n", default: 10)
            entries = Array(entries.suffix(max(0, n)))
        }
        let history: [JSONValue] = entries.map { entry in
            let input: JSONValue = .string(entry.input)
            let payload: JSONValue = withOutput ? [input, entry.output.map { .string($0) } ?? .null] : input
            return [.int(entry.session), .int(entry.line), payload]
        }
        return ["status": "ok", "history": .array(history)]
    }
}
