#!/bin/sh
# Install what is missing, build from scratch, and run the whole test suite
# twice: an optimised build with warnings as errors, then a build with
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
# Usage: tools/test.sh            (from anywhere; needs root or sudo only
#                                  when packages are missing)
# Builds go to build/release and build/sanitize under the source tree
# (BYLINE_BUILD_DIR overrides "build").
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

run_suite release -DCMAKE_BUILD_TYPE=RelWithDebInfo
# halt_on_error: a sanitizer report fails the test that caused it.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
run_suite sanitize -DCMAKE_BUILD_TYPE=Debug -DBYLINE_SANITIZE=ON
echo "== all tests passed (release and sanitized) =="
