// The second half of a LoRA update over a few rows (decode steps): out += scale · P · Bᵀ with P
// the rows' projections onto A (rank wide); and the update's backward pass over many rows
// (training). Same instruction-set numbers as the quantized products.
#ifndef CQUANTKERNELS_LOW_RANK_H
#define CQUANTKERNELS_LOW_RANK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// For each of `rows` rows r and each output feature o in [first_feature, end_feature):
/// out[r·out_stride + o] += scale · Σ_j projected[r·rank + j] · b[o·rank + j], the sum taken in
/// order of j with fused multiply-adds. Sixteen features at a time share one in-register
/// transpose of their B rows; each output's arithmetic is the same whatever `rows` and the
/// feature range, so results do not depend on batching or on how features are split over threads.
void cqk_low_rank_outputs(int instruction_set, float *out, int64_t out_stride, const float *projected, int64_t rows,
                          const float *b, int64_t rank, int64_t first_feature, int64_t end_feature, float scale);

/// The output side of the backward pass of out += scale · P · Bᵀ (P [rows, rank], B
/// [out_features, rank], d_out [rows, out_features]), for output features o in
/// [first_feature, end_feature), d_out read once:
/// - d_b[o·rank + j] += scale · Σ_t d_out[t·out_features + o] · projected[t·rank + j], the sum
///   over rows t in order (skipped when d_b is NULL);
/// - d_projected[t·rank + j] = Σ_o d_out[t·out_features + o] · b[o·rank + j] over the range's
///   features only, unscaled: the caller adds the ranges' shares (skipped when NULL).
/// Each result depends only on the feature range given, not on the thread that runs it.
void cqk_low_rank_output_gradients(int instruction_set, const float *d_out, int64_t rows, int64_t out_features,
                                   const float *projected, const float *b, int64_t rank, int64_t first_feature,
                                   int64_t end_feature, float scale, float *d_b, float *d_projected);

/// The input side, given d_projected (d P, scale included: rows of `padded_rank` floats, rank
/// rounded up to a multiple of 16, zeros past `rank`), x [rows, in_features] and A [rank,
/// in_features], for input columns i in [first_column, end_column), x and d_x read once:
/// - d_a[j·in_features + i] += Σ_t d_projected[t·padded_rank + j] · x[t·in_features + i] (skipped when NULL);
/// - d_x[t·in_features + i] += Σ_j d_projected[t·padded_rank + j] · a[j·in_features + i] (skipped when NULL).
/// Columns are independent: splitting them over threads does not change any result.
void cqk_low_rank_input_gradients(int instruction_set, const float *d_projected, int64_t padded_rank, int64_t rows,
                                  int64_t rank, const float *x, const float *a, int64_t in_features,
                                  int64_t first_column, int64_t end_column, float *d_a, float *d_x);

/// A [rank, in_features] as `cqk_low_rank_projection` reads it: for each group of 16 ranks,
/// in_features rows of 16 floats (Aᵀ's rows, zeros past `rank`). `packed` holds
/// ceil(rank / 16) · in_features · 16 floats.
void cqk_low_rank_pack_factor(const float *a, int64_t rank, int64_t in_features, float *packed);

/// projected[t·rank + j] = Σ_i x[t·in_features + i] · A[j, i] for `rows` rows, with A packed by
/// `cqk_low_rank_pack_factor`; each sum taken in order of i with fused multiply-adds, so a row's
/// result does not depend on the others or on how rows are split over threads.
void cqk_low_rank_projection(int instruction_set, const float *x, int64_t rows, int64_t in_features,
                             const float *packed, int64_t rank, float *projected);

#ifdef __cplusplus
}
#endif

#endif
