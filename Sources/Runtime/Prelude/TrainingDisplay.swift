import Foundation
import GRPO
import TextFormats

/// What a cell shows while `trainer.train()` runs, on whichever front end runs it:
/// - Jupyter: a progress bar, the charts and the warnings, each one display updated in place
///   (display_data once, then update_display_data with the same id);
/// - the REPL: one terminal line rewritten with a carriage return, warnings on their own lines;
/// - headless runs: a line per logging step, warnings as they come, the charts once at the end.
/// Every display carries a text/plain form.
final class TrainingDisplay: TrainerObserver {
    private let context: NativeContext
    private let object: TrainerObject
    private let style: LiveDisplayStyle
    private let started = Date()
    private let startStep: Int
    private let progressID: String
    private let chartsID: String
    private let warningsID: String
    private var warningsShown = false
    private var terminalLineOpen = false
    /// The step of the last line a headless run printed (the closing line is not repeated).
    private var loggedStep: Int?
    private var lastProgress = Date.distantPast
    /// Fewest seconds between two progress updates of the same step (keeps the wire quiet).
    private let progressInterval = 0.25
    /// Seconds between refreshes of the elapsed time within a step.
    private let tickInterval = 1.0

    init(context: NativeContext, object: TrainerObject) {
        self.context = context
        self.object = object
        style = context.output.liveDisplayStyle
        startStep = object.trainer.state.step
        progressID = context.newDisplayID()
        chartsID = context.newDisplayID()
        warningsID = context.newDisplayID()
    }

    private var trainer: GRPOTrainer { object.trainer }
    private var output: OutputSink { context.output }

    /// Shows the starting state: the bar at the current step and, in Jupyter, the charts so far.
    func begin() {
        switch style {
        case .inPlace:
            output.display(progressBundle(note: nil), displayID: progressID, update: false)
            output.display(chartsBundle(), displayID: chartsID, update: false)
        case .terminalLine:
            showTerminalLine(progress().text)
        case .logLines:
            output.write("training: steps \(startStep + 1)…\(trainer.totalSteps), logging every \(trainer.config.loggingSteps) steps\n",
                         to: .stdout)
        }
    }

    /// The final state: the bar with how the call ended (`note`, nil when it simply finished);
    /// the charts once in headless runs.
    func finish(note: String?) {
        switch style {
        case .inPlace:
            output.display(progressBundle(note: note), displayID: progressID, update: true)
            output.display(chartsBundle(), displayID: chartsID, update: true)
        case .terminalLine:
            showTerminalLine(progress().text + (note.map { " (\($0))" } ?? ""))
            output.write("\n", to: .stdout)
            terminalLineOpen = false
        case .logLines:
            if note != nil || loggedStep != trainer.state.step {
                output.write(progress().text + (note.map { " (\($0))" } ?? "") + "\n", to: .stdout)
            }
            if !object.history.isEmpty { output.display(chartsBundle(), displayID: nil, update: false) }
        }
    }

    /// Called as the trainer polls for interrupts (per generated token, per micro-step): refreshes
    /// the bar's elapsed time about once a second during long steps (not in headless logs).
    func tick() {
        guard style != .logLines, Date().timeIntervalSince(lastProgress) >= tickInterval else { return }
        lastProgress = Date()
        let step = trainer.state.step + 1
        switch style {
        case .inPlace: output.display(progressBundle(note: "running step \(step)"), displayID: progressID, update: true)
        case .terminalLine: showTerminalLine(progress().text + " · step \(step)…")
        case .logLines: break
        }
    }

    // MARK: TrainerObserver

    func trainerWillStartStep(_ step: Int, of totalSteps: Int) {
        guard Date().timeIntervalSince(lastProgress) >= progressInterval else { return }
        lastProgress = Date()
        switch style {
        case .inPlace: output.display(progressBundle(note: "running step \(step)"), displayID: progressID, update: true)
        case .terminalLine: showTerminalLine(progress().text + " · step \(step)…")
        case .logLines: break
        }
    }

    func trainerDidFinishStep(_ metrics: StepMetrics) {
        object.history.append(metrics)
        let completions = trainer.completions(step: metrics.step) ?? []
        for warning in object.health.observe(metrics, completions: completions) { show(warning) }
        let logged = metrics.step % trainer.config.loggingSteps == 0 || metrics.step >= trainer.totalSteps
        lastProgress = Date()
        switch style {
        case .inPlace:
            output.display(progressBundle(note: nil), displayID: progressID, update: true)
            if logged { output.display(chartsBundle(), displayID: chartsID, update: true) }
        case .terminalLine:
            showTerminalLine(progress().text)
        case .logLines:
            if logged {
                output.write(progress().text + "\n", to: .stdout)
                loggedStep = metrics.step
            }
        }
    }

    /// The trainer's own warnings; they also start the health check's cooldown for their kind.
    func trainerDidWarn(_ warning: TrainerWarning) {
        object.health.record(warning)
        show(warning)
    }

    private func show(_ warning: TrainerWarning) {
        object.warnings.append(warning)
        switch style {
        case .inPlace:
            output.display(warningsBundle(), displayID: warningsID, update: warningsShown)
            warningsShown = true
        case .terminalLine:
            if terminalLineOpen { output.write("\n", to: .stdout) }
            terminalLineOpen = false
            output.write(WarningsView.text([warning]) + "\n", to: .stderr)
        case .logLines:
            output.write(WarningsView.text([warning]) + "\n", to: .stderr)
        }
    }

    // MARK: Rendering

    private func progress() -> ProgressLine {
        ProgressLine(step: trainer.state.step, totalSteps: trainer.totalSteps, elapsedSeconds: Date().timeIntervalSince(started),
                     startStep: startStep, metrics: object.history.last)
    }

    private func progressBundle(note: String?) -> MIMEBundle {
        let line = progress()
        let extra = note.map { " · \($0)" } ?? ""
        let html = line.html + (note.map { "<div style=\"font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#555\">"
            + HTMLText.escape($0) + "</div>" } ?? "")
        return MIMEBundle(data: ["text/plain": line.text + extra, "text/html": html])
    }

    private func chartsBundle() -> MIMEBundle {
        TrainingPlotObject(history: object.history, rewardNames: object.rewardNames).mimeBundle()
            ?? MIMEBundle(data: ["text/plain": "no steps yet"])
    }

    private func warningsBundle() -> MIMEBundle {
        let recent = Array(object.warnings.suffix(8))
        return MIMEBundle(data: ["text/plain": WarningsView.text(recent), "text/html": WarningsView.html(recent)])
    }

    private func showTerminalLine(_ text: String) {
        output.write("\r\u{1B}[K" + text, to: .stdout)
        terminalLineOpen = true
    }
}
