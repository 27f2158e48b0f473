// The cached-attention kernel and the half conversions, compiled once per instruction set by
// CachedAttention.c with ATTN_PREFIX (a name prefix), ATTN_TARGET (a target attribute or
// nothing), ATTN_F16C (1 when `vcvtph2ps`/`vcvtps2ph` may be used) and ATTN_AVX512 (1 for the
// AVX-512 body: 512-bit conversions, 32 registers). Vectors are clang's
// 16-lane extended vectors: one register with AVX-512, two with AVX2, four with SSE2.

#define ATTN_JOIN2(a, b) a##b
#define ATTN_JOIN(a, b) ATTN_JOIN2(a, b)
#define FN(name) ATTN_JOIN(ATTN_PREFIX, name)
#define ATTN_INLINE inline __attribute__((always_inline))

static ATTN_TARGET ATTN_INLINE v16f FN(load)(const float *p) {
    v16f v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

static ATTN_TARGET ATTN_INLINE void FN(store)(float *p, v16f v) { __builtin_memcpy(p, &v, sizeof v); }

static ATTN_TARGET ATTN_INLINE float FN(sum_lanes)(v16f v) {
    v8f a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    v4f b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
    v2f c = __builtin_shufflevector(b, b, 0, 1) + __builtin_shufflevector(b, b, 2, 3);
    return c[0] + c[1];
}

static ATTN_TARGET ATTN_INLINE float FN(max_lanes)(v16f v) {
    v8f a = __builtin_elementwise_max(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7),
                                      __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15));
    v4f b = __builtin_elementwise_max(__builtin_shufflevector(a, a, 0, 1, 2, 3), __builtin_shufflevector(a, a, 4, 5, 6, 7));
    v2f c = __builtin_elementwise_max(__builtin_shufflevector(b, b, 0, 1), __builtin_shufflevector(b, b, 2, 3));
    return c[0] > c[1] ? c[0] : c[1];
}

/// e^x lane-wise for x ≤ 0 (the scores minus their maximum): x = n·ln 2 + r, a degree-6
/// polynomial for e^r, and 2^n built in the exponent bits. Inputs below −87.3 give ≈ 1e-38.
static ATTN_TARGET ATTN_INLINE v16f FN(exp_lanes)(v16f x) {
    x = __builtin_elementwise_max(x, (v16f)(-87.3f));
    const v16f magic = (v16f)(12582912.0f);  // 1.5 · 2^23: adding it rounds to an integer
    v16f shifted = x * 1.442695040888963f + magic;
    v16f n = shifted - magic;
    v16f r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    v16f p = (v16f)(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    v16f polynomial = p * r * r + r + 1.0f;
    v16i exponent = ((v16i)shifted - 0x4B400000 + 127) << 23;
    return polynomial * (v16f)exponent;
}

static ATTN_TARGET void FN(halves_to_floats)(const uint16_t *x, float *out, int64_t count) {
    int64_t i = 0;
#if ATTN_F16C
    for (; i + 8 <= count; i += 8) {
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    }
#endif
    for (; i < count; i++) out[i] = half_to_float(x[i]);
}

static ATTN_TARGET void FN(floats_to_halves)(const float *x, uint16_t *out, int64_t count) {
    int64_t i = 0;
#if ATTN_F16C
    for (; i + 8 <= count; i += 8) {
        _mm_storeu_si128((__m128i *)(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    }
#endif
    for (; i < count; i++) out[i] = float_to_half(x[i]);
}

/// Row j of `rows` as floats: in place for Float32, converted into `buffer` for Float16.
static ATTN_TARGET ATTN_INLINE const float *FN(row)(int kv_format, cqk_kv_rows rows, int64_t j, int64_t row_bytes,
                                               int64_t width, float *buffer) {
    const void *start = row_address(rows, j, row_bytes);
    if (kv_format == CQK_KV_FLOAT32) return (const float *)start;
    FN(halves_to_floats)((const uint16_t *)start, buffer, width);
    return buffer;
}

/// Asks for row j of `rows` (`bytes` long) ahead of use: the rows of one KV head are a slice of
/// each cache row, far enough apart that the hardware prefetchers alone leave the loop waiting.
static ATTN_TARGET ATTN_INLINE void FN(prefetch_row)(cqk_kv_rows rows, int64_t j, int64_t row_bytes, int64_t bytes) {
    const char *start = (const char *)row_address(rows, j, row_bytes);
    for (int64_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(start + offset);
}

static ATTN_TARGET ATTN_INLINE float FN(dot)(const float *a, const float *b, int64_t n) {
    v16f lanes = (v16f)(0.0f);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) lanes += FN(load)(a + i) * FN(load)(b + i);
    float sum = FN(sum_lanes)(lanes);
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

/// out[i] += w · x[i] for two rows at once (one load and store of `out` per pair).
static ATTN_TARGET ATTN_INLINE void FN(add_scaled_pair)(float *out, float w0, const float *x0, float w1, const float *x1,
                                                   int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) FN(store)(out + i, FN(load)(out + i) + FN(load)(x0 + i) * w0 + FN(load)(x1 + i) * w1);
    for (; i < n; i++) out[i] = out[i] + x0[i] * w0 + x1[i] * w1;
}

static ATTN_TARGET ATTN_INLINE void FN(add_scaled)(float *out, float w, const float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) FN(store)(out + i, FN(load)(out + i) + FN(load)(x + i) * w);
    for (; i < n; i++) out[i] = out[i] + x[i] * w;
}

/// 16 elements of a cache row (Float32, or Float16 widened) as floats.
static ATTN_TARGET ATTN_INLINE v16f FN(load16)(int kv_format, const void *p) {
    if (kv_format == CQK_KV_FLOAT32) return FN(load)((const float *)p);
#if ATTN_AVX512
    return (v16f)_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
#elif ATTN_F16C
    v8f low = (v8f)_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
    v8f high = (v8f)_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p + 1));
    return __builtin_shufflevector(low, high, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
#else
    float lanes[16];
    for (int i = 0; i < 16; i++) lanes[i] = half_to_float(((const uint16_t *)p)[i]);
    return FN(load)(lanes);
#endif
}

/// The lane sums of four vectors, each added in `sum_lanes`'s order (so with its bits).
static ATTN_TARGET ATTN_INLINE v4f FN(sum_lanes4)(v16f a, v16f b, v16f c, v16f d) {
    v16f ab = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)
        + __builtin_shufflevector(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    v16f cd = __builtin_shufflevector(c, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)
        + __builtin_shufflevector(c, d, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    v16f fours = __builtin_shufflevector(ab, cd, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)
        + __builtin_shufflevector(ab, cd, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
    v8f twos = __builtin_shufflevector(fours, fours, 0, 1, 4, 5, 8, 9, 12, 13)
        + __builtin_shufflevector(fours, fours, 2, 3, 6, 7, 10, 11, 14, 15);
    return __builtin_shufflevector(twos, twos, 0, 2, 4, 6) + __builtin_shufflevector(twos, twos, 1, 3, 5, 7);
}

/// Scores of `heads` queries against keys j…j+n−1 (n ≤ 4), d a multiple of 16: four keys per
/// pass, so the four dot products' chains and their reductions overlap. Each score gets the bits
/// `dot` would give it.
static ATTN_TARGET ATTN_INLINE void FN(score_four)(int kv_format, const float *queries, int64_t heads, int64_t d,
                                                  const char *const k[4], int64_t element_bytes, int64_t n,
                                                  float scale, float *scores, int64_t count, int64_t j) {
    for (int64_t h = 0; h < heads; h++) {
        const float *q = queries + h * d;
        v16f a0 = (v16f)(0.0f), a1 = (v16f)(0.0f), a2 = (v16f)(0.0f), a3 = (v16f)(0.0f);
        for (int64_t i = 0; i < d; i += 16) {
            v16f qv = FN(load)(q + i);
            a0 += qv * FN(load16)(kv_format, k[0] + i * element_bytes);
            a1 += qv * FN(load16)(kv_format, k[1] + i * element_bytes);
            a2 += qv * FN(load16)(kv_format, k[2] + i * element_bytes);
            a3 += qv * FN(load16)(kv_format, k[3] + i * element_bytes);
        }
        v4f sums = FN(sum_lanes4)(a0, a1, a2, a3);
        for (int64_t t = 0; t < n; t++) scores[h * count + j + t] = scale * sums[t];
    }
}

/// acc_out rows h0…h0+H−1, dimensions i…i+16C−1 = Σ_j weight_hj · v_j: H × C accumulators stay
/// in registers while the keys stream past once, each added to in key order (the bits of
/// `add_scaled_pair`). Value rows are prefetched `ahead` rows early.
#define ATTN_WEIGHTED_VALUES(H, C)                                                                                    \
    static ATTN_TARGET ATTN_INLINE void FN(weighted_values_##H##_##C)(                                                \
        int kv_format, cqk_kv_rows values, int64_t row_bytes, int64_t element_bytes, int64_t count,                    \
        const float *weights, int64_t h0, int64_t d, int64_t i, int64_t ahead, float *acc_out) {                      \
        v16f acc[H][C];                                                                                               \
        for (int h = 0; h < H; h++)                                                                                   \
            for (int c = 0; c < C; c++) acc[h][c] = (v16f)(0.0f);                                                     \
        const int64_t offset = i * element_bytes, bytes = 16 * C * element_bytes;                                     \
        for (int64_t j = 0; j < count; j++) {                                                                         \
            if (j + ahead < count) {                                                                                  \
                const char *next = (const char *)row_address(values, j + ahead, row_bytes) + offset;                  \
                for (int64_t at = 0; at < bytes; at += 64) __builtin_prefetch(next + at);                             \
            }                                                                                                         \
            const char *row = (const char *)row_address(values, j, row_bytes) + offset;                              \
            v16f v[C];                                                                                                \
            for (int c = 0; c < C; c++) v[c] = FN(load16)(kv_format, row + 16 * c * element_bytes);                  \
            for (int h = 0; h < H; h++) {                                                                             \
                const float w = weights[(h0 + h) * count + j];                                                        \
                for (int c = 0; c < C; c++) acc[h][c] += v[c] * w;                                                    \
            }                                                                                                         \
        }                                                                                                             \
        for (int h = 0; h < H; h++)                                                                                   \
            for (int c = 0; c < C; c++) FN(store)(acc_out + (h0 + h) * d + i + 16 * c, acc[h][c]);                    \
    }
ATTN_WEIGHTED_VALUES(1, 1)
ATTN_WEIGHTED_VALUES(2, 1)
ATTN_WEIGHTED_VALUES(3, 1)
ATTN_WEIGHTED_VALUES(4, 1)
ATTN_WEIGHTED_VALUES(1, 4)
ATTN_WEIGHTED_VALUES(2, 4)
ATTN_WEIGHTED_VALUES(3, 4)
ATTN_WEIGHTED_VALUES(4, 4)
#undef ATTN_WEIGHTED_VALUES

/// acc_out rows h0…h0+heads−1 (at most four), dimensions i… (64 of them when `wide`, else 16).
static ATTN_TARGET ATTN_INLINE void FN(weighted_values)(int kv_format, cqk_kv_rows values, int64_t row_bytes,
                                                      int64_t element_bytes, int64_t count, const float *weights,
                                                      int64_t h0, int64_t heads, int64_t d, int64_t i, int wide,
                                                      int64_t ahead, float *acc_out) {
#define ATTN_CALL(H, C) FN(weighted_values_##H##_##C)(kv_format, values, row_bytes, element_bytes, count, weights, h0, d, i, ahead, acc_out)
    switch (heads * 2 + wide) {
    case 2: ATTN_CALL(1, 1); break;
    case 3: ATTN_CALL(1, 4); break;
    case 4: ATTN_CALL(2, 1); break;
    case 5: ATTN_CALL(2, 4); break;
    case 6: ATTN_CALL(3, 1); break;
    case 7: ATTN_CALL(3, 4); break;
    case 8: ATTN_CALL(4, 1); break;
    default: ATTN_CALL(4, 4); break;
    }
#undef ATTN_CALL
}

static ATTN_TARGET void FN(attend_rows)(int kv_format, const float *queries, int64_t heads, int64_t d,
                                        cqk_kv_rows keys, cqk_kv_rows values, int64_t row_stride, int64_t count,
                                        float scale, float soft_cap, float *scratch,
                                        float *max_out, float *sum_out, float *acc_out) {
    float *scores = scratch, *first_row = scratch + heads * count, *second_row = first_row + d;
    const int64_t element_bytes = kv_format == CQK_KV_FLOAT32 ? 4 : 2, ahead = 8;
    const int64_t row_bytes = row_stride * element_bytes, slice_bytes = d * element_bytes;
    const int vectors = d % 16 == 0;
    if (vectors) {
        // Scores of four keys at a time, each key row read straight from the cache.
        for (int64_t j = 0; j < count; j += 4) {
            const int64_t n = count - j < 4 ? count - j : 4;
            const char *k[4];
            for (int64_t t = 0; t < 4; t++) k[t] = (const char *)row_address(keys, j + (t < n ? t : 0), row_bytes);
            for (int64_t t = 0; t < 4 && j + ahead + t < count; t++) FN(prefetch_row)(keys, j + ahead + t, row_bytes, slice_bytes);
            if (j < ahead) {
                for (int64_t t = j; t < j + 4 && t < count; t++) FN(prefetch_row)(values, t, row_bytes, slice_bytes);
            }
            FN(score_four)(kv_format, queries, heads, d, k, element_bytes, n, scale, scores, count, j);
        }
    } else {
        // Scores: each key row is read (and converted) once for every query head of the group.
        for (int64_t j = 0; j < count; j++) {
            if (j + ahead < count) FN(prefetch_row)(keys, j + ahead, row_bytes, slice_bytes);
            if (j < ahead) FN(prefetch_row)(values, j, row_bytes, slice_bytes);
            const float *k = FN(row)(kv_format, keys, j, row_bytes, d, first_row);
            for (int64_t h = 0; h < heads; h++) scores[h * count + j] = scale * FN(dot)(queries + h * d, k, d);
        }
    }
    if (soft_cap > 0) {
        for (int64_t i = 0; i < heads * count; i++) scores[i] = soft_cap * tanhf(scores[i] / soft_cap);
    }
    // Softmax numerators relative to each head's maximum.
    for (int64_t h = 0; h < heads; h++) {
        float *s = scores + h * count;
        int64_t i = 0;
        float maximum = s[0];
        if (count >= 16) {
            v16f lanes = FN(load)(s);
            for (i = 16; i + 16 <= count; i += 16) lanes = __builtin_elementwise_max(lanes, FN(load)(s + i));
            maximum = FN(max_lanes)(lanes);
        }
        for (; i < count; i++) maximum = s[i] > maximum ? s[i] : maximum;
        v16f total = (v16f)(0.0f);
        for (i = 0; i + 16 <= count; i += 16) {
            v16f e = FN(exp_lanes)(FN(load)(s + i) - maximum);
            FN(store)(s + i, e);
            total += e;
        }
        float sum = FN(sum_lanes)(total);
        if (i < count) {
            float tail[16] = {0};
            for (int64_t t = i; t < count; t++) tail[t - i] = s[t] - maximum;
            v16f e = FN(exp_lanes)(FN(load)(tail));
            for (int64_t t = i; t < count; t++) {
                s[t] = e[t - i];
                sum += e[t - i];
            }
        }
        max_out[h] = maximum;
        sum_out[h] = sum;
    }
    if (vectors) {
        // Weighted values: 64 dimensions (then 16) of up to four heads per pass over the rows; 16 at
        // a time without AVX-512, whose 16 registers could not hold the 4 × 4 accumulators.
        for (int64_t i = 0; i < d;) {
            const int wide = ATTN_AVX512 && d - i >= 64;
            for (int64_t h0 = 0; h0 < heads; h0 += 4) {
                FN(weighted_values)(kv_format, values, row_bytes, element_bytes, count, scores, h0,
                                    heads - h0 < 4 ? heads - h0 : 4, d, i, wide, ahead, acc_out);
            }
            i += wide ? 64 : 16;
        }
        return;
    }
    // Weighted values, two rows at a time.
    for (int64_t i = 0; i < heads * d; i++) acc_out[i] = 0;
    int64_t j = 0;
    for (; j + 2 <= count; j += 2) {
        if (j + ahead < count) FN(prefetch_row)(values, j + ahead, row_bytes, slice_bytes);
        if (j + ahead + 1 < count) FN(prefetch_row)(values, j + ahead + 1, row_bytes, slice_bytes);
        const float *v0 = FN(row)(kv_format, values, j, row_bytes, d, first_row);
        const float *v1 = FN(row)(kv_format, values, j + 1, row_bytes, d, second_row);
        for (int64_t h = 0; h < heads; h++) {
            FN(add_scaled_pair)(acc_out + h * d, scores[h * count + j], v0, scores[h * count + j + 1], v1, d);
        }
    }
    if (j < count) {
        const float *v = FN(row)(kv_format, values, j, row_bytes, d, first_row);
        for (int64_t h = 0; h < heads; h++) FN(add_scaled)(acc_out + h * d, scores[h * count + j], v, d);
    }
}

#undef FN
#undef ATTN_INLINE
