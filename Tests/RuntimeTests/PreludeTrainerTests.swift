import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GRPO
import Runtime
import XCTest

/// `GRPOTrainer` in cells on the real default model, with tiny runs (2 prompts' worth of 2
/// completions of a few tokens): simulate, train, interrupt and continue, resume, the displays.
/// Numeric: run in release (`swift test -c release --filter PreludeTrainerTests`).
final class PreludeTrainerTests: XCTestCase {
    private var outputDir = ""

    override func setUp() {
        outputDir = FileManager.default.temporaryDirectory.appendingPathComponent("prelude-trainer-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: outputDir)
    }

    /// A session with the model, four chat prompts, a reward that differs for almost any two
    /// different completions (the sum of their vowels' positions), so advantages and gradients are not zero and a trainer of `maxSteps` tiny steps.
    private func session(maxSteps: Int, saveSteps: Int = 0, style: LiveDisplayStyle = .inPlace) -> TestSession {
        let t = TestSession()
        t.sink.liveDisplayStyle = style
        let setup = t.run(#"""
            let model = try Model.load("SmolLM2-135M-Instruct")
            let data = try Dataset.json("data/medical-o1-sample.json").head(4)
                .chatPrompt(system: "Answer briefly.", userColumn: "Question")
            let vowelPositions = Reward(name: "vowel_positions") { completions in
                completions.map { text in
                    var score = 0.0
                    var position = 1.0
                    for character in text {
                        if "aeiou".contains(character) { score += position }
                        position += 1
                    }
                    return score / 100.0
                }
            }
            var config = GRPOConfig(maxSteps: \#(maxSteps), learningRate: 1e-3, numGenerations: 2, perDeviceTrainBatchSize: 2,
                                    maxCompletionLength: 6, loggingSteps: 1, saveSteps: \#(saveSteps), outputDir: "\#(outputDir)")
            let trainer = GRPOTrainer(model: model, rewards: [vowelPositions, Reward.tagPresence()], config: config, dataset: data,
                                      lora: LoRAConfig(rank: 4, alpha: 8))
            """#)
        XCTAssertNil(setup.error, "run `make models` first: \(String(describing: setup.error))")
        return t
    }

    func testSimulateLeavesTheAdapterBitIdenticalAndTrainingChangesIt() {
        let t = session(maxSteps: 3)
        XCTAssertNil(t.run("let before = trainer.adapterFingerprint").error)
        let simulated = t.session.execute("let plan = trainer.simulate(steps: 2)\nplan")
        guard case .success(let bundle?) = simulated else { return XCTFail("simulate failed: \(simulated)") }
        XCTAssertEqual(t.run("print(trainer.adapterFingerprint == before, trainer.step, plan.stepsRun)").stdout, "true 0 2\n")
        XCTAssertEqual(t.run("print(plan.metrics[0][\"grad_norm\"]! > 0, plan.secondsPerStep > 0, plan.plannedSteps)").stdout,
                       "true true 3\n", "gradients were computed (and thrown away)")
        XCTAssertTrue(bundle.data["text/html"]?.contains("Simulated 2 steps") == true)
        XCTAssertTrue(bundle.plainText.contains("No optimizer update was made"), bundle.plainText)

        XCTAssertNil(t.run("trainer.train(steps: 1)").error)
        XCTAssertEqual(t.run("print(trainer.adapterFingerprint == before, trainer.step)").stdout, "false 1\n",
                       "a real step changes the weights, so the check above could fail")
    }

    func testTrainShowsProgressInPlaceThenMetricsCompletionsAndPlots() throws {
        let t = session(maxSteps: 2)
        XCTAssertNil(t.run("trainer.train()").error)
        let events = t.sink.displayEvents
        let progressID = try XCTUnwrap(events.first?.displayID)
        let progress = events.filter { $0.displayID == progressID }
        XCTAssertEqual(progress.first?.update, false, "first display_data, then updates")
        XCTAssertTrue(progress.dropFirst().allSatisfy(\.update) && progress.count >= 3, "\(progress.map(\.update))")
        XCTAssertTrue(progress.last?.bundle.plainText.hasPrefix("step 2/2") == true, progress.last?.bundle.plainText ?? "")
        let charts = events.filter { $0.bundle.data["image/svg+xml"] != nil }
        XCTAssertTrue(charts.count >= 3 && Set(charts.map(\.displayID)).count == 1, "charts redrawn in place")
        let svg = try XCTUnwrap(charts.last?.bundle.data["image/svg+xml"])
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "the chart is valid XML")
        // Every completion is cut at 6 tokens: the health check says so, in its own display.
        let warnings = events.filter { $0.bundle.plainText.hasPrefix("⚠ step") }
        XCTAssertTrue(warnings.contains { $0.bundle.plainText.contains("maxCompletionLength") }, "\(warnings.map(\.bundle.plainText))")
        XCTAssertEqual(Set(warnings.map(\.displayID)).count, 1)

        XCTAssertEqual(t.run("print(trainer.metrics.count, trainer.metrics.columns.prefix(3))").stdout, "2 [\"step\", \"epoch\", \"loss\"]\n")
        XCTAssertEqual(t.run(#"print(trainer.metrics.rows.map { $0["step"]! })"#).stdout, "[1, 2]\n")

        guard case .success(let completions?) = t.session.execute("trainer.completions(step: 2)") else {
            return XCTFail("no completions for step 2")
        }
        XCTAssertTrue(completions.plainText.contains("Group 1"), completions.plainText)
        XCTAssertTrue(completions.data["text/html"]?.contains("positions") == true, "the reward's column (its header may break after the underscore)")
        XCTAssertEqual(t.run("print(trainer.completions(step: 2).count)").stdout, "2\n")
        let missing = t.run("trainer.completions(step: 9)").error?.message ?? ""
        XCTAssertTrue(missing.contains("no completions are kept for step 9; steps with completions: 1...2"), missing)

        guard case .success(let plot?) = t.session.execute("trainer.plot()") else { return XCTFail("plot failed") }
        XCTAssertTrue(XMLParser(data: Data((plot.data["image/svg+xml"] ?? "").utf8)).parse())
        XCTAssertFalse(plot.plainText.isEmpty)
    }

    func testInterruptStopsTrainingAndCallingAgainContinues() {
        let t = session(maxSteps: 200)
        let (outcome, _) = t.runInterrupted("trainer.train()", after: 1.5)
        XCTAssertEqual(outcome.error?.name, "InterruptError", "\(String(describing: outcome.error))")
        let stopped = Int(t.run("print(trainer.step)").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        XCTAssertTrue(stopped >= 0 && stopped < 200, "\(stopped)")
        XCTAssertNil(t.run("trainer.train(steps: 2)").error)
        XCTAssertEqual(t.run("print(trainer.step, trainer.metrics.count)").stdout, "\(stopped + 2) \(stopped + 2)\n")
    }

    func testResumeFromACheckpointRestoresStepWeightsAndMetrics() {
        let t = session(maxSteps: 3, saveSteps: 2)
        XCTAssertNil(t.run("trainer.train(steps: 2)\nlet saved = trainer.adapterFingerprint").error)
        XCTAssertTrue(FileManager.default.fileExists(atPath: outputDir + "/checkpoint-2/adapter_model.safetensors"))
        let resumed = t.run(#"""
            let again = GRPOTrainer(model: model, rewards: [vowelPositions, Reward.tagPresence()], config: config, dataset: data,
                                    lora: LoRAConfig(rank: 4, alpha: 8))
            let fresh = again.adapterFingerprint
            let folder = again.resume(from: "\#(outputDir)/checkpoint-2")
            """#)
        XCTAssertNil(resumed.error)
        XCTAssertTrue(resumed.stdout.hasPrefix("resumed from "), resumed.stdout)
        XCTAssertEqual(t.run("print(again.step, again.adapterFingerprint == saved, fresh == saved, again.metrics.count)").stdout,
                       "2 true false 2\n")
        XCTAssertNil(t.run("again.train()").error)
        XCTAssertEqual(t.run("print(again.step, again.isFinished)").stdout, "3 true\n")
    }

    func testHeadlessRunsLogALinePerLoggingStepAndShowTheChartsOnce() {
        let t = session(maxSteps: 2, style: .logLines)
        let outcome = t.run("trainer.train()")
        XCTAssertNil(outcome.error)
        let lines = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("step ") }
        XCTAssertEqual(lines.count, 2, outcome.stdout)  // one per logged step; the last is not repeated at the end
        XCTAssertTrue(lines[0].hasPrefix("step 1/2") && lines[1].hasPrefix("step 2/2"), outcome.stdout)
        XCTAssertFalse(t.sink.displayEvents.contains(where: \.update), "no redraws in a headless run")
        XCTAssertEqual(t.sink.displayEvents.filter { $0.bundle.data["image/svg+xml"] != nil }.count, 1)
    }

    func testTerminalShowsOneLineRewrittenWithCarriageReturns() {
        let t = session(maxSteps: 2, style: .terminalLine)
        let outcome = t.run("trainer.train()")
        XCTAssertNil(outcome.error)
        XCTAssertTrue(outcome.stdout.contains("\r\u{1B}[Kstep 2/2"), outcome.stdout.debugDescription)
        XCTAssertTrue(outcome.stdout.hasSuffix("\n"), "the line is ended when training stops")
        XCTAssertFalse(outcome.stdout.contains("\nstep "), "progress is rewritten, not printed line after line")
        XCTAssertTrue(t.sink.displayEvents.isEmpty)
    }
}
