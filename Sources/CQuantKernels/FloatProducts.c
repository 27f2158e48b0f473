// Float32 matrix products over many rows (training, scoring, prefill) with AVX-512: the
// forward's x·Wᵀ, the backward's dY·W and the LM head's tiles. OpenBLAS's Haswell kernel (the
// one it picks for Zen 4) keeps 8 accumulators of 8 floats and runs at about 80 % of the fused
// multiply-add peak here; this one keeps 24 of 16 (12 rows × 32 columns of C) and runs at about
// 86–90 % on one core.
//
// Per call, for each block of at most BLOCK_COLUMNS columns and each SLICE of the inner
// dimension, op(B)'s block is packed once into panels of 32 columns (a cost of 1/m of the
// products), from Float32 rows or straight from ggml blocks of a quantized weight (no Float32
// copy of the whole matrix, and 4.5–8.5 bits a value to read instead of 32); op(A) is read in
// place, a tile of 12 rows staying in L1 while the kernel sweeps the block's panels from L2.
// Packing A as well would cost a copy per block and thread, which measured slower; A's rows are
// copied only when their stride would put them in the same L1 sets, and for the last partial
// tile.
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "CQuantKernelsProducts.h"

#pragma clang diagnostic ignored "-Wpsabi"

enum {
    /// Rows and columns of C one kernel call keeps in registers (24 of the 32 zmm registers).
    TILE_ROWS = 12,
    TILE_COLUMNS = 32,
    /// The slice of the inner dimension a packed block holds (48 KB a panel).
    SLICE = 384,
    /// Columns of a packed block at most (480 KB with SLICE; it stays in L2 while the rows go by).
    BLOCK_COLUMNS = 320,
    /// Floats between the starts of two copied rows of A (SLICE + one cache line).
    COPIED_ROW_STEP = SLICE + 16,
    /// Row strides of A that are multiples of this (4 KB) put a tile's rows in the same L1 sets.
    ALIASING_STRIDE = 1024,
    /// Bytes of a transparent huge page (the packed block fits in one).
    HUGE_PAGE = 2 << 20,
};

// A slice of a transposed block source is whole blocks.
_Static_assert(SLICE % TILE_COLUMNS == 0, "SLICE must be a multiple of the 32-value block");

#define TARGET __attribute__((target("avx512f,fma,prfchw")))

/// Where op(B) [k, n]'s values come from: a stored matrix, op(B) itself or (`transposed`) its
/// transpose [n, k], as Float32 rows or as rows of ggml blocks of 32 values.
struct b_source {
    int transposed;
    /// Float32 rows `ld` apart, or null when the rows are blocks.
    const float *values;
    int64_t ld;
    /// Rows of blocks `row_bytes` apart, of `type`.
    const uint8_t *blocks;
    int64_t row_bytes;
    enum cqk_block_type type;
};

/// Bytes of one block of 32 values.
static int64_t block_bytes(enum cqk_block_type type) {
    switch (type) {
    case CQK_BLOCKS_Q4_0: return 18;
    case CQK_BLOCKS_Q4_1: return 20;
    case CQK_BLOCKS_Q5_0: return 22;
    case CQK_BLOCKS_Q5_1: return 24;
    case CQK_BLOCKS_Q8_0: return 34;
    }
    return 0;
}

static TARGET __m512 half_to_float(const uint8_t *bytes) {
    uint16_t half;
    memcpy(&half, bytes, 2);
    return _mm512_cvtph_ps(_mm256_set1_epi16((short)half));
}

/// out[0 ..< 32] = the block's values, with the same roundings as `Dequantizer` (a product,
/// then a separate sum for Q4_1's and Q5_1's minimum), so products match those of a dequantized
/// copy.
static TARGET void dequantize_block(enum cqk_block_type type, const uint8_t *block, float *out) {
#pragma clang fp contract(off)
    const __m512 d = half_to_float(block);
    switch (type) {
    case CQK_BLOCKS_Q4_0: {
        const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(block + 2)));
        const __m512i eight = _mm512_set1_epi32(8);
        const __m512i low = _mm512_sub_epi32(_mm512_and_si512(bytes, _mm512_set1_epi32(15)), eight);
        const __m512i high = _mm512_sub_epi32(_mm512_srli_epi32(bytes, 4), eight);
        _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_cvtepi32_ps(low), d));
        _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(high), d));
        break;
    }
    case CQK_BLOCKS_Q4_1: {
        const __m512 m = half_to_float(block + 2);
        const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(block + 4)));
        const __m512i low = _mm512_and_si512(bytes, _mm512_set1_epi32(15)), high = _mm512_srli_epi32(bytes, 4);
        _mm512_storeu_ps(out, _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(low), d), m));
        _mm512_storeu_ps(out + 16, _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(high), d), m));
        break;
    }
    case CQK_BLOCKS_Q5_0:
    case CQK_BLOCKS_Q5_1: {
        // The fifth bit of element j is bit j of a little-endian u32 before the nibbles.
        const int has_minimum = type == CQK_BLOCKS_Q5_1;
        uint32_t high_bits;
        memcpy(&high_bits, block + (has_minimum ? 4 : 2), 4);
        const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const __m512i bits = _mm512_set1_epi32((int)high_bits), one = _mm512_set1_epi32(1);
        const __m512i fifth_low = _mm512_slli_epi32(_mm512_and_si512(_mm512_srlv_epi32(bits, lanes), one), 4);
        const __m512i fifth_high = _mm512_slli_epi32(
            _mm512_and_si512(_mm512_srlv_epi32(bits, _mm512_add_epi32(lanes, _mm512_set1_epi32(16))), one), 4);
        const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(block + (has_minimum ? 8 : 6))));
        __m512i low = _mm512_or_si512(_mm512_and_si512(bytes, _mm512_set1_epi32(15)), fifth_low);
        __m512i high = _mm512_or_si512(_mm512_srli_epi32(bytes, 4), fifth_high);
        if (has_minimum) {
            const __m512 m = half_to_float(block + 2);
            _mm512_storeu_ps(out, _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(low), d), m));
            _mm512_storeu_ps(out + 16, _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(high), d), m));
        } else {
            low = _mm512_sub_epi32(low, _mm512_set1_epi32(16));
            high = _mm512_sub_epi32(high, _mm512_set1_epi32(16));
            _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_cvtepi32_ps(low), d));
            _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(high), d));
        }
        break;
    }
    case CQK_BLOCKS_Q8_0: {
        const __m512i low = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(block + 2)));
        const __m512i high = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(block + 18)));
        _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_cvtepi32_ps(low), d));
        _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(high), d));
        break;
    }
    }
}

/// The calling thread's buffer for one packed block, allocated on first use, freed when the
/// thread ends.
static pthread_key_t block_key;
static pthread_once_t block_key_once = PTHREAD_ONCE_INIT;

static void make_block_key(void) { pthread_key_create(&block_key, free); }

static float *packed_block(void) {
    pthread_once(&block_key_once, make_block_key);
    float *block = pthread_getspecific(block_key);
    if (!block) {
        // One 2 MB page where the kernel grants it: the block's 120 small pages would not fit
        // in the first-level TLB while the kernel sweeps them.
        block = aligned_alloc(HUGE_PAGE, HUGE_PAGE);
        if (block) {
            madvise(block, HUGE_PAGE, MADV_HUGEPAGE);
            pthread_setspecific(block_key, block);
        }
    }
    return block;
}

/// out[t·TILE_COLUMNS + j] = rows[j][k + t] for 16 rows j (null rows read as zeros) and t < 16.
static TARGET void transpose_into(const float *const rows[16], int64_t k, float *out) {
    __m512 r[16], t[16];
    for (int j = 0; j < 16; j++) r[j] = rows[j] ? _mm512_loadu_ps(rows[j] + k) : _mm512_setzero_ps();
    // Within each 128-bit lane: pairs of rows, then groups of four rows.
    for (int j = 0; j < 16; j += 2) {
        t[j] = _mm512_unpacklo_ps(r[j], r[j + 1]);
        t[j + 1] = _mm512_unpackhi_ps(r[j], r[j + 1]);
    }
    for (int j = 0; j < 16; j += 4) {
        r[j] = _mm512_shuffle_ps(t[j], t[j + 2], 0x44);
        r[j + 1] = _mm512_shuffle_ps(t[j], t[j + 2], 0xEE);
        r[j + 2] = _mm512_shuffle_ps(t[j + 1], t[j + 3], 0x44);
        r[j + 3] = _mm512_shuffle_ps(t[j + 1], t[j + 3], 0xEE);
    }
    // r[4g + c], lane L now holds rows 4g ..< 4g+4 of column 4L + c; gather the lanes.
    for (int c = 0; c < 4; c++) {
        const __m512 low01 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0x44), high01 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0xEE);
        const __m512 low23 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0x44), high23 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0xEE);
        _mm512_storeu_ps(out + c * TILE_COLUMNS, _mm512_shuffle_f32x4(low01, low23, 0x88));
        _mm512_storeu_ps(out + (4 + c) * TILE_COLUMNS, _mm512_shuffle_f32x4(low01, low23, 0xDD));
        _mm512_storeu_ps(out + (8 + c) * TILE_COLUMNS, _mm512_shuffle_f32x4(high01, high23, 0x88));
        _mm512_storeu_ps(out + (12 + c) * TILE_COLUMNS, _mm512_shuffle_f32x4(high01, high23, 0xDD));
    }
}

/// Packs op(B)[k0 ..< k0+depth, j0 ..< j0+width] into panels of TILE_COLUMNS columns: panel p
/// holds `depth` rows of TILE_COLUMNS floats (columns past `width` zero). From blocks, k0 and
/// depth are whole blocks when `b` is transposed, and j0 and width otherwise.
static TARGET void pack_b(const struct b_source *b, int64_t k0, int64_t depth, int64_t j0, int64_t width,
                          float *packed) {
    // Sixteen rows of a transposed block source, dequantized for the transposes.
    float dequantized[16 * COPIED_ROW_STEP] __attribute__((aligned(64)));
    for (int64_t p = 0; p * TILE_COLUMNS < width; p++) {
        float *panel = packed + p * depth * TILE_COLUMNS;
        const int64_t first = j0 + p * TILE_COLUMNS;
        const int64_t count = width - p * TILE_COLUMNS < TILE_COLUMNS ? width - p * TILE_COLUMNS : TILE_COLUMNS;
        if (!b->transposed && !b->values) {
            // Each row of the panel is one block of the stored row.
            const uint8_t *block = b->blocks + k0 * b->row_bytes + first / TILE_COLUMNS * block_bytes(b->type);
            for (int64_t k = 0; k < depth; k++) dequantize_block(b->type, block + k * b->row_bytes, panel + k * TILE_COLUMNS);
        } else if (!b->transposed) {
            const float *values = b->values;
            const int64_t ldb = b->ld;
            const __mmask16 low_mask = count >= 16 ? 0xFFFF : (__mmask16)((1u << count) - 1);
            const __mmask16 high_mask = count >= 32 ? 0xFFFF : count <= 16 ? 0 : (__mmask16)((1u << (count - 16)) - 1);
            for (int64_t k = 0; k < depth; k++) {
                const float *source = values + (k0 + k) * ldb + first;
                _mm512_store_ps(panel + k * TILE_COLUMNS, _mm512_maskz_loadu_ps(low_mask, source));
                _mm512_store_ps(panel + k * TILE_COLUMNS + 16, _mm512_maskz_loadu_ps(high_mask, source + 16));
            }
        } else {
            // op(B)[k][j] = b[j][k]: each of the panel's columns is a row of b, transposed 16 × 16.
            for (int64_t half = 0; half < TILE_COLUMNS; half += 16) {
                const float *rows[16];
                for (int64_t j = 0; j < 16; j++) {
                    const int64_t row = first + half + j;
                    if (half + j >= count) {
                        rows[j] = 0;
                    } else if (b->values) {
                        rows[j] = b->values + row * b->ld + k0;
                    } else {
                        float *copy = dequantized + j * COPIED_ROW_STEP;
                        const uint8_t *blocks = b->blocks + row * b->row_bytes + k0 / TILE_COLUMNS * block_bytes(b->type);
                        for (int64_t k = 0; k < depth; k += TILE_COLUMNS) {
                            dequantize_block(b->type, blocks + k / TILE_COLUMNS * block_bytes(b->type), copy + k);
                        }
                        rows[j] = copy;
                    }
                }
                int64_t k = 0;
                for (; k + 16 <= depth; k += 16) transpose_into(rows, k, panel + k * TILE_COLUMNS + half);
                for (; k < depth; k++) {
                    for (int64_t j = 0; j < 16; j++) panel[k * TILE_COLUMNS + half + j] = rows[j] ? rows[j][k] : 0;
                }
            }
        }
    }
}

/// C[0 ..< rows, 0 ..< columns] = keep·C + alpha·Σ_k A[i, k]·P[k, j] for one tile, with A[i, k] at
/// a[i·row_step + k·depth_step] (TILE_ROWS rows readable) and P a packed panel. `keep` 0 means C
/// is not read (it may hold anything).
/// (Not inlined: inlined into the loop that calls it, it loses accumulators to the stack.)
static __attribute__((noinline)) TARGET void tile(int64_t depth, const float *a, int64_t row_step,
                                                  int64_t depth_step, const float *panel, float *c, int64_t ldc,
                                                  int64_t rows, int64_t columns, float alpha, float keep) {
    __m512 low[TILE_ROWS], high[TILE_ROWS];
    for (int i = 0; i < TILE_ROWS; i++) low[i] = high[i] = _mm512_setzero_ps();
    // Rows 3q, 3q+1, 3q+2 at rows_of[q], + row_step, + 2·row_step: x86 addresses them with one
    // index register scaled by 4 and 8.
    const float *rows_of[4] = {a, a + 3 * row_step, a + 6 * row_step, a + 9 * row_step};
    // C's lines, for writing, a whole k loop ahead of the stores: a product's C is mostly not in
    // cache (≈ 1.5 % faster in training).
    for (int64_t i = 0; i < rows; i++) {
        __builtin_prefetch(c + i * ldc, 1, 3);
        __builtin_prefetch(c + i * ldc + 16, 1, 3);
    }
    for (int64_t k = 0; k < depth; k++) {
        if ((k & 15) == 0 && depth_step == 1) {
            // The next cache line of each row, a line ahead of the loads (≈ 1 % faster in training).
#pragma clang loop unroll(full)
            for (int i = 0; i < TILE_ROWS; i++) _mm_prefetch((const char *)(rows_of[i / 3] + (i % 3) * row_step + 64), _MM_HINT_T0);
        }
        const __m512 b0 = _mm512_load_ps(panel), b1 = _mm512_load_ps(panel + 16);
#pragma clang loop unroll(full)
        for (int i = 0; i < TILE_ROWS; i++) {
            const __m512 x = _mm512_set1_ps(rows_of[i / 3][(i % 3) * row_step]);
            low[i] = _mm512_fmadd_ps(x, b0, low[i]);
            high[i] = _mm512_fmadd_ps(x, b1, high[i]);
        }
        for (int q = 0; q < 4; q++) rows_of[q] += depth_step;
        panel += TILE_COLUMNS;
    }
    const __mmask16 low_mask = columns >= 16 ? 0xFFFF : (__mmask16)((1u << columns) - 1);
    const __mmask16 high_mask = columns >= 32 ? 0xFFFF : columns <= 16 ? 0 : (__mmask16)((1u << (columns - 16)) - 1);
    const __m512 scale = _mm512_set1_ps(alpha), kept = _mm512_set1_ps(keep);
    for (int64_t i = 0; i < rows; i++) {
        float *row = c + i * ldc;
        __m512 old_low = _mm512_setzero_ps(), old_high = _mm512_setzero_ps();
        if (keep != 0) {
            old_low = _mm512_mul_ps(kept, _mm512_maskz_loadu_ps(low_mask, row));
            old_high = _mm512_mul_ps(kept, _mm512_maskz_loadu_ps(high_mask, row + 16));
        }
        _mm512_mask_storeu_ps(row, low_mask, _mm512_fmadd_ps(scale, low[i], old_low));
        _mm512_mask_storeu_ps(row + 16, high_mask, _mm512_fmadd_ps(scale, high[i], old_high));
    }
}

static TARGET void product_columns(int transpose_a, const struct b_source *b, int64_t m, int64_t k, float alpha,
                                   const float *a, int64_t lda, float beta, float *c, int64_t ldc,
                                   int64_t first_column, int64_t end_column) {
    if (end_column <= first_column || m <= 0 || k <= 0) return;
    float *packed = packed_block();
    if (!packed) abort();
    // A[i, k] = a[i·row_step + k·depth_step].
    const int64_t row_step = transpose_a ? 1 : lda, depth_step = transpose_a ? lda : 1;
    // A tile's rows copied one after another, for the last partial tile (rows past m are zeros)
    // and for strides of ALIASING_STRIDE (the head's logits tile).
    float copied_rows[TILE_ROWS * COPIED_ROW_STEP] __attribute__((aligned(64)));
    // Blocks of equal width (whole panels, at most BLOCK_COLUMNS): 576 columns make two of 288.
    const int64_t blocks = (end_column - first_column + BLOCK_COLUMNS - 1) / BLOCK_COLUMNS;
    const int64_t panels_per_block = ((end_column - first_column + blocks - 1) / blocks + TILE_COLUMNS - 1) / TILE_COLUMNS;
    const int64_t block_columns = panels_per_block * TILE_COLUMNS;
    for (int64_t j0 = first_column; j0 < end_column; j0 += block_columns) {
        const int64_t width = end_column - j0 < block_columns ? end_column - j0 : block_columns;
        for (int64_t k0 = 0; k0 < k; k0 += SLICE) {
            const int64_t depth = k - k0 < SLICE ? k - k0 : SLICE;
            const float keep = k0 == 0 ? beta : 1;
            pack_b(b, k0, depth, j0, width, packed);
            for (int64_t i0 = 0; i0 < m; i0 += TILE_ROWS) {
                const int64_t rows = m - i0 < TILE_ROWS ? m - i0 : TILE_ROWS;
                const float *tile_a = a + i0 * row_step + k0 * depth_step;
                int64_t tile_row_step = row_step, tile_depth_step = depth_step;
                if (rows < TILE_ROWS || (!transpose_a && lda % ALIASING_STRIDE == 0)) {
                    for (int64_t i = 0; i < TILE_ROWS; i++) {
                        float *copy = copied_rows + i * COPIED_ROW_STEP;
                        if (i >= rows) {
                            memset(copy, 0, (size_t)depth * sizeof(float));
                        } else if (!transpose_a) {
                            memcpy(copy, tile_a + i * row_step, (size_t)depth * sizeof(float));
                        } else {
                            for (int64_t d = 0; d < depth; d++) copy[d] = tile_a[i + d * depth_step];
                        }
                    }
                    tile_a = copied_rows;
                    tile_row_step = COPIED_ROW_STEP;
                    tile_depth_step = 1;
                }
                for (int64_t p = 0; p * TILE_COLUMNS < width; p++) {
                    const int64_t columns = width - p * TILE_COLUMNS < TILE_COLUMNS ? width - p * TILE_COLUMNS : TILE_COLUMNS;
                    tile(depth, tile_a, tile_row_step, tile_depth_step, packed + p * depth * TILE_COLUMNS,
                         c + i0 * ldc + j0 + p * TILE_COLUMNS, ldc, rows, columns, alpha, keep);
                }
            }
        }
    }
}

TARGET void cqk_product_columns(int transpose_a, int transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                                const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                                int64_t ldc, int64_t first_column, int64_t end_column) {
    (void)n;
    const struct b_source source = {.transposed = transpose_b, .values = b, .ld = ldb};
    product_columns(transpose_a, &source, m, k, alpha, a, lda, beta, c, ldc, first_column, end_column);
}

TARGET void cqk_product_columns_from_blocks(int transpose_a, int transpose_b, int64_t m, int64_t k, float alpha,
                                            const float *a, int64_t lda, enum cqk_block_type type, const void *b,
                                            int64_t b_row_bytes, float beta, float *c, int64_t ldc,
                                            int64_t first_column, int64_t end_column) {
    if (first_column % TILE_COLUMNS != 0 || (transpose_b && k % TILE_COLUMNS != 0)) abort();
    const struct b_source source = {.transposed = transpose_b, .blocks = b, .row_bytes = b_row_bytes, .type = type};
    product_columns(transpose_a, &source, m, k, alpha, a, lda, beta, c, ldc, first_column, end_column);
}
