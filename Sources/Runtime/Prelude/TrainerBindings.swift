import Foundation
import GRPO
import LLM

/// `GRPOTrainer(model:rewards:config:dataset:lora:)` and its run: simulate, train (live display,
/// interruptible, continues when called again), metrics, completions, plots, checkpoints.
enum TrainerBindings {
    static func register(in registry: NativeRegistry) {
        registry.type("GRPOTrainer", doc: "GRPO on a LoRA adapter (TRL's GRPOTrainer): simulate(), train(), metrics, "
                        + "completions(step:), plot(), resume(from:).") { type in
            registerCreation(type)
            registerRunning(type)
            registerInspection(type)
        }
        registry.type("Simulation", doc: "What simulate() measured and forecasts for the configured run.") { type in
            type.property("secondsPerStep", "Double", of: SimulationObject.self, doc: "Forecast seconds per step of the run.") {
                .double($0.summary.secondsPerStep)
            }
            type.property("forecastSeconds", "Double", of: SimulationObject.self, doc: "Forecast seconds for every planned step.") {
                .double($0.summary.forecastSeconds)
            }
            type.property("plannedSteps", "Int", of: SimulationObject.self, doc: "Steps the configured run takes.") {
                .int($0.summary.plannedSteps)
            }
            type.property("tokensPerStep", "Double", of: SimulationObject.self, doc: "Forecast completion tokens per step.") {
                .double($0.summary.tokensPerStep)
            }
            type.property("peakMemoryBytes", "Double?", of: SimulationObject.self, doc: "Peak resident memory while simulating.") {
                $0.summary.peakMemoryBytes.map { .optional(.double($0)) } ?? .null
            }
            type.property("stepsRun", "Int", of: SimulationObject.self, doc: "Simulated steps.") { .int($0.summary.stepsRun) }
            type.property("simulatedSeconds", "Double", of: SimulationObject.self, doc: "Seconds the simulated steps took.") {
                .double($0.steps.reduce(0) { $0 + $1.seconds })
            }
            type.property("metrics", "[[String: Double]]", of: SimulationObject.self,
                          doc: "Each simulated step's metrics (reward, frac_reward_zero_std, loss, grad_norm, kl, …).") { object in
                .array(object.steps.map { step in
                    .dictionary(DictionaryValue(step.metrics.keys.sorted().map { (.string($0), .double(step.metrics[$0] ?? .nan)) }))
                })
            }
            type.property("completions", "Completions", of: SimulationObject.self, doc: "The simulated groups.") { object in
                .object(CompletionsObject(samples: object.summary.samples, rewardNames: object.summary.rewardNames,
                                          groupSize: object.summary.groupSize, tokenizer: object.model.tokenizer))
            }
        }
        registry.type("Completions", doc: "A generation batch per group: prompt, completions, rewards, advantages.") { type in
            type.property("rows", "[[String: Any]]", of: CompletionsObject.self,
                          doc: "One dictionary per completion: prompt, completion, rewards, reward, advantage, tokens.") { $0.rows }
            type.property("count", "Int", of: CompletionsObject.self, doc: "The number of completions.") { .int($0.samples.count) }
        }
        registry.type("TrainingPlot", doc: "The training charts (SVG): reward, KL, completion length, loss, grad norm.") { type in
            type.property("svg", "String", of: TrainingPlotObject.self, doc: "The SVG text.") {
                .string(TrainingCharts.svg(metrics: $0.history, rewardNames: $0.rewardNames))
            }
        }
    }

    private static func trainer(_ call: NativeCall) throws -> TrainerObject { try call.receiver(as: TrainerObject.self) }

    // MARK: Creating

    private static func registerCreation(_ type: NativeType) {
        type.initializer([.labeled("model", "Model"), .labeled("rewards", "[Reward]"),
                          .labeled("config", "GRPOConfig", default: .null), .labeled("dataset", "Dataset"),
                          .labeled("lora", "LoRAConfig", default: .null),
                          .labeled("promptColumn", "String", default: .string("prompt"))],
                         doc: "A trainer that attaches a fresh LoRA adapter to model (the model then generates with it). "
                            + "rewards are Reward values or reward functions; dataset needs a prompt column.") { call in
            let model = try call.object("model", as: ModelObject.self).model
            let rewards = try call.array("rewards").enumerated().map { try reward($1, index: $0, call) }
            let dataset = try call.object("dataset", as: DatasetObject.self).dataset
            let config = try TrainingConfigBindings.grpoConfig(call, "config")
            let lora = try TrainingConfigBindings.loraConfig(call, "lora")
            let trainer: GRPOTrainer
            do {
                trainer = try GRPOTrainer(model: model, rewards: rewards, config: config, dataset: dataset, lora: lora,
                                          promptColumn: try call.string("promptColumn"))
            } catch let error as GRPOConfigError {
                throw call.error(error.message)
            }
            return .object(TrainerObject(trainer: trainer, rewards: rewards, lora: lora))
        }
    }

    private static func reward(_ value: Value, index: Int, _ call: NativeCall) throws -> any RewardFunction {
        switch value.unwrapped ?? value {
        case .object(let object as RewardObject): return object.reward
        case .function: return try CellReward(function: value, name: nil, range: nil, context: call.context)
        default:
            throw call.error("rewards[\(index)] must be a Reward (Reward.strictFormat(), Reward(myFunction), …) or a reward "
                             + "function, got \(value.typeName)", kind: .typeMismatch)
        }
    }

    // MARK: Running

    private static func registerRunning(_ type: NativeType) {
        type.method("simulate", [.labeled("steps", "Int", default: .int(2)), .labeled("maxCompletionLength", "Int?", default: .null)],
                    returns: "Simulation",
                    doc: "Real rollouts, rewards, advantages, loss and gradients on a small slice (at most \(simulatedPrompts) "
                        + "prompts per step, completions capped at maxCompletionLength, default \(simulatedCompletionLength) "
                        + "tokens), with no optimizer update: the adapter is unchanged afterwards. Shows each group's "
                        + "completions, flags zero-variance groups and constant rewards, and forecasts time per step, time "
                        + "for the run, peak memory and tokens generated.") { call in
            try simulate(try trainer(call), call)
        }
        type.method("train", [.labeled("steps", "Int?", default: .null)],
                    doc: "Trains to the configured end (or `steps` more steps) with a live progress bar, plots and "
                        + "warnings. Interrupt stops it at the next micro-step; calling train() again continues.") { call in
            let object = try trainer(call)
            let steps = try call.optional("steps").map { try Convert.int($0, or: call.error("steps must be an Int")) }
            if let steps, steps < 1 { throw call.error("steps is \(steps); use at least 1, or leave it out to train to the end") }
            try train(object, steps: steps, context: call.context)
            return .void
        }
        type.method("resume", [.labeled("from", "String?", default: .null)], returns: "String",
                    doc: "Continues from a checkpoint folder (default: the latest in outputDir): adapter, optimizer, "
                        + "prompt order, RNG streams and metrics. Returns the folder.") { call in
            let object = try trainer(call)
            let path = try call.optional("from").map { try Convert.string($0, or: call.error("from must be a folder path")) }
            let folder = try object.trainer.resume(from: path.map { URL(fileURLWithPath: DataPath.resolve($0), isDirectory: true) })
            object.loadHistory(fromLog: object.trainer.metricsLog.contents())
            call.context.output.write("resumed from \(folder.path) at step \(object.trainer.state.step) of \(object.trainer.totalSteps)\n",
                                      to: .stdout)
            return .string(folder.path)
        }
        type.method("saveCheckpoint", returns: "String",
                    doc: "Writes a checkpoint of the current step to outputDir/checkpoint-STEP; returns the folder.") { call in
            .string(try trainer(call).trainer.saveCheckpoint().path)
        }
        type.method("saveAdapter", [.positional("folder", "String")],
                    doc: "Saves the LoRA adapter in PEFT's format (adapter_config.json + adapter_model.safetensors).") { call in
            let trainer = try trainer(call).trainer
            try trainer.adapter.save(to: URL(fileURLWithPath: try call.string("folder"), isDirectory: true),
                                     baseModel: trainer.model.location.reference)
            return .void
        }
    }

    private static func train(_ object: TrainerObject, steps: Int?, context: NativeContext) throws {
        let trainer = object.trainer
        let display = TrainingDisplay(context: context, object: object)
        trainer.observers = [display]
        defer { trainer.observers = [] }
        display.begin()
        let continueNote = "call train() again to continue"
        do {
            _ = try trainer.train(maxSteps: steps, isCancelled: {
                display.tick()
                return context.interrupt.isRequested
            })
        } catch {
            let interrupted = context.interrupt.isRequested || (error as? RuntimeError)?.kind == .interrupted
            display.finish(note: interrupted ? "interrupted at step \(trainer.state.step); \(continueNote)"
                                             : "stopped by an error at step \(trainer.state.step)")
            throw error
        }
        let interrupted = context.interrupt.isRequested
        display.finish(note: interrupted ? "interrupted at step \(trainer.state.step); \(continueNote)" : nil)
        try context.checkInterrupt()
    }

    // MARK: Inspecting

    private static func registerInspection(_ type: NativeType) {
        type.property("metrics", "Dataset", of: TrainerObject.self,
                      doc: "The metrics, one row per step (TRL's names: loss, reward, rewards/NAME/mean, kl, grad_norm, …); "
                        + "after resume(from:), the checkpoint's logged rows come first.") {
            .object(DatasetObject($0.metricsDataset))
        }
        type.method("completions", [.labeled("step", "Int")], returns: "Completions",
                    doc: "The completions generated for step (grouped by prompt, with per-reward scores and advantages), "
                        + "shown with each token shaded by what the update does to it. The last "
                        + "keptCompletionSteps steps are kept.") { call in
            let object = try trainer(call)
            let step = try call.int("step")
            guard let samples = object.trainer.completions(step: step) else {
                let kept = object.history.map(\.step).filter { object.trainer.completions(step: $0) != nil }
                throw call.error("no completions are kept for step \(step); "
                    + (kept.isEmpty ? "train first" : "steps with completions: \(kept.first ?? 0)...\(kept.last ?? 0)"))
            }
            return .object(CompletionsObject(samples: samples, rewardNames: object.rewardNames,
                                             groupSize: object.config.numGenerations, tokenizer: object.trainer.model.tokenizer))
        }
        type.method("plot", returns: "TrainingPlot",
                    doc: "The training charts again: reward (mean and per reward), KL, completion length, loss, grad norm.") { call in
            let object = try trainer(call)
            return .object(TrainingPlotObject(history: object.history, rewardNames: object.rewardNames))
        }
        type.property("step", "Int", of: TrainerObject.self, doc: "Optimizer steps done.") { .int($0.trainer.state.step) }
        type.property("totalSteps", "Int", of: TrainerObject.self, doc: "Optimizer steps of the whole run.") { .int($0.trainer.totalSteps) }
        type.property("isFinished", "Bool", of: TrainerObject.self, doc: "Whether every step has run.") { .bool($0.trainer.isFinished) }
        type.property("config", "GRPOConfig", of: TrainerObject.self, doc: "The run's configuration.") {
            .object(GRPOConfigObject($0.config))
        }
        type.property("warnings", "[String]", of: TrainerObject.self, doc: "Every warning raised so far.") {
            .strings($0.warnings.map(\.description))
        }
        type.property("adapterFingerprint", "String", of: TrainerObject.self,
                      doc: "A hash of the adapter's exact values: the same string means bit-identical weights.") { object in
            let hash = object.trainer.adapter.flatValues.withUnsafeBufferPointer { values in
                values.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1.bitPattern)) &* 0x100_0000_01b3 }
            }
            return .string(String(hash, radix: 16))
        }
    }
}
