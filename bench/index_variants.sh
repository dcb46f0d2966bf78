#!/bin/sh
# Indexing alternatives: byline-index on one corpus with each setting that
# trades speed against something else (threads, shards, segment size), RUNS
# times each (round robin), median MB/s, peak RSS and index size.  Runs
# outside the test suite; the figures in the README come from it.
#
# Usage: bench/index_variants.sh CORPUS [RUNS] [BUILD-DIR]
#        ONLY='^default|^--stemmed' bench/index_variants.sh CORPUS 1
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: index_variants.sh CORPUS [RUNS] [BUILD-DIR]}
runs=${2:-3}
build=${3:-$top/build/release}
index=$build/byline-index
[ -x "$index" ] || { echo "no $index: run tools/quickstart.sh first" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-variants-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "# indexing alternatives"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "program:  $("$index" --version | head -1)"
echo "corpus:   $corpus ($(du -shL "$corpus" | cut -f1))"
echo
printf "%-40s %8s %10s %10s %8s\n" setting MB/s "peak RSS" index parts

# The variants, one per line: a name, a tab, byline-index's options.
cat >"$tmp/variants" <<'VARIANTS'
default (threads = cores, 1 shard)	
--threads 1	--threads 1
--shards 2	--shards 2
--shards 4	--shards 4
--commit-every 250	--commit-every 250
--commit-every 4000	--commit-every 4000
--commit-every 16000	--commit-every 16000
--memory 256M	--memory 256M
--stemmed-only (no exact word forms)	--stemmed-only
VARIANTS
# ONLY=PATTERN: only the variants whose name matches (grep -E).
if [ -n "${ONLY:-}" ]; then
    grep -E "$ONLY" "$tmp/variants" >"$tmp/only" || true
    mv "$tmp/only" "$tmp/variants"
fi

# Round robin: each round runs every variant once, so that a machine whose
# speed drifts (a shared VM) weighs on all of them alike.
round=0
while [ "$round" -lt "$runs" ]; do
    round=$((round + 1))
    v=0
    while IFS='	' read -r name opts; do
        v=$((v + 1))
        rm -rf "$tmp/db"
        # shellcheck disable=SC2086 # the options are split on purpose
        "$index" -v --db "$tmp/db" $opts "$corpus" 2>"$tmp/err" </dev/null || true
        sed -n 's/.* in [0-9.]* s (\([0-9.]*\) MB\/s, peak memory \([0-9]*\) MB).*/\1 \2/p' "$tmp/err" |
            awk -v size="$(du -sk "$tmp/db" | cut -f1)" -v parts="$(grep -c . "$tmp/db/XAPIANDB")" \
                '{ printf "%.2f %d %.1f %d\n", $1, $2, size / 1024, parts }' >>"$tmp/runs.$v"
    done <"$tmp/variants"
done

v=0
while IFS='	' read -r name opts; do
    v=$((v + 1))
    sort -n "$tmp/runs.$v" | sed -n "$(( (runs + 1) / 2 ))p" |
        awk -v n="$name" '{ printf "%-40s %8.2f %7d MB %7.1f MB %8d\n", n, $1, $2, $3, $4 }'
done <"$tmp/variants"
