// The 8-bit quantization of activation rows with AVX-512, 16 values a register. It performs the
// Float32 operations of the portable `cqk_quantize_activation_row` (QuantKernels.c), so both give the
// same bytes: d = max|x| / 127 (a NaN never wins the maximum), codes round-half-even(x · (1 / d))
// clamped to ±127, NaN codes 0, and the sums of the codes.
#include "CQuantKernels.h"
#include "QuantKernelsInternal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define ACTIVATION_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))
#define ACTIVATION_INLINE static inline __attribute__((always_inline)) ACTIVATION_TARGET

/// max(|v|, running) lane by lane; a NaN in v keeps `running`.
ACTIVATION_INLINE __m512 max_magnitude(__m512 v, __m512 running) {
    return _mm512_max_ps(_mm512_abs_ps(v), running);  // vmaxps returns the second operand for a NaN
}

/// The codes of 16 values, and their sum added to `sum`.
ACTIVATION_INLINE __m128i codes16(__m512 v, __m512 inverse, __m512i *sum) {
    __m512 scaled = _mm512_mul_ps(v, inverse);
    __mmask16 number = _mm512_cmp_ps_mask(scaled, scaled, _CMP_ORD_Q);
    scaled = _mm512_min_ps(_mm512_max_ps(scaled, _mm512_set1_ps(-127.0f)), _mm512_set1_ps(127.0f));
    __m512i codes = _mm512_maskz_cvt_roundps_epi32(number, scaled, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    *sum = _mm512_add_epi32(*sum, codes);
    return _mm512_cvtepi32_epi8(codes);
}

/// d for a block whose largest magnitude is `amax`, and 1 / d (0 for an all-zero block).
ACTIVATION_INLINE float block_scale(float amax, float *inverse) {
    float d = amax / 127.0f;
    *inverse = d != 0 ? 1.0f / d : 0.0f;
    return d;
}

ACTIVATION_TARGET void cqk_avx512_quantize_activation_row(int type, const float *x, int64_t columns, void *out) {
    const __m512 zero = _mm512_setzero_ps();
    if (type == CQK_TYPE_Q4_K || type == CQK_TYPE_Q5_K || type == CQK_TYPE_Q6_K) {
        cqk_activation256 *blocks = out;
        for (int64_t b = 0; b < columns / 256; b++, x += 256) {
            __m512 running = zero;
            for (int i = 0; i < 16; i++) running = max_magnitude(_mm512_loadu_ps(x + 16 * i), running);
            float inverse;
            blocks[b].d = block_scale(_mm512_reduce_max_ps(running), &inverse);
            const __m512 scale = _mm512_set1_ps(inverse);
            for (int g = 0; g < 16; g++) {
                __m512i sum = _mm512_setzero_si512();
                _mm_storeu_si128((__m128i *)(blocks[b].qs + 16 * g), codes16(_mm512_loadu_ps(x + 16 * g), scale, &sum));
                blocks[b].bsums[g] = (int16_t)_mm512_reduce_add_epi32(sum);
            }
        }
    } else {
        cqk_activation32 *blocks = out;
        for (int64_t b = 0; b < columns / 32; b++, x += 32) {
            __m512 low = _mm512_loadu_ps(x), high = _mm512_loadu_ps(x + 16);
            float inverse;
            blocks[b].d = block_scale(_mm512_reduce_max_ps(max_magnitude(high, max_magnitude(low, zero))), &inverse);
            const __m512 scale = _mm512_set1_ps(inverse);
            __m512i sum = _mm512_setzero_si512();
            _mm_storeu_si128((__m128i *)blocks[b].qs, codes16(low, scale, &sum));
            _mm_storeu_si128((__m128i *)(blocks[b].qs + 16), codes16(high, scale, &sum));
            blocks[b].sum = _mm512_reduce_add_epi32(sum);
            blocks[b].s = blocks[b].d * (float)blocks[b].sum;
        }
    }
}

#else

void cqk_avx512_quantize_activation_row(int type, const float *x, int64_t columns, void *out) {
    (void)type; (void)x; (void)columns; (void)out;
}

#endif
