import GRPO
import XCTest

/// The failure-mode detector: each known mode fires on a crafted history and names the field
/// to change; a healthy run raises nothing; a warning is not repeated within the cooldown.
final class TrainingHealthTests: XCTestCase {
    private func run(_ count: Int, _ change: (Int, inout [String: Double]) -> Void) -> [StepMetrics] {
        ReportTestSupport.healthyRun(steps: count).map { metrics in
            var values = metrics.values
            change(metrics.step, &values)
            return StepMetrics(step: metrics.step, epoch: metrics.epoch, values: values)
        }
    }

    func testAHealthyRunRaisesNothing() throws {
        let history = ReportTestSupport.healthyRun(steps: 200)
        let completions = try ReportTestSupport.group(row: 0, rewards: [1, 0, 0.5, 1]) + ReportTestSupport.group(row: 1, rewards: [0, 0, 1, 0])
        XCTAssertEqual(TrainingHealth.warnings(history: history, lastCompletions: completions), [])
    }

    func testEveryGroupWithoutVarianceForThreeStepsWarnsOnceThenAfterTheCooldown() {
        let history = run(50) { _, values in values["frac_reward_zero_std"] = 1 }
        let warnings = TrainingHealth.warnings(history: history)
        XCTAssertEqual(warnings.map(\.kind), ["zero_std_rewards", "zero_std_rewards", "zero_std_rewards"])
        XCTAssertEqual(warnings.map(\.step), [3, 23, 43])
        XCTAssertTrue(warnings[0].message.contains("numGenerations"))
        XCTAssertTrue(warnings[0].message.contains("dynamicSampling"))
        let twoSteps = run(10) { step, values in values["frac_reward_zero_std"] = step % 3 == 0 ? 0.5 : 1 }
        XCTAssertEqual(TrainingHealth.warnings(history: twoSteps), [], "never three in a row")
    }

    func testRewardRisingWhileCompletionsShrinkToAFewTokens() {
        let history = run(30) { step, values in
            values["completions/mean_length"] = step <= 10 ? 80 : max(3, 80 - Double(step - 10) * 8)
        }
        let warnings = TrainingHealth.warnings(history: history)
        XCTAssertEqual(warnings.map(\.kind), ["length_collapse"])
        XCTAssertTrue(warnings[0].message.contains("beta"))
        let falling = run(30) { step, values in
            values["completions/mean_length"] = step <= 10 ? 80 : 3
            values["reward"] = 1 - Double(step) / 30
        }
        XCTAssertEqual(TrainingHealth.warnings(history: falling), [], "short answers with a falling reward are not a hack")
    }

    func testGroupsOfIdenticalCompletions() throws {
        var config = GRPOConfig()
        config.numGenerations = 4
        let same = ["42", "42", "42", "41"]
        let completions = try ReportTestSupport.group(row: 0, rewards: [1, 1, 1, 0], completions: same)
            + ReportTestSupport.group(row: 1, rewards: [1, 1, 1, 1], completions: ["7", "7", "7", "7"])
            + ReportTestSupport.group(row: 2, rewards: [1, 0, 0, 0], completions: ["a", "b", "c", "d"])
        let history = ReportTestSupport.healthyRun(steps: 12)
        let warnings = TrainingHealth.warnings(history: history, lastCompletions: completions, config: config)
        XCTAssertEqual(warnings.map(\.kind), ["identical_completions"])
        XCTAssertTrue(warnings[0].message.contains("2 of 3 groups"))
        XCTAssertTrue(warnings[0].message.contains("while the reward rises"))
        XCTAssertTrue(warnings[0].message.contains("temperature"))
        let diverse = try ReportTestSupport.group(row: 0, rewards: [1, 1, 0, 0], completions: ["a", "a", "b", "c"])
        XCTAssertEqual(TrainingHealth.warnings(history: history, lastCompletions: diverse, config: config), [])
    }

    func testMostCompletionsCutAtTheLengthLimit() {
        var config = GRPOConfig()
        config.loss.maxCompletionLength = 128
        let history = run(5) { step, values in values["completions/clipped_ratio"] = step == 4 ? 0.75 : 0.1 }
        let warnings = TrainingHealth.warnings(history: history, config: config)
        XCTAssertEqual(warnings.map(\.kind), ["length_limit"])
        XCTAssertEqual(warnings[0].step, 4)
        XCTAssertTrue(warnings[0].message.hasPrefix("75% of completions were cut at maxCompletionLength (128 tokens)"), warnings[0].message)
    }

    func testKLAndGradNormSpikesAgainstTheRunningMedian() {
        let history = run(40) { step, values in
            if step == 25 { values["kl"] = 0.5 }
            if step == 30 { values["grad_norm"] = 8 }
            if step == 33 { values["grad_norm"] = 1.2 }  // 3.4× the median: not a spike
        }
        let warnings = TrainingHealth.warnings(history: history)
        XCTAssertEqual(warnings.map(\.kind), ["kl_spike", "grad_norm_spike"])
        XCTAssertEqual(warnings.map(\.step), [25, 30])
        XCTAssertTrue(warnings[0].message.contains("learningRate"))
        XCTAssertTrue(warnings[1].message.contains("maxGradNorm"))
        let early = run(4) { step, values in values["grad_norm"] = step == 4 ? 50 : 0.3 }
        XCTAssertEqual(TrainingHealth.warnings(history: early), [], "fewer than five steps before: no median to judge by")
    }

    func testSkippedUpdatesWarnWhenTheCounterGrows() {
        var health = TrainingHealth()
        health.cooldownSteps = 3
        let history = run(10) { step, values in values["skipped_updates"] = step >= 6 ? 2 : step >= 2 ? 1 : 0 }
        var raised: [Int] = []
        for metrics in history { raised += health.observe(metrics).filter { $0.kind == "skipped_update" }.map(\.step) }
        XCTAssertEqual(raised, [2, 6])
        XCTAssertEqual(health.history.count, 10)
    }

    func testWarningsRenderAsABoxAndAsLines() throws {
        XCTAssertEqual(WarningsView.html([]), "")
        let history = run(5) { _, values in values["completions/clipped_ratio"] = 0.9; values["skipped_updates"] = 1 }
        let warnings = TrainingHealth.warnings(history: history)
        XCTAssertEqual(warnings.map(\.kind), ["length_limit", "skipped_update"])
        let document = try ReportTestSupport.parseXML(WarningsView.html(warnings))
        XCTAssertTrue(document.text.contains("⚠ step 1 (length_limit) 90% of completions"), document.text)
        let lines = WarningsView.text(warnings).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].hasPrefix("⚠ step 1 (skipped_update): The loss or gradients were not finite"), String(lines[1]))
    }

    func testAWarningTheTrainerAlreadyGaveStartsTheCooldown() {
        let history = run(6) { _, values in values["frac_reward_zero_std"] = 1 }
        let trainerSaid = TrainingHealth.warnings(history: history).first
        XCTAssertEqual(trainerSaid?.step, 3)
        var health = TrainingHealth()
        var raised: [TrainerWarning] = []
        for metrics in history {
            if metrics.step == 3, let trainerSaid { health.record(trainerSaid) }
            raised += health.observe(metrics)
        }
        XCTAssertEqual(raised, [], "the display shows the trainer's warning once")
    }
}
