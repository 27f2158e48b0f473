// The interleaved form of a weight matrix (layout in include/CQuantKernelsInterleaved.h): plain
// byte copies, done once per matrix.
#include "CQuantKernels.h"
#include "QuantKernelsInternal.h"

/// Where a block's parts are: its bytes, the offset of its high bits (0 when none) and of its
/// codes, and how many code bytes it has. 0 bytes when `type` has no interleaved form.
typedef struct {
    int bytes, high, codes, code_bytes;
} block_parts;

static block_parts parts_of(int type) {
    switch (type) {
    case CQK_TYPE_Q4_0: return (block_parts){18, 0, 2, 16};
    case CQK_TYPE_Q4_1: return (block_parts){20, 0, 4, 16};
    case CQK_TYPE_Q5_0: return (block_parts){22, 2, 6, 16};
    case CQK_TYPE_Q5_1: return (block_parts){24, 4, 8, 16};
    case CQK_TYPE_Q8_0: return (block_parts){34, 0, 2, 32};
    default: return (block_parts){0, 0, 0, 0};
    }
}

/// Bytes of one block of a group of 16 rows in the interleaved form.
static size_t group_block_bytes(block_parts p) {
    return 64 + (p.high ? 64 : 0) + 16 * (size_t)p.code_bytes;
}

size_t cqk_interleaved_bytes(int type, int64_t rows, int64_t columns) {
    block_parts p = parts_of(type);
    if (p.bytes == 0 || rows <= 0 || columns <= 0 || columns % 32 != 0) return 0;
    return (size_t)((rows + 15) / 16) * (size_t)(columns / 32) * group_block_bytes(p);
}

int cqk_interleave_rows(int type, const void *weights, size_t weight_row_bytes, int64_t rows, int64_t columns,
                        void *out) {
    block_parts p = parts_of(type);
    if (cqk_interleaved_bytes(type, rows, columns) == 0) return 0;
    const int64_t blocks = columns / 32, groups = (rows + 15) / 16;
    const size_t step = group_block_bytes(p);
    const size_t code_area = 64 + (p.high ? 64 : 0);
    uint8_t *target = out;
    for (int64_t g = 0; g < groups; g++) {
        for (int64_t b = 0; b < blocks; b++, target += step) {
            for (int l = 0; l < 16; l++) {
                int64_t row = 16 * g + l < rows ? 16 * g + l : rows - 1;
                const uint8_t *block = (const uint8_t *)weights + (size_t)row * weight_row_bytes + (size_t)b * (size_t)p.bytes;
                memcpy(target + 4 * l, block, 4);
                if (p.high) memcpy(target + 64 + 4 * l, block + p.high, 4);
                for (int j = 0; j < p.code_bytes / 4; j++) {
                    memcpy(target + code_area + 64 * (size_t)j + 4 * l, block + p.codes + 4 * j, 4);
                }
            }
        }
    }
    return 1;
}
