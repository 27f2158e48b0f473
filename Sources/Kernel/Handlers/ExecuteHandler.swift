import Foundation
import Runtime
import TextFormats

/// `execute_request`: runs a cell and publishes `execute_input`, its outputs and its result or
/// error before the reply.
enum ExecuteHandler {
    struct Outcome {
        var reply: JSONValue
        /// The cell failed and asked that queued requests be aborted.
        var abortQueue: Bool
    }

    static func run(_ request: Message, in kernel: KernelContext) -> Outcome {
        let content = request.content
        let code = content.string("code")
        let silent = content.bool("silent", default: false)
        let storeHistory = content.bool("store_history", default: !silent) && !silent
        let stopOnError = content.bool("stop_on_error", default: true)
        let session = kernel.session

        if !silent {
            let upcoming = session.executionCount + (storeHistory ? 1 : 0)
            kernel.publish("execute_input", ["code": .string(code), "execution_count": .int(upcoming)], for: request)
        }
        if let name = pagerTopic(code) {
            return Outcome(reply: page(name, in: kernel), abortQueue: false)
        }

        kernel.output.begin(request, silent: silent)
        session.output = kernel.output
        session.input = KernelInput(context: kernel, request: request, allowed: content.bool("allow_stdin", default: false))
        kernel.setExecuting(true)
        let result = session.execute(code, storeHistory: storeHistory)
        kernel.setExecuting(false)
        kernel.output.flush()
        let count = session.executionCount

        switch result {
        case .success(let value):
            if let value, !silent {
                kernel.publish(
                    "execute_result",
                    ["execution_count": .int(count), "data": value.jupyterData, "metadata": value.jupyterMetadata],
                    for: request)
            }
            let expressions = evaluate(content["user_expressions"], in: kernel)
            return Outcome(
                reply: [
                    "status": "ok", "execution_count": .int(count), "user_expressions": expressions, "payload": [],
                ], abortQueue: false)
        case .failure(let error):
            let fields: JSONValue = [
                "ename": .string(error.name), "evalue": .string(error.message),
                "traceback": .array(error.displayTraceback(colored: true).map { .string($0) }),
            ]
            if !silent { kernel.publish("error", fields, for: request) }
            var reply = fields
            reply["status"] = "error"
            reply["execution_count"] = .int(count)
            reply["user_expressions"] = [:]
            reply["payload"] = []
            return Outcome(reply: reply, abortQueue: stopOnError)
        }
    }

    /// The reply for an execute request skipped because an earlier cell failed.
    static func aborted(in kernel: KernelContext) -> JSONValue {
        ["status": "aborted", "execution_count": .int(kernel.session.executionCount), "user_expressions": [:], "payload": []]
    }

    /// `name?` (IPython's help syntax) asks for the pager instead of running code.
    static func pagerTopic(_ code: String) -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasSuffix("?"), trimmed.count > 1 else { return nil }
        let name = trimmed.dropLast()
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_."))
        guard name.unicodeScalars.allSatisfy(allowed.contains), let first = name.unicodeScalars.first,
            !CharacterSet.decimalDigits.contains(first)
        else { return nil }
        return String(name)
    }

    private static func page(_ name: String, in kernel: KernelContext) -> JSONValue {
        let count = kernel.session.executionCount
        let bundle = kernel.session.inspect(name, cursor: name.unicodeScalars.count, detailLevel: 0)
            ?? MIMEBundle.plain("No documentation found for \(name).")
        return [
            "status": "ok", "execution_count": .int(count), "user_expressions": [:],
            "payload": [["source": "page", "data": bundle.jupyterData, "start": 0]],
        ]
    }

    /// `user_expressions`: each expression evaluated without output or history.
    private static func evaluate(_ expressions: JSONValue?, in kernel: KernelContext) -> JSONValue {
        guard let members = expressions?.objectValue, !members.isEmpty else { return [:] }
        let quiet = DiscardingOutput()
        let session = kernel.session
        let previous = session.output
        session.output = quiet
        defer { session.output = previous }
        var results: [String: JSONValue] = [:]
        for (name, expression) in members {
            switch session.execute(expression.stringValue ?? "", storeHistory: false) {
            case .success(let value):
                let bundle = value ?? .plain("")
                results[name] = ["status": "ok", "data": bundle.jupyterData, "metadata": bundle.jupyterMetadata]
            case .failure(let error):
                results[name] = [
                    "status": "error", "ename": .string(error.name), "evalue": .string(error.message),
                    "traceback": .array(error.traceback.map { .string($0) }),
                ]
            }
        }
        return .object(results)
    }
}

/// An `OutputSink` that drops everything.
final class DiscardingOutput: OutputSink {
    func write(_ text: String, to stream: OutputStreamName) {}
    func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
}
