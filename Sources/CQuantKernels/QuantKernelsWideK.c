// The AVX-512 VNNI product for Q4_K and Q6_K over any number of activation rows, 16 weight rows
// a register as in QuantKernelsWide.c.
//
// Each 256-value block of a group of 16 weight rows is first rearranged once (`widen_k`): its
// codes as 64 registers (lane l: four codes of row l), its sub-block scales as one register of
// integers per sub-block, and the factors of its minimum or offset term as 16-bit pairs. Per
// activation row x (one scale x.d and the code sums x.bsums of each 16 values), block and 16
// outputs, all sums are exact integers:
//
//     Q4_K:  I = Σ_j sc_j · Σ_(32 values of j) q·x,   M = Σ_j m_j · (bsums of sub-block j)
//            acc = fma(float(I), d · x.d, acc);  acc = fnmadd(float(M), dmin · x.d, acc)
//     Q6_K:  I = Σ_j sc_j · (Σ_(16 values of j) q·x − 32 · bsums_j)
//            acc = fma(float(I), d · x.d, acc)
//
// Every output goes through the same Float32 operations whatever its lane, group, feature
// range or the number of activation rows.
#include "CQuantKernels.h"
#include "QuantKernelsInternal.h"


#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include "QuantKernelsWide.h"

/// One 256-value block of 16 weight rows, rearranged: codes[k] lane l holds codes 4k…4k+3 of
/// row l; scales[j] the integer scale of sub-block j (8 of 32 values for Q4_K, 16 of 16 for
/// Q6_K); pairs[i] the 16-bit pair that multiplies x.bsums[2i], x.bsums[2i+1] (Q4_K: the minimum
/// m_i of sub-block i twice; Q6_K: the scales of sub-blocks 2i and 2i+1).
typedef struct {
    __m512i codes[64];
    __m512i scales[16];
    __m512i pairs[8];
    __m512 d;
    __m512 dmin;
} wide_kblock;

static int wide_k_block_bytes(int type) {
    return type == CQK_TYPE_Q4_K ? 144 : type == CQK_TYPE_Q6_K ? 210 : 0;
}

WIDE_INLINE void widen_q4_k(const uint8_t *const block[16], __m512i index, const uint8_t *base, wide_kblock *out) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    __m512i q[4];
    for (int c = 0; c < 4; c++) {  // 32 bytes: low nibbles are values 64c…64c+31, high ones the next 32
        for (int half = 0; half < 2; half++) {
            transpose16(block, 16 + 32 * c + 16 * half, q);
            for (int k = 0; k < 4; k++) {
                out->codes[16 * c + 4 * half + k] = _mm512_and_si512(q[k], m4);
                out->codes[16 * c + 8 + 4 * half + k] = _mm512_and_si512(_mm512_srli_epi32(q[k], 4), m4);
            }
        }
    }
    // The 12 scale bytes (see cqk_k_scales) as three 32-bit words a lane.
    const __m512i a = _mm512_i32gather_epi32(index, base + 4, 1), b = _mm512_i32gather_epi32(index, base + 8, 1);
    const __m512i c = _mm512_i32gather_epi32(index, base + 12, 1);
    const __m512i m6 = _mm512_set1_epi32(63), low4 = _mm512_set1_epi32(15), two = _mm512_set1_epi32(3);
    for (int j = 0; j < 4; j++) {
        __m512i scale = _mm512_and_si512(_mm512_srli_epi32(a, 8 * j), m6);
        __m512i minimum = _mm512_and_si512(_mm512_srli_epi32(b, 8 * j), m6);
        __m512i scale_high = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(c, 8 * j), low4),
                                             _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(a, 8 * j + 6), two), 4));
        __m512i minimum_high = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(c, 8 * j + 4), low4),
                                               _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(b, 8 * j + 6), two), 4));
        out->scales[j] = scale;
        out->scales[j + 4] = scale_high;
        out->pairs[j] = _mm512_or_si512(minimum, _mm512_slli_epi32(minimum, 16));
        out->pairs[j + 4] = _mm512_or_si512(minimum_high, _mm512_slli_epi32(minimum_high, 16));
    }
    __m512i head = _mm512_i32gather_epi32(index, base, 1);  // d, then dmin
    out->d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(head));
    out->dmin = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(head, 16)));
}

WIDE_INLINE void widen_q6_k(const uint8_t *const block[16], __m512i index, const uint8_t *base, wide_kblock *out) {
    const __m512i m4 = _mm512_set1_epi8(0x0F), m2 = _mm512_set1_epi8(0x03);
    for (int half = 0; half < 2; half++) {  // 128 values: low bits at ql + 64·half, high at qh + 32·half
        for (int part = 0; part < 2; part++) {  // l = 16·part … 16·part + 15
            __m512i low0[4], low1[4], high[4];
            transpose16(block, 64 * half + 16 * part, low0);
            transpose16(block, 64 * half + 32 + 16 * part, low1);
            transpose16(block, 128 + 32 * half + 16 * part, high);
            for (int k = 0; k < 4; k++) {
                int word = 32 * half + 4 * part + k;  // values 128·half + l, l = 4·(4·part + k) …
                out->codes[word] = _mm512_or_si512(_mm512_and_si512(low0[k], m4),
                                                   _mm512_slli_epi32(_mm512_and_si512(high[k], m2), 4));
                out->codes[word + 8] = _mm512_or_si512(_mm512_and_si512(low1[k], m4),
                                                       _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(high[k], 2), m2), 4));
                out->codes[word + 16] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(low0[k], 4), m4),
                                                        _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(high[k], 4), m2), 4));
                out->codes[word + 24] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(low1[k], 4), m4),
                                                        _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(high[k], 6), m2), 4));
            }
        }
    }
    for (int i = 0; i < 4; i++) {  // the 16 signed scale bytes, four a word
        __m512i word = _mm512_i32gather_epi32(index, base + 192 + 4 * i, 1);
        __m512i s[4];
        for (int k = 0; k < 4; k++) s[k] = _mm512_srai_epi32(_mm512_slli_epi32(word, 24 - 8 * k), 24);
        for (int k = 0; k < 4; k++) out->scales[4 * i + k] = s[k];
        const __m512i low16 = _mm512_set1_epi32(0xFFFF);
        out->pairs[2 * i] = _mm512_or_si512(_mm512_and_si512(s[0], low16), _mm512_slli_epi32(s[1], 16));
        out->pairs[2 * i + 1] = _mm512_or_si512(_mm512_and_si512(s[2], low16), _mm512_slli_epi32(s[3], 16));
    }
    // d is the last two bytes of the block: read the 32 bits ending there.
    __m512i tail = _mm512_i32gather_epi32(index, base + 206, 1);
    out->d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(tail, 16)));
    out->dmin = _mm512_setzero_ps();
}

static WIDE_TARGET void widen_k(int type, const uint8_t *rows, size_t row_bytes, int n, int64_t blocks, size_t next_bytes,
                                void *scratch) {
    wide_kblock *out = scratch;
    const int bytes = wide_k_block_bytes(type);
    int32_t offsets[16];
    for (int l = 0; l < 16; l++) offsets[l] = (int32_t)((size_t)(l < n ? l : n - 1) * row_bytes);
    const __m512i index = _mm512_loadu_si512(offsets);
    for (int64_t b = 0; b < blocks; b++) {
        prefetch_share(rows + 16 * row_bytes, next_bytes, b, blocks);
        const uint8_t *base = rows + (size_t)b * (size_t)bytes;
        const uint8_t *block[16];
        for (int l = 0; l < 16; l++) block[l] = base + offsets[l];
        if (type == CQK_TYPE_Q4_K) widen_q4_k(block, index, base, out + b);
        else widen_q6_k(block, index, base, out + b);
    }
}

/// acc[r] (16 outputs of activation row r) over all blocks for `R` ≤ 4 activation rows.
/// `words` codes words form a sub-block (8 for Q4_K's 32 values, 4 for Q6_K's 16).
WIDE_INLINE void wide_k_rows(int type, const wide_kblock *w, int64_t blocks, const uint8_t *activations, size_t stride,
                             int R, __m512 out[4]) {
    __m512 acc[4];  // not `out`: a store through it could alias `w`, and the loop would reload every block
    const int words = type == CQK_TYPE_Q4_K ? 8 : 4, subblocks = 64 / words;
    const cqk_activation256 *x[4];
    for (int r = 0; r < R; r++) {
        x[r] = (const cqk_activation256 *)(activations + (size_t)r * stride);
        acc[r] = _mm512_setzero_ps();
    }
    const __m512i zero = _mm512_setzero_si512();
    for (int64_t b = 0; b < blocks; b++, w++) {
        __m512i total[4];
        for (int r = 0; r < R; r++) total[r] = zero;
        for (int j = 0; j < subblocks; j++) {
            for (int r = 0; r < R; r++) {
                int32_t xw[8];
                memcpy(xw, x[r][b].qs + 4 * words * j, (size_t)(4 * words));
                __m512i even = _mm512_dpbusd_epi32(zero, w->codes[words * j], _mm512_set1_epi32(xw[0]));
                __m512i odd = _mm512_dpbusd_epi32(zero, w->codes[words * j + 1], _mm512_set1_epi32(xw[1]));
                for (int k = 2; k < words; k += 2) {
                    even = _mm512_dpbusd_epi32(even, w->codes[words * j + k], _mm512_set1_epi32(xw[k]));
                    odd = _mm512_dpbusd_epi32(odd, w->codes[words * j + k + 1], _mm512_set1_epi32(xw[k + 1]));
                }
                total[r] = _mm512_add_epi32(total[r], _mm512_mullo_epi32(_mm512_add_epi32(even, odd), w->scales[j]));
            }
        }
        for (int r = 0; r < R; r++) {
            int32_t sums[8];
            memcpy(sums, x[r][b].bsums, 32);
            __m512i side = _mm512_dpwssd_epi32(zero, w->pairs[0], _mm512_set1_epi32(sums[0]));
            for (int i = 1; i < 8; i++) side = _mm512_dpwssd_epi32(side, w->pairs[i], _mm512_set1_epi32(sums[i]));
            __m512 xd = _mm512_set1_ps(x[r][b].d);
            if (type == CQK_TYPE_Q4_K) {
                acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(total[r]), _mm512_mul_ps(w->d, xd), acc[r]);
                acc[r] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(side), _mm512_mul_ps(w->dmin, xd), acc[r]);
            } else {
                __m512i sum = _mm512_sub_epi32(total[r], _mm512_slli_epi32(side, 5));
                acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), _mm512_mul_ps(w->d, xd), acc[r]);
            }
        }
    }
    for (int r = 0; r < R; r++) out[r] = acc[r];
}

#define WIDE_K_ROWS(T, R) \
    static WIDE_TARGET void wide_k_rows_##T##_##R(const void *w, int64_t blocks, const uint8_t *x, size_t stride, __m512 acc[4]) { \
        wide_k_rows(CQK_TYPE_##T, w, blocks, x, stride, R, acc); \
    }
WIDE_K_ROWS(Q4_K, 1) WIDE_K_ROWS(Q4_K, 2) WIDE_K_ROWS(Q4_K, 3) WIDE_K_ROWS(Q4_K, 4)
WIDE_K_ROWS(Q6_K, 1) WIDE_K_ROWS(Q6_K, 2) WIDE_K_ROWS(Q6_K, 3) WIDE_K_ROWS(Q6_K, 4)
#undef WIDE_K_ROWS

WIDE_TARGET int cqk_avx512vnni_matmul_wide_k(int type, const uint8_t *weights, size_t weight_row_bytes,
                                             int64_t first_feature, int64_t end_feature,
                                             const uint8_t *activations, size_t activation_row_bytes, int64_t activation_rows,
                                             int64_t columns, float *out, int64_t out_stride) {
    static const wide_rows_kernel q4_k[4] = {wide_k_rows_Q4_K_1, wide_k_rows_Q4_K_2, wide_k_rows_Q4_K_3, wide_k_rows_Q4_K_4};
    static const wide_rows_kernel q6_k[4] = {wide_k_rows_Q6_K_1, wide_k_rows_Q6_K_2, wide_k_rows_Q6_K_3, wide_k_rows_Q6_K_4};
    if (wide_k_block_bytes(type) == 0 || weight_row_bytes * 15 > (size_t)INT32_MAX) return 0;
    return wide_matmul(type, widen_k, type == CQK_TYPE_Q4_K ? q4_k : q6_k, sizeof(wide_kblock), columns / 256, weights,
                       weight_row_bytes, first_feature, end_feature, activations, activation_row_bytes,
                       activation_rows, out, out_stride);
}

#endif
