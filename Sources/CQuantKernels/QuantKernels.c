// Activation quantization, the portable row kernels, and the dispatch of `cqk_matmul`.
#include "CQuantKernels.h"
#include "QuantKernelsInternal.h"

#include <math.h>
#include <stdlib.h>

static int is_k_quant(int type) {
    return type == CQK_TYPE_Q4_K || type == CQK_TYPE_Q5_K || type == CQK_TYPE_Q6_K;
}

int cqk_supports_type(int type) {
    return type == CQK_TYPE_Q4_0 || type == CQK_TYPE_Q4_1 || type == CQK_TYPE_Q5_0 || type == CQK_TYPE_Q5_1
        || type == CQK_TYPE_Q8_0 || is_k_quant(type);
}

int64_t cqk_activation_block_size(int type) { return is_k_quant(type) ? 256 : 32; }

size_t cqk_activation_row_bytes(int type, int64_t columns) {
    int64_t blocks = columns / cqk_activation_block_size(type);
    return (size_t)blocks * (is_k_quant(type) ? sizeof(cqk_activation256) : sizeof(cqk_activation32));
}

static int detect_instruction_sets(void) {
    int sets = 1 << CQK_PORTABLE;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        sets |= 1 << CQK_AVX2;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
            sets |= 1 << CQK_AVX512_VNNI;
        }
    }
#endif
    return sets;
}

int cqk_available_instruction_sets(void) {
    static int cached = -1;  // a benign race: every thread computes the same value
    if (cached < 0) cached = detect_instruction_sets();
    return cached;
}

/// Codes round(x / d) with d = max |x| / 127 over `n` values; returns d.
static float quantize_block(const float *x, int n, int8_t *codes) {
    float amax = 0;
    for (int i = 0; i < n; i++) {
        float a = fabsf(x[i]);
        if (a > amax) amax = a;  // NaN never wins
    }
    float d = amax / 127.0f;
    float id = d != 0 ? 1.0f / d : 0.0f;
    for (int i = 0; i < n; i++) {
        float v = nearbyintf(x[i] * id);
        codes[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v == v ? v : 0);
    }
    return d;
}

void cqk_quantize_activation_row(int type, const float *x, int64_t columns, void *out) {
    cqk_quantize_activation_row_using(CQK_AVX512_VNNI, type, x, columns, out);
}

void cqk_quantize_activation_row_using(int instruction_set, int type, const float *x, int64_t columns, void *out) {
    if (instruction_set == CQK_AVX512_VNNI && (cqk_available_instruction_sets() & (1 << CQK_AVX512_VNNI))) {
        cqk_avx512_quantize_activation_row(type, x, columns, out);
        return;
    }
    cqk_portable_quantize_activation_row(type, x, columns, out);
}

void cqk_portable_quantize_activation_row(int type, const float *x, int64_t columns, void *out) {
    if (is_k_quant(type)) {
        cqk_activation256 *blocks = out;
        for (int64_t b = 0; b < columns / 256; b++) {
            cqk_activation256 *block = &blocks[b];
            block->d = quantize_block(x + 256 * b, 256, block->qs);
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int i = 0; i < 16; i++) sum += block->qs[16 * g + i];
                block->bsums[g] = (int16_t)sum;
            }
        }
    } else {
        cqk_activation32 *blocks = out;
        for (int64_t b = 0; b < columns / 32; b++) {
            cqk_activation32 *block = &blocks[b];
            block->d = quantize_block(x + 32 * b, 32, block->qs);
            int sum = 0;
            for (int i = 0; i < 32; i++) sum += block->qs[i];
            block->s = block->d * (float)sum;
            block->sum = sum;
        }
    }
}

void cqk_dequantize_activation_row(int type, const void *row, int64_t columns, float *out) {
    if (is_k_quant(type)) {
        const cqk_activation256 *blocks = row;
        for (int64_t i = 0; i < columns; i++) out[i] = blocks[i / 256].d * (float)blocks[i / 256].qs[i % 256];
    } else {
        const cqk_activation32 *blocks = row;
        for (int64_t i = 0; i < columns; i++) out[i] = blocks[i / 32].d * (float)blocks[i / 32].qs[i % 32];
    }
}

// Portable row kernels: integer sums per block, scaled once per block in Float32.

static float dot_q4_0(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 18) {
        int isum = 0;
        for (int j = 0; j < 16; j++) {
            isum += (w[2 + j] & 0x0F) * x[b].qs[j] + (w[2 + j] >> 4) * x[b].qs[j + 16];
        }
        float d = cqk_half(w);
        sum += d * (x[b].d * (float)isum - 8 * x[b].s);
    }
    return sum;
}

static float dot_q4_1(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 20) {
        int isum = 0;
        for (int j = 0; j < 16; j++) {
            isum += (w[4 + j] & 0x0F) * x[b].qs[j] + (w[4 + j] >> 4) * x[b].qs[j + 16];
        }
        sum += cqk_half(w) * x[b].d * (float)isum + cqk_half(w + 2) * x[b].s;
    }
    return sum;
}

/// Q5_0's and Q5_1's 5-bit code of element j (0–15: low nibbles, 16–31: high nibbles; bit j of
/// the little-endian `qh` is the fifth bit).
static inline int q5_code(const uint8_t *nibbles, uint32_t qh, int j) {
    int low = j < 16 ? (nibbles[j] & 0x0F) : (nibbles[j - 16] >> 4);
    return low | (int)(((qh >> j) & 1) << 4);
}

static inline uint32_t load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static float dot_q5_0(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 22) {
        uint32_t qh = load_u32(w + 2);
        int isum = 0;
        for (int j = 0; j < 32; j++) isum += q5_code(w + 6, qh, j) * x[b].qs[j];
        float d = cqk_half(w);
        sum += d * (x[b].d * (float)isum - 16 * x[b].s);
    }
    return sum;
}

static float dot_q5_1(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 24) {
        uint32_t qh = load_u32(w + 4);
        int isum = 0;
        for (int j = 0; j < 32; j++) isum += q5_code(w + 8, qh, j) * x[b].qs[j];
        sum += cqk_half(w) * x[b].d * (float)isum + cqk_half(w + 2) * x[b].s;
    }
    return sum;
}

static float dot_q8_0(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 34) {
        const int8_t *q = (const int8_t *)(w + 2);
        int isum = 0;
        for (int j = 0; j < 32; j++) isum += q[j] * x[b].qs[j];
        sum += cqk_half(w) * x[b].d * (float)isum;
    }
    return sum;
}

static float dot_q4_k(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation256 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 144) {
        uint8_t scales[8], mins[8];
        cqk_k_scales(w + 4, scales, mins);
        const uint8_t *qs = w + 16;
        const int8_t *xq = x[b].qs;
        int isum = 0, msum = 0;
        for (int c = 0; c < 4; c++) {
            int low = 0, high = 0;
            for (int l = 0; l < 32; l++) {
                low += (qs[32 * c + l] & 0x0F) * xq[64 * c + l];
                high += (qs[32 * c + l] >> 4) * xq[64 * c + 32 + l];
            }
            isum += scales[2 * c] * low + scales[2 * c + 1] * high;
        }
        for (int j = 0; j < 8; j++) msum += mins[j] * (x[b].bsums[2 * j] + x[b].bsums[2 * j + 1]);
        sum += x[b].d * (cqk_half(w) * (float)isum - cqk_half(w + 2) * (float)msum);
    }
    return sum;
}

static float dot_q5_k(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation256 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 176) {
        uint8_t scales[8], mins[8];
        cqk_k_scales(w + 4, scales, mins);
        const uint8_t *qh = w + 16, *qs = w + 48;
        const int8_t *xq = x[b].qs;
        int isum = 0, msum = 0;
        for (int c = 0; c < 4; c++) {
            int low = 0, high = 0;
            for (int l = 0; l < 32; l++) {
                int q0 = (qs[32 * c + l] & 0x0F) | (((qh[l] >> (2 * c)) & 1) << 4);
                int q1 = (qs[32 * c + l] >> 4) | (((qh[l] >> (2 * c + 1)) & 1) << 4);
                low += q0 * xq[64 * c + l];
                high += q1 * xq[64 * c + 32 + l];
            }
            isum += scales[2 * c] * low + scales[2 * c + 1] * high;
        }
        for (int j = 0; j < 8; j++) msum += mins[j] * (x[b].bsums[2 * j] + x[b].bsums[2 * j + 1]);
        sum += x[b].d * (cqk_half(w) * (float)isum - cqk_half(w + 2) * (float)msum);
    }
    return sum;
}

static float dot_q6_k(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation256 *x = activations;
    float sum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 210) {
        const int8_t *scales = (const int8_t *)(w + 192);
        const int8_t *xq = x[b].qs;
        int group[16] = {0};
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = w + 64 * half, *qh = w + 128 + 32 * half;
            const int8_t *xh = xq + 128 * half;
            int *g = group + 8 * half;
            for (int l = 0; l < 32; l++) {
                int i = l / 16;
                int q1 = (ql[l] & 0x0F) | ((qh[l] & 3) << 4);
                int q2 = (ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4);
                int q3 = (ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4);
                int q4 = (ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4);
                g[i] += q1 * xh[l];
                g[i + 2] += q2 * xh[l + 32];
                g[i + 4] += q3 * xh[l + 64];
                g[i + 6] += q4 * xh[l + 96];
            }
        }
        int isum = 0;
        for (int j = 0; j < 16; j++) isum += scales[j] * (group[j] - 32 * x[b].bsums[j]);
        sum += cqk_half(w + 208) * x[b].d * (float)isum;
    }
    return sum;
}

static cqk_row_dot portable_row_dot(int type) {
    switch (type) {
    case CQK_TYPE_Q4_0: return dot_q4_0;
    case CQK_TYPE_Q4_1: return dot_q4_1;
    case CQK_TYPE_Q5_0: return dot_q5_0;
    case CQK_TYPE_Q5_1: return dot_q5_1;
    case CQK_TYPE_Q8_0: return dot_q8_0;
    case CQK_TYPE_Q4_K: return dot_q4_k;
    case CQK_TYPE_Q5_K: return dot_q5_k;
    case CQK_TYPE_Q6_K: return dot_q6_k;
    default: return NULL;
    }
}

/// The instruction set to use: the one asked for if this CPU runs it, else portable.
static int usable(int instruction_set) {
    int available = cqk_available_instruction_sets();
    return (instruction_set > 0 && instruction_set < 31 && (available & (1 << instruction_set))) ? instruction_set : CQK_PORTABLE;
}

static cqk_row_dot row_dot(int type, int instruction_set) {
    cqk_row_dot kernel = NULL;
    if (instruction_set == CQK_AVX512_VNNI) kernel = cqk_avx512vnni_row_dot(type);
    if (instruction_set == CQK_AVX2) kernel = cqk_avx2_row_dot(type);
    return kernel ? kernel : portable_row_dot(type);
}

static cqk_rows_dot4 rows_dot4(int type, int instruction_set) {
    if (instruction_set == CQK_AVX512_VNNI) return cqk_avx512vnni_rows_dot4(type);
    if (instruction_set == CQK_AVX2) return cqk_avx2_rows_dot4(type);
    return NULL;
}

void cqk_matmul(int type, int instruction_set,
                const void *weights, size_t weight_row_bytes, int64_t first_feature, int64_t end_feature,
                const void *activations, size_t activation_row_bytes, int64_t activation_rows,
                int64_t columns, float *out, int64_t out_stride) {
    int set = usable(instruction_set);
    if (set == CQK_AVX512_VNNI
        && (cqk_avx512vnni_matmul_wide(type, weights, weight_row_bytes, first_feature, end_feature, activations,
                                       activation_row_bytes, activation_rows, columns, out, out_stride)
            || cqk_avx512vnni_matmul_wide_k(type, weights, weight_row_bytes, first_feature, end_feature, activations,
                                            activation_row_bytes, activation_rows, columns, out, out_stride))) {
        return;
    }
    cqk_row_dot dot = row_dot(type, set);
    if (!dot) return;
    cqk_rows_dot4 dot4 = rows_dot4(type, set);
    int64_t blocks = columns / cqk_activation_block_size(type);
    const uint8_t *w = weights;
    const uint8_t *x = activations;
    for (int64_t f = first_feature; f < end_feature; f++) {
        const uint8_t *row = w + (size_t)f * weight_row_bytes;
        int64_t r = 0;
        if (dot4) {
            for (; r + 4 <= activation_rows; r += 4) {
                float four[4];
                dot4(row, x + (size_t)r * activation_row_bytes, activation_row_bytes, blocks, four);
                for (int i = 0; i < 4; i++) out[(r + i) * out_stride + f] = four[i];
            }
        }
        for (; r < activation_rows; r++) {
            out[r * out_stride + f] = dot(row, x + (size_t)r * activation_row_bytes, blocks);
        }
    }
}
