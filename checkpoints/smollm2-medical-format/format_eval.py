"""Greedy format adherence on the held-out questions, base vs an adapter, with the starter's system
prompt alone (`--shots 0`, what the evaluation asks) or after one worked example (`--shots 1`).

python3 checkpoints/smollm2-medical-format/format_eval.py [--shots 0|1] [--adapter DIR] [--limit N] [--no-base]
"""
import argparse, json, pathlib, re, subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SYSTEM = "Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n"
TAGS = ["<reasoning>", "</reasoning>", "<answer>", "</answer>"]
SOFT = re.compile(r"<reasoning>[\s\S]*?</reasoning>\s*<answer>[\s\S]*?</answer>")


def turn(role, text):
    return f"<|im_start|>{role}\n{text}<|im_end|>\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, choices=(0, 1), default=0)
    parser.add_argument("--adapter", default=str(ROOT / "checkpoints/smollm2-medical-format"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--no-base", action="store_true")
    parser.add_argument("--binary", default=str(ROOT / ".build/release/swift-grpo"))
    args = parser.parse_args()
    rows = json.loads((ROOT / "data/medical-o1-sample.json").read_text())
    train = [r for r in rows if r["split"] == "train"]
    example = sorted(train, key=lambda r: len(r["Complex_CoT"]) + len(r["Response"]))[0]
    shot = turn("user", example["Question"]) + turn(
        "assistant", f"<reasoning>\n{example['Complex_CoT']}\n</reasoning>\n<answer>\n{example['Response']}\n</answer>\n")
    test = [r for r in rows if r["split"] == "test"][: args.limit or None]
    runs = ([] if args.no_base else [("base", None)]) + [("tuned", args.adapter)]
    for name, adapter in runs:
        presence, soft, starts = 0.0, 0, 0
        for row in test:
            prompt = (turn("system", SYSTEM) + (shot if args.shots else "") + turn("user", row["Question"])
                      + "<|im_start|>assistant\n")
            command = [args.binary, "generate", "--prompt", prompt, "--max-new-tokens", "128", "--greedy", "--json"]
            command += ["--adapter", adapter] if adapter else []
            text = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)["text"]
            presence += sum(tag in text for tag in TAGS) / 4
            soft += bool(SOFT.match(text.strip()))
            starts += text.startswith("<reasoning>")
        n = len(test)
        print(json.dumps({"model": name, "adapter": adapter, "shots": args.shots, "cases": n,
                          "tag_presence": round(presence / n, 3), "soft_format": round(soft / n, 3),
                          "starts_with_reasoning": round(starts / n, 3)}), flush=True)


if __name__ == "__main__":
    main()
