import GRPO
import LLM
import Tensor

/// Every `GRPOConfig` field under its TRL name in camelCase, and `LoRAConfig`'s fields: what the
/// cell-language initializers take and `config.field = value` sets.
enum TrainingConfigFields {
    typealias Field = ConfigField<GRPOConfig>

    static let grpo: [Field] = [
        // The settings people change most, first (the order inspect shows).
        .double("learningRate", \.learningRate, "Peak AdamW learning rate (TRL's default 1e-6; 5e-6 is common with LoRA)."),
        .int("numGenerations", \.numGenerations, "G: completions sampled per prompt; advantages compare them within the group (≥ 2)."),
        .int("maxCompletionLength", \.maxCompletionLength, "Most tokens generated per completion."),
        .int("maxSteps", \.maxSteps, "Optimizer steps to run; ≤ 0 runs numTrainEpochs epochs."),
        .double("beta", \.beta, "KL coefficient against the reference policy (the adapter disabled); 0 skips the reference pass."),
        .int("perDeviceTrainBatchSize", \.perDeviceTrainBatchSize, "Completions per micro-batch (TRL counts completions, not prompts)."),
        .int("gradientAccumulationSteps", \.gradientAccumulationSteps, "Micro-batches whose gradients add up to one optimizer step."),
        .double("temperature", \.temperature, "Sampling temperature of the rollouts (log-probs are taken at it too; > 0)."),
        .choice("lossType", \.lossType, GRPOLossType.allCases, "How per-token losses become one number (TRL's loss_type)."),
        .seed("seed", \.seed, "Seeds sampling, shuffling and the adapter's initialization."),
        .string("outputDir", \.outputDir, "Folder for checkpoints and metrics.jsonl."),
        // Optimizer and schedule.
        .double("adamBeta1", \.adamBeta1, "AdamW β1."),
        .double("adamBeta2", \.adamBeta2, "AdamW β2."),
        .double("adamEpsilon", \.adamEpsilon, "AdamW ε."),
        .double("weightDecay", \.weightDecay, "AdamW decoupled weight decay."),
        .double("maxGradNorm", \.maxGradNorm, "Clip the gradient norm to this (0 = no clipping)."),
        .choice("lrSchedulerType", \.lrSchedulerType, [.constant, .linear, .cosine], "Learning-rate decay after warmup."),
        .double("warmupRatio", \.warmupRatio, "Fraction of the steps spent warming the learning rate up from 0."),
        .int("warmupSteps", \.warmupSteps, "Warmup steps; takes precedence over warmupRatio when > 0."),
        .double("numTrainEpochs", \.numTrainEpochs, "Epochs over the prompts when maxSteps ≤ 0."),
        // Batching.
        .optionalInt("stepsPerGeneration", \.stepsPerGeneration, "Micro-batches per generation batch; nil = gradientAccumulationSteps."),
        .optionalInt("generationBatchSize", \.generationBatchSize, "Completions per generation batch; nil = perDeviceTrainBatchSize × stepsPerGeneration."),
        .int("numIterations", \.numIterations, "μ: updates per generation batch."),
        // Sampling.
        .double("topP", \.topP, "Nucleus sampling mass, in (0, 1]."),
        .int("topK", \.topK, "Sample among the k likeliest tokens; 0 = off."),
        .optionalDouble("minP", \.minP, "Drop tokens below minP × the likeliest token's probability; nil = off."),
        .double("repetitionPenalty", \.repetitionPenalty, "Penalty on tokens already generated (1 = off)."),
        .bool("maskTruncatedCompletions", \.maskTruncatedCompletions, "Completions that hit maxCompletionLength get no loss (DAPO)."),
        .strings("stopStrings", \.stopStrings, "Generation also stops after any of these strings."),
        // Loss.
        .double("epsilon", \.epsilon, "Lower clip ε of the importance ratio."),
        .optionalDouble("epsilonHigh", \.epsilonHigh, "Upper clip ε; nil = epsilon (DAPO uses 0.28)."),
        .optionalDouble("delta", \.delta, "Two-sided clip cap of the unclipped ratio (INTELLECT-2); nil = off."),
        .choice("importanceSamplingLevel", \.importanceSamplingLevel, ImportanceSamplingLevel.allCases,
                "Importance ratio per token, or one per sequence (GSPO)."),
        .bool("useBiasCorrectionKL", \.useBiasCorrectionKL, "Multiply the k3 KL term by the importance ratio."),
        .optionalDouble("offPolicyMaskThreshold", \.offPolicyMaskThreshold,
                        "Drop negative-advantage sequences this far off-policy (DeepSeek-V3.2); nil = off."),
        .double("topEntropyQuantile", \.loss.topEntropyQuantile, "Only tokens in the top fraction by entropy get a policy loss; 1 = off."),
        .double("sapoTemperaturePos", \.loss.sapoTemperaturePos, "sapo: gate temperature for positive advantages."),
        .double("sapoTemperatureNeg", \.loss.sapoTemperatureNeg, "sapo: gate temperature for negative advantages."),
        .double("vespoKPos", \.loss.vespoKPos, "vespo: k for positive advantages."),
        .double("vespoLambdaPos", \.loss.vespoLambdaPos, "vespo: λ for positive advantages."),
        .double("vespoKNeg", \.loss.vespoKNeg, "vespo: k for negative advantages."),
        .double("vespoLambdaNeg", \.loss.vespoLambdaNeg, "vespo: λ for negative advantages."),
        // Rewards.
        .choice("scaleRewards", \.scaleRewards, RewardScaling.allCases, "Divide advantages by the group's or batch's reward std, or not."),
        .choice("multiObjectiveAggregation", \.multiObjectiveAggregation, MultiObjectiveAggregation.allCases,
                "Sum the weighted rewards then normalize, or normalize each first (GDPO)."),
        .optionalDoubles("rewardWeights", \.rewardWeights, "One weight per reward; nil = all 1."),
        .optionalDouble("rewardTimeBudget", \.rewardTimeBudget, "Seconds a reward may take per call before its scores count as nil; nil = no limit."),
        // Beyond TRL.
        .bool("dynamicSampling", \.dynamicSampling, "DAPO: drop groups whose rewards all agree and draw more prompts."),
        .int("dynamicSamplingMaxDraws", \.dynamicSamplingMaxDraws, "Extra generation rounds dynamic sampling may run per batch."),
        .optionalString("guidePromptColumn", \.guidePromptColumn,
                        "A column of guide prompts (e.g. with worked examples) some completions are sampled from; nil = none."),
        .int("guidedGenerations", \.guidedGenerations,
             "How many of each group's completions come from the guide prompt, trained as completions of the row's own prompt."),
        .optionalBool("gradientCheckpointing", \.gradientCheckpointing,
                      "Recompute activations in the backward pass; nil = only when the estimate does not fit in memory."),
        // Logging and checkpoints.
        .int("loggingSteps", \.loggingSteps, "Log (and redraw the plots) every this many steps."),
        .int("saveSteps", \.saveSteps, "Write a checkpoint every this many steps (0 = never)."),
        .optionalInt("saveTotalLimit", \.saveTotalLimit, "Keep at most this many checkpoints; nil = keep all."),
    ]

    static let grpoByName: [String: Field] = Dictionary(uniqueKeysWithValues: grpo.map { ($0.name, $0) })

    static let lora: [ConfigField<LoRAConfig>] = [
        .int("rank", \.rank, "r: the inner dimension of B·A."),
        .double("alpha", \.alpha, "lora_alpha: the update is scaled by alpha/rank (alpha/√rank with useRSLoRA)."),
        .double("dropout", \.dropout, "Probability of zeroing an input of A while training, in [0, 1)."),
        .strings("targetModules", \.targetModules, "Projections to adapt (PEFT names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)."),
        .bool("useRSLoRA", \.useRSLoRA, "Rank-stabilized LoRA: scale alpha/√rank."),
        .seed("seed", \.seed, "Seeds A's initialization and the dropout masks."),
    ]

    static let loraByName: [String: ConfigField<LoRAConfig>] = Dictionary(uniqueKeysWithValues: lora.map { ($0.name, $0) })
}
