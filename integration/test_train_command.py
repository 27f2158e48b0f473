"""`swift-grpo train CONFIG` end to end on the tiny Llama fixture (with a byte-level tokenizer
written beside it): a YAML run with checkpoints and a JSONL log, `--resume` continuing it to the
same log as a run that never stopped, and config errors that name the field.
"""
import json
import os
import pathlib
import subprocess

import pytest

from conftest import ROOT, binary

FIXTURES = pathlib.Path(os.environ.get("SWIFT_GRPO_FIXTURES") or ROOT.parent / "shared" / "fixtures")


def byte_tokenizer():
    """GPT-2's byte-to-character table, one vocabulary entry per byte (ids 3…258)."""
    printable = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    characters = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
    table = dict(zip(printable, characters))
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for byte in range(256):
        vocab[chr(table[byte])] = 3 + byte
    special = [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for c, i in (("<unk>", 0), ("<s>", 1), ("</s>", 2))]
    level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": special, "normalizer": None,
            "pre_tokenizer": level, "post_processor": None, "decoder": level,
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                      "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                      "ignore_merges": False, "vocab": vocab, "merges": []}}


@pytest.fixture()
def job(tmp_path):
    model = tmp_path / "tiny"
    model.mkdir()
    for name in ("config.json", "generation_config.json", "model.safetensors"):
        (model / name).symlink_to(FIXTURES / "tiny_models" / "llama" / name)
    (model / "tokenizer.json").write_text(json.dumps(byte_tokenizer()))
    rows = [{"question": f"What is {a} plus {b}?", "answer": str(a + b)} for a in range(1, 5) for b in range(1, 4)]
    (tmp_path / "data.json").write_text(json.dumps(rows))

    def write(name, output, extra=""):
        path = tmp_path / name
        path.write_text(f"""model: {model}
dataset: {tmp_path / 'data.json'}
prompt_column: question
chat: false
rewards:
  - xmlCount
  - {{name: lengthPenalty, weight: 0.5, soft_cache_length: 4}}
lora: {{r: 4, lora_alpha: 8}}
learning_rate: 5.0e-3
num_generations: 4
per_device_train_batch_size: 4
gradient_accumulation_steps: 2
max_completion_length: 6
temperature: 1.0
max_steps: 4
beta: 0.04
save_steps: 2
logging_steps: 1
seed: 5
output_dir: {tmp_path / output}
{extra}""")
        return path
    return tmp_path, write


def train(config, *extra):
    env = dict(os.environ, OPENBLAS_CORETYPE=os.environ.get("OPENBLAS_CORETYPE", "Haswell"))
    return subprocess.run([binary(), "train", str(config), "--threads", "1", *extra],
                          capture_output=True, text=True, timeout=300, env=env)


def losses(folder):
    lines = (folder / "metrics.jsonl").read_text().strip().split("\n")
    return [json.loads(line) for line in lines]


def test_a_run_writes_checkpoints_and_a_log_and_resume_continues_it(job):
    root, write = job
    whole = train(write("whole.yaml", "whole"))
    assert whole.returncode == 0, whole.stderr
    assert "step 4/4" in whole.stdout
    log = losses(root / "whole")
    assert [entry["step"] for entry in log] == [1, 2, 3, 4]
    for name in ("reward", "reward_std", "frac_reward_zero_std", "kl", "entropy", "loss", "grad_norm", "learning_rate",
                 "num_tokens", "step_time", "completions/mean_length", "completions/clipped_ratio",
                 "rewards/xml_count/mean", "rewards/length_penalty/std", "clip_ratio/region_mean"):
        assert name in log[0], name
    checkpoint = root / "whole" / "checkpoint-2"
    assert {"adapter_config.json", "adapter_model.safetensors", "optimizer.safetensors", "optimizer.json",
            "trainer_state.json", "grpo_config.json", "metrics.jsonl"} <= {p.name for p in checkpoint.iterdir()}
    assert json.loads((checkpoint / "adapter_config.json").read_text())["peft_type"] == "LORA"

    # The same run stopped after two steps (max_steps 2 would change the schedule, so the
    # first half is a copy of the checkpoint) and resumed reaches the same numbers.
    half = root / "half"
    half.mkdir()
    subprocess.run(["cp", "-r", str(checkpoint), str(half / "checkpoint-2")], check=True)
    (half / "metrics.jsonl").write_text((checkpoint / "metrics.jsonl").read_text())
    resumed = train(write("half.yaml", "half"), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed from checkpoint-2" in resumed.stdout
    mine, theirs = losses(half), log
    assert [entry["step"] for entry in mine] == [1, 2, 3, 4]
    for a, b in zip(mine, theirs):
        assert a["loss"] == b["loss"] and a["reward"] == b["reward"] and a["grad_norm"] == b["grad_norm"]
    assert (half / "checkpoint-4" / "adapter_model.safetensors").read_bytes() == \
        (root / "whole" / "checkpoint-4" / "adapter_model.safetensors").read_bytes()


def test_config_errors_name_the_field(job):
    _, write = job
    result = train(write("typo.yaml", "typo", "num_generation: 4\n"))
    assert result.returncode != 0
    assert 'did you mean "numGenerations"' in result.stderr
    result = train(write("sizes.yaml", "sizes", "generation_batch_size: 6\n"))
    assert result.returncode != 0
    assert "generationBatchSize 6 is not a multiple of perDeviceTrainBatchSize 4" in result.stderr
    result = train(write("resume.yaml", "nothing"), "--resume")
    assert result.returncode != 0
    assert "No checkpoint" in result.stderr
