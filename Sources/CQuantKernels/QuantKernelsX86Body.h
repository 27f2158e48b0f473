// The x86 row kernels, compiled twice by QuantKernelsX86.c: once for AVX2 and once for
// AVX-512 VNNI (KERNEL_NAME, KERNEL_TARGET and KERNEL_VNNI set before including this).
// 256-bit registers in both; VNNI replaces the two-step `vpmaddubsw` + `vpmaddwd` byte
// products with one `vpdpbusd`.

#define KERNEL_CONCAT2(a, b) a##b
#define KERNEL_CONCAT(a, b) KERNEL_CONCAT2(a, b)
#define KN(name) KERNEL_CONCAT(name, KERNEL_NAME)

/// Eight int32 sums, each of four unsigned-byte × signed-byte products.
static inline __attribute__((always_inline)) KERNEL_TARGET __m256i KN(dot_u8s8_)(__m256i u, __m256i s) {
#if KERNEL_VNNI
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
#endif
}

static inline __attribute__((always_inline)) KERNEL_TARGET float KN(hsum_)(__m256 v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

/// The little-endian IEEE half at `p` as a float, with F16C's one-instruction conversion (exact,
/// as `cqk_half` is).
static inline __attribute__((always_inline)) KERNEL_TARGET float KN(half_)(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/// 32 nibbles of 16 bytes as 32 bytes: low nibbles first (values 0–15), then high (16–31).
static inline __attribute__((always_inline)) KERNEL_TARGET __m256i KN(nibbles32_)(const uint8_t *p) {
    __m128i q = _mm_loadu_si128((const __m128i *)p);
    __m128i m4 = _mm_set1_epi8(0x0F);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(q, 4), m4), _mm_and_si128(q, m4));
}

static KERNEL_TARGET float KN(dot_q4_0_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    __m256 acc = _mm256_setzero_ps();
    float offset = 0;
    for (int64_t b = 0; b < blocks; b++, w += 18) {
        float d = KN(half_)(w);
        __m256i p = KN(dot_u8s8_)(KN(nibbles32_)(w + 2), _mm256_loadu_si256((const __m256i *)x[b].qs));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[b].d), acc);
        offset += d * x[b].s;
    }
    return KN(hsum_)(acc) - 8 * offset;
}

static KERNEL_TARGET float KN(dot_q4_1_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    __m256 acc = _mm256_setzero_ps();
    float minimum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 20) {
        __m256i p = KN(dot_u8s8_)(KN(nibbles32_)(w + 4), _mm256_loadu_si256((const __m256i *)x[b].qs));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(KN(half_)(w) * x[b].d), acc);
        minimum += KN(half_)(w + 2) * x[b].s;
    }
    return KN(hsum_)(acc) + minimum;
}

/// Q5_0's and Q5_1's 32 five-bit codes as bytes: the nibbles of 16 bytes at `nibbles` (as
/// `nibbles32_`) with 16 added where bit j of the little-endian u32 at `high` is set.
static inline __attribute__((always_inline)) KERNEL_TARGET __m256i KN(codes5_)(const uint8_t *nibbles, const uint8_t *high) {
    uint32_t bits;
    memcpy(&bits, high, 4);
    // Byte j gets byte j/8 of the bits, then keeps its own bit j%8.
    __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits),
                                         _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                                                          2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
    __m256i bit = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
    return _mm256_or_si256(KN(nibbles32_)(nibbles), _mm256_and_si256(set, _mm256_set1_epi8(0x10)));
}

static KERNEL_TARGET float KN(dot_q5_0_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    __m256 acc = _mm256_setzero_ps();
    float offset = 0;
    for (int64_t b = 0; b < blocks; b++, w += 22) {
        float d = KN(half_)(w);
        __m256i p = KN(dot_u8s8_)(KN(codes5_)(w + 6, w + 2), _mm256_loadu_si256((const __m256i *)x[b].qs));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[b].d), acc);
        offset += d * x[b].s;
    }
    return KN(hsum_)(acc) - 16 * offset;
}

static KERNEL_TARGET float KN(dot_q5_1_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    __m256 acc = _mm256_setzero_ps();
    float minimum = 0;
    for (int64_t b = 0; b < blocks; b++, w += 24) {
        __m256i p = KN(dot_u8s8_)(KN(codes5_)(w + 8, w + 4), _mm256_loadu_si256((const __m256i *)x[b].qs));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(KN(half_)(w) * x[b].d), acc);
        minimum += KN(half_)(w + 2) * x[b].s;
    }
    return KN(hsum_)(acc) + minimum;
}

static KERNEL_TARGET float KN(dot_q8_0_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation32 *x = activations;
    __m256 acc = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++, w += 34) {
        __m256i q = _mm256_loadu_si256((const __m256i *)(w + 2));
        __m256i s = _mm256_loadu_si256((const __m256i *)x[b].qs);
        // |w| × (x with w's sign): unsigned × signed, the product of w and x.
        __m256i p = KN(dot_u8s8_)(_mm256_sign_epi8(q, q), _mm256_sign_epi8(s, q));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(KN(half_)(w) * x[b].d), acc);
    }
    return KN(hsum_)(acc);
}

/// Σ over one 32-value sub-block of u × s, times `scale` (one int32 lane sum per 4 values).
static inline __attribute__((always_inline)) KERNEL_TARGET __m256i KN(scaled_)(__m256i u, __m256i s, int scale) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16((short)scale));
}

static KERNEL_TARGET float KN(dot_q4_k_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation256 *x = activations;
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps();
    float minimums = 0;
    for (int64_t b = 0; b < blocks; b++, w += 144) {
        uint8_t scales[8], mins[8];
        cqk_k_scales(w + 4, scales, mins);
        const int8_t *xq = x[b].qs;
        __m256i isum = _mm256_setzero_si256();
        for (int c = 0; c < 4; c++) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(w + 16 + 32 * c));
            __m256i low = _mm256_and_si256(q, m4), high = _mm256_and_si256(_mm256_srli_epi16(q, 4), m4);
            isum = _mm256_add_epi32(isum, KN(scaled_)(low, _mm256_loadu_si256((const __m256i *)(xq + 64 * c)), scales[2 * c]));
            isum = _mm256_add_epi32(isum, KN(scaled_)(high, _mm256_loadu_si256((const __m256i *)(xq + 64 * c + 32)), scales[2 * c + 1]));
        }
        int msum = 0;
        for (int j = 0; j < 8; j++) msum += mins[j] * (x[b].bsums[2 * j] + x[b].bsums[2 * j + 1]);
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(KN(half_)(w) * x[b].d), acc);
        minimums += KN(half_)(w + 2) * x[b].d * (float)msum;
    }
    return KN(hsum_)(acc) - minimums;
}

static KERNEL_TARGET float KN(dot_q5_k_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation256 *x = activations;
    const __m256i m4 = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    __m256 acc = _mm256_setzero_ps();
    float minimums = 0;
    for (int64_t b = 0; b < blocks; b++, w += 176) {
        uint8_t scales[8], mins[8];
        cqk_k_scales(w + 4, scales, mins);
        const int8_t *xq = x[b].qs;
        __m256i qh = _mm256_loadu_si256((const __m256i *)(w + 16));
        __m256i isum = _mm256_setzero_si256();
        for (int c = 0; c < 4; c++) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(w + 48 + 32 * c));
            __m256i fifthLow = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * c), one), 4);
            __m256i fifthHigh = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * c + 1), one), 4);
            __m256i low = _mm256_or_si256(_mm256_and_si256(q, m4), fifthLow);
            __m256i high = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q, 4), m4), fifthHigh);
            isum = _mm256_add_epi32(isum, KN(scaled_)(low, _mm256_loadu_si256((const __m256i *)(xq + 64 * c)), scales[2 * c]));
            isum = _mm256_add_epi32(isum, KN(scaled_)(high, _mm256_loadu_si256((const __m256i *)(xq + 64 * c + 32)), scales[2 * c + 1]));
        }
        int msum = 0;
        for (int j = 0; j < 8; j++) msum += mins[j] * (x[b].bsums[2 * j] + x[b].bsums[2 * j + 1]);
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(KN(half_)(w) * x[b].d), acc);
        minimums += KN(half_)(w + 2) * x[b].d * (float)msum;
    }
    return KN(hsum_)(acc) - minimums;
}

static KERNEL_TARGET float KN(dot_q6_k_)(const uint8_t *w, const void *activations, int64_t blocks) {
    const cqk_activation256 *x = activations;
    const __m256i m4 = _mm256_set1_epi8(0x0F), m3 = _mm256_set1_epi8(0x03);
    const __m256i m12 = _mm256_set1_epi8(0x0C), m48 = _mm256_set1_epi8(0x30);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++, w += 210) {
        const int8_t *scales = (const int8_t *)(w + 192);
        const int8_t *xq = x[b].qs;
        __m256i isum = _mm256_setzero_si256();
        for (int half = 0; half < 2; half++) {
            __m256i ql0 = _mm256_loadu_si256((const __m256i *)(w + 64 * half));
            __m256i ql1 = _mm256_loadu_si256((const __m256i *)(w + 64 * half + 32));
            __m256i qh = _mm256_loadu_si256((const __m256i *)(w + 128 + 32 * half));
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(ql0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m3), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(ql1, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m12), 2));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4), _mm256_and_si256(qh, m48));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4),
                                   _mm256_and_si256(_mm256_srli_epi16(qh, 2), m48));
            for (int k = 0; k < 4; k++) {
                int g = 8 * half + 2 * k;
                __m256i scale = _mm256_set_m128i(_mm_set1_epi16(scales[g + 1]), _mm_set1_epi16(scales[g]));
                __m256i p = _mm256_maddubs_epi16(q[k], _mm256_loadu_si256((const __m256i *)(xq + 128 * half + 32 * k)));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(p, scale));
            }
        }
        int offset = 0;
        for (int j = 0; j < 16; j++) offset += scales[j] * x[b].bsums[j];
        __m256 blockSum = _mm256_cvtepi32_ps(_mm256_sub_epi32(isum, _mm256_setr_epi32(32 * offset, 0, 0, 0, 0, 0, 0, 0)));
        acc = _mm256_fmadd_ps(blockSum, _mm256_set1_ps(KN(half_)(w + 208) * x[b].d), acc);
    }
    return KN(hsum_)(acc);
}

// Four activation rows at once (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q6_K): each weight block is loaded, unpacked
// and its scales converted once for all four. Per row, the operations and their order are those
// of the one-row kernels above, so every result is bit-identical to theirs.

static KERNEL_TARGET void KN(dot4_q4_0_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation32 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation32 *)((const uint8_t *)activations + r * stride);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float offset[4] = {0, 0, 0, 0};
    for (int64_t b = 0; b < blocks; b++, w += 18) {
        float d = KN(half_)(w);
        __m256i u = KN(nibbles32_)(w + 2);
        for (int r = 0; r < 4; r++) {
            __m256i p = KN(dot_u8s8_)(u, _mm256_loadu_si256((const __m256i *)x[r][b].qs));
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[r][b].d), acc[r]);
            offset[r] += d * x[r][b].s;
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]) - 8 * offset[r];
}

static KERNEL_TARGET void KN(dot4_q4_1_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation32 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation32 *)((const uint8_t *)activations + r * stride);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float minimum[4] = {0, 0, 0, 0};
    for (int64_t b = 0; b < blocks; b++, w += 20) {
        float d = KN(half_)(w), m = KN(half_)(w + 2);
        __m256i u = KN(nibbles32_)(w + 4);
        for (int r = 0; r < 4; r++) {
            __m256i p = KN(dot_u8s8_)(u, _mm256_loadu_si256((const __m256i *)x[r][b].qs));
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[r][b].d), acc[r]);
            minimum[r] += m * x[r][b].s;
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]) + minimum[r];
}

static KERNEL_TARGET void KN(dot4_q5_0_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation32 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation32 *)((const uint8_t *)activations + r * stride);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float offset[4] = {0, 0, 0, 0};
    for (int64_t b = 0; b < blocks; b++, w += 22) {
        float d = KN(half_)(w);
        __m256i u = KN(codes5_)(w + 6, w + 2);
        for (int r = 0; r < 4; r++) {
            __m256i p = KN(dot_u8s8_)(u, _mm256_loadu_si256((const __m256i *)x[r][b].qs));
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[r][b].d), acc[r]);
            offset[r] += d * x[r][b].s;
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]) - 16 * offset[r];
}

static KERNEL_TARGET void KN(dot4_q5_1_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation32 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation32 *)((const uint8_t *)activations + r * stride);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float minimum[4] = {0, 0, 0, 0};
    for (int64_t b = 0; b < blocks; b++, w += 24) {
        float d = KN(half_)(w), m = KN(half_)(w + 2);
        __m256i u = KN(codes5_)(w + 8, w + 4);
        for (int r = 0; r < 4; r++) {
            __m256i p = KN(dot_u8s8_)(u, _mm256_loadu_si256((const __m256i *)x[r][b].qs));
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[r][b].d), acc[r]);
            minimum[r] += m * x[r][b].s;
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]) + minimum[r];
}

static KERNEL_TARGET void KN(dot4_q8_0_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation32 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation32 *)((const uint8_t *)activations + r * stride);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (int64_t b = 0; b < blocks; b++, w += 34) {
        float d = KN(half_)(w);
        __m256i q = _mm256_loadu_si256((const __m256i *)(w + 2));
        __m256i magnitude = _mm256_sign_epi8(q, q);
        for (int r = 0; r < 4; r++) {
            __m256i s = _mm256_loadu_si256((const __m256i *)x[r][b].qs);
            __m256i p = KN(dot_u8s8_)(magnitude, _mm256_sign_epi8(s, q));
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * x[r][b].d), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]);
}

static KERNEL_TARGET void KN(dot4_q4_k_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation256 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation256 *)((const uint8_t *)activations + r * stride);
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float minimums[4] = {0, 0, 0, 0};
    for (int64_t b = 0; b < blocks; b++, w += 144) {
        uint8_t scales[8], mins[8];
        cqk_k_scales(w + 4, scales, mins);
        float d = KN(half_)(w), dmin = KN(half_)(w + 2);
        __m256i isum[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int c = 0; c < 4; c++) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(w + 16 + 32 * c));
            __m256i low = _mm256_and_si256(q, m4), high = _mm256_and_si256(_mm256_srli_epi16(q, 4), m4);
            for (int r = 0; r < 4; r++) {
                const int8_t *xq = x[r][b].qs;
                isum[r] = _mm256_add_epi32(isum[r], KN(scaled_)(low, _mm256_loadu_si256((const __m256i *)(xq + 64 * c)), scales[2 * c]));
                isum[r] = _mm256_add_epi32(isum[r], KN(scaled_)(high, _mm256_loadu_si256((const __m256i *)(xq + 64 * c + 32)), scales[2 * c + 1]));
            }
        }
        for (int r = 0; r < 4; r++) {
            int msum = 0;
            for (int j = 0; j < 8; j++) msum += mins[j] * (x[r][b].bsums[2 * j] + x[r][b].bsums[2 * j + 1]);
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum[r]), _mm256_set1_ps(d * x[r][b].d), acc[r]);
            minimums[r] += dmin * x[r][b].d * (float)msum;
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]) - minimums[r];
}

static KERNEL_TARGET void KN(dot4_q6_k_)(const uint8_t *w, const void *activations, size_t stride, int64_t blocks, float out[4]) {
    const cqk_activation256 *x[4];
    for (int r = 0; r < 4; r++) x[r] = (const cqk_activation256 *)((const uint8_t *)activations + r * stride);
    const __m256i m4 = _mm256_set1_epi8(0x0F), m3 = _mm256_set1_epi8(0x03);
    const __m256i m12 = _mm256_set1_epi8(0x0C), m48 = _mm256_set1_epi8(0x30);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (int64_t b = 0; b < blocks; b++, w += 210) {
        const int8_t *scales = (const int8_t *)(w + 192);
        float d = KN(half_)(w + 208);
        __m256i isum[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int half = 0; half < 2; half++) {
            __m256i ql0 = _mm256_loadu_si256((const __m256i *)(w + 64 * half));
            __m256i ql1 = _mm256_loadu_si256((const __m256i *)(w + 64 * half + 32));
            __m256i qh = _mm256_loadu_si256((const __m256i *)(w + 128 + 32 * half));
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(ql0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m3), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(ql1, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m12), 2));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4), _mm256_and_si256(qh, m48));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4),
                                   _mm256_and_si256(_mm256_srli_epi16(qh, 2), m48));
            for (int k = 0; k < 4; k++) {
                int g = 8 * half + 2 * k;
                __m256i scale = _mm256_set_m128i(_mm_set1_epi16(scales[g + 1]), _mm_set1_epi16(scales[g]));
                for (int r = 0; r < 4; r++) {
                    __m256i p = _mm256_maddubs_epi16(q[k], _mm256_loadu_si256((const __m256i *)(x[r][b].qs + 128 * half + 32 * k)));
                    isum[r] = _mm256_add_epi32(isum[r], _mm256_madd_epi16(p, scale));
                }
            }
        }
        for (int r = 0; r < 4; r++) {
            int offset = 0;
            for (int j = 0; j < 16; j++) offset += scales[j] * x[r][b].bsums[j];
            __m256 blockSum = _mm256_cvtepi32_ps(_mm256_sub_epi32(isum[r], _mm256_setr_epi32(32 * offset, 0, 0, 0, 0, 0, 0, 0)));
            acc[r] = _mm256_fmadd_ps(blockSum, _mm256_set1_ps(d * x[r][b].d), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = KN(hsum_)(acc[r]);
}

cqk_rows_dot4 KERNEL_CONCAT(KERNEL_NAME, rows_dot4)(int type) {
    switch (type) {
    case CQK_TYPE_Q4_0: return KN(dot4_q4_0_);
    case CQK_TYPE_Q4_1: return KN(dot4_q4_1_);
    case CQK_TYPE_Q5_0: return KN(dot4_q5_0_);
    case CQK_TYPE_Q5_1: return KN(dot4_q5_1_);
    case CQK_TYPE_Q8_0: return KN(dot4_q8_0_);
    case CQK_TYPE_Q4_K: return KN(dot4_q4_k_);
    case CQK_TYPE_Q6_K: return KN(dot4_q6_k_);
    default: return NULL;
    }
}

cqk_row_dot KERNEL_CONCAT(KERNEL_NAME, row_dot)(int type) {
    switch (type) {
    case CQK_TYPE_Q4_0: return KN(dot_q4_0_);
    case CQK_TYPE_Q4_1: return KN(dot_q4_1_);
    case CQK_TYPE_Q5_0: return KN(dot_q5_0_);
    case CQK_TYPE_Q5_1: return KN(dot_q5_1_);
    case CQK_TYPE_Q8_0: return KN(dot_q8_0_);
    case CQK_TYPE_Q4_K: return KN(dot_q4_k_);
    case CQK_TYPE_Q5_K: return KN(dot_q5_k_);
    case CQK_TYPE_Q6_K: return KN(dot_q6_k_);
    default: return NULL;
    }
}

#undef KN
#undef KERNEL_CONCAT
#undef KERNEL_CONCAT2
