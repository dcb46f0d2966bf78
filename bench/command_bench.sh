#!/bin/sh
# Whole-command latency: run one byline-search process per query (start,
# open the index, search, passages, print), default text output with a
# passage per hit, to /dev/null, after one warm-up pass, and report the
# median, 90th percentile and slowest, with the machine it ran on.  Runs
# outside the test suite.
#
# Usage: bench/command_bench.sh INDEX QUERIES [N] [BUILD-DIR]
#   QUERIES    one query per line, "qid<TAB>query" lines, or the peers'
#              meta.tsv ("qid<TAB>type<TAB>query<TAB>df")
#   N          how many queries, from the top of the file (default 50)
#   BUILD-DIR  a build tree with byline-search (default build/release)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
index=${1:?usage: command_bench.sh INDEX QUERIES [N] [BUILD-DIR]}
queries=${2:?usage: command_bench.sh INDEX QUERIES [N] [BUILD-DIR]}
n=${3:-50}
build=${4:-$top/build/release}
search=$build/byline-search
[ -x "$search" ] || {
    echo "no $search: run tools/quickstart.sh first" >&2
    exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-cmd-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The query is the last tab-separated field but one in meta.tsv, the last
# otherwise.
awk -F '\t' 'NF >= 4 { print $3; next } { print $NF }' "$queries" |
    head -n "$n" >"$tmp/q"

echo "# whole-command benchmark: byline-search, one process per query"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "index:    $index ($(du -sh "$index" | cut -f1))"
echo "queries:  $(wc -l <"$tmp/q") from $queries"
while IFS= read -r q; do
    "$search" --db "$index" -- "$q" >/dev/null 2>&1 || true
done <"$tmp/q"
while IFS= read -r q; do
    t0=$(date +%s%N)
    "$search" --db "$index" -- "$q" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
done <"$tmp/q" | sort -n >"$tmp/t"
awk '{ v[NR] = $1 } END {
    p50 = v[int((NR - 1) * 0.5 + 1.5)]; p90 = v[int((NR - 1) * 0.9 + 1.5)]
    if (p50 == "") p50 = v[NR]; if (p90 == "") p90 = v[NR]
    printf "median %.1f ms, 90th percentile %.1f ms, slowest %.1f ms\n",
        p50 / 1000, p90 / 1000, v[NR] / 1000 }' "$tmp/t"
