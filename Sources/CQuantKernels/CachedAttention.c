// Decode-step attention over a block of cached key/value rows (Float32 or Float16), for one
// group of query heads that share a KV head, and the Float16 conversions of cache rows. One body
// (CachedAttentionBody.h) is compiled for AVX-512, AVX2 and plain SSE2 with per-function target
// attributes; the caller picks with the same instruction-set numbers as the quantized products.
#include "CQuantKernels.h"

#include <math.h>
#include <string.h>

// The 16-lane vectors only pass between always-inlined helpers, so the ABI note clang makes for
// them in the AVX2 and SSE2 bodies does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v16f __attribute__((ext_vector_type(16)));
typedef float v8f __attribute__((ext_vector_type(8)));
typedef float v4f __attribute__((ext_vector_type(4)));
typedef float v2f __attribute__((ext_vector_type(2)));
typedef int32_t v16i __attribute__((ext_vector_type(16)));

/// The float a half stands for (exact, subnormals and NaN payloads included).
static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        float value = (float)mantissa * 0x1p-24f;  // exact: at most 10 significant bits
        memcpy(&bits, &value, 4);
        bits |= sign;
    }
    float result;
    memcpy(&result, &bits, 4);
    return result;
}

/// `x` rounded to half precision, to nearest with ties to even (what `vcvtps2ph` does with
/// rounding control 0), overflow to infinity, NaN kept quiet with its payload's top bits.
static inline uint16_t float_to_half(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    uint32_t sign = (bits >> 16) & 0x8000, magnitude = bits & 0x7FFFFFFF;
    if (magnitude >= 0x7F800000) {
        return (uint16_t)(magnitude == 0x7F800000 ? sign | 0x7C00 : sign | 0x7E00 | ((magnitude >> 13) & 0x3FF));
    }
    if (magnitude >= 0x477FF000) return (uint16_t)(sign | 0x7C00);  // ≥ 65520 rounds past the largest half
    if (magnitude >= 0x38800000) {  // a normal half (≥ 2^-14)
        uint32_t half = (magnitude - 0x38000000) >> 13, rest = magnitude & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t exponent = magnitude >> 23;
    if (exponent < 102) return (uint16_t)sign;  // below 2^-25: rounds to zero
    uint32_t significand = (magnitude & 0x7FFFFF) | 0x800000, shift = 126 - exponent;  // 14...24
    uint32_t half = significand >> shift, rest = significand & ((1u << shift) - 1), midpoint = 1u << (shift - 1);
    if (rest > midpoint || (rest == midpoint && (half & 1))) half++;
    return (uint16_t)(sign | half);
}

/// Where row j of `rows` starts.
static inline const void *row_address(cqk_kv_rows rows, int64_t j, int64_t row_bytes) {
    return j < rows.split ? (const char *)rows.first + j * row_bytes : (const char *)rows.second + (j - rows.split) * row_bytes;
}

#define ATTN_PREFIX portable_
#define ATTN_TARGET
#define ATTN_F16C 0
#define ATTN_AVX512 0
#include "CachedAttentionBody.h"
#undef ATTN_PREFIX
#undef ATTN_TARGET
#undef ATTN_F16C

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#define ATTN_X86 1

#define ATTN_PREFIX avx2_
#define ATTN_TARGET __attribute__((target("avx2,fma,f16c")))
#define ATTN_F16C 1
#include "CachedAttentionBody.h"
#undef ATTN_PREFIX
#undef ATTN_TARGET

#undef ATTN_AVX512
#define ATTN_AVX512 1
#define ATTN_PREFIX avx512_
#define ATTN_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))
#include "CachedAttentionBody.h"
#undef ATTN_PREFIX
#undef ATTN_TARGET
#undef ATTN_F16C
#else
#define ATTN_X86 0
#endif

void cqk_attend_rows(int instruction_set, int kv_format, const float *queries, int64_t heads, int64_t head_dim,
                     cqk_kv_rows keys, cqk_kv_rows values, int64_t row_stride, int64_t count,
                     float scale, float soft_cap, float *scratch,
                     float *max_out, float *sum_out, float *acc_out) {
#if ATTN_X86
    if (instruction_set == CQK_AVX512_VNNI) {
        avx512_attend_rows(kv_format, queries, heads, head_dim, keys, values, row_stride, count, scale, soft_cap,
                           scratch, max_out, sum_out, acc_out);
        return;
    }
    if (instruction_set == CQK_AVX2) {
        avx2_attend_rows(kv_format, queries, heads, head_dim, keys, values, row_stride, count, scale, soft_cap,
                         scratch, max_out, sum_out, acc_out);
        return;
    }
#endif
    portable_attend_rows(kv_format, queries, heads, head_dim, keys, values, row_stride, count, scale, soft_cap,
                         scratch, max_out, sum_out, acc_out);
}

void cqk_floats_to_halves(int instruction_set, const float *x, uint16_t *out, int64_t count) {
#if ATTN_X86
    if (instruction_set == CQK_AVX512_VNNI) {
        avx512_floats_to_halves(x, out, count);
        return;
    }
    if (instruction_set == CQK_AVX2) {
        avx2_floats_to_halves(x, out, count);
        return;
    }
#endif
    portable_floats_to_halves(x, out, count);
}

void cqk_halves_to_floats(int instruction_set, const uint16_t *x, float *out, int64_t count) {
#if ATTN_X86
    if (instruction_set == CQK_AVX512_VNNI) {
        avx512_halves_to_floats(x, out, count);
        return;
    }
    if (instruction_set == CQK_AVX2) {
        avx2_halves_to_floats(x, out, count);
        return;
    }
#endif
    portable_halves_to_floats(x, out, count);
}
