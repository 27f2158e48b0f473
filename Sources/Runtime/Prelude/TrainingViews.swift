import GRPO
import LLM
import TextFormats

/// `trainer.simulate()`'s result (`Simulation`): the forecast and the simulated groups, shown as
/// the simulation report; its numbers are readable as properties.
final class SimulationObject: NativeObject, CustomStringConvertible {
    let summary: SimulationSummary
    let steps: [SimulatedStep]
    /// How the slice differed from the configured run, in words.
    let sliceNote: String
    let model: LanguageModel

    init(summary: SimulationSummary, steps: [SimulatedStep], sliceNote: String, model: LanguageModel) {
        self.summary = summary
        self.steps = steps
        self.sliceNote = sliceNote
        self.model = model
    }

    var typeName: String { "Simulation" }
    var description: String { SimulationReport.text(summary) }

    func mimeBundle() -> MIMEBundle? {
        let note = "<div style=\"font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#555;margin:4px 6px\">"
            + HTMLText.escape(sliceNote) + "</div>"
        return MIMEBundle(data: ["text/plain": SimulationReport.text(summary) + "\n" + sliceNote,
                                 "text/html": SimulationReport.html(summary) + note])
    }
}

/// One step's generation batch (`trainer.completions(step:)`), shown per group with rewards and
/// advantages; each completion's tokens shaded by the update's weight on them.
final class CompletionsObject: NativeObject, CustomStringConvertible {
    let samples: [CompletionSample]
    let rewardNames: [String]
    let groupSize: Int
    let tokenizer: PreTrainedTokenizer

    init(samples: [CompletionSample], rewardNames: [String], groupSize: Int, tokenizer: PreTrainedTokenizer) {
        self.samples = samples
        self.rewardNames = rewardNames
        self.groupSize = groupSize
        self.tokenizer = tokenizer
    }

    var typeName: String { "Completions" }
    var description: String { CompletionView.text(samples: samples, rewardNames: rewardNames, groupSize: groupSize) }

    /// Per token, what the on-policy update does to it: the advantage times the clipped
    /// importance ratio, which is 1 when the completions were sampled by the policy being updated.
    var tokenWeights: [[Double]] {
        samples.map { sample in Array(repeating: sample.advantage, count: sample.completionTokens.count) }
    }

    func mimeBundle() -> MIMEBundle? {
        let tokenizer = self.tokenizer
        let html = CompletionView.html(samples: samples, rewardNames: rewardNames,
                                       tokenTexts: { tokenizer.decode([$0], skipSpecialTokens: false) },
                                       tokenWeights: tokenWeights, groupSize: groupSize)
        return MIMEBundle(data: ["text/plain": description, "text/html": html])
    }

    /// The rows as cells read them: prompt, completion, rewards, reward, advantage.
    var rows: Value {
        .array(samples.map { sample in
            .dictionary(DictionaryValue([
                (.string("prompt"), .string(sample.prompt)),
                (.string("completion"), .string(sample.completion)),
                (.string("rewards"), .dictionary(DictionaryValue(zip(rewardNames, sample.rewards).map {
                    (.string($0), $1.map { .optional(.double($0)) } ?? .null)
                }))),
                (.string("reward"), .double(sample.reward)),
                (.string("advantage"), .double(sample.advantage)),
                (.string("tokens"), .int(sample.completionTokens.count)),
            ]))
        })
    }
}

/// `trainer.plot()`: the training charts as SVG, with a text table as the plain form.
final class TrainingPlotObject: NativeObject, CustomStringConvertible {
    let history: [StepMetrics]
    let rewardNames: [String]

    init(history: [StepMetrics], rewardNames: [String]) {
        self.history = history
        self.rewardNames = rewardNames
    }

    var typeName: String { "TrainingPlot" }
    var description: String { TrainingCharts.text(metrics: history, rewardNames: rewardNames) }

    func mimeBundle() -> MIMEBundle? {
        MIMEBundle(data: ["text/plain": description,
                          "image/svg+xml": TrainingCharts.svg(metrics: history, rewardNames: rewardNames)])
    }
}
