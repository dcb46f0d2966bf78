#!/bin/sh
# Indexing benchmark: index a corpus directory from scratch with
# byline-index and report throughput, articles per second, peak memory and
# index size, with the machine, compiler and settings it ran on.  Runs
# outside the test suite.
#
# Usage: bench/index_bench.sh CORPUS-DIR [RUNS] [BUILD-DIR]
#   RUNS       how many times to index (default 3; the best and the median
#              are reported)
#   BUILD-DIR  a build tree with byline-index (default build/release)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: index_bench.sh CORPUS-DIR [RUNS] [BUILD-DIR]}
runs=${2:-3}
build=${3:-$top/build/release}
index=$build/byline-index
[ -x "$index" ] || { echo "no $index: run tools/quickstart.sh first" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "# byline-index benchmark"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "compiler: $(cc --version | head -1)"
echo "program:  $("$index" --version | head -1)"
echo "corpus:   $corpus ($(du -sh "$corpus" | cut -f1) on disk)"
echo
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    rm -rf "$tmp/db"
    "$index" --db "$tmp/db" "$corpus" 2>"$tmp/err" || true
    line=$(grep 'articles indexed' "$tmp/err")
    size=$(du -sk "$tmp/db" | cut -f1)
    # "N articles indexed from F files (X MB) in S s (R MB/s, peak memory P MB)"
    echo "$line" | sed -n 's/.*: \([0-9]*\) articles indexed from [0-9]* files (\([0-9.]*\) MB) in \([0-9.]*\) s (\([0-9.]*\) MB\/s, peak memory \([0-9]*\) MB).*/\4 \1 \3 \5 \2/p' |
        awk -v size="$size" -v run="$i" '{
            printf "run %d: %6.2f MB/s  %7.0f articles/s  peak RSS %4d MB  index %6.1f MB (%.1fx the text)\n",
                   run, $1, $2 / $3, $4, size / 1024, size / 1024 / $5 }' | tee -a "$tmp/runs"
done
echo
sort -k3 -n -r "$tmp/runs" | head -1 | sed 's/^run [0-9]*:/best:  /'
sort -k3 -n "$tmp/runs" | sed -n "$(( (runs + 1) / 2 ))p" | sed 's/^run [0-9]*:/median:/'
