"""Adapters and exports of the default model (SmolLM2-135M-Instruct from its Q4_1 GGUF) checked
with the real tools: transformers + peft (logits within 1e-3) and llama.cpp (greedy tokens)."""
import json

import numpy as np
import pytest

from export_support import (DEFAULT_GGUF, FIXTURES, assert_close, assert_same_greedy, export, llama_cpp_greedy,
                            load_transformers, make_peft_adapter, our_scores, swift, torch_scores)

pytestmark = pytest.mark.skipif(not DEFAULT_GGUF.exists(), reason="run `make models` first")
MODEL = "SmolLM2-135M-Instruct"
GREEDY_TOKENS = 32


def prompts():
    return json.loads((FIXTURES / "logits_smollm2.json").read_text())["prompts"]


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("smollm2-export")


@pytest.fixture(scope="module")
def ids():
    return prompts()[2]["input_ids"] + prompts()[0]["input_ids"][:12]


@pytest.fixture(scope="module")
def our_adapter(work):
    folder = work / "our-adapter"
    export("--model", MODEL, "--to", "peft", "--random-init", 5, "--rank", 8, "--alpha", 16, folder)
    return folder


@pytest.fixture(scope="module")
def base_f32_gguf(work):
    """The base model as an F32 GGUF (for llama.cpp with a LoRA GGUF, and as ggml's encoder input)."""
    path = work / "base-f32.gguf"
    export("--model", MODEL, "--to", "gguf", "--quantization", "f32", path)
    return path


@pytest.fixture(scope="module")
def transformers_base():
    """The base model in transformers, read from the same Q4_1 GGUF (dequantized)."""
    return load_transformers(DEFAULT_GGUF.parent, gguf_file=DEFAULT_GGUF.name)


def test_our_adapter_in_peft(our_adapter, transformers_base, ids):
    from peft import PeftModel

    ours, our_z, _ = our_scores(MODEL, ids, adapter=our_adapter)
    base, _, _ = our_scores(MODEL, ids)
    assert np.max(np.abs(ours - base)) > 1e-2, "the random adapter must change the model"
    model = PeftModel.from_pretrained(transformers_base, str(our_adapter)).eval()
    try:
        theirs, their_z, _ = torch_scores(model, ids)
    finally:
        model.unload()
    assert_close(ours, theirs, 1e-3, "log-probs, our adapter in peft")
    assert_close(our_z, their_z, 1e-3, "logsumexp, our adapter in peft")


def test_peft_adapter_in_ours(transformers_base, work, ids):
    folder = work / "peft-adapter"
    model = make_peft_adapter(transformers_base, folder, rank=8, alpha=16, seed=1,
                              base_name="HuggingFaceTB/SmolLM2-135M-Instruct")
    try:
        theirs, their_z, _ = torch_scores(model, ids)
    finally:
        model.unload()
    ours, our_z, _ = our_scores(MODEL, ids, adapter=folder)
    assert_close(ours, theirs, 1e-3, "log-probs, peft adapter in ours")
    assert_close(our_z, their_z, 1e-3, "logsumexp, peft adapter in ours")


def test_merged_folders_in_transformers(our_adapter, work, ids):
    adapted, adapted_z, _ = our_scores(MODEL, ids, adapter=our_adapter)
    f32 = work / "merged-f32"
    summary = export("--model", MODEL, "--adapter", our_adapter, "--to", "merged", "--dtype", "f32", f32)
    assert summary["merged_tensors"] == 7 * 30
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json"):
        assert (f32 / name).exists(), name
    assert "<|im_start|>" in json.loads((f32 / "tokenizer_config.json").read_text())["chat_template"]
    model = load_transformers(f32)
    theirs, their_z, _ = torch_scores(model, ids)
    assert_close(adapted, theirs, 1e-3, "merged F32 folder in transformers vs our adapted model")
    assert_close(adapted_z, their_z, 1e-3, "logsumexp")
    reloaded, _, _ = our_scores(f32, ids)
    assert_close(reloaded, adapted, 1e-3, "merged F32 folder loaded back by us")

    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(str(f32))
    for prompt in prompts():
        assert tokenizer(prompt["text"], add_special_tokens=False)["input_ids"] == prompt["input_ids"]
    chat = prompts()[0]
    rendered = tokenizer.apply_chat_template(chat["messages"], tokenize=False, add_generation_prompt=True)
    assert rendered == chat["text"]

    bf16 = work / "merged-bf16"
    export("--model", MODEL, "--adapter", our_adapter, "--to", "merged", "--dtype", "bf16", bf16)
    theirs, _, _ = torch_scores(load_transformers(bf16), ids)
    ours, _, _ = our_scores(bf16, ids)
    assert_close(ours, theirs, 1e-3, "merged BF16 folder, ours vs transformers")
    assert_close(ours, adapted, 0.25, "BF16 vs F32 merge (BF16 rounding)")


def our_greedy(model, text, adapter=None):
    arguments = ["generate", "--model", model, "--prompt", text, "--greedy", "--max-new-tokens", GREEDY_TOKENS, "--json"]
    if adapter:
        arguments += ["--adapter", adapter]
    return json.loads(swift(*arguments))["ids"]


@pytest.mark.parametrize("quantization", ["f16", "q8_0"])
def test_gguf_runs_in_llama_cpp(quantization, work):
    path = work / f"smollm2-{quantization}.gguf"
    export("--model", MODEL, "--to", "gguf", "--quantization", quantization, path)
    for prompt in prompts():
        margins = []
        theirs = llama_cpp_greedy(path, prompt["input_ids"], GREEDY_TOKENS, margins=margins)
        # Both engines round activations to 8 bits for Q8_0 weights (and only llama.cpp does in
        # prefill), which moves logits by up to ~0.2: ties closer than that may go either way.
        near_tie = 0.25 if quantization == "q8_0" else 0.1
        assert_same_greedy(our_greedy(path, prompt["text"]), theirs, margins, f"{quantization}, prompt {prompt['index']}",
                           near_tie=near_tie)


def test_lora_gguf_in_llama_cpp_matches_the_merged_gguf(our_adapter, base_f32_gguf, work):
    base = base_f32_gguf
    merged = work / "merged-f32.gguf"
    lora = work / "adapter.gguf"
    export("--model", MODEL, "--adapter", our_adapter, "--to", "gguf", "--quantization", "f32", merged)
    export("--model", MODEL, "--adapter", our_adapter, "--to", "lora-gguf", lora)
    changed = 0
    for prompt in prompts():
        with_lora = llama_cpp_greedy(base, prompt["input_ids"], GREEDY_TOKENS, lora_path=lora)
        margins = []
        merged_ids = llama_cpp_greedy(merged, prompt["input_ids"], GREEDY_TOKENS, margins=margins)
        plain = llama_cpp_greedy(base, prompt["input_ids"], GREEDY_TOKENS)
        assert with_lora == merged_ids, f"prompt {prompt['index']}: base+LoRA {with_lora} vs merged {merged_ids}"
        assert_same_greedy(our_greedy(merged, prompt["text"]), merged_ids, margins,
                           f"prompt {prompt['index']}: our engine on the merged GGUF")
        changed += with_lora != plain
    assert changed > 0, "the adapter must change llama.cpp's output"


def test_exporting_back_to_the_base_quantization_reports_the_change(our_adapter, work):
    same = work / "same.gguf"
    summary = export("--model", MODEL, "--adapter", our_adapter, "--to", "gguf", "--quantization", "same", same)
    change = summary["quantization_change"]
    assert summary["base_quantization"].startswith("Q4_1")
    assert change["tensors_compared"] == 211 and change["tensors_changed"] > 0
    assert 0 < change["fraction_of_blocks_changed"] < 1
    assert change["max_abs_delta"] > 0 and change["rms_delta"] > 0
    import gguf
    reader = gguf.GGUFReader(str(same))
    types = {tensor.name: tensor.tensor_type.name for tensor in reader.tensors}
    assert types["blk.0.attn_q.weight"] == "Q4_1" and types["token_embd.weight"] == "Q8_0"
    assert types["blk.0.attn_norm.weight"] == "F32"


def test_k_quant_encoders_match_ggml(base_f32_gguf, work):
    """Our Q6_K/Q5_K/Q4_K blocks are byte for byte ggml's own reference encoders' (quantize_row_*_ref
    in llama.cpp's libggml-base) on the model's ffn_down rows (1536 values: whole 256-blocks)."""
    import ctypes
    import pathlib

    import gguf
    import llama_cpp

    library = ctypes.CDLL(str(pathlib.Path(llama_cpp.__file__).parent / "lib" / "libggml-base.so"))
    reference = {t.name: t for t in gguf.GGUFReader(str(base_f32_gguf)).tensors}
    for quantization, block_bytes in (("q6_k", 210), ("q5_k", 176), ("q4_k", 144)):
        path = work / f"smollm2-{quantization}.gguf"
        export("--model", MODEL, "--to", "gguf", "--quantization", quantization, path)
        tensors = {t.name: t for t in gguf.GGUFReader(str(path)).tensors}
        assert tensors["blk.0.ffn_down.weight"].tensor_type.name == quantization.upper()
        # 576-wide rows are not whole 256-blocks: llama.cpp's fallback types.
        fallback = {"q6_k": "Q8_0", "q5_k": "Q5_1", "q4_k": "Q5_0"}[quantization]
        assert tensors["blk.0.attn_q.weight"].tensor_type.name == fallback
        encoder = getattr(library, f"quantize_row_{quantization[:2]}_K_ref")
        same = total = 0
        for layer in (0, 15, 29):
            name = f"blk.{layer}.ffn_down.weight"
            values = np.ascontiguousarray(np.asarray(reference[name].data, dtype=np.float32).reshape(-1))
            theirs = np.zeros(values.size // 256 * block_bytes, dtype=np.uint8)
            encoder(values.ctypes.data_as(ctypes.c_void_p), theirs.ctypes.data_as(ctypes.c_void_p), ctypes.c_int64(values.size))
            ours = np.asarray(tensors[name].data, dtype=np.uint8).reshape(-1)
            blocks_ours, blocks_theirs = ours.reshape(-1, block_bytes), theirs.reshape(-1, block_bytes)
            same += int(np.sum(np.all(blocks_ours == blocks_theirs, axis=1)))
            total += blocks_ours.shape[0]
        assert same == total, f"{quantization}: {same} of {total} blocks identical to ggml's"


def test_gguf_from_a_merged_folder_keeps_the_tokenizer(work):
    """GGUF → merged Hugging Face folder → GGUF: the tokenizer and chat template are rebuilt from
    tokenizer.json / tokenizer_config.json, and llama.cpp generates what our engine does."""
    import gguf

    folder = work / "base-folder"
    export("--model", MODEL, "--to", "merged", "--dtype", "f32", folder)
    path = work / "from-folder-q8_0.gguf"
    export("--model", folder, "--to", "gguf", "--quantization", "q8_0", path)
    original = gguf.GGUFReader(str(DEFAULT_GGUF))
    rebuilt = gguf.GGUFReader(str(path))

    def field(reader, key):
        value = reader.fields[key]
        return value.contents() if hasattr(value, "contents") else value.parts[value.data[0]].tolist()

    for key in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.pre",
                "tokenizer.chat_template", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.bos_token_id"):
        assert field(rebuilt, key) == field(original, key), key
    prompt = prompts()[1]
    margins = []
    theirs = llama_cpp_greedy(path, prompt["input_ids"], GREEDY_TOKENS, margins=margins)
    assert_same_greedy(our_greedy(path, prompt["text"]), theirs, margins, "GGUF rebuilt from a folder", near_tie=0.25)
