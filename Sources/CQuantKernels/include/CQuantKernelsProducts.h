// Float32 matrix products for AVX-512 CPUs (FloatProducts.c), in BLAS's row-major terms.
#ifndef CQUANTKERNELS_PRODUCTS_H
#define CQUANTKERNELS_PRODUCTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Columns [first_column, end_column) of C[m, n] = beta·C + alpha·op(A)·op(B), all row-major:
/// op(A) [m, k] is A or, with `transpose_a`, Aᵀ of A [k, m] (likewise op(B) [k, n]). beta 0 means
/// C is not read. Each element's sum runs over k in the same order whatever the column range, so
/// splitting the columns over threads does not change the result. Needs AVX-512 F; k ≥ 1.
void cqk_product_columns(int transpose_a, int transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                         const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                         int64_t ldc, int64_t first_column, int64_t end_column);

/// The ggml block types `cqk_product_columns_from_blocks` reads (32 values a block).
enum cqk_block_type { CQK_BLOCKS_Q4_0, CQK_BLOCKS_Q4_1, CQK_BLOCKS_Q5_0, CQK_BLOCKS_Q5_1, CQK_BLOCKS_Q8_0 };

/// `cqk_product_columns` with op(B) stored as rows of ggml blocks, `b_row_bytes` apart: B [k, n]
/// or, with `transpose_b`, Bᵀ [n, k]. Each block is dequantized into the packed panels with the
/// same roundings as a Float32 copy, so C gets the same bits as from a dequantized B. Needs
/// `first_column` and the stored rows' length (k for Bᵀ, n for B) multiples of 32.
void cqk_product_columns_from_blocks(int transpose_a, int transpose_b, int64_t m, int64_t k, float alpha,
                                     const float *a, int64_t lda, enum cqk_block_type type, const void *b,
                                     int64_t b_row_bytes, float beta, float *c, int64_t ldc,
                                     int64_t first_column, int64_t end_column);

#ifdef __cplusplus
}
#endif

#endif
