// Decode-step attention over key/value rows kept as Float32 or Float16 (a KV cache), and the
// Float16 conversions of those rows. Same instruction-set numbers as the quantized products
// (`cqk_available_instruction_sets`): AVX-512 and AVX2 paths read halves with F16C.
#ifndef CQUANTKERNELS_ATTENTION_H
#define CQUANTKERNELS_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Element formats of key/value rows.
enum {
    CQK_KV_FLOAT32 = 0,
    CQK_KV_FLOAT16 = 1,
};

/// Rows of a cache kept in two segments: row j < split at element j·row_stride of `first`,
/// row j ≥ split at element (j − split)·row_stride of `second` (a shared prefix, then the
/// sequence's own rows).
typedef struct {
    const void *first;
    const void *second;
    int64_t split;
} cqk_kv_rows;

/// Unnormalized attention of `heads` query vectors (query h at queries + h·head_dim) to `count`
/// key/value rows (`keys` and `values`, in `kv_format`). With
/// s_hj = scale · q_h·k_j (then soft_cap · tanh(s_hj / soft_cap) when soft_cap > 0):
/// max_out[h] = max_j s_hj, sum_out[h] = Σ_j e^(s_hj − max_out[h]) and
/// acc_out[h·head_dim + i] = Σ_j e^(s_hj − max_out[h]) · v_j[i], so blocks of keys can be merged.
/// `scratch` holds heads · count + 2 · head_dim floats. `count` ≥ 1.
void cqk_attend_rows(int instruction_set, int kv_format, const float *queries, int64_t heads, int64_t head_dim,
                     cqk_kv_rows keys, cqk_kv_rows values, int64_t row_stride, int64_t count,
                     float scale, float soft_cap, float *scratch,
                     float *max_out, float *sum_out, float *acc_out);

/// Rounds `count` floats to IEEE half precision (to nearest, ties to even; as F16C's `vcvtps2ph`).
void cqk_floats_to_halves(int instruction_set, const float *x, uint16_t *out, int64_t count);

/// The floats `count` halves stand for (exact).
void cqk_halves_to_floats(int instruction_set, const uint16_t *x, float *out, int64_t count);

#ifdef __cplusplus
}
#endif

#endif
