#!/bin/sh
# byline-serve under load: queries per second and p50/p99 latency at 1, 8
# and 32 concurrent clients (wrk), 10 hits with a passage each, while a
# byline-index run updates the same index over and over; failed requests,
# the server's CPU time per request (steadier than requests/s, which
# follows the share of the CPU the indexer leaves) and its peak memory.
#
#   bench/serve_bench.sh CORPUS [SECONDS]
#   bench/serve_bench.sh ../shared/corpora/reuters21578 10
#
# BYLINE_BIN: the programs (default build/release); INDEXER_THREADS=1
# runs the indexer with that many threads (byline-index --threads; its
# default is one per processor), INDEXER_NICE=19 at that nice level (as a
# background indexer beside a server may be run); SERVE_THREADS=N gives
# byline-serve that many threads (its default: two per processor),
# SERVE_CACHE_MB=N that document cache per searcher (0: none, as when every
# hit is a story not shown before; the 330 queries here repeat).  Prints a Markdown
# table with the machine and date.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BYLINE_BIN:-$top/build/release}
corpus=$1
secs=${2:-10}
NICE=""
[ -n "${INDEXER_NICE:-}" ] && NICE="nice -n $INDEXER_NICE"
ITHREADS=""
[ -n "${INDEXER_THREADS:-}" ] && ITHREADS="--threads $INDEXER_THREADS"
command -v wrk >/dev/null || { echo "serve_bench: needs wrk (apt-get install wrk)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-serve-bench-XXXXXX")
spid="" ipid=""
cleanup() {
    # The indexer loop ends after its current update (a killed loop
    # would leave that byline-index writing while the index is removed).
    [ -n "$ipid" ] && { touch "$tmp/stop"; wait "$ipid" 2>/dev/null; }
    [ -n "$spid" ] && kill "$spid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# The index, and a copy of the corpus the indexer keeps changing.
mkdir -p "$tmp/live"
cp -r "$corpus"/. "$tmp/live/"
"$bin/byline-index" -q --db "$tmp/db" "$tmp/live" 2>/dev/null || [ $? -eq 1 ]
port=$("$top/tools/free_port.sh")
"$bin/byline-serve" --db "$tmp/db" --listen "127.0.0.1:$port" ${SERVE_THREADS:+--threads $SERVE_THREADS} ${SERVE_CACHE_MB:+--cache-mb $SERVE_CACHE_MB} 2>/dev/null &
spid=$!
sleep 1

# Queries: words of the corpus's own titles, one or two at a time.
cat >"$tmp/q.lua" <<'EOF'
local words = {"oil", "prices", "bank", "rates", "trade", "coffee", "gold",
  "wheat", "shares", "dollar", "stake", "merger", "profit", "loss",
  "sugar", "cocoa", "strike", "ship", "grain", "crude", "tax", "budget",
  "japan", "opec", "yen", "bonds", "export", "debt", "growth", "copper"}
local i = 0
request = function()
  i = i + 1
  local q = words[i % #words + 1]
  if i % 3 == 0 then q = q .. "+" .. words[(i * 7) % #words + 1] end
  return wrk.format("GET", "/api/v1/search?q=" .. q .. "&limit=10&passages=1")
end
EOF

# The indexer beside it: one file changed (its articles replaced), the
# index updated, again and again.
# (A file of many articles: Reuters' .sgm files hold 1,000 each.)
victim=$(find "$tmp/live" -type f -name '*.sgm' | sort | head -1)
[ -n "$victim" ] || victim=$(find "$tmp/live" -type f -name '*.jsonl' | sort | head -1)
[ -n "$victim" ] || victim=$(find "$tmp/live" -type f -name '*.txt' | sort | head -1)
(
    n=0
    while [ ! -e "$tmp/stop" ]; do
        n=$((n + 1))
        # A new first line: the file changed, its articles are read again
        # and replace their old versions.
        { echo "update $n"; cat "$victim"; } >"$victim.new" && mv "$victim.new" "$victim"
        $NICE "$bin/byline-index" -q $ITHREADS --db "$tmp/db" "$tmp/live" 2>/dev/null || true
        echo "$n" >"$tmp/updates"
    done
) &
ipid=$!

# The server's CPU time so far (user + system), in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$spid/stat"; }
hz=$(getconf CLK_TCK)

printf '| clients | requests/s | p50 | p99 | failed requests | server CPU per request |\n|---|---|---|---|---|---|\n'
for c in 1 8 32; do
    before=$(cpu)
    t=2
    [ "$c" -lt 2 ] && t=1
    wrk -t "$t" -c "$c" -d "${secs}s" --latency -s "$tmp/q.lua" "http://127.0.0.1:$port" >"$tmp/wrk.$c" 2>&1
    rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk.$c")
    p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.$c")
    p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.$c")
    bad=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$tmp/wrk.$c")
    reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk.$c")
    per=$(awk -v t="$(( $(cpu) - before ))" -v hz="$hz" -v n="$reqs" 'BEGIN {printf "%.3f ms", (n > 0 ? 1000 * t / hz / n : 0)}')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$c" "$rps" "$p50" "$p99" "$bad" "$per"
done
touch "$tmp/stop"
wait "$ipid" 2>/dev/null || true
ipid=""
peak=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$spid/status")
echo
echo "server peak memory: $peak; index updates completed during the runs: $(cat "$tmp/updates" 2>/dev/null || echo 0)${NICE:+ (indexer at $NICE)}${ITHREADS:+ (indexer $ITHREADS)}${SERVE_CACHE_MB:+ (server --cache-mb $SERVE_CACHE_MB)}"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(date -u +%Y-%m-%d); corpus $corpus"
