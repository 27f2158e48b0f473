// `trainer.simulate()` on the default model and the default GRPOConfig (TRL's defaults: G = 8, 512-token
// completions), the rewards of the starter notebook. Timed in BENCHMARKS.md:
//     OPENBLAS_CORETYPE=Haswell .build/release/swift-grpo run scripts/simulate-default.swift
let model = try Model.load("SmolLM2-135M-Instruct")
let data = try Dataset.json("data/medical-o1-sample.json")
    .filter { $0["split"] == "train" }
    .chatPrompt(system: "Answer in <reasoning>…</reasoning><answer>…</answer> form.", userColumn: "Question")
    .rename(from: "Response", to: "answer")
let config = GRPOConfig(outputDir: "/tmp/simulate-default")
let trainer = GRPOTrainer(model: model, rewards: [Reward.combined(model: model), Reward.strictFormat()], config: config,
                          dataset: data, lora: LoRAConfig(rank: 16, alpha: 16))
let before = trainer.adapterFingerprint
let plan = trainer.simulate()
print(plan)
print("simulated seconds:", plan.simulatedSeconds, "adapter unchanged:", trainer.adapterFingerprint == before)
