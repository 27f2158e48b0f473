#!/usr/bin/env bash
# Coverage-guided fuzzing of one reader with libFuzzer (issue #19): builds the harness with
# -sanitize=fuzzer,address in its own scratch path (.build-fuzz; the normal build is untouched),
# seeds the corpus from the same seed files `swift-grpo fuzz` uses, and runs RUNS inputs under
# `nice -n 19`. Crashing, leaking-past-the-limit and hanging inputs land in fuzz-findings/.
#
#   scripts/fuzz-libfuzzer.sh TARGET [RUNS] [extra libFuzzer flags…]
#   make fuzz-libfuzzer TARGET=gguf RUNS=1000000
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz-libfuzzer.sh TARGET [RUNS] [libFuzzer flags…]}
runs=${2:-1000000}
shift $(( $# >= 2 ? 2 : 1 ))

# Inputs are capped near the largest seed that is worth mutating whole (a model header, a tokenizer).
case "$target" in
  gguf|safetensors|peft) max_len=524288 ;;
  tokenizer|chat-template|dataset-json|dataset-jsonl|dataset-csv) max_len=65536 ;;
  config|wire) max_len=16384 ;;
  *) echo "unknown target '$target'" >&2; exit 2 ;;
esac

scratch=.build-fuzz
binary=$scratch/release/swift-grpo-libfuzz
SWIFT_GRPO_LIBFUZZER=1 nice -n 19 swift build -c release --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address --product swift-grpo-libfuzz

export SWIFT_GRPO_FUZZ_TARGET=$target
export SWIFT_GRPO_FIXTURES=${SWIFT_GRPO_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
export SWIFT_GRPO_FUZZ_SEEDS=$PWD/Tests/Fixtures:$PWD/data
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
# Swift's runtime keeps metadata caches for the process's life: not leaks worth reporting.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0:handle_abort=1}

corpus=$scratch/corpus/$target
seeds=$scratch/seeds/$target
findings=fuzz-findings/libfuzzer-$target
mkdir -p "$corpus" "$findings"
if [ ! -d "$seeds" ]; then
  SWIFT_GRPO_FUZZ_WRITE_SEEDS=$seeds "$binary"
fi

exec nice -n 19 "$binary" -runs="$runs" -max_len="$max_len" -rss_limit_mb=4096 -malloc_limit_mb=4096 -timeout=30 \
  -artifact_prefix="$findings/" -print_final_stats=1 -print_pcs=0 "$@" "$corpus" "$seeds"
