"""A full base-vs-tuned evaluation judged by llama.cpp's real OpenAI-compatible server
(`llama-cpp-python[server]`, started here on loopback with the default model's GGUF): the tuned
model is the base with a LoRA adapter written here as a PEFT folder."""
import json
import os
import pathlib
import socket
import struct
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from conftest import binary

GGUF = pathlib.Path.home() / ".cache" / "swift-grpo" / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
METRICS = ["medical_accuracy", "reasoning_quality", "format_adherence", "fluency_and_clarity", "overall_usefulness"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    assert GGUF.exists(), f"{GGUF} is missing; run `make models`"
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(GGUF), "--host", "127.0.0.1",
                                 "--port", str(port), "--model_alias", "smollm2-judge", "--n_ctx", "4096",
                                 "--n_threads", "2"], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("llama_cpp.server did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.5)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def write_adapter(folder: pathlib.Path, rank=4, layers=30, hidden=576, kv=192, seed=0):
    """A PEFT LoRA folder for SmolLM2-135M (q_proj and v_proj of every layer), with B ≠ 0 so the
    tuned model really differs from the base."""
    rng = np.random.default_rng(seed)
    tensors = {}
    for layer in range(layers):
        for module, out in (("q_proj", hidden), ("v_proj", kv)):
            prefix = f"base_model.model.model.layers.{layer}.self_attn.{module}"
            tensors[f"{prefix}.lora_A.weight"] = (rng.uniform(-1, 1, (rank, hidden)) / np.sqrt(hidden)).astype(np.float32)
            tensors[f"{prefix}.lora_B.weight"] = rng.normal(0, 0.02, (out, rank)).astype(np.float32)
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = tensors[name].tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    folder.mkdir(parents=True)
    (folder / "adapter_model.safetensors").write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    (folder / "adapter_config.json").write_text(json.dumps({
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "HuggingFaceTB/SmolLM2-135M-Instruct",
        "r": rank, "lora_alpha": 2 * rank, "lora_dropout": 0.0, "use_rslora": False, "use_dora": False,
        "fan_in_fan_out": False, "bias": "none", "target_modules": ["q_proj", "v_proj"]}))


def test_base_against_tuned_judged_by_llama_cpp(llama_server, tmp_path):
    adapter = tmp_path / "adapter"
    write_adapter(adapter)
    out = tmp_path / "results.jsonl"
    proc = subprocess.run([binary(), "evaluate", "--count", "3", "--adapter", str(adapter), "--max-new-tokens", "48",
                           "--judge", f"http://127.0.0.1:{llama_server}/v1", "--judge-model", "smollm2-judge",
                           "--judge-format", "json-object", "--concurrency", "1", "--timeout", "120",
                           "--output", str(out), "--show-cases", "1"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    # Lines are written as cases finish (a model's batch at a time); pair them by case.
    records.sort(key=lambda r: (r["case"], ("base", "tuned").index(r["model"])))
    assert [(r["case"], r["model"]) for r in records] == [(c, m) for c in range(3) for m in ("base", "tuned")]
    # The adapter changes the answers; every model gets the same questions.
    assert any(records[i]["answer"] != records[i + 1]["answer"] for i in range(0, 6, 2))
    assert all(records[i]["question"] == records[i + 1]["question"] for i in range(0, 6, 2))
    for record in records:
        assert set(record["scores"]) == set(METRICS)
        assert record["judge"] == f"smollm2-judge at http://127.0.0.1:{llama_server}/v1/chat/completions"
        for value in record["scores"].values():
            assert value is None or 1 <= value <= 5  # missing is null, never 0
        assert 0 <= record["reference_metrics"]["tag_presence"] <= 1
        assert -1 <= record["reference_metrics"]["similarity"] <= 1
    # In JSON mode the 135M judge scores nearly every case; a reply it still gets wrong (which
    # answer trips it moves with the engine's rounding) is recorded as missing, with the reason.
    scored = [r for r in records if r["overall"] is not None]
    assert len(scored) >= 4, [r["problem"] for r in records]
    assert all(r["problem"] and "gave no usable score" in r["problem"] for r in records if r["overall"] is None)
    assert "Δ tuned − base" in proc.stdout and "95% CI" in proc.stdout
    assert "Case 0" in proc.stdout and "[tuned]" in proc.stdout


def test_free_text_replies_from_llama_cpp_parse_or_are_missing(llama_server, tmp_path):
    """Without constraints the small judge writes free text: each score parses or is null."""
    out = tmp_path / "results.jsonl"
    proc = subprocess.run([binary(), "evaluate", "--count", "2", "--max-new-tokens", "32", "--no-similarity",
                           "--judge", f"http://127.0.0.1:{llama_server}/v1", "--judge-model", "smollm2-judge",
                           "--output", str(out)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 2
    for record in records:
        assert all(v is None or 1 <= v <= 5 for v in record["scores"].values())
        if record["overall"] is None:
            assert record["attempts"] == 2 and "asked twice" in record["problem"]
