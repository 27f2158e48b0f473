// Weight matrices rearranged once for the AVX-512 VNNI product (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0):
// the blocks of each group of 16 rows interleaved, so that a decode step loads each register the
// kernel needs instead of gathering 16 rows' blocks and transposing them every step.
//
// For group g (rows 16g…16g+15; a last partial group repeats its last row) and block b, at byte
// (g · blocks + b) · group_block_bytes:
//   64 bytes      the first 4 bytes of every row's block, row l at 4l (d, and m for Q4_1/Q5_1)
//   64 bytes      Q5_0/Q5_1 only: every row's 32 high bits (qh), row l at 4l
//   16 · codes    register j (64 bytes): code bytes 4j…4j+3 of every row's block, row l at 4l
// so group_block_bytes is 320 (Q4_0, Q4_1), 384 (Q5_0, Q5_1) and 576 (Q8_0): the size of the
// blocks themselves for Q4_1 and Q5_1, 6–11 % more for the others.
#ifndef CQUANTKERNELS_INTERLEAVED_H
#define CQUANTKERNELS_INTERLEAVED_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes of the interleaved form of a `rows` × `columns` matrix of `type`; 0 when `type` has none
/// or `columns` is not a whole number of blocks.
size_t cqk_interleaved_bytes(int type, int64_t rows, int64_t columns);

/// Writes the interleaved form of the `rows` weight rows at `weights` (`weight_row_bytes` apart)
/// to `out` (`cqk_interleaved_bytes` bytes). Returns 0, writing nothing, when `type` has none.
int cqk_interleave_rows(int type, const void *weights, size_t weight_row_bytes, int64_t rows, int64_t columns,
                        void *out);

/// `cqk_matmul` with AVX-512 VNNI over the interleaved form of a matrix: the same outputs, bit for
/// bit. `first_feature` must be a multiple of 16. Returns 0, writing nothing, when this CPU lacks
/// AVX-512 VNNI, `type` has no interleaved form or `first_feature` is not a multiple of 16.
int cqk_matmul_interleaved(int type, const void *interleaved, int64_t first_feature, int64_t end_feature,
                           const void *activations, size_t activation_row_bytes, int64_t activation_rows,
                           int64_t columns, float *out, int64_t out_stride);

#ifdef __cplusplus
}
#endif

#endif
