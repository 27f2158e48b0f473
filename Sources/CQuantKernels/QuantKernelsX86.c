// The AVX2 and AVX-512 VNNI row kernels: one body (QuantKernelsX86Body.h) compiled for each
// instruction set with per-function target attributes, so the library runs on any x86-64 CPU
// and `cqk_available_instruction_sets` decides at run time which ones may be called.
#include "CQuantKernels.h"
#include "QuantKernelsInternal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define KERNEL_NAME cqk_avx2_
#define KERNEL_TARGET __attribute__((target("avx2,fma,f16c")))
#define KERNEL_VNNI 0
#include "QuantKernelsX86Body.h"
#undef KERNEL_NAME
#undef KERNEL_TARGET
#undef KERNEL_VNNI

#define KERNEL_NAME cqk_avx512vnni_
#define KERNEL_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
#define KERNEL_VNNI 1
#include "QuantKernelsX86Body.h"

#else

cqk_row_dot cqk_avx2_row_dot(int type) { (void)type; return 0; }
cqk_row_dot cqk_avx512vnni_row_dot(int type) { (void)type; return 0; }
cqk_rows_dot4 cqk_avx2_rows_dot4(int type) { (void)type; return 0; }
cqk_rows_dot4 cqk_avx512vnni_rows_dot4(int type) { (void)type; return 0; }

#endif
