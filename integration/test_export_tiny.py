"""Adapters and merged exports of the tiny Llama/Qwen2 fixtures checked with transformers and
peft: our PEFT adapter in peft, peft's adapter in ours, our merged folders in transformers
(all within 1e-4, the fixtures' logit tolerance)."""
import json

import numpy as np
import pytest

from export_support import (TINY, assert_close, export, load_transformers, make_peft_adapter, our_scores,
                            swift_failure, torch_scores)

IDS = [1, 17, 42, 99, 123, 200, 255, 7, 64, 318, 5, 2]
FAMILIES = ["llama", "qwen2"]


@pytest.mark.parametrize("family", FAMILIES)
def test_our_adapter_in_peft(family, tmp_path):
    from peft import PeftModel

    folder = TINY / family
    adapter = tmp_path / "adapter"
    export("--model", folder, "--to", "peft", "--random-init", 7, "--rank", 4, "--alpha", 8, adapter)
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config["r"] == 4 and config["lora_alpha"] == 8 and sorted(config["target_modules"]) == sorted(
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])

    ours, our_z, _ = our_scores(folder, IDS, adapter=adapter)
    base, _, _ = our_scores(folder, IDS)
    assert np.max(np.abs(ours - base)) > 1e-2, "the random adapter must change the model"
    model = PeftModel.from_pretrained(load_transformers(folder), str(adapter)).eval()
    theirs, their_z, _ = torch_scores(model, IDS)
    assert_close(ours, theirs, 1e-4, f"{family}: log-probs, our adapter in peft")
    assert_close(our_z, their_z, 1e-4, f"{family}: logsumexp, our adapter in peft")


@pytest.mark.parametrize("family,rslora", [("llama", False), ("qwen2", True)])
def test_peft_adapter_in_ours(family, rslora, tmp_path):
    folder = TINY / family
    adapter = tmp_path / "peft-made"
    model = make_peft_adapter(load_transformers(folder), adapter, rank=4, alpha=16, seed=3, rslora=rslora,
                              base_name=str(folder))
    theirs, their_z, _ = torch_scores(model, IDS)
    ours, our_z, _ = our_scores(folder, IDS, adapter=adapter)
    base, _, _ = our_scores(folder, IDS)
    assert np.max(np.abs(ours - base)) > 1e-2, "the peft adapter must change the model"
    assert_close(ours, theirs, 1e-4, f"{family}: log-probs, peft adapter in ours")
    assert_close(our_z, their_z, 1e-4, f"{family}: logsumexp, peft adapter in ours")


@pytest.mark.parametrize("family", FAMILIES)
def test_merged_folders_in_transformers(family, tmp_path):
    folder = TINY / family
    adapter = tmp_path / "adapter"
    export("--model", folder, "--to", "peft", "--random-init", 11, "--rank", 4, "--alpha", 8, adapter)
    adapted, adapted_z, _ = our_scores(folder, IDS, adapter=adapter)

    f32 = tmp_path / "merged-f32"
    summary = export("--model", folder, "--adapter", adapter, "--to", "merged", "--dtype", "f32", f32)
    assert summary["merged_tensors"] == 14
    theirs, their_z, _ = torch_scores(load_transformers(f32), IDS)
    assert_close(adapted, theirs, 1e-4, f"{family}: merged F32 folder in transformers vs our adapted model")
    assert_close(adapted_z, their_z, 1e-4, f"{family}: logsumexp")
    reloaded, _, _ = our_scores(f32, IDS)
    assert_close(reloaded, adapted, 1e-4, f"{family}: merged F32 folder loaded back by us")

    bf16 = tmp_path / "merged-bf16"
    export("--model", folder, "--adapter", adapter, "--to", "merged", bf16)
    assert json.loads((bf16 / "config.json").read_text())["torch_dtype"] == "bfloat16"
    theirs, _, _ = torch_scores(load_transformers(bf16), IDS)
    ours, _, _ = our_scores(bf16, IDS)
    # Same BF16 weights on both sides: as close as F32; against the F32 merge: BF16 rounding only.
    assert_close(ours, theirs, 1e-4, f"{family}: merged BF16 folder, ours vs transformers")
    rounding = assert_close(ours, adapted, 0.05, f"{family}: BF16 vs F32 merge")
    assert rounding > 0


def test_bad_adapters_are_named(tmp_path):
    folder = TINY / "llama"
    adapter = tmp_path / "adapter"
    export("--model", folder, "--to", "peft", "--random-init", 1, "--rank", 2, adapter)
    config_path = adapter / "adapter_config.json"
    original = json.loads(config_path.read_text())

    def broken(**changes):
        config_path.write_text(json.dumps({**original, **changes}))
        return swift_failure("score", "--model", folder, "--adapter", adapter)

    assert "use_dora" in broken(use_dora=True)
    assert "bias" in broken(bias="all")
    assert "qkv_proj" in broken(target_modules=["qkv_proj"])
    assert "other-model" in broken(base_model_name_or_path="someone/other-model")
    assert "lora_A" in broken(r=3)  # the tensors are rank 2: wrong shapes are named
    config_path.write_text(json.dumps(original))
    (adapter / "adapter_model.safetensors").unlink()
    assert "adapter_model.safetensors" in swift_failure("export", "--model", folder, "--adapter", adapter,
                                                        "--to", "merged", tmp_path / "out")
    assert not (tmp_path / "out").exists()
