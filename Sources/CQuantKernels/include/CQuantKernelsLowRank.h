// The second half of a LoRA update over a few rows (decode steps): out += scale · P · Bᵀ with P
// the rows' projections onto A (rank wide). Same instruction-set numbers as the quantized products.
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

#ifdef __cplusplus
}
#endif

#endif
