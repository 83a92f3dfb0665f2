#!/usr/bin/env bash
# Fuzzes the wire protocol's stream decoder and message parsers with libFuzzer.
#
#   scripts/fuzz.sh [SECONDS] [TARGET]      SECONDS defaults to 600, TARGET to fuzz_stream_decoder
#
# Needs clang++ and the compiler-rt fuzzer runtime (Debian 12: clang, libclang-rt-14-dev).
# Builds in build-fuzz/ (FP_FUZZ_BUILD_DIR to change) with -fsanitize=fuzzer,address,undefined,
# writes a seed corpus of real encoded frames, then fuzzes for SECONDS. A crash leaves its input
# in build-fuzz/artifacts/ and makes this script exit non-zero; replay it with
#   build-fuzz/TARGET build-fuzz/artifacts/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
target="${2:-fuzz_stream_decoder}"
build="${FP_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${FP_FUZZ_BUILD_JOBS:-2}"

cxx="${CXX_FUZZ:-}"
if [ -z "$cxx" ]; then
  for c in clang++ clang++-14 clang++-15 clang++-16; do
    if command -v "$c" >/dev/null 2>&1; then cxx="$c"; break; fi
  done
fi
if [ -z "$cxx" ]; then
  echo "fuzz.sh: clang++ not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
cmake -S tests/fuzz -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "$target" fuzz_seed_corpus -j"$jobs"

seeds="$build/corpus/seeds-$target"
corpus="$build/corpus/$target"
artifacts="$build/artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"
"$build/fuzz_seed_corpus" "$seeds" "$target"

echo "fuzz.sh: running $target for ${seconds}s (corpus $corpus, crashes to $artifacts/)"
# Inputs up to 8 KiB: several maximal frames (1037 bytes encoded) and oversize runs fit.
"$build/$target" "$corpus" "$seeds" \
  -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" 2>&1 | tee "$build/$target.log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: $target FAILED (exit $status); see $artifacts/ and $build/$target.log" >&2
  exit "$status"
fi
echo "fuzz.sh: $target ran ${seconds}s without a crash"
