// Sampling's pass over a whole vocabulary: softmax numerators in double precision, their lane
// sums and their mass per octave (see `softmaxNumeratorSums` in Swift, which calls this).
#ifndef CQUANTKERNELS_SOFTMAX_H
#define CQUANTKERNELS_SOFTMAX_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// For token t < count, with x = (double)scores[t] · inverse_temperature − max_score:
/// p = e^x (Cody–Waite reduction, a degree-13 Taylor polynomial by fused multiply-adds, 2^k from
/// its bits; 0 below −708, NaN kept) and b = ⌊−x · log₂e⌋ capped to [0, mass_count − 1] (NaN:
/// the last). Writes buckets[t] = b, adds p to mass[b] in id order and to lane_totals[t mod 8]
/// in id order. Every instruction set gives the same bits.
void cqk_softmax_numerators(int instruction_set, const float *scores, int64_t count, double inverse_temperature,
                            double max_score, uint8_t *buckets, double *mass, int64_t mass_count,
                            double lane_totals[8]);

#ifdef __cplusplus
}
#endif

#endif
