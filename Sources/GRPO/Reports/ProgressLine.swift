import Foundation
import TextFormats

/// The progress of a training run in one line: `step 12/200 [██░░░░] 6% 01:23<19:40 reward 0.41 kl 0.003`,
/// as text for terminals and logs and as a small HTML bar for notebooks.
public struct ProgressLine {
    /// Optimizer steps done.
    public var step: Int
    /// Steps the run will take (0 or less when unknown: no bar and no remaining time).
    public var totalSteps: Int
    /// Seconds since the run (or this `train()` call) started.
    public var elapsedSeconds: Double
    /// Steps already done when the clock started (a resumed run), so the pace counts only new steps.
    public var startStep: Int
    /// The latest step's metrics (reward and KL are shown when present).
    public var metrics: StepMetrics?
    /// Cells in the text bar.
    public var barWidth: Int = 24

    public init(step: Int, totalSteps: Int, elapsedSeconds: Double, startStep: Int = 0, metrics: StepMetrics? = nil) {
        self.step = step
        self.totalSteps = totalSteps
        self.elapsedSeconds = elapsedSeconds
        self.startStep = startStep
        self.metrics = metrics
    }

    /// Done fraction in 0…1 (0 when the total is unknown).
    public var fraction: Double {
        totalSteps > 0 ? min(1, max(0, Double(step) / Double(totalSteps))) : 0
    }

    /// Estimated seconds left from the pace so far (nil before the first new step or without a total).
    public var remainingSeconds: Double? {
        let done = step - startStep
        guard totalSteps > 0, done > 0, elapsedSeconds.isFinite, elapsedSeconds >= 0 else { return nil }
        return elapsedSeconds / Double(done) * Double(max(0, totalSteps - step))
    }

    /// The one-line text form.
    public var text: String {
        var parts: [String] = []
        if totalSteps > 0 {
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            parts.append("step \(step)/\(totalSteps)")
            parts.append("[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]")
            parts.append("\(Int((fraction * 100).rounded(.down)))%")
        } else {
            parts.append("step \(step)")
        }
        parts.append(timeText)
        parts += metricTexts
        return parts.joined(separator: " ")
    }

    /// The HTML form: the step count, a bar, the percentage, times and metrics on one line.
    public var html: String {
        let percent = Int((fraction * 100).rounded(.down))
        var out = "<div style=\"font-family:Menlo,Consolas,monospace;font-size:12px;color:#222;display:flex;align-items:center;gap:8px;padding:2px 0\">"
        out += "<span>step \(step)\(totalSteps > 0 ? "/\(totalSteps)" : "")</span>"
        if totalSteps > 0 {
            let color = step >= totalSteps ? "#2e7d32" : "#1f77b4"
            out += "<div style=\"width:240px;height:10px;background:#e6e6e6;border-radius:5px;overflow:hidden\">"
                + "<div style=\"width:\(String(format: "%.1f", fraction * 100))%;height:100%;background:\(color)\"></div></div>"
                + "<span>\(percent)%</span>"
        }
        out += "<span>\(HTMLText.escape(timeText))</span>"
        let metrics = metricTexts
        if !metrics.isEmpty { out += "<span style=\"color:#555\">\(HTMLText.escape(metrics.joined(separator: " ")))</span>" }
        return out + "</div>"
    }

    /// `elapsed<remaining` (remaining `?` until known).
    private var timeText: String {
        NumberText.duration(elapsedSeconds) + (totalSteps > 0 ? "<" + (remainingSeconds.map(NumberText.duration) ?? "?") : "")
    }

    private var metricTexts: [String] {
        ["reward", "kl"].compactMap { name in metrics?[name].map { "\(name) \(NumberText.compact($0))" } }
    }
}
