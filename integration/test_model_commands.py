"""`swift-grpo score` and `generate` on the tiny model folders: token ids need no tokenizer,
and a model's generation_config.json sampling values are its defaults."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import ROOT, binary

FIXTURES = pathlib.Path(os.environ.get("SWIFT_GRPO_FIXTURES") or ROOT.parent / "shared" / "fixtures")
TINY_LLAMA = FIXTURES / "tiny_models" / "llama"
MODELS = pathlib.Path(os.environ.get("SWIFT_GRPO_MODELS") or pathlib.Path.home() / ".cache" / "swift-grpo" / "models")
BORROWED_TOKENIZER = MODELS / "all-MiniLM-L6-v2" / "tokenizer.json"


def run(*arguments, stdin=""):
    result = subprocess.run([binary(), *arguments], input=stdin, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_score_reads_ids_from_a_folder_without_a_tokenizer():
    assert not (TINY_LLAMA / "tokenizer.json").exists()
    lines = run("score", "--model", str(TINY_LLAMA), stdin='{"ids": [1, 17, 42, 99]}\n{"ids": [5, 6]}\n').splitlines()
    first, second = (json.loads(line) for line in lines)
    assert len(first["logprobs"]) == 3 and len(first["logsumexp"]) == 3
    assert all(value < 0 for value in first["logprobs"])
    assert len(second["logprobs"]) == 1


@pytest.mark.skipif(not BORROWED_TOKENIZER.exists(), reason="run `make models` first")
def test_generate_samples_with_the_models_generation_config(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        (folder / name).symlink_to(TINY_LLAMA / name)
    shutil.copy(BORROWED_TOKENIZER, folder / "tokenizer.json")
    # top_k 1 keeps only the most likely token: sampling with the model's defaults is greedy.
    (folder / "generation_config.json").write_text(json.dumps({"temperature": 1.0, "top_k": 1, "do_sample": True}))
    common = ("generate", "--model", str(folder), "--prompt", "[CLS]", "--max-new-tokens", "12", "--json")
    greedy = json.loads(run(*common, "--greedy"))["ids"]
    for seed in ("1", "2", "3"):
        assert json.loads(run(*common, "--seed", seed))["ids"] == greedy
    # What the user passes still wins over the model's defaults.
    sampled = [json.loads(run(*common, "--seed", seed, "--top-k", "0"))["ids"] for seed in ("1", "2", "3")]
    assert any(ids != greedy for ids in sampled)
