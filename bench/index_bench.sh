#!/bin/sh
# Indexing benchmark: index a corpus from scratch with byline-index and with
# the naive Xapian indexer (bench/naive_index.c: TermGenerator, one writer,
# one commit), in the same run, and report MB/s, articles/s, peak RSS and
# index size for both, with the ratio, and the machine, compiler and
# versions it ran on.  Runs outside the test suite.
#
# Usage: bench/index_bench.sh CORPUS-DIR [RUNS] [BUILD-DIR]
#   RUNS       how many times to index with each (default 3; the median run
#              by MB/s is reported, and the ratio of the medians)
#   BUILD-DIR  a build tree with byline-index (default build/release)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: index_bench.sh CORPUS-DIR [RUNS] [BUILD-DIR]}
runs=${2:-3}
build=${3:-$top/build/release}
index=$build/byline-index
naive=$build/bench/naive_index
[ -x "$index" ] && [ -x "$naive" ] || {
    echo "no $index or $naive: run tools/quickstart.sh first" >&2
    exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "# indexing benchmark"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "compiler: $(cc --version | head -1)"
echo "program:  $("$index" --version | head -1)"
echo "corpus:   $corpus ($(du -sh "$corpus" | cut -f1) on disk)"
echo

# One line per run: "MB/s articles/s peak-MB index-MB".
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    rm -rf "$tmp/db" "$tmp/naive.db"
    "$index" --db "$tmp/db" "$corpus" 2>"$tmp/err" || true
    sed -n 's/.*: \([0-9]*\) articles indexed from [0-9]* files (\([0-9.]*\) MB) in \([0-9.]*\) s (\([0-9.]*\) MB\/s, peak memory \([0-9]*\) MB).*/\4 \1 \3 \5 \2/p' "$tmp/err" |
        awk -v size="$(du -sk "$tmp/db" | cut -f1)" '{
            printf "%.2f %.0f %d %.1f %.2f\n", $1, $2 / $3, $4, size / 1024, $5 }' >>"$tmp/byline"
    mb=$(tail -1 "$tmp/byline" | cut -d' ' -f5)
    out=$("$naive" "$tmp/naive.db" "$corpus")
    echo "$out" | awk -v size="$(du -sk "$tmp/naive.db" | cut -f1)" -v mb="$mb" '{
        printf "%.2f %.0f %d %.1f %.2f\n", mb / $2, $1 / $2, $3 / 1024, size / 1024, mb }' >>"$tmp/naive"
done

median() { sort -n "$1" | sed -n "$(( (runs + 1) / 2 ))p"; }
b=$(median "$tmp/byline")
n=$(median "$tmp/naive")
printf "%-34s %8s %12s %10s %10s\n" indexer MB/s articles/s "peak RSS" "index"
echo "$b" | awk '{ printf "%-34s %8.2f %12.0f %7d MB %7.1f MB (%.1fx the text)\n", "byline-index", $1, $2, $3, $4, $4 / $5 }'
echo "$n" | awk '{ printf "%-34s %8.2f %12.0f %7d MB %7.1f MB (%.1fx the text)\n", "naive Xapian (TermGenerator)", $1, $2, $3, $4, $4 / $5 }'
echo "$b $n" | awk '{ printf "\nbyline-index / naive: %.2fx MB/s, %.2fx peak RSS, %.2fx index size (median of %d runs each)\n", $1 / $6, $3 / $8, $4 / $9, '"$runs"' }'
