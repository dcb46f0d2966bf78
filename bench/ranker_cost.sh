#!/bin/bash
# What a ranking setting costs in query latency, side by side with the
# defaults on the same index, as the README's cost tables measure it:
#
#   bench/ranker_cost.sh INDEX QUERIES ROUNDS 'OPTIONS' ['OPTIONS']...
#
# e.g. bench/ranker_cost.sh ~/reuters.db queries.txt 5 '--pairs 0'
#
# Each round runs bench/query_bench --only byline --runs RUNS (default 1:
# RUNS=N) with no option (the defaults), then with each OPTIONS in turn
# (query_bench's ranker options: --pairs X --pairs-common X --proximity
# X --proximity-window N --title-weight X --weighting W --expand), one
# right after the other.  The machine drifts from round to round by more
# than rankers differ, so each setting's p50, p95, p99 and mean are
# divided by those of the defaults' run of the same round, and the
# medians of those ratios over the rounds are reported (and the defaults'
# median milliseconds).  One line per round on stderr as it goes; the
# table on stdout.  Run it on a machine otherwise quiet: never beside a
# build or another benchmark.  BYLINE_BIN: where bench/query_bench is
# (default build/release).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BYLINE_BIN:-$top/build/release}
runs=${RUNS:-1}
if [ $# -lt 4 ]; then
    echo "usage: bench/ranker_cost.sh INDEX QUERIES ROUNDS 'OPTIONS'..." >&2
    exit 2
fi
index=$1 queries=$2 rounds=$3
shift 3
case $rounds in '' | *[!0-9]* | 0)
    echo "ranker_cost.sh: ROUNDS must be a number of at least 1" >&2
    exit 2 ;;
esac
[ -d "$index" ] || { echo "ranker_cost.sh: no index at $index" >&2; exit 2; }
[ -f "$queries" ] || { echo "ranker_cost.sh: no queries at $queries" >&2; exit 2; }
qb=$bin/bench/query_bench
[ -x "$qb" ] || { echo "ranker_cost.sh: no $qb (build first)" >&2; exit 2; }

settings=("" "$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One query_bench run with the options $1: "p50 p95 p99 mean".
measure() {
    local out
    # shellcheck disable=SC2086 # (the options are words)
    out=$("$qb" --runs "$runs" --only byline $1 "$index" "$queries") || {
        echo "ranker_cost.sh: query_bench failed with options '$1'" >&2
        exit 1
    }
    awk '/^byline/ {
            for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) { n++; v[n] = $i }
            print v[1], v[2], v[3], v[4]; found = 1; exit }
         END { if (!found) exit 1 }' <<<"$out" || {
        echo "ranker_cost.sh: no byline line in query_bench's output" >&2
        exit 1
    }
}

for ((r = 1; r <= rounds; r++)); do
    base=$(measure "")
    echo "$base" >>"$tmp/base"
    line="round $r: defaults $base"
    for ((k = 1; k < ${#settings[@]}; k++)); do
        m=$(measure "${settings[k]}")
        # The ratios to the defaults' run of this round.
        paste -d' ' <(echo "$base") <(echo "$m") |
            awk '{ printf "%.4f %.4f %.4f %.4f\n", $5/$1, $6/$2, $7/$3, $8/$4 }' \
                >>"$tmp/ratio.$k"
        line="$line | ${settings[k]}: $m"
    done
    echo "$line" >&2
done

median() { # column $1 of file $2
    awk -v c="$1" '{ print $c }' "$2" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                  else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "| setting | mean | p50 | p95 | p99 |"
echo "|---|---|---|---|---|"
printf '| the defaults (median ms over %d rounds) | %s | %s | %s | %s |\n' \
    "$rounds" "$(median 4 "$tmp/base")" "$(median 1 "$tmp/base")" \
    "$(median 2 "$tmp/base")" "$(median 3 "$tmp/base")"
for ((k = 1; k < ${#settings[@]}; k++)); do
    printf '| `%s` | %.2fx | %.2fx | %.2fx | %.2fx |\n' "${settings[k]}" \
        "$(median 4 "$tmp/ratio.$k")" "$(median 1 "$tmp/ratio.$k")" \
        "$(median 2 "$tmp/ratio.$k")" "$(median 3 "$tmp/ratio.$k")"
done
