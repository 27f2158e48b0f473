import Runtime
import TextFormats

/// `complete_request`, `inspect_request` and `is_complete_request`: the editor's helpers.
enum CompletionHandlers {
    static func complete(_ request: Message, in kernel: KernelContext) -> JSONValue {
        let code = request.content.string("code")
        let cursor = request.content.int("cursor_pos", default: code.unicodeScalars.count)
        let completion = kernel.session.complete(code, cursor: cursor)
        var types: [JSONValue] = []
        for (index, match) in completion.matches.enumerated() {
            types.append([
                "start": .int(completion.cursorStart), "end": .int(completion.cursorEnd),
                "text": .string(match),
                "type": .string(index < completion.types.count ? completion.types[index] : ""),
                "signature": .string(index < completion.signatures.count ? completion.signatures[index] : ""),
            ])
        }
        return [
            "status": "ok",
            "matches": .array(completion.matches.map { .string($0) }),
            "cursor_start": .int(completion.cursorStart),
            "cursor_end": .int(completion.cursorEnd),
            "metadata": ["_jupyter_types_experimental": .array(types)],
        ]
    }

    static func inspect(_ request: Message, in kernel: KernelContext) -> JSONValue {
        let code = request.content.string("code")
        let cursor = request.content.int("cursor_pos", default: code.unicodeScalars.count)
        let detail = request.content.int("detail_level", default: 0)
        guard let bundle = kernel.session.inspect(code, cursor: cursor, detailLevel: detail) else {
            return ["status": "ok", "found": false, "data": [:], "metadata": [:]]
        }
        return ["status": "ok", "found": true, "data": bundle.jupyterData, "metadata": bundle.jupyterMetadata]
    }

    static func isComplete(_ request: Message, in kernel: KernelContext) -> JSONValue {
        switch kernel.session.isComplete(request.content.string("code")) {
        case .complete: return ["status": "complete"]
        case .incomplete(let indent): return ["status": "incomplete", "indent": .string(indent)]
        case .invalid: return ["status": "invalid"]
        }
    }
}
