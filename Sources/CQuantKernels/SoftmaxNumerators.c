// Softmax numerators for sampling (CQuantKernelsSoftmax.h). The AVX-512, AVX2 and scalar paths
// make the same operations in the same order, unfused except where a fused multiply-add is
// written, so they give the same bits; four vectors (32 or 16 tokens) are in flight at a time.
#include "CQuantKernels.h"

#include <math.h>
#include <string.h>

#pragma clang fp contract(off)

static const double log2e = 1.4426950408889634, ln2_high = 0.693147180369123816490,
                    ln2_low = 1.90821492927058770002e-10, rounding_shift = 6755399441055744.0;
/// 1/13!, 1/12!, …, 1/2!, 1, 1: Horner's order.
static const double taylor[14] = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
                                  1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0,
                                  1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0};

static inline int64_t bits_of(double x) {
    int64_t bits;
    memcpy(&bits, &x, 8);
    return bits;
}

static inline double double_of(int64_t bits) {
    double x;
    memcpy(&x, &bits, 8);
    return x;
}

/// One token: its numerator and bucket.
static inline double numerator(double x, double last_bucket, int64_t *bucket) {
    int is_nan = x != x;
    double clamped = (is_nan || x < -708) ? -708 : x;
    if (clamped > 0) clamped = 0;
    double shifted = clamped * log2e + rounding_shift;
    double k = shifted - rounding_shift;
    int64_t k_integer = bits_of(shifted) - bits_of(rounding_shift);
    double r = (clamped - k * ln2_high) - k * ln2_low;
    double poly = taylor[0];
    for (int i = 1; i < 14; i++) poly = fma(poly, r, taylor[i]);
    double p = poly * double_of((k_integer + 1023) << 52);
    if (x < -708) p = 0;
    if (is_nan) p = x;
    double octaves = -x * log2e;
    if (!(octaves < last_bucket)) octaves = last_bucket;
    if (octaves < 0) octaves = 0;
    double octave_shifted = octaves + rounding_shift;
    double nearest = octave_shifted - rounding_shift;
    *bucket = bits_of(octave_shifted) - bits_of(rounding_shift) - (nearest > octaves ? 1 : 0);
    return p;
}

static void portable_numerators(const float *scores, int64_t count, double inverse_temperature, double max_score,
                                uint8_t *buckets, double *mass, int64_t mass_count, double lane_totals[8]) {
    const double last_bucket = (double)(mass_count - 1);
    for (int64_t t = 0; t < count; t++) {
        int64_t b;
        double p = numerator((double)scores[t] * inverse_temperature - max_score, last_bucket, &b);
        lane_totals[t % 8] += p;
        buckets[t] = (uint8_t)b;
        mass[b] += p;
    }
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#define SOFTMAX_TARGET __attribute__((target("avx2,fma")))

/// Four tokens' numerators and buckets: `numerator` lane-wise.
static inline __attribute__((always_inline)) SOFTMAX_TARGET __m256d numerators4(__m256d x, __m256d last_bucket,
                                                                               __m256i *bucket) {
    const __m256d shift = _mm256_set1_pd(rounding_shift), zero = _mm256_setzero_pd();
    const __m256i shift_bits = _mm256_set1_epi64x(bits_of(rounding_shift));
    __m256d is_nan = _mm256_cmp_pd(x, x, _CMP_UNORD_Q);
    __m256d below = _mm256_cmp_pd(x, _mm256_set1_pd(-708), _CMP_LT_OQ);
    __m256d clamped = _mm256_blendv_pd(x, _mm256_set1_pd(-708), _mm256_or_pd(is_nan, below));
    clamped = _mm256_blendv_pd(clamped, zero, _mm256_cmp_pd(clamped, zero, _CMP_GT_OQ));
    __m256d shifted = _mm256_add_pd(_mm256_mul_pd(clamped, _mm256_set1_pd(log2e)), shift);
    __m256d k = _mm256_sub_pd(shifted, shift);
    __m256i k_integer = _mm256_sub_epi64(_mm256_castpd_si256(shifted), shift_bits);
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(clamped, _mm256_mul_pd(k, _mm256_set1_pd(ln2_high))),
                              _mm256_mul_pd(k, _mm256_set1_pd(ln2_low)));
    __m256d poly = _mm256_set1_pd(taylor[0]);
    for (int i = 1; i < 14; i++) poly = _mm256_fmadd_pd(poly, r, _mm256_set1_pd(taylor[i]));
    __m256i power = _mm256_slli_epi64(_mm256_add_epi64(k_integer, _mm256_set1_epi64x(1023)), 52);
    __m256d p = _mm256_mul_pd(poly, _mm256_castsi256_pd(power));
    p = _mm256_blendv_pd(p, zero, below);
    p = _mm256_blendv_pd(p, x, is_nan);
    __m256d octaves = _mm256_mul_pd(_mm256_xor_pd(x, _mm256_set1_pd(-0.0)), _mm256_set1_pd(log2e));
    octaves = _mm256_blendv_pd(last_bucket, octaves, _mm256_cmp_pd(octaves, last_bucket, _CMP_LT_OQ));
    octaves = _mm256_blendv_pd(octaves, zero, _mm256_cmp_pd(octaves, zero, _CMP_LT_OQ));
    __m256d octave_shifted = _mm256_add_pd(octaves, shift);
    __m256d nearest = _mm256_sub_pd(octave_shifted, shift);
    __m256i integers = _mm256_sub_epi64(_mm256_castpd_si256(octave_shifted), shift_bits);
    // (nearest > octaves) is all ones (−1) per lane: adding it subtracts one.
    *bucket = _mm256_add_epi64(integers, _mm256_castpd_si256(_mm256_cmp_pd(nearest, octaves, _CMP_GT_OQ)));
    return p;
}

static SOFTMAX_TARGET void avx2_numerators(const float *scores, int64_t count, double inverse_temperature,
                                           double max_score, uint8_t *buckets, double *mass, int64_t mass_count,
                                           double lane_totals[8]) {
    const __m256d scale = _mm256_set1_pd(inverse_temperature), top = _mm256_set1_pd(max_score);
    const __m256d last_bucket = _mm256_set1_pd((double)(mass_count - 1));
    __m256d low_totals = _mm256_loadu_pd(lane_totals), high_totals = _mm256_loadu_pd(lane_totals + 4);
    int64_t t = 0;
    for (; t + 16 <= count; t += 16) {
        __m256d p[4];
        __m256i b[4];
        for (int v = 0; v < 4; v++) {
            __m256d x = _mm256_sub_pd(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(scores + t + 4 * v)), scale), top);
            p[v] = numerators4(x, last_bucket, &b[v]);
        }
        low_totals = _mm256_add_pd(low_totals, p[0]);
        high_totals = _mm256_add_pd(high_totals, p[1]);
        low_totals = _mm256_add_pd(low_totals, p[2]);
        high_totals = _mm256_add_pd(high_totals, p[3]);
        double ps[16];
        int64_t bs[16];
        for (int v = 0; v < 4; v++) {
            _mm256_storeu_pd(ps + 4 * v, p[v]);
            _mm256_storeu_si256((__m256i *)(bs + 4 * v), b[v]);
        }
        for (int i = 0; i < 16; i++) {
            buckets[t + i] = (uint8_t)bs[i];
            mass[bs[i]] += ps[i];
        }
    }
    _mm256_storeu_pd(lane_totals, low_totals);
    _mm256_storeu_pd(lane_totals + 4, high_totals);
    // The rest (fewer than 16, starting at a multiple of 8): the scalar path makes the same operations.
    portable_numerators(scores + t, count - t, inverse_temperature, max_score, buckets + t, mass, mass_count,
                        lane_totals);
}

#define SOFTMAX_TARGET_512 __attribute__((target("avx2,fma,avx512f")))

/// Eight tokens' numerators and buckets: `numerators4` with 512-bit vectors and mask registers.
static inline __attribute__((always_inline)) SOFTMAX_TARGET_512 __m512d numerators8(__m512d x, __m512d last_bucket,
                                                                                   __m512i *bucket) {
    const __m512d shift = _mm512_set1_pd(rounding_shift), zero = _mm512_setzero_pd();
    const __m512i shift_bits = _mm512_set1_epi64(bits_of(rounding_shift));
    __mmask8 is_nan = _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q);
    __mmask8 below = _mm512_cmp_pd_mask(x, _mm512_set1_pd(-708), _CMP_LT_OQ);
    __m512d clamped = _mm512_mask_blend_pd(is_nan | below, x, _mm512_set1_pd(-708));
    clamped = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(clamped, zero, _CMP_GT_OQ), clamped, zero);
    __m512d shifted = _mm512_add_pd(_mm512_mul_pd(clamped, _mm512_set1_pd(log2e)), shift);
    __m512d k = _mm512_sub_pd(shifted, shift);
    __m512i k_integer = _mm512_sub_epi64(_mm512_castpd_si512(shifted), shift_bits);
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(clamped, _mm512_mul_pd(k, _mm512_set1_pd(ln2_high))),
                              _mm512_mul_pd(k, _mm512_set1_pd(ln2_low)));
    __m512d poly = _mm512_set1_pd(taylor[0]);
    for (int i = 1; i < 14; i++) poly = _mm512_fmadd_pd(poly, r, _mm512_set1_pd(taylor[i]));
    __m512i power = _mm512_slli_epi64(_mm512_add_epi64(k_integer, _mm512_set1_epi64(1023)), 52);
    __m512d p = _mm512_mul_pd(poly, _mm512_castsi512_pd(power));
    p = _mm512_mask_blend_pd(below, p, zero);
    p = _mm512_mask_blend_pd(is_nan, p, x);
    __m512d octaves = _mm512_mul_pd(_mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(x),
                                                                         _mm512_set1_epi64(INT64_MIN))),
                                    _mm512_set1_pd(log2e));
    octaves = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(octaves, last_bucket, _CMP_LT_OQ), last_bucket, octaves);
    octaves = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(octaves, zero, _CMP_LT_OQ), octaves, zero);
    __m512d octave_shifted = _mm512_add_pd(octaves, shift);
    __m512d nearest = _mm512_sub_pd(octave_shifted, shift);
    __m512i integers = _mm512_sub_epi64(_mm512_castpd_si512(octave_shifted), shift_bits);
    *bucket = _mm512_mask_sub_epi64(integers, _mm512_cmp_pd_mask(nearest, octaves, _CMP_GT_OQ), integers,
                                    _mm512_set1_epi64(1));
    return p;
}

static SOFTMAX_TARGET_512 void avx512_numerators(const float *scores, int64_t count, double inverse_temperature,
                                                 double max_score, uint8_t *buckets, double *mass, int64_t mass_count,
                                                 double lane_totals[8]) {
    const __m512d scale = _mm512_set1_pd(inverse_temperature), top = _mm512_set1_pd(max_score);
    const __m512d last_bucket = _mm512_set1_pd((double)(mass_count - 1));
    __m512d totals = _mm512_loadu_pd(lane_totals);
    int64_t t = 0;
    for (; t + 32 <= count; t += 32) {
        __m512d p[4];
        __m512i b[4];
        for (int v = 0; v < 4; v++) {
            __m512d x = _mm512_sub_pd(_mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(scores + t + 8 * v)), scale), top);
            p[v] = numerators8(x, last_bucket, &b[v]);
        }
        for (int v = 0; v < 4; v++) totals = _mm512_add_pd(totals, p[v]);
        double ps[32];
        int64_t bs[32];
        for (int v = 0; v < 4; v++) {
            _mm512_storeu_pd(ps + 8 * v, p[v]);
            _mm512_storeu_si512(bs + 8 * v, b[v]);
        }
        for (int i = 0; i < 32; i++) {
            buckets[t + i] = (uint8_t)bs[i];
            mass[bs[i]] += ps[i];
        }
    }
    _mm512_storeu_pd(lane_totals, totals);
    // The rest (fewer than 32, starting at a multiple of 8): the same operations, 16 or one at a time.
    avx2_numerators(scores + t, count - t, inverse_temperature, max_score, buckets + t, mass, mass_count, lane_totals);
}
#define SOFTMAX_X86 1
#else
#define SOFTMAX_X86 0
#endif

void cqk_softmax_numerators(int instruction_set, const float *scores, int64_t count, double inverse_temperature,
                            double max_score, uint8_t *buckets, double *mass, int64_t mass_count,
                            double lane_totals[8]) {
#if SOFTMAX_X86
    if (instruction_set == CQK_AVX512_VNNI && (cqk_available_instruction_sets() & (1 << CQK_AVX512_VNNI))) {
        avx512_numerators(scores, count, inverse_temperature, max_score, buckets, mass, mass_count, lane_totals);
        return;
    }
    if (instruction_set >= CQK_AVX2 && (cqk_available_instruction_sets() & (1 << CQK_AVX2))) {
        avx2_numerators(scores, count, inverse_temperature, max_score, buckets, mass, mass_count, lane_totals);
        return;
    }
#endif
    portable_numerators(scores, count, inverse_temperature, max_score, buckets, mass, mass_count, lane_totals);
}
