import Foundation
import GRPO
import LLM

/// A GRPO trainer as cells see it (`GRPOTrainer`): the library trainer plus what the notebook
/// keeps beside it — every step's metrics, the warnings raised, the reward names.
final class TrainerObject: NativeObject, CustomStringConvertible {
    let trainer: GRPOTrainer
    let rewards: [any RewardFunction]
    let lora: LoRAConfig
    /// One entry per finished step (the logged rows of a checkpoint after `resume`).
    var history: [StepMetrics] = []
    /// Every warning raised so far (the trainer's own and the health detector's).
    var warnings: [TrainerWarning] = []
    var health: TrainingHealth

    init(trainer: GRPOTrainer, rewards: [any RewardFunction], lora: LoRAConfig) {
        self.trainer = trainer
        self.rewards = rewards
        self.lora = lora
        health = TrainingHealth(config: trainer.config)
    }

    var typeName: String { "GRPOTrainer" }
    var config: GRPOConfig { trainer.config }
    var rewardNames: [String] { rewards.map(\.name) }

    var description: String {
        "GRPOTrainer(step \(trainer.state.step) of \(trainer.totalSteps), \(trainer.dataset.count) prompts, "
            + "rewards: \(rewardNames.joined(separator: ", ")), LoRA r=\(lora.rank))"
    }

    /// The state and the run's shape, with the latest metrics.
    func mimeBundle() -> MIMEBundle? {
        var plain = description
        if let last = history.last {
            plain += "\n" + ProgressLine(step: last.step, totalSteps: trainer.totalSteps, elapsedSeconds: 0, metrics: last).text
        }
        return MIMEBundle(data: ["text/plain": plain])
    }

    /// The metrics as a dataset: one row per step, `step` and `epoch` first, then TRL's names.
    var metricsDataset: Dataset {
        let names = Set(history.flatMap(\.values.keys))
        let leading = ["loss", "reward", "reward_std"] + rewardNames.map { "rewards/\($0)/mean" }
            + ["kl", "grad_norm", "learning_rate", "completions/mean_length", "frac_reward_zero_std", "step_time"]
        let columns = ["step", "epoch"] + leading.filter(names.contains) + names.subtracting(leading).sorted()
        let rows = history.map { metrics -> [String: DatasetValue] in
            var row: [String: DatasetValue] = ["step": .int(metrics.step), "epoch": .double(metrics.epoch)]
            for (name, value) in metrics.values { row[name] = value.isFinite ? .double(value) : .null }
            return row
        }
        return Dataset(rows, columns: columns)
    }

    /// Restores the per-step history from a checkpoint's metrics log (its logged rows).
    func loadHistory(fromLog text: String) {
        history = text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = object["step"] as? Int else { return nil }
            var values: [String: Double] = [:]
            for (name, value) in object where name != "step" && name != "epoch" {
                values[name] = (value as? NSNumber)?.doubleValue ?? .nan
            }
            return StepMetrics(step: step, epoch: (object["epoch"] as? NSNumber)?.doubleValue ?? 0, values: values)
        }
        health = TrainingHealth(config: trainer.config)
    }
}
