// Shared pieces of the AVX-512 VNNI "wide" kernels (QuantKernelsWide.c for the 32-value block
// types, QuantKernelsWideK.c for Q4_K and Q6_K): 16 weight rows per 512-bit register.
#ifndef CQUANTKERNELS_WIDE_H
#define CQUANTKERNELS_WIDE_H

#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>

#define WIDE_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
#define WIDE_INLINE static inline __attribute__((always_inline)) WIDE_TARGET

/// The 16 bytes at `offset` of 16 blocks (`block[l]` for row l) as four registers: out[j] lane l
/// holds bytes 4j…4j+3 of row l. Four 4 × 4 transposes of 32-bit words, one per 128-bit lane.
WIDE_INLINE void transpose16(const uint8_t *const block[16], int offset, __m512i out[4]) {
    __m512i p[4];
    for (int i = 0; i < 4; i++) {  // 128-bit lane g of p[i]: row 4g + i
        __m512i v = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(block[i] + offset)));
        v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(block[4 + i] + offset)), 1);
        v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(block[8 + i] + offset)), 2);
        p[i] = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(block[12 + i] + offset)), 3);
    }
    __m512i t0 = _mm512_unpacklo_epi32(p[0], p[1]), t1 = _mm512_unpackhi_epi32(p[0], p[1]);
    __m512i t2 = _mm512_unpacklo_epi32(p[2], p[3]), t3 = _mm512_unpackhi_epi32(p[2], p[3]);
    out[0] = _mm512_unpacklo_epi64(t0, t2);
    out[1] = _mm512_unpackhi_epi64(t0, t2);
    out[2] = _mm512_unpacklo_epi64(t1, t3);
    out[3] = _mm512_unpackhi_epi64(t1, t3);
}

/// Prefetches the part of [start, start + bytes) that block `b` of `blocks` is due to fetch: the
/// next group of rows, spread over the blocks of this one so its cache misses overlap with work.
/// Into L2 only: prefetches into L1 held its fill buffers and slowed matrices streamed from memory.
WIDE_INLINE void prefetch_share(const uint8_t *start, size_t bytes, int64_t b, int64_t blocks) {
    size_t share = (bytes + (size_t)blocks - 1) / (size_t)blocks;
    size_t begin = (size_t)b * share, end = begin + share < bytes ? begin + share : bytes;
    for (size_t at = begin & ~(size_t)63; at < end; at += 64) _mm_prefetch((const char *)(start + at), _MM_HINT_T1);
}

/// Rearranges `n` (≤ 16) weight rows at `rows` into `scratch` (`blocks` widened blocks),
/// prefetching the `next_bytes` that follow the group of 16 (the next group).
typedef void (*wide_widen)(int type, const uint8_t *rows, size_t row_bytes, int n, int64_t blocks, size_t next_bytes,
                           void *scratch);
/// Multiplies widened rows by R activation rows: acc[r] holds the 16 outputs of row r. A family
/// has one per R = 1…4.
typedef void (*wide_rows_kernel)(const void *scratch, int64_t blocks, const uint8_t *x, size_t stride, __m512 *acc);

/// The loop both families share: each group of 16 features of [first_feature, end_feature) is
/// widened once into a scratch of `blocks` × `block_bytes`, then multiplied by the activation rows
/// four at a time, 16 outputs stored per row. Returns 0 (nothing written) when the scratch cannot
/// be allocated.
WIDE_INLINE int wide_matmul(int type, wide_widen widen, const wide_rows_kernel kernels[4], size_t block_bytes,
                            int64_t blocks, const uint8_t *weights, size_t weight_row_bytes,
                            int64_t first_feature, int64_t end_feature, const uint8_t *activations,
                            size_t activation_row_bytes, int64_t activation_rows, float *out, int64_t out_stride) {
    if (blocks == 0 || end_feature <= first_feature || activation_rows <= 0) return 1;
    void *scratch = NULL;
    if (posix_memalign(&scratch, 64, (size_t)blocks * block_bytes) != 0) return 0;
    for (int64_t f = first_feature; f < end_feature; f += 16) {
        int n = end_feature - f < 16 ? (int)(end_feature - f) : 16;
        int64_t after = end_feature - f - n;
        size_t next_bytes = (size_t)(after < 16 ? after : 16) * weight_row_bytes;
        widen(type, weights + (size_t)f * weight_row_bytes, weight_row_bytes, n, blocks, next_bytes, scratch);
        __mmask16 lanes = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
        for (int64_t r = 0; r < activation_rows; r += 4) {
            int R = activation_rows - r < 4 ? (int)(activation_rows - r) : 4;
            __m512 acc[4];
            kernels[R - 1](scratch, blocks, activations + (size_t)r * activation_row_bytes, activation_row_bytes, acc);
            for (int i = 0; i < R; i++) _mm512_mask_storeu_ps(out + (r + i) * out_stride + f, lanes, acc[i]);
        }
    }
    free(scratch);
    return 1;
}

#endif
