// A LoRA update over many rows (training, scoring): the forward's x·Aᵀ, and the backward in two
// passes that each read their big operand once, in place of four skinny sgemm calls (see
// CQuantKernelsLowRank.h). Sixteen ranks fill one vector; the sums a pass accumulates over rows
// stay in registers while it walks them. One body, compiled for AVX-512, AVX2 and plain SSE2
// with target attributes.
#include <string.h>

#include "CQuantKernels.h"
#include "CQuantKernelsLowRank.h"

#pragma clang diagnostic ignored "-Wpsabi"

typedef float lg_v16f __attribute__((ext_vector_type(16)));

/// Output features one pass of `output_gradients` keeps in registers (their B rows and dB sums).
#define LG_FEATURES 8

#define LG_BODY(PREFIX, TARGET)                                                                                       \
    /* The first `count` floats at `p` in the low lanes, zeros above. */                                              \
    static inline __attribute__((always_inline)) TARGET lg_v16f PREFIX##load(const float *p, int64_t count) {         \
        lg_v16f v = (lg_v16f)(0.0f);                                                                                  \
        if (count == 16) {                                                                                            \
            __builtin_memcpy(&v, p, sizeof v);                                                                        \
        } else {                                                                                                      \
            for (int64_t i = 0; i < count; i++) v[i] = p[i];                                                          \
        }                                                                                                             \
        return v;                                                                                                     \
    }                                                                                                                 \
                                                                                                                      \
    static inline __attribute__((always_inline)) TARGET void PREFIX##store(float *p, lg_v16f v, int64_t count) {      \
        if (count == 16) {                                                                                            \
            __builtin_memcpy(p, &v, sizeof v);                                                                        \
        } else {                                                                                                      \
            for (int64_t i = 0; i < count; i++) p[i] = v[i];                                                          \
        }                                                                                                             \
    }                                                                                                                 \
                                                                                                                      \
    static TARGET void PREFIX##output_gradients(const float *d_out, int64_t rows, int64_t out_features,               \
                                                const float *projected, const float *b, int64_t rank,                 \
                                                int64_t first, int64_t end, float scale, float *d_b,                  \
                                                float *d_projected) {                                                 \
        if (d_projected) memset(d_projected, 0, (size_t)(rows * rank) * sizeof(float));                               \
        for (int64_t j0 = 0; j0 < rank; j0 += 16) {                                                                   \
            const int64_t width = rank - j0 < 16 ? rank - j0 : 16;                                                    \
            for (int64_t f = first; f < end; f += LG_FEATURES) {                                                      \
                const int64_t n = end - f < LG_FEATURES ? end - f : LG_FEATURES;                                      \
                lg_v16f rows_of_b[LG_FEATURES], sums[LG_FEATURES];                                                    \
                for (int i = 0; i < LG_FEATURES; i++) {                                                               \
                    rows_of_b[i] = i < n ? PREFIX##load(b + (f + i) * rank + j0, width) : (lg_v16f)(0.0f);            \
                    sums[i] = (lg_v16f)(0.0f);                                                                        \
                }                                                                                                     \
                for (int64_t t = 0; t < rows; t++) {                                                                  \
                    const float *g = d_out + t * out_features + f;                                                    \
                    const lg_v16f p = PREFIX##load(projected + t * rank + j0, width);                                 \
                    lg_v16f even = (lg_v16f)(0.0f), odd = (lg_v16f)(0.0f);                                            \
                    if (n == LG_FEATURES) {                                                                           \
                        for (int i = 0; i < LG_FEATURES; i += 2) {                                                    \
                            const lg_v16f g0 = (lg_v16f)(g[i]), g1 = (lg_v16f)(g[i + 1]);                             \
                            sums[i] = __builtin_elementwise_fma(g0, p, sums[i]);                                      \
                            sums[i + 1] = __builtin_elementwise_fma(g1, p, sums[i + 1]);                              \
                            even = __builtin_elementwise_fma(g0, rows_of_b[i], even);                                 \
                            odd = __builtin_elementwise_fma(g1, rows_of_b[i + 1], odd);                               \
                        }                                                                                             \
                    } else {                                                                                          \
                        for (int64_t i = 0; i < n; i++) {                                                             \
                            const lg_v16f gi = (lg_v16f)(g[i]);                                                       \
                            sums[i] = __builtin_elementwise_fma(gi, p, sums[i]);                                      \
                            even = __builtin_elementwise_fma(gi, rows_of_b[i], even);                                 \
                        }                                                                                             \
                    }                                                                                                 \
                    if (d_projected) {                                                                                \
                        float *q = d_projected + t * rank + j0;                                                       \
                        PREFIX##store(q, PREFIX##load(q, width) + (even + odd), width);                               \
                    }                                                                                                 \
                }                                                                                                     \
                if (d_b) {                                                                                            \
                    for (int64_t i = 0; i < n; i++) {                                                                 \
                        float *target = d_b + (f + i) * rank + j0;                                                    \
                        PREFIX##store(target, __builtin_elementwise_fma((lg_v16f)(scale), sums[i],                    \
                                                                        PREFIX##load(target, width)), width);         \
                    }                                                                                                 \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
    }                                                                                                                 \
                                                                                                                      \
    /* Sixteen columns and sixteen ranks (the caller pads d P's ranks with zeros). The sixteen dA  \
       sums stay in registers while the rows go by; each broadcast d P value feeds both the dA sum  \
       and d x. A's tile is read from a local copy through an opaque pointer, so the compiler loads \
       it inside the loop instead of holding 16 more registers (it would spill the sums). */        \
    static inline __attribute__((always_inline)) TARGET void PREFIX##input_block(                                    \
        const float *d_projected, int64_t padded_rank, int64_t rows, const float *x, int64_t in_features,            \
        const float *a_block, int64_t width, float *d_a, float *d_x) {                                               \
        float tile[256] __attribute__((aligned(64)));                                                                 \
        for (int j = 0; j < 16; j++) {                                                                                \
            if (j < width) __builtin_memcpy(tile + 16 * j, a_block + j * in_features, 16 * sizeof(float));            \
            else __builtin_memset(tile + 16 * j, 0, 16 * sizeof(float));                                              \
        }                                                                                                             \
        lg_v16f sums[16];                                                                                             \
        for (int j = 0; j < 16; j++) sums[j] = (lg_v16f)(0.0f);                                                       \
        if (d_x) {                                                                                                    \
            for (int64_t t = 0; t < rows; t++) {                                                                      \
                const float *g = d_projected + t * padded_rank, *tp = tile;                                           \
                __asm__("" : "+r"(tp));                                                                               \
                const lg_v16f xv = PREFIX##load(x + t * in_features, 16);                                             \
                lg_v16f even = (lg_v16f)(0.0f), odd = (lg_v16f)(0.0f);                                                \
                for (int j = 0; j < 16; j += 2) {                                                                     \
                    const lg_v16f g0 = (lg_v16f)(g[j]), g1 = (lg_v16f)(g[j + 1]);                                     \
                    sums[j] = __builtin_elementwise_fma(g0, xv, sums[j]);                                             \
                    sums[j + 1] = __builtin_elementwise_fma(g1, xv, sums[j + 1]);                                     \
                    even = __builtin_elementwise_fma(g0, PREFIX##load(tp + 16 * j, 16), even);                        \
                    odd = __builtin_elementwise_fma(g1, PREFIX##load(tp + 16 * (j + 1), 16), odd);                    \
                }                                                                                                     \
                float *dx = d_x + t * in_features;                                                                    \
                PREFIX##store(dx, PREFIX##load(dx, 16) + (even + odd), 16);                                           \
            }                                                                                                         \
        } else {                                                                                                      \
            for (int64_t t = 0; t < rows; t++) {                                                                      \
                const float *g = d_projected + t * padded_rank;                                                       \
                const lg_v16f xv = PREFIX##load(x + t * in_features, 16);                                             \
                for (int j = 0; j < 16; j++) sums[j] = __builtin_elementwise_fma((lg_v16f)(g[j]), xv, sums[j]);      \
            }                                                                                                         \
        }                                                                                                             \
        if (d_a) {                                                                                                    \
            for (int j = 0; j < 16; j++) {                                                                            \
                if (j < width) PREFIX##store(d_a + j * in_features, PREFIX##load(d_a + j * in_features, 16) + sums[j], 16); \
            }                                                                                                         \
        }                                                                                                             \
    }                                                                                                                 \
                                                                                                                      \
    static TARGET void PREFIX##input_gradients(const float *d_projected, int64_t padded_rank, int64_t rows,           \
                                               int64_t rank, const float *x, const float *a, int64_t in_features,     \
                                               int64_t first, int64_t end, float *d_a, float *d_x) {                  \
        for (int64_t c = first; c < end; c += 16) {                                                                   \
            const int64_t n = end - c < 16 ? end - c : 16;                                                            \
            for (int64_t j0 = 0; j0 < rank; j0 += 16) {                                                               \
                const int64_t width = rank - j0 < 16 ? rank - j0 : 16;                                                \
                if (n == 16) {                                                                                        \
                    PREFIX##input_block(d_projected + j0, padded_rank, rows, x + c, in_features,                      \
                                        a + j0 * in_features + c, width, d_a ? d_a + j0 * in_features + c : 0,        \
                                        d_x ? d_x + c : 0);                                                           \
                    continue;                                                                                         \
                }                                                                                                     \
                /* A last group of fewer than sixteen columns: plain loops, the same sums in order. */                \
                for (int64_t i = c; i < c + n; i++) {                                                                 \
                    for (int64_t j = j0; j < j0 + width; j++) {                                                       \
                        float sum = 0;                                                                                \
                        for (int64_t t = 0; t < rows; t++)                                                            \
                            sum = __builtin_fmaf(d_projected[t * padded_rank + j], x[t * in_features + i], sum);      \
                        if (d_a) d_a[j * in_features + i] += sum;                                                     \
                    }                                                                                                 \
                    if (!d_x) continue;                                                                               \
                    for (int64_t t = 0; t < rows; t++) {                                                              \
                        float sum = 0;                                                                                \
                        for (int64_t j = j0; j < j0 + width; j++)                                                     \
                            sum = __builtin_fmaf(d_projected[t * padded_rank + j], a[j * in_features + i], sum);      \
                        d_x[t * in_features + i] += sum;                                                              \
                    }                                                                                                 \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
    }                                                                                                                 \
                                                                                                                      \
    /* Eight rows at a time: one load of Aᵀ's row i feeds eight broadcast x values. */                               \
    static TARGET void PREFIX##projection(const float *x, int64_t rows, int64_t in_features, const float *packed,      \
                                          int64_t rank, float *projected) {                                           \
        const int64_t chunks = (rank + 15) / 16;                                                                      \
        for (int64_t c = 0; c < chunks; c++) {                                                                        \
            const float *at = packed + c * in_features * 16;                                                          \
            const int64_t width = rank - 16 * c < 16 ? rank - 16 * c : 16;                                            \
            int64_t t = 0;                                                                                            \
            for (; t + 8 <= rows; t += 8) {                                                                           \
                const float *x0 = x + t * in_features;                                                                \
                lg_v16f sums[8];                                                                                      \
                for (int r = 0; r < 8; r++) sums[r] = (lg_v16f)(0.0f);                                                \
                for (int64_t i = 0; i < in_features; i++) {                                                           \
                    const lg_v16f column = PREFIX##load(at + 16 * i, 16);                                             \
                    for (int r = 0; r < 8; r++)                                                                       \
                        sums[r] = __builtin_elementwise_fma((lg_v16f)(x0[r * in_features + i]), column, sums[r]);     \
                }                                                                                                     \
                for (int r = 0; r < 8; r++) PREFIX##store(projected + (t + r) * rank + 16 * c, sums[r], width);      \
            }                                                                                                         \
            for (; t < rows; t++) {                                                                                   \
                const float *x0 = x + t * in_features;                                                                \
                lg_v16f sum = (lg_v16f)(0.0f);                                                                        \
                for (int64_t i = 0; i < in_features; i++)                                                             \
                    sum = __builtin_elementwise_fma((lg_v16f)(x0[i]), PREFIX##load(at + 16 * i, 16), sum);            \
                PREFIX##store(projected + t * rank + 16 * c, sum, width);                                             \
            }                                                                                                         \
        }                                                                                                             \
    }

LG_BODY(portable_, )

#if defined(__x86_64__) && defined(__clang__)
#define LG_X86 1
LG_BODY(avx2_, __attribute__((target("avx2,fma"))))
LG_BODY(avx512_, __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl"))))
#else
#define LG_X86 0
#endif

void cqk_low_rank_output_gradients(int instruction_set, const float *d_out, int64_t rows, int64_t out_features,
                                   const float *projected, const float *b, int64_t rank, int64_t first_feature,
                                   int64_t end_feature, float scale, float *d_b, float *d_projected) {
#if LG_X86
    if (instruction_set == CQK_AVX512_VNNI) {
        avx512_output_gradients(d_out, rows, out_features, projected, b, rank, first_feature, end_feature, scale, d_b,
                                d_projected);
        return;
    }
    if (instruction_set == CQK_AVX2) {
        avx2_output_gradients(d_out, rows, out_features, projected, b, rank, first_feature, end_feature, scale, d_b,
                              d_projected);
        return;
    }
#endif
    portable_output_gradients(d_out, rows, out_features, projected, b, rank, first_feature, end_feature, scale, d_b,
                              d_projected);
}

void cqk_low_rank_input_gradients(int instruction_set, const float *d_projected, int64_t padded_rank, int64_t rows,
                                  int64_t rank, const float *x, const float *a, int64_t in_features,
                                  int64_t first_column, int64_t end_column, float *d_a, float *d_x) {
#if LG_X86
    if (instruction_set == CQK_AVX512_VNNI) {
        avx512_input_gradients(d_projected, padded_rank, rows, rank, x, a, in_features, first_column, end_column, d_a, d_x);
        return;
    }
    if (instruction_set == CQK_AVX2) {
        avx2_input_gradients(d_projected, padded_rank, rows, rank, x, a, in_features, first_column, end_column, d_a, d_x);
        return;
    }
#endif
    portable_input_gradients(d_projected, padded_rank, rows, rank, x, a, in_features, first_column, end_column, d_a, d_x);
}

void cqk_low_rank_pack_factor(const float *a, int64_t rank, int64_t in_features, float *packed) {
    const int64_t chunks = (rank + 15) / 16;
    for (int64_t c = 0; c < chunks; c++) {
        for (int64_t i = 0; i < in_features; i++) {
            float *column = packed + (c * in_features + i) * 16;
            for (int64_t j = 0; j < 16; j++) {
                const int64_t row = 16 * c + j;
                column[j] = row < rank ? a[row * in_features + i] : 0.0f;
            }
        }
    }
}

void cqk_low_rank_projection(int instruction_set, const float *x, int64_t rows, int64_t in_features,
                             const float *packed, int64_t rank, float *projected) {
#if LG_X86
    if (instruction_set == CQK_AVX512_VNNI) {
        avx512_projection(x, rows, in_features, packed, rank, projected);
        return;
    }
    if (instruction_set == CQK_AVX2) {
        avx2_projection(x, rows, in_features, packed, rank, projected);
        return;
    }
#endif
    portable_projection(x, rows, in_features, packed, rank, projected);
}
