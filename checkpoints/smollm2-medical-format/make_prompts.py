"""Writes prompts.jsonl, the training prompts of the shipped checkpoint, from the bundled sample.

Every prompt has the starter notebook's system prompt. The base model (SmolLM2-135M-Instruct) almost
never starts a reply with `<reasoning>` after that prompt alone (log-prob about -12 for the first `<`),
so GRPO would see no format signal. Two prompts in three therefore carry two worked examples as
earlier chat turns (the two shortest training items, which are left out of the prompts): that raises
the chance of a first `<` to about 14% (one example: 2%), so most groups of 8 hold a completion that
starts in the format. The remaining zero-shot prompts are the kind the evaluation uses; the adapter
has to carry the habit over to them.

Run from the repository root: python3 checkpoints/smollm2-medical-format/make_prompts.py
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent.parent / "data" / "medical-o1-sample.json"
SYSTEM = "Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n"


def formatted(row):
    return f"<reasoning>\n{row['Complex_CoT']}\n</reasoning>\n<answer>\n{row['Response']}\n</answer>\n"


def main():
    rows = json.loads(DATA.read_text())
    train = [row for row in rows if row["split"] == "train"]
    examples = sorted(train, key=lambda row: len(row["Complex_CoT"]) + len(row["Response"]))[:2]
    shot = []
    for example in examples:
        shot += [{"role": "user", "content": example["Question"]}, {"role": "assistant", "content": formatted(example)}]
    with open(HERE / "prompts.jsonl", "w") as out:
        for index, row in enumerate(r for r in train if all(r is not e for e in examples)):
            messages = [{"role": "system", "content": SYSTEM}]
            if index % 3 != 2:
                messages += shot
            messages.append({"role": "user", "content": row["Question"]})
            out.write(json.dumps({"prompt": messages, "answer": row["Response"], "few_shot": index % 3 != 2}) + "\n")


if __name__ == "__main__":
    main()
