#!/bin/sh
# A cheap search beside expensive ones: the latency of one-word searches
# (one client, one after another) on an idle byline-serve, then while
# HEAVY clients (default 4) send the most expensive searches the limits
# let through, without pause: five wildcards of 200 words each, RM3
# expansion, 100 hits with 3 passages each.  Also the request of the
# issue that made a limit necessary (110 two-letter wildcards, RM3, 100
# hits, 3 passages: 12.6 s of CPU before the limits).  Prints a Markdown
# table with the machine and date.
#
#   bench/serve_expensive.sh CORPUS [SECONDS]
#   bench/serve_expensive.sh ../shared/corpora/reuters21578 10
#
# BYLINE_BIN: the programs (default build/release); SERVE_ARGS: more
# byline-serve options (e.g. "--max-expensive 4" to see the searchers
# shared out with no slots kept for cheap requests); HEAVY: clients.
# With CHECK=SECONDS it exits 1 when a cheap search under load took
# longer than SECONDS, or an expensive one failed other than as 503 busy
# (tests/serve_load_test.sh runs it so).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BYLINE_BIN:-$top/build/release}
corpus=$1
secs=${2:-10}
heavy=${HEAVY:-4}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-expensive-XXXXXX")
spid=""
cleanup() {
    touch "$tmp/stop"
    [ -n "$spid" ] && kill "$spid" 2>/dev/null
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
"$bin/byline-index" -q --db "$tmp/db" "$corpus" 2>/dev/null || true
port=$("$top/tools/free_port.sh")
base="http://127.0.0.1:$port"
# shellcheck disable=SC2086
"$bin/byline-serve" --db "$tmp/db" --listen "127.0.0.1:$port" ${SERVE_ARGS:-} \
    2>"$tmp/serve.log" &
spid=$!
for i in $(seq 1 100); do
    curl -s -o /dev/null "$base/api/v1/stats" && break
    sleep 0.1
done
expensive="$base/api/v1/search?q=s*+c*+p*+m*+t*&expand=rm3&passages=3&limit=100"
words="oil coffee wheat bank strike gold tanker merger dollar yen"

# cheap FILE: time each one-word search into FILE (seconds, one a line).
cheap() {
    : >"$1"
    end=$(($(date +%s) + secs))
    while [ "$(date +%s)" -lt "$end" ]; do
        for w in $words; do
            curl -s -o /dev/null -w '%{time_total} %{http_code}\n' \
                "$base/api/v1/search?q=$w" >>"$1" || true # (counted: 000)
        done
    done
}

# stats FILE: "n p50 p99 max" of the times in FILE, in ms.
stats() {
    awk '{print $1 * 1000}' "$1" | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) { print "0 - - -"; exit }
              p50 = v[int(NR * 0.5 + 0.5) > 0 ? int(NR * 0.5 + 0.5) : 1]
              p99 = v[int(NR * 0.99 + 0.5) > 0 ? int(NR * 0.99 + 0.5) : 1]
              printf "%d %.1f %.1f %.1f\n", NR, p50, p99, v[NR] }'
}

cheap "$tmp/idle"
i=0
while [ "$i" -lt "$heavy" ]; do
    (
        while [ ! -e "$tmp/stop" ]; do
            curl -s -o /dev/null -w '%{time_total} %{http_code}\n' \
                "$expensive" >>"$tmp/heavy.$i" || true
        done
    ) &
    i=$((i + 1))
done
sleep 1
cheap "$tmp/loaded"
touch "$tmp/stop"
sleep 1
cat "$tmp"/heavy.* >"$tmp/heavy" 2>/dev/null || true
# The issue's request: 110 two-letter wildcards.
w110=$(for a in b c d f g h k l m n p r s t v w y z j q x q; do for b in a e i o u; do printf '%s%s*+' "$a" "$b"; done; done | cut -c1-659)
issue=$(curl -s -o "$tmp/issue" -w '%{http_code} %{time_total}' \
    "$base/api/v1/search?q=${w110}&expand=rm3&passages=3&limit=100" || true)

set -- $(stats "$tmp/idle")
idle="$1 | $2 | $3 | $4"
set -- $(stats "$tmp/loaded")
loaded="$1 | $2 | $3 | $4"
loaded_max=$4
set -- $(stats "$tmp/heavy")
hv="$1 | $2 | $3 | $4"
ok=$(grep -c ' 200$' "$tmp/heavy" || true)
busy=$(grep -c ' 503$' "$tmp/heavy" || true)
other=$(grep -vc ' 200$\| 503$' "$tmp/heavy" || true)
bad=$(grep -vc ' 200$' "$tmp/idle" "$tmp/loaded" | awk -F: '{s += $2} END {print s}')
echo "byline-serve, cheap beside expensive: $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d), $corpus, ${secs} s each, $heavy expensive clients, ${SERVE_ARGS:-defaults}"
echo
echo "| requests | n | p50 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|"
echo "| one word, idle server | $idle |"
echo "| one word, beside $heavy expensive clients | $loaded |"
echo "| expensive (5 wildcards x 200, rm3, 100 hits x 3 passages) | $hv |"
echo
echo "expensive answers: $ok 200, $busy 503 busy, $other other; one-word failures: $bad"
echo "the issue's 110 wildcards: HTTP $(echo "$issue" | cut -d' ' -f1) in $(echo "$issue" | cut -d' ' -f2) s: $(head -c 160 "$tmp/issue")"
kill -0 "$spid" 2>/dev/null || { echo "serve_expensive: the server died" >&2; exit 1; }
if [ -n "${CHECK:-}" ]; then
    over=$(awk -v max="$CHECK" 'BEGIN { print (('"$loaded_max"' / 1000) > max) }')
    if [ "$over" = 1 ] || [ "$other" -gt 0 ] || [ "$bad" -gt 0 ]; then
        echo "serve_expensive: FAIL: a one-word search took ${loaded_max} ms beside expensive ones (limit ${CHECK} s), or requests failed" >&2
        exit 1
    fi
fi
