import Foundation
import Runtime
import TextFormats

/// An `OutputSink` that builds nbformat outputs the way nbclient does: consecutive stream text
/// merged, `clear_output(wait:)` honoured, and display updates applied to every output that
/// carries the display id, in any cell.
final class NotebookOutputCollector: OutputSink {
    /// The outputs of the running cell.
    private(set) var outputs: [JSONValue] = []
    /// Earlier cells' outputs, by cell index, reachable for display updates.
    var earlierOutputs: [Int: [JSONValue]] = [:]
    private var clearOnNextOutput = false
    private var displayLocations: [String: [(cell: Int, output: Int)]] = [:]
    private var currentCell = 0
    private let echo: ((String, OutputStreamName) -> Void)?

    init(echo: ((String, OutputStreamName) -> Void)? = nil) { self.echo = echo }

    /// Starts collecting for cell `index`.
    func begin(cell index: Int) {
        currentCell = index
        outputs = []
        clearOnNextOutput = false
    }

    /// Finishes the cell; its outputs stay reachable for later display updates.
    func finish() -> [JSONValue] {
        earlierOutputs[currentCell] = outputs
        return outputs
    }

    func append(_ output: JSONValue) {
        if clearOnNextOutput { clearNow() }
        outputs.append(output)
    }

    private func clearNow() {
        outputs = []
        clearOnNextOutput = false
        for id in displayLocations.keys {
            displayLocations[id]?.removeAll { $0.cell == currentCell }
        }
    }

    func write(_ text: String, to stream: OutputStreamName) {
        echo?(text, stream)
        if clearOnNextOutput { clearNow() }
        if let last = outputs.last, last.string("output_type") == "stream", last.string("name") == stream.rawValue {
            outputs[outputs.count - 1]["text"] = .string(last.string("text") + text)
        } else {
            outputs.append(["output_type": "stream", "name": .string(stream.rawValue), "text": .string(text)])
        }
    }

    func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {
        let data = bundle.jupyterData
        let metadata = bundle.jupyterMetadata
        if update {
            guard let displayID else { return }
            for location in displayLocations[displayID] ?? [] {
                if location.cell == currentCell {
                    guard location.output < outputs.count else { continue }
                    outputs[location.output]["data"] = data
                    outputs[location.output]["metadata"] = metadata
                } else if var earlier = earlierOutputs[location.cell], location.output < earlier.count {
                    earlier[location.output]["data"] = data
                    earlier[location.output]["metadata"] = metadata
                    earlierOutputs[location.cell] = earlier
                }
            }
            return
        }
        append(["output_type": "display_data", "data": data, "metadata": metadata])
        if let displayID { displayLocations[displayID, default: []].append((currentCell, outputs.count - 1)) }
    }

    /// A headless run logs a line per milestone instead of rewriting displays many times.
    var liveDisplayStyle: LiveDisplayStyle { .logLines }

    func clearOutput(wait: Bool) {
        if wait { clearOnNextOutput = true } else { clearNow() }
    }
}
