import Foundation
import LLM
import Tensor

/// GRPO on a LoRA adapter, step for step as TRL 1.16's `GRPOTrainer`:
/// rollout (G completions per prompt in one batched generation) → rewards (fault isolated) →
/// advantages → per micro-batch: log-probs over a packed batch, reference log-probs with the
/// adapter disabled, the policy loss, backward → clip → AdamW → schedule → metrics → checkpoint.
///
/// `train` is interruptible at micro-step boundaries and continues where it stopped when called
/// again; checkpoints resume bit for bit.
public final class GRPOTrainer {
    public let model: LanguageModel
    public let dataset: Dataset
    public let config: GRPOConfig
    /// The adapter being trained (attached to `model.network`).
    public let adapter: LoRAAdapter
    /// Runs the rewards; its statistics count every fault.
    public let rewardRunner: RewardRunner
    /// Turns prompts into completions.
    public var rollout: Rollout
    /// Optimizer steps of the whole run.
    public let totalSteps: Int
    public let schedule: LearningRateSchedule
    public private(set) var state: TrainerState
    public var observers: [TrainerObserver] = []
    /// How many steps' completions `completions(step:)` keeps.
    public var keptCompletionSteps = 200
    /// Seconds spent in each stage of the last finished step (rollout, rewards, reference, old,
    /// forward_backward, optimizer), and the CPU seconds of rollout, reference and forward_backward
    /// (`rollout_cpu`, …).
    public private(set) var lastStepTimings: [String: Double] = [:]

    let optimizer: AdamW
    private let scoring: RewardScoring
    var partial: PartialStep?
    private var completionsByStep: [Int: [CompletionSample]] = [:]

    /// A trainer that attaches a fresh adapter made from `lora` to `model`.
    public convenience init(model: LanguageModel, rewards: [any RewardFunction], config: GRPOConfig, dataset: Dataset,
                            lora: LoRAConfig = LoRAConfig(), promptColumn: String = "prompt") throws {
        try config.validate(rewardCount: rewards.count)
        let adapter = try LoRAAdapter.initialized(for: model.network, config: lora)
        try self.init(model: model, rewards: rewards, config: config, dataset: dataset, adapter: adapter,
                      promptColumn: promptColumn)
    }

    /// A trainer for an existing adapter (attached to `model.network` here).
    public init(model: LanguageModel, rewards: [any RewardFunction], config: GRPOConfig, dataset: Dataset,
                adapter: LoRAAdapter, promptColumn: String = "prompt") throws {
        try config.validate(rewardCount: rewards.count)
        guard !dataset.isEmpty else { throw TrainerError.badDataset("The dataset is empty; GRPO needs prompts.") }
        guard dataset.rows.contains(where: { $0.has(promptColumn) }) else {
            throw TrainerError.badDataset("The dataset has no column \"\(promptColumn)\" (columns: "
                + "\(dataset.columns.joined(separator: ", "))); build prompts with chatPrompt(system:userColumn:) or name the prompt column.")
        }
        if config.guidedGenerations > 0, let guide = config.guidePromptColumn, !dataset.rows.allSatisfy({ $0.has(guide) }) {
            throw TrainerError.badDataset("guidedGenerations is \(config.guidedGenerations) but not every row has the guide "
                + "prompt column \"\(guide)\" (columns: \(dataset.columns.joined(separator: ", "))); add it to every row or "
                + "set guidedGenerations to 0.")
        }
        self.model = model
        self.dataset = dataset
        self.config = config
        self.adapter = adapter
        try model.network.attach(adapter)
        model.network.isAdapterEnabled = true
        if model.network.interleavedWeightBytes <= GRPOTrainer.interleavedWeightBudgetBytes {
            model.network.keepInterleavedWeights(true)
        }
        adapter.zeroGradients()
        rewardRunner = RewardRunner(rewards, timeBudget: config.rewardTimeBudget)
        rollout = Rollout(model: model, promptColumn: promptColumn)
        totalSteps = config.totalSteps(promptCount: dataset.count)
        schedule = config.schedule(totalSteps: totalSteps)
        optimizer = AdamW(parameters: adapter.parameters, configuration: config.optimizerConfiguration)
        scoring = RewardScoring(runner: rewardRunner,
                                weights: config.rewardWeights ?? Array(repeating: 1, count: rewards.count),
                                groupSize: config.numGenerations, scaling: config.scaleRewards,
                                aggregation: config.multiObjectiveAggregation)
        var streams = RandomStreams(seed: config.seed)
        let sampler = try PromptSampler(datasetCount: dataset.count, promptsPerBatch: config.promptsPerGeneration,
                                        random: streams.shuffling)
        state = TrainerState(sampler: sampler, bufferShuffling: RandomStream(seed: streams.sampling.next()))
    }

    /// The folder checkpoints and the metrics log go to.
    public var outputDirectory: URL { URL(fileURLWithPath: config.outputDir, isDirectory: true) }

    /// The JSONL metrics log.
    public var metricsLog: MetricsLog { MetricsLog(directory: outputDirectory) }

    /// True when every step has run.
    public var isFinished: Bool { state.step >= totalSteps }

    /// True between micro-steps of an unfinished optimizer step (after an interrupt).
    public var isMidStep: Bool { partial != nil }

    /// The completions generated during `step` (grouped by prompt, with rewards and advantages),
    /// for the last `keptCompletionSteps` steps that generated.
    public func completions(step: Int) -> [CompletionSample]? { completionsByStep[step] }

    // MARK: - Running

    /// Runs optimizer steps until `totalSteps` (or `maxSteps` more steps), stopping early at the
    /// next micro-step boundary once `isCancelled()` is true. Returns true when the run is complete.
    @discardableResult
    public func train(maxSteps: Int? = nil, isCancelled: () -> Bool = { false }) throws -> Bool {
        let stopAt = maxSteps.map { min(totalSteps, state.step + $0) } ?? totalSteps
        while state.step < stopAt {
            if isCancelled() { return false }
            _ = try microStep(isCancelled: isCancelled)
        }
        return isFinished
    }

    /// Runs one whole optimizer step (or the rest of an interrupted one); nil when interrupted.
    @discardableResult
    public func step(isCancelled: () -> Bool = { false }) throws -> StepMetrics? {
        while !isFinished {
            if isCancelled() { return nil }
            if let metrics = try microStep(isCancelled: isCancelled) { return metrics }
        }
        return nil
    }

    /// One micro-step: a new generation batch when one is due, then the loss and gradients of
    /// one micro-batch; the optimizer update after `gradientAccumulationSteps` of them. Returns
    /// the step's metrics when it completed one.
    public func microStep(isCancelled: () -> Bool = { false }) throws -> StepMetrics? {
        guard !isFinished else { return nil }
        if partial == nil {
            partial = PartialStep()
            notify { $0.trainerWillStartStep(state.step + 1, of: totalSteps) }
        }
        let started = Date()
        if state.buffer == nil || state.microStep % config.microStepsPerGeneration == 0 {
            guard let buffer = try makeRolloutBuffer(isCancelled: isCancelled) else {
                partial?.seconds += Date().timeIntervalSince(started)
                return nil
            }
            state.buffer = buffer
        }
        guard let buffer = state.buffer else { return nil }
        let index = state.microStep % config.resolvedStepsPerGeneration
        try accumulateGradients(buffer, microBatch: index)
        state.microStep += 1
        partial?.microSteps += 1
        partial?.seconds += Date().timeIntervalSince(started)
        guard let partialStep = partial, partialStep.microSteps >= config.gradientAccumulationSteps else { return nil }
        return try finishStep(buffer: buffer)
    }

    // MARK: - Stage 1–2: rollout and rewards

    /// Samples, scores and prepares the next generation batch (advancing the prompt order);
    /// nil, with nothing changed, when interrupted during generation.
    public func makeRolloutBuffer(isCancelled: () -> Bool = { false }) throws -> RolloutBuffer? {
        var sampler = state.sampler
        var rounds = state.generationRounds
        var shuffling = state.bufferShuffling
        let groupSize = config.numGenerations
        let selection = DynamicSampling(groupSize: groupSize, promptsWanted: config.promptsPerGeneration)
        var outcome = DynamicSampling.Outcome()
        var zeroStdBeforeFiltering: Double?
        let faultsBefore = rewardRunner.statistics.map(\.faultedRows).reduce(0, +)
        var rolloutSeconds = 0.0, rewardSeconds = 0.0, rolloutCPUSeconds = 0.0
        while true {
            let indices = sampler.nextBatch()
            var clock = Date()
            let cpuClock = ProcessCPUClock.seconds
            var samples = try rollout.sample(rows: indices.map { ($0, dataset[$0]) }, groupSize: groupSize,
                                             config: config, seed: TrainerState.samplingSeed(config.seed, round: rounds),
                                             isCancelled: isCancelled)
            rolloutSeconds += Date().timeIntervalSince(clock)
            rolloutCPUSeconds += ProcessCPUClock.seconds - cpuClock
            rounds += 1
            if samples.contains(where: { $0.finishReason == .cancelled }) { return nil }
            clock = Date()
            try scoring.score(&samples, rows: samples.map { dataset[$0.datasetIndex] })
            rewardSeconds += Date().timeIntervalSince(clock)
            guard config.dynamicSampling else {
                outcome.kept = samples
                break
            }
            let draw = try scoring.assignAdvantages(&samples)
            if zeroStdBeforeFiltering == nil { zeroStdBeforeFiltering = draw.fracRewardZeroStd }
            selection.add(samples, isStdZero: draw.isStdZero, to: &outcome)
            if selection.isFull(outcome) || outcome.extraDraws >= config.dynamicSamplingMaxDraws { break }
            outcome.extraDraws += 1
        }
        var samples = config.dynamicSampling ? selection.batch(outcome) : outcome.kept
        let advantages = try scoring.assignAdvantages(&samples)
        var metrics = scoring.metrics(samples, advantages: advantages, names: rewardRunner.rewards.map(\.name))
        if let zeroStdBeforeFiltering {
            metrics["frac_reward_zero_std"] = zeroStdBeforeFiltering
            metrics["dynamic_sampling/frac_reward_zero_std_kept"] = advantages.fracRewardZeroStd
            metrics["dynamic_sampling/dropped_groups"] = Double(outcome.droppedGroups)
            metrics["dynamic_sampling/extra_draws"] = Double(outcome.extraDraws)
        }
        let grouped = samples

        // TRL shuffles the generation batch, then cuts it into micro-batches.
        let order = PromptSampler.permutation(samples.count, using: &shuffling)
        samples = order.map { samples[$0] }
        let size = config.perDeviceTrainBatchSize
        let microBatches = stride(from: 0, to: samples.count, by: size).map { Array($0 ..< min($0 + size, samples.count)) }
        let masks = samples.map { sample in
            [Float](repeating: config.maskTruncatedCompletions && sample.isTruncated ? 0 : 1,
                    count: sample.completionTokens.count)
        }
        var clock = Date()
        let referenceCPUClock = ProcessCPUClock.seconds
        let reference = config.beta != 0
            ? try model.network.withAdapterDisabled { try logProbValues(samples, microBatches: microBatches) } : nil
        let referenceSeconds = Date().timeIntervalSince(clock)
        let referenceCPUSeconds = ProcessCPUClock.seconds - referenceCPUClock
        clock = Date()
        let old = config.needsOldLogProbs ? try logProbValues(samples, microBatches: microBatches) : nil
        let oldSeconds = Date().timeIntervalSince(clock)

        let buffer = RolloutBuffer(samples: samples, microBatches: microBatches, masks: masks,
                                   referenceLogProbs: reference, oldLogProbs: old,
                                   activeTokens: Double(masks.reduce(0) { $0 + $1.reduce(0, +) }),
                                   metrics: metrics, generation: rounds)
        // Commit: nothing above changed the trainer.
        state.sampler = sampler
        state.generationRounds = rounds
        state.bufferShuffling = shuffling
        state.numTokens += Double(samples.reduce(0) { $0 + $1.promptTokens.count + $1.completionTokens.count })
        partial?.timings["rollout", default: 0] += rolloutSeconds
        partial?.timings["rewards", default: 0] += rewardSeconds
        partial?.timings["reference", default: 0] += referenceSeconds
        partial?.timings["rollout_cpu", default: 0] += rolloutCPUSeconds
        partial?.timings["reference_cpu", default: 0] += referenceCPUSeconds
        partial?.timings["old", default: 0] += oldSeconds
        partial?.generated = grouped
        let step = state.step + 1
        notify { $0.trainerDidGenerate(grouped, step: step) }
        warnAboutSignal(zeroStdFraction: metrics["frac_reward_zero_std"] ?? 0, step: step)
        let faultsAfter = rewardRunner.statistics.map(\.faultedRows).reduce(0, +)
        if faultsAfter > faultsBefore {
            let messages = rewardRunner.statistics.compactMap { stats in stats.lastError.map { "\(stats.name): \($0)" } }
            warn("reward_faults", step: step, "\(faultsAfter - faultsBefore) reward score(s) faulted and count as nil "
                + "(the run goes on): " + messages.joined(separator: "; "))
        }
        return buffer
    }

    /// Log-probs (no graph) of every sample under the model as it is now, per sample.
    private func logProbValues(_ samples: [CompletionSample], microBatches: [[Int]]) throws -> [[Float]] {
        var result = [[Float]](repeating: [], count: samples.count)
        for batch in microBatches {
            let packed = try PackedCompletions(batch.map { samples[$0] }, maxPositions: model.config.maxPositions)
            let values = try PolicyLogProbs.values(packed, network: model.network, temperature: config.temperature)
            var offset = 0
            for (index, length) in zip(batch, packed.lengths) {
                result[index] = Array(values[offset ..< offset + length])
                offset += length
            }
        }
        return result
    }

    // MARK: - Stage 3: loss and gradients

    /// The most memory the trainer spends on interleaved copies of the quantized weights
    /// (`CausalLanguageModel.keepInterleavedWeights`, kept with the model after the trainer is
    /// gone): 512 MiB. Rollouts decode a few sequences at a time, so every decode step rearranges
    /// each weight block for only those rows; with the copies, the default model's rollout in
    /// `bench grpo` is 5–8 % faster (BENCHMARKS.md, "Session 11"). Its copies take 94 MiB.
    public static let interleavedWeightBudgetBytes = 512 << 20

    /// The activation memory one micro-batch may keep for its backward pass before blocks are
    /// recomputed instead: 1 GiB, or an eighth of the machine's memory when that is less.
    ///
    /// 1 GiB holds the default model's micro-batch (SmolLM2-135M, 4 × 192 tokens, LoRA r = 16 on
    /// all seven projections: ≈ 0.8 GiB by `PolicyLogProbs.activationBytes`), so it trains without
    /// recomputation, and with its weights and the rollout's buffers (≈ 0.5 GiB once quantized
    /// weights stay quantized) stays under the 1.5 GiB goal of issue #12 for a GRPO step. Larger
    /// models or longer completions recompute just enough blocks to stay within it. A fixed
    /// budget rather than a share of physical memory: on a 24 GiB machine shared by several jobs,
    /// a quarter of it (6 GiB) never triggered and let one trainer take gigabytes it did not need.
    public static var activationBudgetBytes: Double {
        min(Double(1 << 30), Double(ProcessInfo.processInfo.physicalMemory) / 8)
    }

    /// How many decoder blocks (the first ones) micro-batches of `rowsPerSequence` recompute in
    /// the backward pass: all with `gradientCheckpointing: true`, none with `false`, and when it
    /// is nil the fewest that bring `PolicyLogProbs.activationBytes` within `activationBudgetBytes`.
    public func recomputedBlockCount(rowsPerSequence: [Int]) -> Int {
        let layers = model.config.layerCount
        if let forced = config.gradientCheckpointing { return forced ? layers : 0 }
        let adapted = adapter.projections.count / max(1, layers)
        func estimate(_ recomputed: Int) -> Double {
            PolicyLogProbs.activationBytes(rowsPerSequence: rowsPerSequence, config: model.config, loraRank: adapter.config.rank,
                                           adaptedProjections: adapted, recomputedBlocks: recomputed)
        }
        let budget = GRPOTrainer.activationBudgetBytes
        return (0...layers).first { estimate($0) <= budget } ?? layers
    }

    /// Whether micro-batches of `rowsPerSequence` recompute any activations in the backward pass.
    public func recomputesActivations(rowsPerSequence: [Int]) -> Bool {
        recomputedBlockCount(rowsPerSequence: rowsPerSequence) > 0
    }

    /// The loss of micro-batch `index` of `buffer`, its gradients added to the adapter's.
    func accumulateGradients(_ buffer: RolloutBuffer, microBatch index: Int) throws {
        let clock = Date(), cpuClock = ProcessCPUClock.seconds
        let ids = buffer.microBatches[index]
        let samples = ids.map { buffer.samples[$0] }
        guard samples.allSatisfy({ $0.advantage.isFinite }) else {
            // Overflowing rewards: nothing sensible to learn from; the update is skipped.
            partial?.nonFiniteLoss = true
            partial?.loss += .nan
            return
        }
        let packed = try PackedCompletions(samples, maxPositions: model.config.maxPositions)
        let recomputed = recomputedBlockCount(rowsPerSequence: packed.rowsPerSequence)
        let policy = try PolicyLogProbs.compute(packed, network: model.network, temperature: config.temperature,
                                                entropy: true, recomputedBlocks: recomputed)
        let mask = ids.flatMap { buffer.masks[$0] }
        let old = buffer.oldLogProbs.map { values in ids.flatMap { values[$0] } }
        var batch = PolicyLossBatch(logProbs: policy.logProbs, advantages: ids.map { Float(buffer.samples[$0].advantage) },
                                    lengths: packed.lengths, mask: mask, itemsInBatch: buffer.activeTokens)
        batch.oldLogProbs = old
        batch.samplerLogProbs = old
        batch.referenceLogProbs = buffer.referenceLogProbs.map { values in ids.flatMap { values[$0] } }
        batch.entropies = policy.entropy
        batch.gradientAccumulationSteps = config.gradientAccumulationSteps
        batch.stepsPerGeneration = config.resolvedStepsPerGeneration
        let result = try policyLoss(batch, settings: config.loss)
        let value = Double(result.loss.scalars.first ?? .nan)
        if value.isFinite {
            result.loss.backward()
        } else {
            partial?.nonFiniteLoss = true
        }
        partial?.loss += value
        partial?.accumulator.add(result.metrics)
        if result.metrics["entropy"] == nil, let entropy = policy.entropy {
            let active = zip(entropy, mask).filter { $0.1 > 0 }.map { Double($0.0) }
            if !active.isEmpty { partial?.accumulator.add("entropy", active.reduce(0, +) / Double(active.count)) }
        }
        partial?.timings["forward_backward", default: 0] += Date().timeIntervalSince(clock)
        partial?.timings["forward_backward_cpu", default: 0] += ProcessCPUClock.seconds - cpuClock
    }

    // MARK: - Stage 4: update

    /// Clips, checks and applies the accumulated gradients, then logs the step.
    private func finishStep(buffer: RolloutBuffer) throws -> StepMetrics {
        guard var current = partial else { throw TrainerError.badCheckpoint("No step in progress.") }
        let clock = Date()
        let rate = schedule.rate(atStep: state.step)
        optimizer.learningRate = rate
        let parameters = adapter.parameters
        let norm = clipGradientNorm(parameters, maxNorm: .infinity)
        let updated = !current.nonFiniteLoss && norm.isFinite && current.loss.isFinite
        if updated {
            if config.maxGradNorm > 0 { clipGradientNorm(parameters, maxNorm: Float(config.maxGradNorm)) }
            optimizer.step()
        } else {
            state.skippedUpdates += 1
        }
        adapter.zeroGradients()
        state.step += 1
        current.timings["optimizer", default: 0] += Date().timeIntervalSince(clock)
        current.seconds += Date().timeIntervalSince(clock)

        var values = buffer.metrics
        for (name, value) in current.accumulator.means { values[name] = value }
        values["loss"] = current.loss
        values["grad_norm"] = Double(norm)
        values["learning_rate"] = Double(rate)
        values["num_tokens"] = state.numTokens
        values["step_time"] = current.seconds
        values["skipped_updates"] = Double(state.skippedUpdates)
        let metrics = StepMetrics(step: state.step, epoch: state.sampler.epochProgress, values: values)
        lastStepTimings = current.timings
        if let generated = current.generated {
            completionsByStep[state.step] = generated
            completionsByStep = completionsByStep.filter { $0.key > state.step - keptCompletionSteps }
        }
        partial = nil
        if !updated {
            warn("skipped_update", step: state.step, "The loss or the gradients were not finite (loss \(current.loss), "
                + "grad norm \(norm)); this step's update was skipped and the weights are unchanged "
                + "(\(state.skippedUpdates) skipped so far). Check the rewards and lower learningRate if it repeats.")
        }
        try log(metrics)
        notify { $0.trainerDidFinishStep(metrics) }
        if config.saveSteps > 0, state.step % config.saveSteps == 0 {
            let folder = try saveCheckpoint()
            notify { $0.trainerDidSaveCheckpoint(folder.path, step: state.step) }
        }
        return metrics
    }

    /// Appends the step to the log window; writes the window's means every `loggingSteps`
    /// steps and at the last step.
    private func log(_ metrics: StepMetrics) throws {
        state.logWindow.append(metrics)
        guard state.step % config.loggingSteps == 0 || state.step >= totalSteps else { return }
        var accumulator = MetricsAccumulator()
        for entry in state.logWindow { accumulator.add(entry.values) }
        var values = accumulator.means
        // Counters are totals, not means.
        for name in ["num_tokens", "skipped_updates"] { values[name] = metrics.values[name] }
        state.logWindow = []
        try metricsLog.append(StepMetrics(step: metrics.step, epoch: metrics.epoch, values: values))
    }

    // MARK: - Warnings and observers

    private func warnAboutSignal(zeroStdFraction: Double, step: Int) {
        state.zeroStdStreak = zeroStdFraction >= 1 ? state.zeroStdStreak + 1 : 0
        guard state.zeroStdStreak == 3 || (state.zeroStdStreak > 3 && state.zeroStdStreak % 10 == 0) else { return }
        let means = rewardRunner.rewards.map(\.name).joined(separator: ", ")
        warn("zero_std_rewards", step: step,
             "frac_reward_zero_std has been 1 for \(state.zeroStdStreak) generation batches: in every group all "
             + "\(config.numGenerations) completions got the same reward, so the advantages are 0 and the model "
             + "learns nothing. Likely cause: the task is too hard (every reward 0) or too easy (every reward at its "
             + "maximum) for this model, or a reward (\(means)) that returns a constant or nil (see "
             + "rewardRunner.statistics). Try a reward with partial credit, more numGenerations, a higher temperature, "
             + "or dynamicSampling: true.")
    }

    private func warn(_ kind: String, step: Int, _ message: String) {
        let warning = TrainerWarning(kind: kind, step: step, message: message)
        notify { $0.trainerDidWarn(warning) }
    }

    func notify(_ body: (TrainerObserver) -> Void) {
        for observer in observers { body(observer) }
    }

    // MARK: - Checkpoints

    /// Writes a checkpoint of the current step to `outputDir/checkpoint-STEP` (atomically) and
    /// prunes old ones beyond `saveTotalLimit`. Only between optimizer steps.
    @discardableResult
    public func saveCheckpoint() throws -> URL {
        guard partial == nil else {
            throw TrainerError.badCheckpoint("A step is half done (interrupted); call train() or step() to finish it, then save.")
        }
        let checkpoint = TrainerCheckpoint(directory: outputDirectory)
        state.adapterDropout = adapter.dropoutStream
        let folder = try checkpoint.write(step: state.step) { folder in
            // The adapter's PEFT files sit at the checkpoint's top level, as in TRL's checkpoints.
            let adapterFolder = folder.appendingPathComponent("adapter", isDirectory: true)
            try adapter.save(to: adapterFolder, baseModel: model.location.reference)
            for name in [LoRAAdapter.configFileName, LoRAAdapter.weightsFileName] {
                try FileManager.default.moveItem(at: adapterFolder.appendingPathComponent(name),
                                                 to: folder.appendingPathComponent(name))
            }
            try FileManager.default.removeItem(at: adapterFolder)
            try OptimizerFiles.write(optimizer.state, to: folder)
            try TrainerJSON.encoder.encode(state).write(to: folder.appendingPathComponent(TrainerCheckpoint.stateFile))
            try TrainerJSON.encoder.encode(config).write(to: folder.appendingPathComponent(TrainerCheckpoint.configFile))
            try Data(metricsLog.contents().utf8).write(to: folder.appendingPathComponent(TrainerCheckpoint.logFile))
        }
        try checkpoint.prune(keeping: config.saveTotalLimit)
        return folder
    }

    /// Continues from a checkpoint folder (default: the latest in `outputDir`): adapter values,
    /// optimizer moments, prompt order, RNG streams, rollout buffer and metrics log. Returns the folder.
    @discardableResult
    public func resume(from folder: URL? = nil) throws -> URL {
        let checkpoint = TrainerCheckpoint(directory: outputDirectory)
        try checkpoint.recoverInterruptedWrites()
        guard let folder = try folder ?? checkpoint.latest() else {
            throw TrainerError.badCheckpoint("No checkpoint-N folder in \(outputDirectory.path) to resume from; "
                + "run without --resume first, or point outputDir at the run to continue.")
        }
        let savedState = try TrainerCheckpoint.read(TrainerState.self, TrainerCheckpoint.stateFile, in: folder)
        let savedConfig = try TrainerCheckpoint.read(GRPOConfig.self, TrainerCheckpoint.configFile, in: folder)
        let saved = try LoRAAdapter.load(from: folder, for: model.network)
        let same = saved.config.rank == adapter.config.rank && saved.config.alpha == adapter.config.alpha
            && saved.config.useRSLoRA == adapter.config.useRSLoRA && saved.moduleNames == adapter.moduleNames
        guard same else {
            throw TrainerError.badCheckpoint("The checkpoint's LoRA settings (rank \(saved.config.rank), alpha "
                + "\(saved.config.alpha), targets \(saved.config.targetModules)) differ from this trainer's; use the same LoRA config to resume.")
        }
        guard saved.flatValues.count == adapter.flatValues.count else {
            throw TrainerError.badCheckpoint("The checkpoint's adapter has \(saved.flatValues.count) values, this one "
                + "\(adapter.flatValues.count); resume with the model and LoRA config it was trained with.")
        }
        let changed = GRPOConfig.differences(savedConfig, config).filter { !["outputDir", "maxSteps", "saveSteps", "saveTotalLimit", "loggingSteps"].contains($0) }
        if !changed.isEmpty {
            warn("config_changed", step: savedState.step, "Resuming with changed settings (\(changed.joined(separator: ", "))): "
                + "the run will not match one that never stopped.")
        }
        let values = saved.flatValues.scalars
        adapter.flatValues.withUnsafeMutableBufferPointer { target in
            for index in target.indices { target[index] = values[index] }
        }
        try optimizer.load(try OptimizerFiles.read(from: folder, configuration: config.optimizerConfiguration))
        adapter.zeroGradients()
        state = savedState
        if let stream = savedState.adapterDropout { adapter.dropoutStream = stream }
        partial = nil
        try metricsLog.replace(with: (try? String(contentsOf: folder.appendingPathComponent(TrainerCheckpoint.logFile),
                                                  encoding: .utf8)) ?? "")
        return folder
    }
}

/// The in-memory part of an optimizer step that is not finished yet.
struct PartialStep {
    var microSteps = 0
    var accumulator = MetricsAccumulator()
    var loss = 0.0
    var nonFiniteLoss = false
    var seconds = 0.0
    var timings: [String: Double] = [:]
    var generated: [CompletionSample]?
}
