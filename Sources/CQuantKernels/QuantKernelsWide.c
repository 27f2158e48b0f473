// The AVX-512 VNNI product for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) over any
// number of activation rows: sixteen weight rows share each 512-bit register, lane l holding
// row l.
//
// Each block of a group of 16 weight rows is first rearranged once (`widen`): its 32 codes as
// eight registers where lane l holds four codes of row l (unsigned: Q8_0's signed codes + 128),
// the rows' scales d in one register and, for Q4_1 and Q5_1, their minimums m in another. Then
// each activation row x costs, per block and 16 outputs, eight `vpdpbusd` (x's codes four at a
// time, broadcast to every lane), one conversion and one or two fused multiply-adds:
//
//     acc = fma(float(I), d · x.d, acc)             Q4_0, Q5_0, Q8_0
//     acc = fma(float(I), d · x.d, acc);  acc = fma(m, x.s, acc)       Q4_1, Q5_1
//
// with I the exact integer sum of the block's 32 products, the code offsets (8, 16, 128) removed
// in integers through the activation block's code sum. Every output goes through the same
// sequence of Float32 operations whatever its lane, its group, the feature range or the number
// of activation rows, so results do not depend on batching or on how work is split over threads.
//
// A matrix may also be kept in an interleaved form (CQuantKernelsInterleaved.h) whose groups of 16
// rows load straight into the registers `widen` otherwise gathers and transposes: decode steps over
// a few rows, which widen every block for only those rows, then skip most of that work.
#include "CQuantKernels.h"
#include "QuantKernelsInternal.h"


#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#include "QuantKernelsWide.h"

/// One block of 16 weight rows, rearranged: codes[j] lane l holds codes 4j…4j+3 of row l;
/// minimums: Q4_1's and Q5_1's m (zero for the other types).
typedef struct {
    __m512i codes[8];
    __m512 scales;
    __m512 minimums;
} wide_block;

/// Bytes of one weight block; 0 when `type` has no wide kernel.
static int wide_block_bytes(int type) {
    switch (type) {
    case CQK_TYPE_Q4_0: return 18;
    case CQK_TYPE_Q4_1: return 20;
    case CQK_TYPE_Q5_0: return 22;
    case CQK_TYPE_Q5_1: return 24;
    case CQK_TYPE_Q8_0: return 34;
    default: return 0;
    }
}

/// A block of 16 weight rows as loaded, before the codes are split into bytes: head lane l holds
/// the first 32 bits of row l's block (d, then m or code bytes), high lane l Q5's 32 high bits,
/// q[j] lane l code bytes 4j…4j+3 (j < 4, or < 8 for Q8_0).
typedef struct {
    __m512i head, high, q[8];
} loaded_block;

/// Loads block b of `n` ≤ 16 weight rows (`rows`, `row_bytes` apart; missing lanes repeat the
/// last row) from the blocks as stored.
WIDE_INLINE void gather_block(int type, const uint8_t *rows, size_t row_bytes, int n, int64_t b, loaded_block *out) {
    const int bytes = wide_block_bytes(type);
    const uint8_t *block[16];
    int32_t offsets[16];
    for (int l = 0; l < 16; l++) {
        int row = l < n ? l : n - 1;
        offsets[l] = (int32_t)((size_t)row * row_bytes);
        block[l] = rows + offsets[l] + (size_t)b * (size_t)bytes;
    }
    const __m512i index = _mm512_loadu_si512(offsets);
    const uint8_t *base = rows + (size_t)b * (size_t)bytes;
    out->head = _mm512_i32gather_epi32(index, base, 1);
    switch (type) {
    case CQK_TYPE_Q8_0:
        transpose16(block, 2, out->q);
        transpose16(block, 18, out->q + 4);
        break;
    default: {
        int nibbles = type == CQK_TYPE_Q4_0 ? 2 : type == CQK_TYPE_Q4_1 ? 4 : type == CQK_TYPE_Q5_0 ? 6 : 8;
        transpose16(block, nibbles, out->q);
        if (type == CQK_TYPE_Q5_0 || type == CQK_TYPE_Q5_1) {
            out->high = _mm512_i32gather_epi32(index, base + (type == CQK_TYPE_Q5_0 ? 2 : 4), 1);
        }
        break;
    }
    }
}

/// Loads one block of a group of 16 rows from the interleaved form (CQuantKernelsInterleaved.h).
WIDE_INLINE void load_interleaved_block(int type, const uint8_t *group_block, loaded_block *out) {
    const int has_high = type == CQK_TYPE_Q5_0 || type == CQK_TYPE_Q5_1;
    const int registers = type == CQK_TYPE_Q8_0 ? 8 : 4;
    const uint8_t *codes = group_block + (has_high ? 128 : 64);
    out->head = _mm512_loadu_si512(group_block);
    if (has_high) out->high = _mm512_loadu_si512(group_block + 64);
    for (int j = 0; j < registers; j++) out->q[j] = _mm512_loadu_si512(codes + 64 * j);
}

/// Rearranges a loaded block into the form the row kernels multiply.
WIDE_INLINE void widen_loaded(int type, const loaded_block *in, wide_block *out) {
    __m512 d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(in->head));
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    switch (type) {
    case CQK_TYPE_Q8_0: {
        const __m512i flip = _mm512_set1_epi8((char)0x80);
        for (int j = 0; j < 8; j++) out->codes[j] = _mm512_xor_si512(in->q[j], flip);
        out->minimums = _mm512_setzero_ps();
        break;
    }
    default: {
        for (int j = 0; j < 4; j++) {
            out->codes[j] = _mm512_and_si512(in->q[j], m4);
            out->codes[4 + j] = _mm512_and_si512(_mm512_srli_epi32(in->q[j], 4), m4);
        }
        if (type == CQK_TYPE_Q5_0 || type == CQK_TYPE_Q5_1) {
            // Byte i of codes[j] gets 16 when bit 4j + i of its row's `high` is set.
            const __m512i bit = _mm512_set1_epi32(0x08040201), sixteen = _mm512_set1_epi8(16);
            const __m512i low_byte = _mm512_set4_epi32(0x0C0C0C0C, 0x08080808, 0x04040404, 0x00000000);
            for (int j = 0; j < 8; j++) {
                // Each word's low byte (bits 4j… of `high`) copied to its four bytes; byte i keeps bit i.
                __m512i spread = _mm512_shuffle_epi8(_mm512_srli_epi32(in->high, (unsigned)(4 * j)), low_byte);
                __mmask64 set = _mm512_test_epi8_mask(spread, bit);
                out->codes[j] = _mm512_mask_add_epi8(out->codes[j], set, out->codes[j], sixteen);
            }
        }
        out->minimums = type == CQK_TYPE_Q4_1 || type == CQK_TYPE_Q5_1
            ? _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(in->head, 16)))
            : _mm512_setzero_ps();
        break;
    }
    }
    out->scales = d;
}

/// The code offset of `type` (Q4_0 8, Q5_0 16, Q8_0 128 after widening), removed in integers;
/// 0 for Q4_1 and Q5_1, whose minimum is the Float32 term.
static inline int code_offset(int type) {
    return type == CQK_TYPE_Q4_0 ? 8 : type == CQK_TYPE_Q5_0 ? 16 : type == CQK_TYPE_Q8_0 ? 128 : 0;
}

/// acc[r] (16 outputs of activation row r) over all blocks, for `R` ≤ 4 activation rows
/// `stride` bytes apart.
WIDE_INLINE void wide_rows(int type, const wide_block *w, int64_t blocks, const uint8_t *activations, size_t stride,
                           int R, __m512 out[4]) {
    const int offset = code_offset(type);
    __m512 acc[4];  // not `out`: a store through it could alias `w`, and the loop would reload every block
    const cqk_activation32 *x[4];
    for (int r = 0; r < R; r++) {
        x[r] = (const cqk_activation32 *)(activations + (size_t)r * stride);
        acc[r] = _mm512_setzero_ps();
    }
    const __m512i zero = _mm512_setzero_si512();
    for (int64_t b = 0; b < blocks; b++, w++) {
        for (int r = 0; r < R; r++) {
            const cqk_activation32 *xb = x[r] + b;
            int32_t words[8];
            memcpy(words, xb->qs, 32);
            __m512i start = offset ? _mm512_set1_epi32(-offset * xb->sum) : zero;
            __m512i even = _mm512_dpbusd_epi32(start, w->codes[0], _mm512_set1_epi32(words[0]));
            __m512i odd = _mm512_dpbusd_epi32(zero, w->codes[1], _mm512_set1_epi32(words[1]));
            for (int j = 2; j < 8; j += 2) {
                even = _mm512_dpbusd_epi32(even, w->codes[j], _mm512_set1_epi32(words[j]));
                odd = _mm512_dpbusd_epi32(odd, w->codes[j + 1], _mm512_set1_epi32(words[j + 1]));
            }
            __m512 sum = _mm512_cvtepi32_ps(_mm512_add_epi32(even, odd));
            acc[r] = _mm512_fmadd_ps(sum, _mm512_mul_ps(w->scales, _mm512_set1_ps(xb->d)), acc[r]);
            if (!offset) acc[r] = _mm512_fmadd_ps(w->minimums, _mm512_set1_ps(xb->s), acc[r]);
        }
    }
    for (int r = 0; r < R; r++) out[r] = acc[r];
}

#define WIDE_ROWS(T, R) \
    static WIDE_TARGET void wide_rows_##T##_##R(const void *w, int64_t blocks, const uint8_t *x, size_t stride, __m512 acc[4]) { \
        wide_rows(CQK_TYPE_##T, w, blocks, x, stride, R, acc); \
    }
WIDE_ROWS(Q4_0, 1) WIDE_ROWS(Q4_0, 2) WIDE_ROWS(Q4_0, 3) WIDE_ROWS(Q4_0, 4)
WIDE_ROWS(Q4_1, 1) WIDE_ROWS(Q4_1, 2) WIDE_ROWS(Q4_1, 3) WIDE_ROWS(Q4_1, 4)
WIDE_ROWS(Q5_0, 1) WIDE_ROWS(Q5_0, 2) WIDE_ROWS(Q5_0, 3) WIDE_ROWS(Q5_0, 4)
WIDE_ROWS(Q5_1, 1) WIDE_ROWS(Q5_1, 2) WIDE_ROWS(Q5_1, 3) WIDE_ROWS(Q5_1, 4)
WIDE_ROWS(Q8_0, 1) WIDE_ROWS(Q8_0, 2) WIDE_ROWS(Q8_0, 3) WIDE_ROWS(Q8_0, 4)
#undef WIDE_ROWS

/// The row kernels of `type` for 1…4 activation rows.
static const wide_rows_kernel *wide_rows_kernels(int type) {
    static const wide_rows_kernel q4_0[4] = {wide_rows_Q4_0_1, wide_rows_Q4_0_2, wide_rows_Q4_0_3, wide_rows_Q4_0_4};
    static const wide_rows_kernel q4_1[4] = {wide_rows_Q4_1_1, wide_rows_Q4_1_2, wide_rows_Q4_1_3, wide_rows_Q4_1_4};
    static const wide_rows_kernel q5_0[4] = {wide_rows_Q5_0_1, wide_rows_Q5_0_2, wide_rows_Q5_0_3, wide_rows_Q5_0_4};
    static const wide_rows_kernel q5_1[4] = {wide_rows_Q5_1_1, wide_rows_Q5_1_2, wide_rows_Q5_1_3, wide_rows_Q5_1_4};
    static const wide_rows_kernel q8_0[4] = {wide_rows_Q8_0_1, wide_rows_Q8_0_2, wide_rows_Q8_0_3, wide_rows_Q8_0_4};
    switch (type) {
    case CQK_TYPE_Q4_0: return q4_0;
    case CQK_TYPE_Q4_1: return q4_1;
    case CQK_TYPE_Q5_0: return q5_0;
    case CQK_TYPE_Q5_1: return q5_1;
    default: return q8_0;
    }
}

/// Widens `n` rows at `rows`, prefetching the `next_bytes` that follow them (the next group).
WIDE_INLINE void widen_type(int type, const uint8_t *rows, size_t row_bytes, int n, int64_t blocks, size_t next_bytes,
                            wide_block *out) {
    const uint8_t *next = rows + 16 * row_bytes;
    for (int64_t b = 0; b < blocks; b++) {
        prefetch_share(next, next_bytes, b, blocks);
        loaded_block loaded;
        gather_block(type, rows, row_bytes, n, b, &loaded);
        widen_loaded(type, &loaded, out + b);
    }
}

static WIDE_TARGET void widen(int type, const uint8_t *rows, size_t row_bytes, int n, int64_t blocks, size_t next_bytes,
                              void *scratch) {
    wide_block *out = scratch;
    switch (type) {  // one specialized loop per type
    case CQK_TYPE_Q4_0: widen_type(CQK_TYPE_Q4_0, rows, row_bytes, n, blocks, next_bytes, out); break;
    case CQK_TYPE_Q4_1: widen_type(CQK_TYPE_Q4_1, rows, row_bytes, n, blocks, next_bytes, out); break;
    case CQK_TYPE_Q5_0: widen_type(CQK_TYPE_Q5_0, rows, row_bytes, n, blocks, next_bytes, out); break;
    case CQK_TYPE_Q5_1: widen_type(CQK_TYPE_Q5_1, rows, row_bytes, n, blocks, next_bytes, out); break;
    case CQK_TYPE_Q8_0: widen_type(CQK_TYPE_Q8_0, rows, row_bytes, n, blocks, next_bytes, out); break;
    default: break;
    }
}

/// Bytes of one block of a group of 16 rows in the interleaved form (0 when `type` has none).
static size_t interleaved_group_block_bytes(int type) {
    return cqk_interleaved_bytes(type, 16, 32);
}

/// `widen_type` over one group of the interleaved form: `rows` is the group's first block.
WIDE_INLINE void widen_interleaved_type(int type, const uint8_t *rows, int64_t blocks, size_t next_bytes,
                                        wide_block *out) {
    const size_t step = interleaved_group_block_bytes(type);
    const uint8_t *next = rows + (size_t)blocks * step;
    for (int64_t b = 0; b < blocks; b++) {
        prefetch_share(next, next_bytes, b, blocks);
        loaded_block loaded;
        load_interleaved_block(type, rows + (size_t)b * step, &loaded);
        widen_loaded(type, &loaded, out + b);
    }
}

static WIDE_TARGET void widen_interleaved(int type, const uint8_t *rows, size_t row_bytes, int n, int64_t blocks,
                                          size_t next_bytes, void *scratch) {
    (void)row_bytes; (void)n;  // a group's lanes are already filled
    wide_block *out = scratch;
    switch (type) {
    case CQK_TYPE_Q4_0: widen_interleaved_type(CQK_TYPE_Q4_0, rows, blocks, next_bytes, out); break;
    case CQK_TYPE_Q4_1: widen_interleaved_type(CQK_TYPE_Q4_1, rows, blocks, next_bytes, out); break;
    case CQK_TYPE_Q5_0: widen_interleaved_type(CQK_TYPE_Q5_0, rows, blocks, next_bytes, out); break;
    case CQK_TYPE_Q5_1: widen_interleaved_type(CQK_TYPE_Q5_1, rows, blocks, next_bytes, out); break;
    case CQK_TYPE_Q8_0: widen_interleaved_type(CQK_TYPE_Q8_0, rows, blocks, next_bytes, out); break;
    default: break;
    }
}

static WIDE_TARGET int matmul_interleaved(int type, const uint8_t *interleaved, int64_t first_feature,
                                          int64_t end_feature, const uint8_t *activations,
                                          size_t activation_row_bytes, int64_t activation_rows, int64_t columns,
                                          float *out, int64_t out_stride) {
    // A group of 16 rows takes blocks · step bytes: as if each row took blocks · step / 16.
    size_t row_bytes = (size_t)(columns / 32) * interleaved_group_block_bytes(type) / 16;
    return wide_matmul(type, widen_interleaved, wide_rows_kernels(type), sizeof(wide_block), columns / 32,
                       interleaved, row_bytes, first_feature, end_feature, activations, activation_row_bytes,
                       activation_rows, out, out_stride);
}

int cqk_matmul_interleaved(int type, const void *interleaved, int64_t first_feature, int64_t end_feature,
                           const void *activations, size_t activation_row_bytes, int64_t activation_rows,
                           int64_t columns, float *out, int64_t out_stride) {
    if (interleaved_group_block_bytes(type) == 0 || first_feature % 16 != 0 || columns % 32 != 0
        || !(cqk_available_instruction_sets() & (1 << CQK_AVX512_VNNI))) return 0;
    return matmul_interleaved(type, interleaved, first_feature, end_feature, activations, activation_row_bytes,
                              activation_rows, columns, out, out_stride);
}

WIDE_TARGET int cqk_avx512vnni_matmul_wide(int type, const uint8_t *weights, size_t weight_row_bytes,
                               int64_t first_feature, int64_t end_feature,
                               const uint8_t *activations, size_t activation_row_bytes, int64_t activation_rows,
                               int64_t columns, float *out, int64_t out_stride) {
    if (wide_block_bytes(type) == 0 || weight_row_bytes * 15 > (size_t)INT32_MAX) return 0;
    return wide_matmul(type, widen, wide_rows_kernels(type), sizeof(wide_block), columns / 32, weights,
                       weight_row_bytes, first_feature, end_feature, activations, activation_row_bytes,
                       activation_rows, out, out_stride);
}

#else

// Without x86 intrinsics there are no wide kernels (the K-quant family's too): callers fall back.
int cqk_avx512vnni_matmul_wide(int type, const uint8_t *weights, size_t weight_row_bytes,
                               int64_t first_feature, int64_t end_feature,
                               const uint8_t *activations, size_t activation_row_bytes, int64_t activation_rows,
                               int64_t columns, float *out, int64_t out_stride) {
    (void)type; (void)weights; (void)weight_row_bytes; (void)first_feature; (void)end_feature; (void)activations;
    (void)activation_row_bytes; (void)activation_rows; (void)columns; (void)out; (void)out_stride;
    return 0;
}

int cqk_matmul_interleaved(int type, const void *interleaved, int64_t first_feature, int64_t end_feature,
                           const void *activations, size_t activation_row_bytes, int64_t activation_rows,
                           int64_t columns, float *out, int64_t out_stride) {
    (void)type; (void)interleaved; (void)first_feature; (void)end_feature; (void)activations;
    (void)activation_row_bytes; (void)activation_rows; (void)columns; (void)out; (void)out_stride;
    return 0;
}

int cqk_avx512vnni_matmul_wide_k(int type, const uint8_t *weights, size_t weight_row_bytes,
                                 int64_t first_feature, int64_t end_feature,
                                 const uint8_t *activations, size_t activation_row_bytes, int64_t activation_rows,
                                 int64_t columns, float *out, int64_t out_stride) {
    return cqk_avx512vnni_matmul_wide(type, weights, weight_row_bytes, first_feature, end_feature, activations,
                                      activation_row_bytes, activation_rows, columns, out, out_stride);
}

#endif
