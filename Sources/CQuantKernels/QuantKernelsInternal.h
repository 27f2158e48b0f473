// Shared layouts and helpers of the quantized kernels (not part of the public header).
#ifndef CQUANTKERNELS_INTERNAL_H
#define CQUANTKERNELS_INTERNAL_H

#include <stdint.h>
#include <string.h>

/// A quantized activation block for the 32-value weight types: x ≈ d · qs, s = d · Σ qs
/// (Q4_0's offset and Q4_1's minimum multiply it), sum = Σ qs (exact: the wide kernels remove
/// the code offsets of Q4_0, Q5_0 and Q8_0 in integers with it).
typedef struct {
    float d;
    float s;
    int32_t sum;
    int8_t qs[32];
} cqk_activation32;

/// A quantized activation block for the K-quants: x ≈ d · qs over 256 values, bsums[g] the
/// sum of the codes of each group of 16 (K-quant minimums and Q6_K's offset multiply them).
typedef struct {
    float d;
    int16_t bsums[16];
    int8_t qs[256];
} cqk_activation256;

/// The little-endian IEEE half at `p` as a float (exact, subnormals included).
static inline float cqk_half(const uint8_t *p) {
    uint16_t h = (uint16_t)(p[0] | (p[1] << 8));
    uint32_t magnitude = (uint32_t)(h & 0x7FFF) << 13;
    float f;
    if ((h & 0x7C00) == 0x7C00) {
        uint32_t bits = magnitude | 0x7F800000u;
        memcpy(&f, &bits, 4);
    } else {
        memcpy(&f, &magnitude, 4);
        f *= 0x1p112f;
    }
    return (h & 0x8000) ? -f : f;
}

/// The 8 six-bit scales and 8 six-bit minimums packed in Q4_K's and Q5_K's 12 scale bytes.
static inline void cqk_k_scales(const uint8_t *q, uint8_t scales[8], uint8_t mins[8]) {
    for (int j = 0; j < 4; j++) {
        scales[j] = q[j] & 63;
        mins[j] = q[j + 4] & 63;
    }
    for (int j = 4; j < 8; j++) {
        scales[j] = (uint8_t)((q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4));
        mins[j] = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

/// One weight row · one activation row: `blocks` weight blocks against their activation blocks.
typedef float (*cqk_row_dot)(const uint8_t *weights, const void *activations, int64_t blocks);

/// One weight row · four activation rows, `stride` bytes apart; each result equals the one-row
/// kernel's bit for bit.
typedef void (*cqk_rows_dot4)(const uint8_t *weights, const void *activations, size_t stride, int64_t blocks, float out[4]);

/// The x86 row kernels for `type` (NULL when not built for x86 or the type has none).
cqk_row_dot cqk_avx2_row_dot(int type);
cqk_row_dot cqk_avx512vnni_row_dot(int type);
cqk_rows_dot4 cqk_avx2_rows_dot4(int type);
cqk_rows_dot4 cqk_avx512vnni_rows_dot4(int type);

/// `cqk_quantize_activation_row` in plain C, and with AVX-512 F/BW/VL (QuantKernelsActivations512.c;
/// only where `cqk_available_instruction_sets` has AVX-512 VNNI): the same bytes.
void cqk_portable_quantize_activation_row(int type, const float *x, int64_t columns, void *out);
void cqk_avx512_quantize_activation_row(int type, const float *x, int64_t columns, void *out);

/// The AVX-512 VNNI product of `cqk_matmul` for Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0 (QuantKernelsWide.c):
/// 16 weight rows a register. Returns 0, writing nothing, for other types (or when its scratch
/// cannot be allocated); the caller then uses the row kernels.
int cqk_avx512vnni_matmul_wide(int type, const uint8_t *weights, size_t weight_row_bytes,
                               int64_t first_feature, int64_t end_feature,
                               const uint8_t *activations, size_t activation_row_bytes, int64_t activation_rows,
                               int64_t columns, float *out, int64_t out_stride);

/// The same for Q4_K and Q6_K (QuantKernelsWideK.c).
int cqk_avx512vnni_matmul_wide_k(int type, const uint8_t *weights, size_t weight_row_bytes,
                                 int64_t first_feature, int64_t end_feature,
                                 const uint8_t *activations, size_t activation_row_bytes, int64_t activation_rows,
                                 int64_t columns, float *out, int64_t out_stride);

#endif
