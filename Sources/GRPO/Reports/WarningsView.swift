import Foundation
import TextFormats

/// The trainer's and the health detector's warnings as a notebook box (HTML) or plain lines.
public enum WarningsView {
    /// The warnings as a yellow box, newest last; "" when there are none (nothing to show).
    public static func html(_ warnings: [TrainerWarning]) -> String {
        guard !warnings.isEmpty else { return "" }
        var out = "<div style=\"font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#5c4400;background:#fff8e1;"
            + "border:1px solid #e6c200;border-radius:6px;padding:4px 10px;margin:6px 0\">"
        for warning in warnings {
            out += "<div style=\"margin:4px 0\"><b>⚠ step \(warning.step)</b> <span style=\"color:#8a6d00\">"
                + "(\(HTMLText.escape(warning.kind)))</span> \(HTMLText.escape(warning.message))</div>"
        }
        return out + "</div>"
    }

    /// One line per warning: `⚠ step 12 (kind): message`.
    public static func text(_ warnings: [TrainerWarning]) -> String {
        warnings.map { "⚠ step \($0.step) (\($0.kind)): \($0.message)" }.joined(separator: "\n")
    }
}
