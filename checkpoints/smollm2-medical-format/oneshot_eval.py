"""Greedy one-shot format adherence on the 31 held-out questions, base vs the shipped adapter."""
import json, re, subprocess, sys
import pathlib
ROOT = str(pathlib.Path(__file__).resolve().parents[2])
B = ROOT + "/.build/release/swift-grpo"

SYS = "Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n"
d = json.load(open(f"{ROOT}/data/medical-o1-sample.json"))
train = [r for r in d if r["split"] == "train"]
ex = sorted(train, key=lambda r: len(r["Complex_CoT"]) + len(r["Response"]))[0]
shot = (f"<|im_start|>user\n{ex['Question']}<|im_end|>\n<|im_start|>assistant\n<reasoning>\n{ex['Complex_CoT']}\n"
        f"</reasoning>\n<answer>\n{ex['Response']}\n</answer>\n<|im_end|>\n")
test = [r for r in d if r["split"] == "test"]
tags = ["<reasoning>", "</reasoning>", "<answer>", "</answer>"]
for name, adapter in (("base", None), ("tuned", f"{ROOT}/checkpoints/smollm2-medical-format")):
    presence, soft, starts = 0.0, 0, 0
    for r in test:
        prompt = f"<|im_start|>system\n{SYS}<|im_end|>\n{shot}<|im_start|>user\n{r['Question']}<|im_end|>\n<|im_start|>assistant\n"
        cmd = [B, "generate", "--prompt", prompt, "--max-new-tokens", "128", "--greedy", "--json"] + (["--adapter", adapter] if adapter else [])
        text = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)["text"]
        presence += sum(t in text for t in tags) / 4
        soft += bool(re.match(r"<reasoning>[\s\S]*?</reasoning>\s*<answer>[\s\S]*?</answer>", text))
        starts += text.startswith("<reasoning>")
    n = len(test)
    print(json.dumps({"model": name, "cases": n, "tag_presence": round(presence / n, 3), "soft_format": round(soft / n, 3),
                      "starts_with_reasoning": round(starts / n, 3)}))
