"""Helpers for the export tests: drive `swift-grpo` and compute the same numbers with the real
Python tools (transformers, peft, llama.cpp)."""
import json
import os
import pathlib
import subprocess

import numpy as np

from conftest import ROOT, binary

FIXTURES = pathlib.Path(os.environ.get("SWIFT_GRPO_FIXTURES") or ROOT.parent / "shared" / "fixtures")
TINY = FIXTURES / "tiny_models"
MODELS = pathlib.Path(os.environ.get("SWIFT_GRPO_MODELS") or pathlib.Path.home() / ".cache" / "swift-grpo" / "models")
DEFAULT_GGUF = MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf"
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def swift(*arguments, stdin=""):
    """Runs swift-grpo; returns stdout (the command must succeed)."""
    result = subprocess.run([binary(), *map(str, arguments)], input=stdin, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"swift-grpo {' '.join(map(str, arguments))} failed:\n{result.stderr}"
    return result.stdout


def swift_failure(*arguments):
    """Runs swift-grpo expecting failure; returns stderr."""
    result = subprocess.run([binary(), *map(str, arguments)], capture_output=True, text=True, timeout=900)
    assert result.returncode != 0, f"swift-grpo {' '.join(map(str, arguments))} unexpectedly succeeded"
    return result.stderr


def export(*arguments):
    """`swift-grpo export …`; returns its JSON summary."""
    return json.loads(swift("export", *arguments).strip().splitlines()[-1])


def our_scores(model, ids, adapter=None, top=0):
    """Per position t: log p(ids[t+1]) and the logsumexp, from `swift-grpo score`."""
    arguments = ["score", "--model", model]
    if adapter:
        arguments += ["--adapter", adapter]
    if top:
        arguments += ["--top", top]
    answer = json.loads(swift(*arguments, stdin=json.dumps({"ids": ids}) + "\n"))
    return np.array(answer["logprobs"]), np.array(answer["logsumexp"]), answer.get("top")


def torch_scores(model, ids):
    """The same numbers from a transformers (or peft) model, in float64."""
    import torch

    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].double()
    log_z = torch.logsumexp(logits, dim=-1)
    positions = torch.arange(len(ids) - 1)
    logprobs = logits[positions, torch.tensor(ids[1:])] - log_z[:-1]
    return logprobs.numpy(), log_z[:-1].numpy(), logits[:-1].numpy()


def load_transformers(folder, gguf_file=None):
    import torch
    from transformers import AutoModelForCausalLM

    kwargs = {"gguf_file": gguf_file} if gguf_file else {}
    return AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32, attn_implementation="eager", **kwargs).eval()


def assert_close(ours, theirs, tolerance, what):
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    assert ours.shape == theirs.shape, f"{what}: shapes {ours.shape} vs {theirs.shape}"
    worst = float(np.max(np.abs(ours - theirs)))
    assert worst <= tolerance, f"{what}: max |difference| {worst:.3g} > {tolerance}"
    return worst


def make_peft_adapter(model, folder, rank=4, alpha=8, seed=0, rslora=False, base_name=None):
    """A peft LoRA adapter with random A and B (init_lora_weights=False) on `model`, saved to
    `folder`; `base_name` overrides base_model_name_or_path as a real adapter would record it."""
    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    config = LoraConfig(r=rank, lora_alpha=alpha, target_modules=PROJECTIONS, init_lora_weights=False,
                        use_rslora=rslora, lora_dropout=0.0, task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, config).eval()
    with torch.no_grad():  # peft's random B is large; keep the logits in a sane range
        for name, parameter in peft_model.named_parameters():
            if "lora_B" in name:
                parameter.mul_(0.05)
    peft_model.save_pretrained(str(folder))
    if base_name:
        path = pathlib.Path(folder) / "adapter_config.json"
        config_json = json.loads(path.read_text())
        config_json["base_model_name_or_path"] = base_name
        path.write_text(json.dumps(config_json))
    return peft_model


def llama_cpp_greedy(model_path, ids, count, lora_path=None, margins=None):
    """`count` greedy tokens after `ids` from llama.cpp (stopping after an end-of-generation token).
    When `margins` is a list, each step's top-1 minus top-2 logit is appended to it."""
    from llama_cpp import Llama

    kwargs = {"lora_path": str(lora_path)} if lora_path else {}
    llm = Llama(model_path=str(model_path), n_ctx=512, n_threads=2, n_batch=512, logits_all=True, verbose=False, seed=0,
                **kwargs)
    try:
        llm.reset()
        llm.eval(list(ids))
        out = []
        for _ in range(count):
            scores = np.asarray(llm.scores[llm.n_tokens - 1])
            token = int(np.argmax(scores))
            if margins is not None:
                second = np.partition(scores, -2)[-2]
                margins.append(float(scores[token] - second))
            out.append(token)
            if llm.token_eos() == token or token in (0, 2):
                break
            llm.eval([token])
        return out
    finally:
        llm.close()


def assert_same_greedy(ours, theirs, margins, what, near_tie=0.1, at_least=2):
    """Two engines' greedy tokens are the same, or they part only at a step where llama.cpp's own
    top-1 minus top-2 logit is below `near_tie` (a near-tie that either engine's rounding may
    flip; the fixtures' README gives the same rule), after at least `at_least` equal tokens."""
    if ours == theirs:
        return
    step = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    detail = f"{what}: ours {ours} vs llama.cpp {theirs}, parting at step {step} (llama.cpp margins {margins})"
    assert step < len(margins) and margins[step] < near_tie, detail
    assert step >= at_least, detail
