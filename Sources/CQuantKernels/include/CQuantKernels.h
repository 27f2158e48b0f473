// Integer dot products between ggml weight blocks and 8-bit quantized activation rows.
//
// A product y = x·Wᵀ first quantizes each row of x once (`cqk_quantize_activation_row`), then
// multiplies int8 activations by the weights' 4-, 5-, 6- or 8-bit codes (Q4_0, Q4_1, Q5_0, Q5_1,
// Q8_0, Q4_K, Q5_K, Q6_K) with integer
// multiply-accumulate (AVX2 `vpmaddubsw`, AVX-512 VNNI `vpdpbusd`, or plain C), applying the
// blocks' scales in Float32 once per block. The instruction set is chosen by the caller
// (`cqk_available_instruction_sets` says which ones this CPU runs). With AVX-512 VNNI, Q4_0, Q4_1,
// Q5_0, Q5_1, Q8_0, Q4_K and Q6_K use the "wide" kernels (QuantKernelsWide*.c): 16 weight rows a
// 512-bit register, each weight block rearranged once and reused for every activation row.
#ifndef CQUANTKERNELS_H
#define CQUANTKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Weight block types (the ggml type numbers).
enum {
    CQK_TYPE_Q4_0 = 2,
    CQK_TYPE_Q4_1 = 3,
    CQK_TYPE_Q5_0 = 6,
    CQK_TYPE_Q5_1 = 7,
    CQK_TYPE_Q8_0 = 8,
    CQK_TYPE_Q4_K = 12,
    CQK_TYPE_Q5_K = 13,
    CQK_TYPE_Q6_K = 14,
};

/// Instruction sets, as bits of `cqk_available_instruction_sets`.
enum {
    CQK_PORTABLE = 0,
    CQK_AVX2 = 1,
    CQK_AVX512_VNNI = 2,
};

/// Bit (1 << set) for every instruction set this CPU can run; the portable one always.
int cqk_available_instruction_sets(void);

/// 1 when `type` has kernels.
int cqk_supports_type(int type);

/// Values per activation block for `type`'s kernels (32, or 256 for K-quants).
int64_t cqk_activation_block_size(int type);

/// Bytes of one quantized activation row of `columns` values (a multiple of the block size).
size_t cqk_activation_row_bytes(int type, int64_t columns);

/// Quantizes `columns` floats to the activation blocks `type`'s kernels read (with the widest
/// instructions this CPU runs; every set writes the same bytes).
void cqk_quantize_activation_row(int type, const float *x, int64_t columns, void *out);

/// `cqk_quantize_activation_row` with the instructions of `instruction_set` (AVX-512 for
/// CQK_AVX512_VNNI where the CPU runs it, plain C otherwise): the same bytes, for tests.
void cqk_quantize_activation_row_using(int instruction_set, int type, const float *x, int64_t columns, void *out);

/// The values a quantized activation row stands for (scale × code), for tests.
void cqk_dequantize_activation_row(int type, const void *row, int64_t columns, float *out);

/// out[r · out_stride + f] = Σ W[f, :] · x_r for weight rows f in [first_feature, end_feature) and
/// activation rows r in [0, activation_rows). `weights` holds the weight rows, `weight_row_bytes`
/// apart; `activations` the quantized activation rows, `activation_row_bytes` apart. Each output
/// is the same whatever the feature range and the number of activation rows.
void cqk_matmul(int type, int instruction_set,
                const void *weights, size_t weight_row_bytes, int64_t first_feature, int64_t end_feature,
                const void *activations, size_t activation_row_bytes, int64_t activation_rows,
                int64_t columns, float *out, int64_t out_stride);

/// A chunk of a parallel job: `chunk` in [0, chunks).
typedef void (*cqk_pool_task)(void *context, int64_t chunk);

/// Runs task(context, chunk) for every chunk in [0, chunks) on up to `threads` threads (the caller
/// and `threads` − 1 pool workers, started on first use) and returns when all are done: 1 when the
/// pool ran them, 0 when the caller ran them alone (one thread, one chunk, or the pool busy with
/// another caller's job or called from inside a task). Which thread runs a chunk is not fixed, so
/// a chunk's result must depend only on the chunk.
int cqk_pool_run(int64_t chunks, int threads, cqk_pool_task task, void *context);

/// How long idle pool workers poll for the next job before blocking (default 200 µs).
void cqk_pool_set_spin_microseconds(int64_t microseconds);

#ifdef __cplusplus
}
#endif

#include "CQuantKernelsAttention.h"
#include "CQuantKernelsInterleaved.h"
#include "CQuantKernelsLowRank.h"
#include "CQuantKernelsProducts.h"
#include "CQuantKernelsSoftmax.h"

#endif
