#!/bin/sh
# Install what is missing, build from scratch, and run the whole test suite
# twice: an optimised build with warnings as errors, then a build with
# AddressSanitizer and UndefinedBehaviorSanitizer; then run each libFuzzer
# harness (built with clang) for a bounded time from its seed corpus; then
# build the Debian packages, install them, use them and remove them
# (tools/package_check.sh).
#
# Usage: tools/test.sh            (from anywhere; needs root or sudo only
#                                  when packages are missing)
# Builds go to build/release, build/sanitize and build/fuzz under the source
# tree (BYLINE_BUILD_DIR overrides "build"); BYLINE_FUZZ_SECONDS (default
# 15) is how long each fuzzer runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BYLINE_BUILD_DIR:-$top/build}
jobs=$(nproc 2>/dev/null || echo 2)

"$top/tools/install-deps.sh"

run_suite() {
    name=$1
    shift
    echo "== $name build =="
    rm -rf "$out/$name"
    cmake -S "$top" -B "$out/$name" -DBYLINE_WERROR=ON "$@" >/dev/null
    cmake --build "$out/$name" -j "$jobs"
    echo "== $name tests =="
    (cd "$out/$name" && ctest --output-on-failure -j "$jobs")
}

# Both builds have the fault points (test hooks: never in a release
# build), which the fault tests arm.
run_suite release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBYLINE_FAULT_POINTS=ON
# halt_on_error: a sanitizer report fails the test that caused it.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
run_suite sanitize -DCMAKE_BUILD_TYPE=Debug -DBYLINE_SANITIZE=ON \
    -DBYLINE_FAULT_POINTS=ON

echo "== fuzz build (clang) =="
rm -rf "$out/fuzz"
CC=clang CXX=clang++ cmake -S "$top" -B "$out/fuzz" -DBYLINE_FUZZ=ON \
    -DBYLINE_SANITIZE=ON -DBYLINE_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$out/fuzz" -j "$jobs"
for seeds in "$top"/tests/fuzz/seeds/*/; do
    name=$(basename "$seeds")
    work=$(mktemp -d "${TMPDIR:-/tmp}/byline-fuzz-XXXXXX")
    echo "== fuzz_$name for ${BYLINE_FUZZ_SECONDS:-15} s =="
    # New inputs go to the scratch directory, never into the seeds.
    if ! (cd "$work" && "$out/fuzz/tests/fuzz/fuzz_$name" \
        -max_total_time="${BYLINE_FUZZ_SECONDS:-15}" -print_final_stats=1 \
        "$work" "$seeds" >"$work/log" 2>&1); then
        tail -40 "$work/log"
        echo "fuzz_$name failed: the input is in $work" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units' "$work/log" || true
    rm -rf "$work"
done
# The Debian packages: built, lintian, installed, used, removed.  Their
# own unit tests are left out (nocheck): both builds above ran them.
echo "== Debian packages =="
DEB_BUILD_OPTIONS=nocheck "$top/tools/package_check.sh"
echo "== all tests passed (release, sanitized, fuzzed, packaged) =="
