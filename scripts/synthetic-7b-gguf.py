#!/usr/bin/env python3
"""Writes a GGUF with the shapes and quantization types of a Qwen2-7B Q4_K_M file and random weights.

For the memory and speed benchmark of a 7B-class model (issue #17) when no real 7B GGUF can be
downloaded (PyPI has none this machine can reach). The text it generates is noise; what it
measures is real: the file's size, what loading maps and keeps resident, and the cost of a decode
step over 28 layers of 3584 × 18944 K-quant products.

Shapes as DeepSeek-R1-Distill-Qwen-7B (hidden 3584, 28 layers, 28 query / 4 KV heads, FFN 18944,
q/k/v biases), types as llama.cpp's Q4_K_M recipe (Q4_K everywhere, Q6_K for half of the layers'
attn_v and ffn_down and for the output head). The vocabulary and tokenizer are the default model's
(49,152 tokens instead of 152,064), so the embedding and head are 0.35 GB smaller than the real file's.

    .venv/bin/python scripts/synthetic-7b-gguf.py SmolLM2-135M-Instruct.Q4_1.gguf /tmp/qwen2-7b-synthetic.gguf
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType as Q, GGUFReader, GGUFValueType, GGUFWriter

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN = 3584, 28, 28, 4, 18944
BLOCK_BYTES = {Q.Q4_K: 144, Q.Q6_K: 210}


def random_blocks(rng, rows, columns, kind):
    """Random K-quant blocks whose scales keep every weight small and finite."""
    blocks = rows * columns // 256
    raw = rng.integers(0, 256, size=(blocks, BLOCK_BYTES[kind]), dtype=np.uint8)
    if kind == Q.Q4_K:  # d, dmin (f16) then 12 bytes of 6-bit scales and mins, then 128 bytes of nibbles
        raw[:, 0:2] = np.frombuffer(np.float16(2e-4).tobytes(), dtype=np.uint8)
        raw[:, 2:4] = np.frombuffer(np.float16(1e-4).tobytes(), dtype=np.uint8)
    else:  # ql 128, qh 64, 16 int8 scales, d (f16) last
        raw[:, 192:208] = rng.integers(-8, 9, size=(blocks, 16), dtype=np.int8).view(np.uint8)
        raw[:, 208:210] = np.frombuffer(np.float16(2e-4).tobytes(), dtype=np.uint8)
    return raw.reshape(rows, -1)


def copy_tokenizer(reader, writer):
    for field in reader.fields.values():
        if not field.name.startswith("tokenizer."):
            continue
        kind = field.types[0]
        if kind == GGUFValueType.ARRAY:
            item = field.types[1]
            values = [field.parts[i] for i in field.data]
            if item == GGUFValueType.STRING:
                values = [bytes(v).decode("utf-8") for v in values]
            else:
                values = [v.tolist()[0] for v in values]
            writer.add_array(field.name, values)
        elif kind == GGUFValueType.STRING:
            writer.add_string(field.name, bytes(field.parts[field.data[0]]).decode("utf-8"))
        else:
            writer.add_key_value(field.name, field.parts[field.data[0]].tolist()[0], kind)
    return len(reader.fields["tokenizer.ggml.tokens"].data)


def main(tokenizer_source, out_path):
    reader = GGUFReader(tokenizer_source)
    writer = GGUFWriter(out_path, "qwen2")
    writer.add_name("Qwen2-7B-shaped synthetic (random weights)")
    writer.add_context_length(4096)
    writer.add_embedding_length(HIDDEN)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    vocab = copy_tokenizer(reader, writer)

    rng = np.random.default_rng(7)
    kv = HIDDEN // HEADS * KV_HEADS
    ones = lambda n: np.ones(n, dtype=np.float32)
    small = lambda n: (rng.standard_normal(n) * 0.01).astype(np.float32)

    def matrix(name, rows, columns, kind=Q.Q4_K):
        writer.add_tensor(name, random_blocks(rng, rows, columns, kind), raw_dtype=kind)

    matrix("token_embd.weight", vocab, HIDDEN)
    for layer in range(LAYERS):
        p = f"blk.{layer}."
        # Q4_K_M gives the first and last eighths and every third layer in between Q6_K for v and down.
        wide = layer < LAYERS // 8 or layer >= 7 * LAYERS // 8 or (layer - LAYERS // 8) % 3 == 2
        writer.add_tensor(p + "attn_norm.weight", ones(HIDDEN))
        matrix(p + "attn_q.weight", HIDDEN, HIDDEN)
        writer.add_tensor(p + "attn_q.bias", small(HIDDEN))
        matrix(p + "attn_k.weight", kv, HIDDEN)
        writer.add_tensor(p + "attn_k.bias", small(kv))
        matrix(p + "attn_v.weight", kv, HIDDEN, Q.Q6_K if wide else Q.Q4_K)
        writer.add_tensor(p + "attn_v.bias", small(kv))
        matrix(p + "attn_output.weight", HIDDEN, HIDDEN)
        writer.add_tensor(p + "ffn_norm.weight", ones(HIDDEN))
        matrix(p + "ffn_gate.weight", FFN, HIDDEN)
        matrix(p + "ffn_up.weight", FFN, HIDDEN)
        matrix(p + "ffn_down.weight", HIDDEN, FFN, Q.Q6_K if wide else Q.Q4_K)
    writer.add_tensor("output_norm.weight", ones(HIDDEN))
    matrix("output.weight", vocab, HIDDEN, Q.Q6_K)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
