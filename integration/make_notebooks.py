"""Writes the test notebooks in integration/notebooks/ (run once; the outputs are committed)."""
import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent / "notebooks"
KERNELSPEC = {"name": "swift-grpo", "display_name": "Swift (SwiftGRPO)", "language": "swift"}


def notebook(cells):
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "swift"}})
    return nb


def tagged(source, *tags):
    return new_code_cell(source, metadata={"tags": list(tags)})


def main():
    HERE.mkdir(exist_ok=True)
    passing = notebook([
        new_markdown_cell("# A passing notebook\nParameters, outputs and tags."),
        tagged('let alpha = 0.1\nlet label = "default"\nlet tags = ["a"]', "parameters"),
        new_code_cell('print("alpha =", alpha)\nprint("label =", label)\nprint("tags =", tags.count)'),
        new_code_cell("var total = 0\nfor i in 1...10 { total += i }\ntotal"),
        new_code_cell('display(html: "<b>bold</b>")\nprintError("a warning")'),
        tagged("thisWouldFail()", "skip-execution"),
        tagged("let broken = undefinedOnPurpose", "raises-exception"),
        new_code_cell('print("done", total)'),
    ])
    failing = notebook([
        new_code_cell('print("before")'),
        new_code_cell("let value = missingName + 1"),
        new_code_cell('print("after")'),
    ])
    training = notebook([
        new_markdown_cell("# GRPO in a notebook, tiny\nSimulate, then train two steps, on the default model."),
        tagged('let outputDir = "grpo_outputs"', "parameters"),
        new_code_cell('let model = try Model.load("SmolLM2-135M-Instruct")\n'
                      'let data = try Dataset.json("data/medical-o1-sample.json").head(4)\n'
                      '    .chatPrompt(system: "Answer in <answer></answer> tags.", userColumn: "Question")'),
        new_code_cell('func brevity(completions: [String]) -> [Double?] { completions.map { 1.0 / Double(1 + $0.count) } }\n'
                      'var config = GRPOConfig(maxSteps: 2, numGenerations: 2, perDeviceTrainBatchSize: 2, maxCompletionLength: 8,\n'
                      '                        learningRate: 5e-6, loggingSteps: 1, outputDir: outputDir)\n'
                      'config.beta = 0.04\n'
                      'let trainer = GRPOTrainer(model: model, rewards: [Reward(brevity), Reward.tagPresence()], config: config,\n'
                      '                          dataset: data, lora: LoRAConfig(rank: 4, alpha: 8))'),
        new_code_cell("trainer.simulate(steps: 2, maxCompletionLength: 8)"),
        new_code_cell("trainer.train()"),
        new_code_cell("trainer.metrics"),
        new_code_cell("trainer.plot()"),
    ])
    nbformat.write(training, HERE / "training.ipynb")
    nbformat.write(passing, HERE / "passing.ipynb")
    nbformat.write(failing, HERE / "failing.ipynb")


if __name__ == "__main__":
    main()
