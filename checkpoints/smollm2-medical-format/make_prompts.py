"""Writes prompts.jsonl, the training prompts of the shipped checkpoint, from the bundled sample.

Every prompt has the starter notebook's system prompt. The base model (SmolLM2-135M-Instruct) almost
never starts a reply with `<reasoning>` after that prompt alone (log-prob about -12 for the first `<`),
so GRPO would see no format signal. Two prompts in three therefore carry two worked examples as
earlier chat turns (the two shortest training items, which are left out of the prompts): that raises
the chance of a first `<` to about 14% (one example: 2%), so most groups of 8 hold a completion that
starts in the format. The remaining zero-shot prompts are the kind the evaluation uses; the adapter
has to carry the habit over to them.

Stage 2 (`--stage 2`, prompts-stage2.jsonl, the same rows in the same order) moves the examples out:
after stage 1 the adapter starts one-example prompts in the format 91% of the time but zero-shot ones
still almost never (first `<` at log-prob -10.7), while prompts that repeat the format request in the
user message have risen from 0.2% to 2%. Stage 2 trains on those (half the rows), on one-example
prompts (a quarter, to keep the habit) and on zero-shot prompts (a quarter).

Guided (`--guided`, prompts-guided.jsonl; the recipe of the shipped adapter): every row's `prompt` is
the zero-shot prompt the evaluation uses, and its `guide` column is the same question after the two
worked examples. The trainer samples half of each group from the guide and trains them as completions
of the zero-shot prompt (`guide_prompt_column`, `guided_generations` in train.yaml), so every group
holds formatted and unformatted answers to the very prompt the adapter must learn to answer.

Run from the repository root: python3 checkpoints/smollm2-medical-format/make_prompts.py [--stage 2 | --guided]
"""
import sys
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
    rows = [r for r in train if all(r is not e for e in examples)]
    if "--guided" in sys.argv:
        with open(HERE / "prompts-guided.jsonl", "w") as out:
            for row in rows:
                question = {"role": "user", "content": row["Question"]}
                system = {"role": "system", "content": SYSTEM}
                out.write(json.dumps({"prompt": [system, question], "guide": [system] + shot + [question],
                                      "answer": row["Response"]}) + "\n")
        return
    stage = int(sys.argv[sys.argv.index("--stage") + 1]) if "--stage" in sys.argv else 1
    name = "prompts.jsonl" if stage == 1 else f"prompts-stage{stage}.jsonl"
    with open(HERE / name, "w") as out:
        for index, row in enumerate(rows):
            messages = [{"role": "system", "content": SYSTEM}]
            question = row["Question"]
            if stage == 1:
                kind = "two-shot" if index % 3 != 2 else "zero-shot"
            else:
                kind = ["format-in-user", "format-in-user", "one-shot", "zero-shot"][index % 4]
            if kind == "two-shot":
                messages += shot
            elif kind == "one-shot":
                messages += shot[:2]
            elif kind == "format-in-user":
                question += "\n\n" + SYSTEM
            messages.append({"role": "user", "content": question})
            out.write(json.dumps({"prompt": messages, "answer": row["Response"], "kind": kind}) + "\n")


if __name__ == "__main__":
    main()
