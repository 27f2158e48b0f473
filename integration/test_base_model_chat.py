"""`swift-grpo generate` on the real Gemma 3 270M base model (`gemma-3-270m`, no chat template):
--chat without a template fails with a message offering --chat-template, a known template makes
chat work, and a raw prompt gets the model's BOS (its greedy continuation is transformers')."""
import json
import os
import pathlib
import subprocess

import pytest

from conftest import ROOT, binary

MODELS = pathlib.Path(os.environ.get("SWIFT_GRPO_MODELS") or pathlib.Path.home() / ".cache" / "swift-grpo" / "models")
GEMMA = MODELS / "gemma-3-270m-q4_k_m.gguf"
REFERENCE = json.loads((ROOT / "Tests" / "Fixtures" / "gemma3_270m_reference.json").read_text())

pytestmark = pytest.mark.skipif(not GEMMA.exists(), reason="gemma-3-270m is not in the model cache; `make models` fetches it")


def generate(*arguments):
    return subprocess.run([binary(), "generate", "--model", "gemma-3-270m", *arguments],
                          capture_output=True, text=True, timeout=600)


def test_chat_without_a_template_offers_the_fix():
    result = generate("--chat", "Hi", "--max-new-tokens", "2")
    assert result.returncode != 0
    assert "--chat-template" in result.stderr and "gemma" in result.stderr, result.stderr


def test_known_template_renders_gemma_turns_and_generates():
    case = next(c for c in REFERENCE["cases"] if c["kind"] == "chat")
    user = case["text"].split("<start_of_turn>user\n")[1].split("<end_of_turn>")[0]
    result = generate("--chat", user, "--chat-template", "gemma", "--greedy", "--max-new-tokens", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["ids"]) >= 1


def test_raw_prompt_gets_bos():
    case = next(c for c in REFERENCE["cases"] if c["kind"] == "raw")
    result = generate("--prompt", case["text"], "--greedy", "--max-new-tokens", "6", "--json")
    assert result.returncode == 0, result.stderr
    # Generation reads the GGUF blocks (8-bit activations), so only a short prefix is compared.
    assert json.loads(result.stdout)["ids"][:6] == case["greedy_continuation"][:6]
