// Softmax numerators for sampling (CQuantKernelsSoftmax.h). The AVX-512, AVX2 and scalar paths
// make the same operations in the same order, unfused except where a fused multiply-add is
// written, so they give the same bits; four vectors (32 or 16 tokens) are in flight at a time.
#include "CQuantKernels.h"

#include <math.h>
#include <string.h>

#pragma clang fp contract(off)
// The vectors only pass between always-inlined helpers of one target, so the ABI note does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

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
typedef float sm_vf4 __attribute__((ext_vector_type(4)));
typedef double sm_vd4 __attribute__((ext_vector_type(4)));
typedef int64_t sm_vi4 __attribute__((ext_vector_type(4)));
typedef float sm_vf8 __attribute__((ext_vector_type(8)));
typedef double sm_vd8 __attribute__((ext_vector_type(8)));
typedef int64_t sm_vi8 __attribute__((ext_vector_type(8)));

/// `numerator` lane-wise on vectors of LANES doubles (comparisons give −1 where true), and the
/// loop that keeps four such vectors of tokens in flight; what is left over goes to `REST`.
#define SOFTMAX_VECTOR_BODY(PREFIX, TARGET, LANES, VF, VD, VI, REST)                                               \
    static inline __attribute__((always_inline)) TARGET VD PREFIX##numerator(VD x, VD last_bucket, VI *bucket) {    \
        const VD shift = rounding_shift, zero = 0.0;                                                                 \
        const int64_t shift_bits = bits_of(rounding_shift);                                                          \
        VI is_nan = x != x, below = x < -708.0;                                                                      \
        VD clamped = (is_nan | below) ? (VD)(-708.0) : x;                                                            \
        clamped = clamped > zero ? zero : clamped;                                                                   \
        VD shifted = clamped * log2e + shift;                                                                        \
        VD k = shifted - shift;                                                                                      \
        VI k_integer = __builtin_bit_cast(VI, shifted) - shift_bits;                                                 \
        VD r = (clamped - k * ln2_high) - k * ln2_low;                                                               \
        VD poly = taylor[0];                                                                                         \
        for (int i = 1; i < 14; i++) poly = __builtin_elementwise_fma(poly, r, (VD)(taylor[i]));                     \
        VD p = poly * __builtin_bit_cast(VD, (k_integer + 1023) << 52);                                              \
        p = below ? zero : p;                                                                                        \
        p = is_nan ? x : p;                                                                                          \
        VD octaves = -x * log2e;                                                                                     \
        octaves = octaves < last_bucket ? octaves : last_bucket;                                                     \
        octaves = octaves < zero ? zero : octaves;                                                                   \
        VD octave_shifted = octaves + shift;                                                                         \
        VD nearest = octave_shifted - shift;                                                                         \
        *bucket = __builtin_bit_cast(VI, octave_shifted) - shift_bits + (nearest > octaves);                         \
        return p;                                                                                                    \
    }                                                                                                                \
                                                                                                                     \
    static TARGET void PREFIX##numerators(const float *scores, int64_t count, double inverse_temperature,            \
                                          double max_score, uint8_t *buckets, double *mass, int64_t mass_count,      \
                                          double lane_totals[8]) {                                                   \
        const VD last_bucket = (double)(mass_count - 1);                                                             \
        VD totals[8 / LANES];                                                                                        \
        memcpy(totals, lane_totals, sizeof totals);                                                                  \
        int64_t t = 0;                                                                                               \
        for (; t + 4 * LANES <= count; t += 4 * LANES) {                                                             \
            VD p[4];                                                                                                 \
            VI b[4];                                                                                                 \
            for (int v = 0; v < 4; v++) {                                                                            \
                VF s;                                                                                                \
                memcpy(&s, scores + t + LANES * v, sizeof s);                                                        \
                p[v] = PREFIX##numerator(__builtin_convertvector(s, VD) * inverse_temperature - max_score,           \
                                         last_bucket, &b[v]);                                                        \
            }                                                                                                        \
            for (int v = 0; v < 4; v++) totals[v % (8 / LANES)] += p[v];                                             \
            double ps[4 * LANES];                                                                                    \
            int64_t bs[4 * LANES];                                                                                   \
            memcpy(ps, p, sizeof ps);                                                                                \
            memcpy(bs, b, sizeof bs);                                                                                \
            for (int i = 0; i < 4 * LANES; i++) {                                                                    \
                buckets[t + i] = (uint8_t)bs[i];                                                                     \
                mass[bs[i]] += ps[i];                                                                                \
            }                                                                                                        \
        }                                                                                                            \
        memcpy(lane_totals, totals, sizeof totals);                                                                  \
        /* The rest starts at a multiple of 8, so each token keeps its lane of the totals. */                        \
        REST(scores + t, count - t, inverse_temperature, max_score, buckets + t, mass, mass_count, lane_totals);     \
    }

SOFTMAX_VECTOR_BODY(avx2_, __attribute__((target("avx2,fma"))), 4, sm_vf4, sm_vd4, sm_vi4, portable_numerators)
SOFTMAX_VECTOR_BODY(avx512_, __attribute__((target("avx2,fma,avx512f"))), 8, sm_vf8, sm_vd8, sm_vi8, avx2_numerators)
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
