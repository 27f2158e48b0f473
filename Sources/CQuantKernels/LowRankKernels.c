// out += scale · P · Bᵀ for LoRA's decode steps (see CQuantKernelsLowRank.h). B is [features, rank],
// so sixteen features' B rows are loaded and transposed in registers, 16 ranks at a time; then
// each row's sixteen outputs are sixteen fused multiply-adds with its projection's elements
// broadcast. One body, compiled for AVX-512, AVX2 and plain SSE2 with target attributes.
#include "CQuantKernels.h"

#pragma clang diagnostic ignored "-Wpsabi"

typedef float lr_v16f __attribute__((ext_vector_type(16)));

/// The most rows per call (`lowRankDirectRowLimit` on the Swift side is 8).
#define LR_MAX_ROWS 8

#define LR_BODY(PREFIX, TARGET)                                                                                       \
    static inline __attribute__((always_inline)) TARGET void PREFIX##transpose16(lr_v16f m[16]) {                                                           \
        lr_v16f t[16];                                                                                                \
        for (int i = 0; i < 16; i += 2) {                                                                             \
            t[i] = __builtin_shufflevector(m[i], m[i + 1], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);   \
            t[i + 1] = __builtin_shufflevector(m[i], m[i + 1], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31); \
        }                                                                                                             \
        for (int i = 0; i < 16; i += 4) {                                                                             \
            for (int k = 0; k < 2; k++) {                                                                             \
                m[i + 2 * k] = __builtin_shufflevector(t[i + k], t[i + k + 2], 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29); \
                m[i + 2 * k + 1] = __builtin_shufflevector(t[i + k], t[i + k + 2], 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31); \
            }                                                                                                         \
        }                                                                                                             \
        for (int i = 0; i < 16; i += 8) {                                                                             \
            for (int k = 0; k < 4; k++) {                                                                             \
                t[i + k] = __builtin_shufflevector(m[i + k], m[i + k + 4], 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27); \
                t[i + k + 4] = __builtin_shufflevector(m[i + k], m[i + k + 4], 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31); \
            }                                                                                                         \
        }                                                                                                             \
        for (int k = 0; k < 8; k++) {                                                                                 \
            m[k] = __builtin_shufflevector(t[k], t[k + 8], 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);   \
            m[k + 8] = __builtin_shufflevector(t[k], t[k + 8], 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31); \
        }                                                                                                             \
    }                                                                                                                 \
                                                                                                                      \
    static TARGET void PREFIX##low_rank_outputs(float *out, int64_t out_stride, const float *projected, int64_t rows, \
                                                const float *b, int64_t rank, int64_t first, int64_t end, float scale) { \
        for (int64_t f = first; f < end; f += 16) {                                                                   \
            const int64_t n = end - f < 16 ? end - f : 16;                                                            \
            lr_v16f acc[LR_MAX_ROWS];                                                                                 \
            for (int64_t r = 0; r < rows; r++) acc[r] = (lr_v16f)(0.0f);                                              \
            for (int64_t j0 = 0; j0 < rank; j0 += 16) {                                                               \
                const int64_t width = rank - j0 < 16 ? rank - j0 : 16;                                                \
                lr_v16f m[16];                                                                                        \
                if (n == 16 && width == 16) {                                                                         \
                    for (int i = 0; i < 16; i++) {                                                                    \
                        __builtin_prefetch(b + (f + 16 + i) * rank + j0);                                             \
                        __builtin_memcpy(&m[i], b + (f + i) * rank + j0, sizeof m[i]);                                \
                    }                                                                                                 \
                } else {                                                                                              \
                    for (int64_t i = 0; i < 16; i++) {                                                                \
                        m[i] = (lr_v16f)(0.0f);                                                                       \
                        if (i < n) {                                                                                  \
                            for (int64_t j = 0; j < width; j++) m[i][j] = b[(f + i) * rank + j0 + j];                 \
                        }                                                                                             \
                    }                                                                                                 \
                }                                                                                                     \
                PREFIX##transpose16(m); /* m[j] lane i = B[f + i][j0 + j] */                                          \
                for (int64_t r = 0; r < rows; r++) {                                                                  \
                    const float *p = projected + r * rank + j0;                                                       \
                    lr_v16f sum = acc[r];                                                                             \
                    if (width == 16) {                                                                                \
                        for (int j = 0; j < 16; j++) sum = __builtin_elementwise_fma(m[j], (lr_v16f)(p[j]), sum);     \
                    } else {                                                                                          \
                        for (int64_t j = 0; j < width; j++) sum = __builtin_elementwise_fma(m[j], (lr_v16f)(p[j]), sum); \
                    }                                                                                                 \
                    acc[r] = sum;                                                                                     \
                }                                                                                                     \
            }                                                                                                         \
            for (int64_t r = 0; r < rows; r++) {                                                                      \
                float *o = out + r * out_stride + f;                                                                  \
                if (n == 16) {                                                                                        \
                    lr_v16f current;                                                                                  \
                    __builtin_memcpy(&current, o, sizeof current);                                                    \
                    current = __builtin_elementwise_fma((lr_v16f)(scale), acc[r], current);                           \
                    __builtin_memcpy(o, &current, sizeof current);                                                    \
                } else {                                                                                              \
                    for (int64_t i = 0; i < n; i++) o[i] = __builtin_fmaf(scale, acc[r][i], o[i]);                    \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
    }

LR_BODY(portable_, )

#if defined(__x86_64__) && defined(__clang__)
#define LR_X86 1
LR_BODY(avx2_, __attribute__((target("avx2,fma"))))
LR_BODY(avx512_, __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl"))))
#else
#define LR_X86 0
#endif

void cqk_low_rank_outputs(int instruction_set, float *out, int64_t out_stride, const float *projected, int64_t rows,
                          const float *b, int64_t rank, int64_t first_feature, int64_t end_feature, float scale) {
    for (int64_t r0 = 0; r0 < rows; r0 += LR_MAX_ROWS) {
        const int64_t count = rows - r0 < LR_MAX_ROWS ? rows - r0 : LR_MAX_ROWS;
        float *o = out + r0 * out_stride;
        const float *p = projected + r0 * rank;
#if LR_X86
        if (instruction_set == CQK_AVX512_VNNI) {
            avx512_low_rank_outputs(o, out_stride, p, count, b, rank, first_feature, end_feature, scale);
            continue;
        }
        if (instruction_set == CQK_AVX2) {
            avx2_low_rank_outputs(o, out_stride, p, count, b, rank, first_feature, end_feature, scale);
            continue;
        }
#endif
        portable_low_rank_outputs(o, out_stride, p, count, b, rank, first_feature, end_feature, scale);
    }
}
