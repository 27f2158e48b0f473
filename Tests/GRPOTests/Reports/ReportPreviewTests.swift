import Foundation
import GRPO
import XCTest

/// Writes the displays for realistic data to `SWIFT_GRPO_REPORT_PREVIEW` (a folder) so a person can
/// open them in a browser or screenshot them; skipped when it is not set.
final class ReportPreviewTests: XCTestCase {
    func testWritePreviewPages() throws {
        guard let folder = ProcessInfo.processInfo.environment["SWIFT_GRPO_REPORT_PREVIEW"] else {
            throw XCTSkip("Set SWIFT_GRPO_REPORT_PREVIEW to a folder to write the preview pages.")
        }
        let directory = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let metrics = ReportTestSupport.healthyRun(steps: 120, rewardNames: ["strict_format", "answer_within_tolerance"])
        let svg = TrainingCharts.svg(metrics: metrics, rewardNames: ["strict_format", "answer_within_tolerance"])
        try svg.write(to: directory.appendingPathComponent("charts.svg"), atomically: true, encoding: .utf8)
        let few = TrainingCharts.svg(metrics: Array(metrics.prefix(6)), rewardNames: ["strict_format", "answer_within_tolerance"])

        // Completions split into word-level "tokens" so the shading can be seen.
        var vocabulary: [String] = []
        func tokens(_ text: String) -> [Int] {
            var pieces: [String] = []
            var current = ""
            for character in text {
                if (character == " " || character == "\n" || character == "<") && !current.isEmpty { pieces.append(current); current = "" }
                current.append(character)
            }
            if !current.isEmpty { pieces.append(current) }
            return pieces.map { piece in
                if let index = vocabulary.firstIndex(of: piece) { return index }
                vocabulary.append(piece)
                return vocabulary.count - 1
            }
        }
        let prompt = "<|im_start|>system\nYou are a careful clinical calculator.<|im_end|>\n<|im_start|>user\nA 64-year-old "
            + "woman weighs 72 kg and her serum creatinine is 1.4 mg/dL. What is her creatinine clearance (Cockcroft-Gault) in mL/min? "
            + "Answer inside <answer></answer>.<|im_end|>\n<|im_start|>assistant\n"
        let texts = [
            "<think>\nCrCl = (140 - 64) × 72 × 0.85 / (72 × 1.4) = 46.1\n</think>\n<answer>46.1</answer>",
            "<think>\nUse Cockcroft-Gault: (140 - age) × weight / (72 × Cr) = 76 × 72 / 100.8 = 54.3; female × 0.85\n</think>\n<answer>46</answer>",
            "The creatinine clearance is about 54 mL/min.",
            "<think>\n(140 - 64) × 72 / (72 × 1.4) = 54.3\n</think>\n<answer>54.3</answer>",
            "<script>alert('hostile completion')</script> <answer>90</answer>",
            "<think>\nweight 72, age 64, so clearance = 140 - 64 = 76\n</think>\n<answer>76</answer>",
        ]
        let format: [Double?] = [1, 1, 0, 1, 0.5, 1], answer: [Double?] = [1, 1, 0, 0.4, 0, nil]
        var samples: [CompletionSample] = []
        for (index, text) in texts.enumerated() {
            let reward = (format[index] ?? 0) + (answer[index] ?? 0)
            samples.append(try ReportTestSupport.sample(row: 17, prompt: prompt, completion: text, tokens: tokens(text),
                                                        rewards: [format[index], answer[index]], reward: reward, advantage: 0,
                                                        finish: index == 5 ? "maxNewTokens" : "endOfSequence"))
        }
        let mean = samples.map(\.reward).reduce(0, +) / Double(samples.count)
        for index in samples.indices { samples[index].advantage = (samples[index].reward - mean) / 0.7 }
        for (index, text) in ["<answer>12</answer>", "<answer>12</answer>", "<answer>12</answer>", "I am not sure."].enumerated() {
            samples.append(try ReportTestSupport.sample(row: 4, prompt: "<|im_start|>user\nWhat is the anion gap if Na 140, Cl 104, HCO3 24?<|im_end|>\n<|im_start|>assistant\n",
                                                        completion: text, tokens: tokens(text), rewards: [index == 3 ? 0 : 1, 0],
                                                        reward: index == 3 ? 0 : 1, advantage: index == 3 ? -1.5 : 0.5))
        }
        let weights = samples.map { sample in
            sample.completionTokens.enumerated().map { position, _ in
                sample.advantage * (1 + 0.15 * sin(Double(position))) * (position % 7 == 3 ? 0.2 : 1)
            }
        }
        let completions = CompletionView.html(samples: samples, rewardNames: ["strict_format", "answer_within_tolerance"],
                                              tokenTexts: { vocabulary.indices.contains($0) ? vocabulary[$0] : "?" }, tokenWeights: weights)
        let history = ReportTestSupport.healthyRun(steps: 40)
        let progress = ProgressLine(step: 37, totalSteps: 200, elapsedSeconds: 431, metrics: history[36])
        let simulation = SimulationReport.html(SimulationSummary(
            stepsRun: 2, secondsPerStep: 11.8, plannedSteps: 200, peakMemoryBytes: 2.6e9, tokensPerStep: 790,
            stageSeconds: ["rollout": 7.9, "reference": 0.9, "forward_backward": 2.7, "rewards": 0.1, "optimizer": 0.2],
            samples: samples, rewardNames: ["strict_format", "answer_within_tolerance"], groupSize: 6, maxCompletionLength: 128))
        let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:8px;background:#fff\">"
            + progress.html + "<pre>\(progress.text)</pre>" + svg + "<hr/>" + few + "</body></html>"
        try page.write(to: directory.appendingPathComponent("dashboard.html"), atomically: true, encoding: .utf8)
        try ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + completions + "</body></html>")
            .write(to: directory.appendingPathComponent("completions.html"), atomically: true, encoding: .utf8)
        try ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + simulation + "</body></html>")
            .write(to: directory.appendingPathComponent("simulation.html"), atomically: true, encoding: .utf8)
        try (TrainingCharts.text(metrics: metrics, rewardNames: ["strict_format", "answer_within_tolerance"]) + "\n\n"
             + CompletionView.text(samples: samples, rewardNames: ["strict_format", "answer_within_tolerance"]) + "\n\n"
             + SimulationReport.text(SimulationSummary(stepsRun: 2, secondsPerStep: 11.8, plannedSteps: 200, peakMemoryBytes: 2.6e9,
                                                       tokensPerStep: 790, samples: samples, rewardNames: ["strict_format", "answer_within_tolerance"],
                                                       groupSize: 6, maxCompletionLength: 128)) + "\n")
            .write(to: directory.appendingPathComponent("plain.txt"), atomically: true, encoding: .utf8)
        let constant = (1...4).map { StepMetrics(step: $0, epoch: 0, values: ["reward": 1, "kl": 0, "loss": $0 == 2 ? .nan : 0.1]) }
        let huge = [1e-3, 5e11, 2.5e12, 1e300].enumerated().map { StepMetrics(step: $0.offset + 1, epoch: 0, values: ["grad_norm": $0.element]) }
        let long = (1...5000).map { StepMetrics(step: $0, epoch: 0, values: ["grad_norm": $0 == 2777 ? 100 : 1 + Double($0 % 10) / 100, "reward": 1]) }
        let edges = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
            + [TrainingCharts.svg(metrics: []), TrainingCharts.svg(metrics: Array(constant.prefix(1))), TrainingCharts.svg(metrics: constant),
               TrainingCharts.svg(metrics: huge), TrainingCharts.svg(metrics: long)].joined(separator: "<hr/>") + "</body></html>"
        try edges.write(to: directory.appendingPathComponent("edges.html"), atomically: true, encoding: .utf8)
        _ = try ReportTestSupport.parseXML(completions)
        _ = try ReportTestSupport.parseXML(svg)
    }
}
