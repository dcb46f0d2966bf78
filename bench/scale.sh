#!/bin/bash
# How cost grows with the archive (issue 25, item 7).  For a generated news
# corpus of each SIZE: index it from scratch with byline-index (wall time,
# MB/s, peak RSS, peak disk use during the run, index size), then query
# latency single-thread (query_bench) and byline-serve at 8 clients (wrk).
# Then the FANOUT_SIZE corpus as 1, 2 and 4 shards, each searched with its
# shards opened locally and served by one xapian-tcpsrv each on loopback
# through a stub: what the fan-out costs.  Prints two Markdown tables with
# the machine, date and commit, and the targets checked (PASS or MISS, with
# the numbers); writes the same to OUT/scale.md.  A benchmark, never run by
# the tests: run it on a quiet machine.
#
# Usage: bench/scale.sh OUT [SIZE...]
#   OUT   a directory: the corpora (OUT/corpus-SIZE, generated once and
#         reused by later runs), the queries (OUT/queries.txt), the indexes
#         while they are measured, the logs (OUT/logs) and OUT/scale.md
#   SIZE  corpus sizes, bytes with K, M or G (powers of 1000, as gen_corpus
#         reads them): default 256M 1G 4G; 10G too if the disk allows
# Environment:
#   FANOUT_SIZE=1G     the corpus of the fan-out measure (none: no fan-out)
#   FANOUT_ONLY=1      measure the fan-out only (no SIZE given then)
#   BYLINE_BIN=DIR     the programs (default build/release)
#   SERVE_SECONDS=10   how long wrk drives byline-serve at each size
#   QUERY_RUNS=3       query_bench's timed passes over the queries
#   INDEX_MEMORY=SIZE  byline-index --memory (default: its own, 1G)
#   KEEP=1             keep the indexes (default: each is removed once
#                      measured, to free the disk for the next)
#
# Disk: a size needs its corpus and, at the peak of indexing (the final
# merge), several times the text (4G: about 4 GB of text and an index of
# about 12 GB).  The free space under OUT is checked before each index is
# built; one that would not fit is skipped, saying so.  The disk each size
# needed is stated under the table.
#
# Needs wrk and xapian-tcpsrv (xapian-tools); /usr/bin/time (GNU time) for
# the peak RSS of the process, else byline-index's own "peak memory".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/scale.sh OUT [SIZE...] (see the comment at its top)"
command=""
for v in FANOUT_SIZE FANOUT_ONLY BYLINE_BIN SERVE_SECONDS QUERY_RUNS INDEX_MEMORY KEEP; do
    [ -n "${!v:-}" ] && command="$command$v=${!v} "
done
command="${command}bench/scale.sh $*"
die() {
    echo "scale: $*" >&2
    exit 2
}
say() { echo "scale: $*" >&2; }
[ $# -ge 1 ] || die "$usage"
out=$1
shift
only=${FANOUT_ONLY:-0}
if [ "$only" = 1 ]; then
    [ $# -eq 0 ] || die "FANOUT_ONLY=1 measures the fan-out only: no SIZE ($usage)"
else
    [ $# -gt 0 ] || set -- 256M 1G 4G
fi
fanout=${FANOUT_SIZE:-1G}
[ "$fanout" != none ] || [ "$only" != 1 ] ||
    die "FANOUT_ONLY=1 with FANOUT_SIZE=none measures nothing ($usage)"
bin=${BYLINE_BIN:-$top/build/release}
secs=${SERVE_SECONDS:-10}
runs=${QUERY_RUNS:-3}
keep=${KEEP:-0}
memory=${INDEX_MEMORY:-}

# bytes SIZE: SIZE (K, M, G: powers of 1000, as gen_corpus reads them) in
# bytes; fails on anything else.
bytes() {
    awk -v s="$1" 'BEGIN {
        if (s !~ /^[0-9]+(\.[0-9]+)?[KkMmGg]?$/) exit 1
        n = s + 0; u = substr(s, length(s))
        if (u ~ /[Kk]/) n *= 1e3
        else if (u ~ /[Mm]/) n *= 1e6
        else if (u ~ /[Gg]/) n *= 1e9
        printf "%.0f\n", n
    }'
}
for s in "$@" "$fanout"; do
    [ "$s" = none ] && [ "$s" = "$fanout" ] && continue
    bytes "$s" >/dev/null || die "not a size: $s ($usage)"
done
case "$secs$runs" in
*[!0-9]*) die "SERVE_SECONDS and QUERY_RUNS are whole numbers" ;;
esac
# The sizes, smallest first.
sizes=()
while read -r _ s; do sizes+=("$s"); done < <(
    for s in "$@"; do echo "$(bytes "$s") $s"; done | sort -n -u -k1,1)
[ "$only" = 1 ] && sizes=()

for p in byline-index byline-serve bench/query_bench bench/gen_corpus; do
    [ -x "$bin/$p" ] || die "no $bin/$p (cmake --build $bin --target query_bench gen_corpus)"
done
command -v wrk >/dev/null || die "needs wrk (apt-get install wrk)"
command -v xapian-tcpsrv >/dev/null || die "needs xapian-tcpsrv (apt-get install xapian-tools)"
timer=""
[ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null && timer=/usr/bin/time
mkdir -p "$out/logs" || die "cannot make $out"
out=$(cd "$out" && pwd)
logs=$out/logs
queries=$out/queries.txt

# Every process started here is stopped on the way out, Ctrl-C included:
# the program being waited for (its process group: run() starts it in a
# session of its own), the disk sampler, byline-serve, the xapian-tcpsrv.
cur="" spl="" spid=""
tpids=()
cleanup() {
    local i=0
    # (A second signal must not cut the cleanup short: a Ctrl-C, or
    # timeout(1), signals the whole process group as well as the script.)
    trap '' INT TERM HUP
    if [ -n "$cur" ]; then
        kill -TERM -- "-$cur" 2>/dev/null
        wait "$cur" 2>/dev/null
        # GNU time ends at once, byline-index at its next commit: the index
        # is removed once the whole group is gone (10 s at most).
        while kill -0 -- "-$cur" 2>/dev/null && [ "$i" -lt 100 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        kill -0 -- "-$cur" 2>/dev/null && kill -KILL -- "-$cur"
    fi
    [ -n "$spl" ] && kill "$spl" 2>/dev/null
    [ -n "$spid" ] && kill "$spid" 2>/dev/null
    for p in ${tpids[@]+"${tpids[@]}"}; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    [ "$keep" = 1 ] || rm -rf "$out"/index-* "$out"/fanout-*
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# run COMMAND...: run COMMAND in a session of its own and wait for it
# (so that a signal to the script ends it, and cleanup can end its whole
# group); returns its status.
run() {
    local st
    setsid "$@" &
    cur=$!
    wait "$cur"
    st=$?
    cur=""
    return "$st"
}

# A port nobody listens on, outside the ephemeral ports (tools/free_port.sh).
free_port() {
    "$top/tools/free_port.sh"
}
# up PORT PID SECONDS: until something listens on PORT while PID lives.
up() {
    local i=0
    while [ "$i" -lt $(($3 * 10)) ]; do
        kill -0 "$2" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# calc FORMAT EXPRESSION: EXPRESSION (numbers and operators) printed by
# awk (in parentheses: a bare ">" there would write to a file).
calc() { awk "BEGIN { printf \"$1\", ($2) }"; }
gb() { calc "%.3f" "$1 / 1e9"; }

# The queries: 200, made from the words gen_corpus writes (its common
# words, names, places, and generated words of two or three syllables),
# one to three words each.  Deterministic: a Park-Miller generator, not
# awk's rand(), whose sequence differs from one awk to another.
awk 'function rnd(n) {
        x = (x * 16807) % 2147483647
        return int(x / 2147483647 * n)
    }
    BEGIN {
        x = 20261205
        nc = split("government market company minister police officials " \
            "people city state report week million billion prices shares " \
            "bank talks court election president council workers union " \
            "strike storm flood fire health hospital school vote budget " \
            "trade oil energy water river port harbor ship train airport " \
            "bridge road museum team match season coach players record " \
            "crowd told added according spokesman statement agreement " \
            "plan deal rise fall growth inflation rates investors profit " \
            "sales quarter jobs cuts year percent new last", common, " ")
        nn = split("marta vance tom hale jonah reyes priya natarajan elena " \
            "sorokina kenji watanabe ines barros omar haddad grace wanjiru " \
            "lucia montes anya petrova ravi dunmore sandmouth eastham pine " \
            "hollow northfield kestrel island brindle marlow ridge villa " \
            "seca westbridge skarra", names, " ")
        split("ba ro ten mi ka lor dis per con tra vel sta mon ga rel fi",
              syl, " ")
        for (q = 0; q < 200; q++) {
            r = rnd(100)
            nw = r < 35 ? 1 : r < 75 ? 2 : 3
            line = ""
            for (w = 0; w < nw; w++) {
                r = rnd(100)
                if (r < 50) {
                    word = common[1 + rnd(nc)]
                } else if (r < 65) {
                    word = names[1 + rnd(nn)]
                } else {
                    # As gen_corpus spells an id: its last syllable is
                    # never the first of the list ("ba").
                    word = ""
                    ns = 2 + rnd(2)
                    for (k = 1; k <= ns; k++)
                        word = word syl[k < ns ? 1 + rnd(16) : 2 + rnd(15)]
                }
                line = line (w ? " " : "") word
            }
            print line
        }
    }' >"$queries"

# wrk's requests: the queries in turn, each thread from its own place, 10
# hits with a passage each (as the page shows them).
lua=$logs/queries.lua
cat >"$lua" <<EOF
local queries = {}
for line in io.lines([[$queries]]) do
  if line ~= "" then
    queries[#queries + 1] = line:gsub("[^%w ]", function(c)
      return string.format("%%%02X", string.byte(c)) end):gsub(" ", "+")
  end
end
local threads = 0
function setup(thread)
  thread:set("first", threads * 53)
  threads = threads + 1
end
local i = 0
function init(args)
  i = first or 0
end
function request()
  i = i + 1
  return wrk.format("GET", "/api/v1/search?q=" .. queries[i % #queries + 1]
                    .. "&limit=10&passages=1")
end
EOF

# corpus SIZE: generate the corpus of SIZE into OUT/corpus-SIZE unless it
# is there (a finished one: it is written aside and renamed).
corpus() {
    local dir=$out/corpus-$1
    [ -d "$dir" ] && return 0
    say "$1: generating the corpus"
    rm -rf "$dir.part"
    run "$bin/bench/gen_corpus" --format jsonl "$1" "$dir.part" 2>"$logs/corpus-$1.log" ||
        die "gen_corpus $1: $(cat "$logs/corpus-$1.log")"
    mv "$dir.part" "$dir"
}
text_bytes() { find "$1" -type f -printf '%s\n' | awk '{ n += $1 } END { printf "%.0f\n", n }'; }

# A size needs its corpus (if not yet there) and the peak of its index:
# PEAK_FACTOR times the text (6.5 until a size has been measured, then the
# largest seen and 10% more).
peak_factor=6.5
# fits WHAT CORPUS-DIR TEXT-BYTES: whether the disk under OUT holds that;
# sets NEED and AVAIL (bytes).
fits() {
    local have=0
    [ -d "$2" ] && have=1
    NEED=$(calc "%.0f" "($have ? 0 : $3) + $3 * $peak_factor")
    AVAIL=$(df -B1 --output=avail "$out" | tail -1 | tr -d ' ')
    [ "$NEED" -le "$AVAIL" ] && return 0
    say "$1: needs about $(gb "$NEED") GB of disk, $(gb "$AVAIL") GB free under $out: skipped"
    return 1
}

# sample DIR FILE: the bytes under DIR every 0.5 s, a line each in FILE.
sample() {
    while :; do
        du -sb "$1" 2>/dev/null | cut -f1 >>"$2"
        sleep 0.5
    done
}

# build CORPUS-DIR INDEX-DIR NAME [OPTION...]: index CORPUS-DIR from
# scratch into INDEX-DIR with byline-index (OPTIONs added), timed, its disk
# use sampled.  Sets SECS, RSS (MB), PEAK and SIZE (bytes), ARTICLES, CPU
# (its share, from GNU time: a sign of other work on the machine).
build() {
    local corpus=$1 dir=$2 log=$logs/$3 t0 t1 st
    shift 3
    rm -rf "$dir"
    : >"$log.du"
    sample "$dir" "$log.du" &
    spl=$!
    t0=$(date +%s.%N)
    local -a cmd=("$bin/byline-index")
    [ -n "$timer" ] && cmd=("$timer" -v -o "$log.time" "$bin/byline-index")
    [ -n "$memory" ] && cmd+=(--memory "$memory")
    run "${cmd[@]}" "$@" -d "$dir" "$corpus" 2>"$log.log"
    st=$?
    t1=$(date +%s.%N)
    kill "$spl" 2>/dev/null
    wait "$spl" 2>/dev/null
    spl=""
    [ "$st" -eq 0 ] || die "byline-index on $corpus failed ($st): $(tail -5 "$log.log")"
    SIZE=$(du -sb "$dir" | cut -f1)
    echo "$SIZE" >>"$log.du"
    PEAK=$(sort -n "$log.du" | tail -1)
    SECS=$(calc "%.1f" "$t1 - $t0")
    ARTICLES=$(sed -n 's/.*: \([0-9]*\) articles indexed.*/\1/p' "$log.log")
    RSS=""
    [ -n "$timer" ] && RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.time")
    [ -n "$RSS" ] || RSS=$(sed -n 's/.*peak memory \([0-9]*\) MB.*/\1/p' "$log.log")
    RSS=${RSS:-0}
    CPU=""
    [ -n "$timer" ] && CPU=$(sed -n 's/.*Percent of CPU this job got: //p' "$log.time")
}

# latency INDEX NAME: query_bench over the queries, Byline's search (top
# 10, no passages), single thread.  Sets P50 P95 P99 (ms) and QERR.
latency() {
    local log=$logs/$2.query
    run "$bin/bench/query_bench" --only byline --runs "$runs" "$1" "$queries" \
        >"$log" 2>&1 || die "query_bench on $1 failed: $(cat "$log")"
    read -r P50 P95 P99 QERR < <(awk '/^byline \(no passages\)/ { print $4, $5, $6, $10 }' "$log")
    [ -n "${QERR:-}" ] || die "query_bench on $1: no result line: $(cat "$log")"
}

# serve INDEX NAME: byline-serve on INDEX, wrk at 8 clients for
# SERVE_SECONDS.  Sets S50 S99 (ms), RPS and BAD (failed requests).
serve() {
    local log=$logs/$2 port tries=0
    while :; do
        port=$(free_port)
        "$bin/byline-serve" -d "$1" -l "127.0.0.1:$port" >"$log.serve.log" 2>&1 &
        spid=$!
        up "$port" "$spid" 120 && break
        kill "$spid" 2>/dev/null
        wait "$spid" 2>/dev/null
        spid=""
        tries=$((tries + 1))
        [ "$tries" -lt 5 ] || die "byline-serve on $1 did not start: $(cat "$log.serve.log")"
    done
    run wrk -t 2 -c 8 -d "${secs}s" --latency -s "$lua" "http://127.0.0.1:$port" \
        >"$log.wrk" 2>&1 || die "wrk failed: $(cat "$log.wrk")"
    kill "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
    spid=""
    # wrk's latencies carry their unit (us, ms, s, m): in ms.
    read -r S50 S99 RPS BAD < <(awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            return v * 1000
        }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec/ { rps = $2 }
        /Non-2xx/ { bad += $NF }
        /Socket errors/ { gsub(",", ""); bad += $4 + $6 + $8 + $10 }
        END { printf "%.2f %.2f %.0f %d\n", p50, p99, rps, bad }' "$log.wrk")
}

# tcpsrv PART...: serve the PARTs (one shard) with one xapian-tcpsrv on a
# free port of loopback, in a session of its own (it answers SIGTERM by
# signalling its whole process group, which would otherwise be this
# script's).  Sets PORT; its pid joins tpids.
tcpsrv() {
    local tries=0 pid
    while :; do
        PORT=$(free_port)
        setsid xapian-tcpsrv --port "$PORT" --interface 127.0.0.1 --quiet "$@" \
            >/dev/null 2>&1 &
        pid=$!
        up "$PORT" "$pid" 30 && break
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        tries=$((tries + 1))
        [ "$tries" -lt 5 ] || die "xapian-tcpsrv $* did not start"
    done
    tpids+=("$pid")
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(load)
date_start=$(date -u '+%Y-%m-%d %H:%M UTC')
say "disk: $(gb "$(df -B1 --output=avail "$out" | tail -1 | tr -d ' ')") GB free under $out"

# The sizes, one after the other.
declare -A R
measured=()
notes=()
for s in "${sizes[@]}"; do
    b=$(bytes "$s")
    fits "$s" "$out/corpus-$s" "$b" || {
        notes+=("$s: skipped: it needs about $(gb "$NEED") GB of disk and $(gb "$AVAIL") GB were free")
        continue
    }
    corpus "$s"
    tb=$(text_bytes "$out/corpus-$s")
    say "$s: indexing $(calc "%.1f" "$tb / 1e6") MB"
    build "$out/corpus-$s" "$out/index-$s" "index-$s"
    say "$s: $SECS s, peak RSS $RSS MB, peak disk $(gb "$PEAK") GB, index $(gb "$SIZE") GB; querying"
    latency "$out/index-$s" "index-$s"
    say "$s: p50/p95/p99 $P50/$P95/$P99 ms; byline-serve at 8 clients for $secs s"
    serve "$out/index-$s" "index-$s"
    say "$s: byline-serve p50 $S50 ms, p99 $S99 ms, $RPS req/s, $BAD failed"
    R[$s]="$tb $SECS $RSS $PEAK $SIZE $P50 $P95 $P99 $QERR $S50 $S99 $RPS $BAD $ARTICLES"
    measured+=("$s")
    notes+=("$s: $ARTICLES articles; byline-index had ${CPU:-?} of the CPU ($(nproc) cores: $(($(nproc) * 100))% at most); the disk it needed: $(gb "$tb") GB of text and $(gb "$PEAK") GB at the peak of its index, $(gb "$((tb + PEAK))") GB in all")
    [ "$QERR" = 0 ] || notes+=("$s: query_bench counted $QERR failed searches (see $logs/index-$s.query)")
    [ "$BAD" = 0 ] || notes+=("$s: wrk counted $BAD failed requests (see $logs/index-$s.wrk)")
    peak_factor=$(awk -v f="$peak_factor" -v p="$PEAK" -v t="$tb" -v n="${#measured[@]}" \
        'BEGIN { g = p / t * 1.1; printf "%.2f", (n == 1 || g > f) ? g : f }')
    [ "$keep" = 1 ] || rm -rf "$out/index-$s"
done

# The fan-out: the FANOUT_SIZE corpus as 1, 2 and 4 shards, each searched
# with its shards opened locally (the index's own stub) and served by one
# xapian-tcpsrv each on loopback (a stub of "remote" lines).
declare -A F
fanned=()
fb=0
[ "$fanout" = none ] || fb=$(bytes "$fanout")
for n in 1 2 4; do
    [ "$fanout" != none ] || break
    fits "fan-out $n shards" "$out/corpus-$fanout" "$fb" || {
        notes+=("fan-out, $n shards: skipped: it needs about $(gb "$NEED") GB of disk and $(gb "$AVAIL") GB were free")
        continue
    }
    corpus "$fanout"
    tb=$(text_bytes "$out/corpus-$fanout")
    idx=$out/fanout-$n
    say "fan-out: $fanout as $n shard(s): indexing"
    build "$out/corpus-$fanout" "$idx" "fanout-$n" --shards "$n"
    latency "$idx" "fanout-$n-local"
    l50=$P50 l95=$P95 l99=$P99 lerr=$QERR
    # One xapian-tcpsrv per shard, serving its parts ("auto s<K>-<seq>"
    # lines of the index's stub).
    stub=$out/fanout-$n-remote
    rm -rf "$stub"
    mkdir -p "$stub"
    parts=0
    for k in $(seq 0 $((n - 1))); do
        mapfile -t dirs < <(awk -v p="s$k-" -v d="$idx/" '
            $1 == "auto" && index($2, p) == 1 { print (substr($2, 1, 1) == "/" ? "" : d) $2 }' "$idx/XAPIANDB")
        [ "${#dirs[@]}" -gt 0 ] || die "$idx/XAPIANDB lists no part of shard $k: $(cat "$idx/XAPIANDB")"
        parts=$((parts + ${#dirs[@]}))
        tcpsrv "${dirs[@]}"
        echo "remote 127.0.0.1:$PORT" >>"$stub/XAPIANDB"
    done
    say "fan-out: $n shard(s) ($parts parts): local p50/p95/p99 $l50/$l95/$l99 ms; over loopback"
    latency "$stub" "fanout-$n-remote"
    for p in "${tpids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${tpids[@]}"; do wait "$p" 2>/dev/null; done
    tpids=()
    say "fan-out: $n shard(s): loopback p50/p95/p99 $P50/$P95/$P99 ms"
    F[$n]="$SECS $(calc "%.2f" "$tb / 1e6 / $SECS") $parts $l50 $l95 $l99 $P50 $P95 $P99 $RSS $PEAK $SIZE"
    fanned+=("$n")
    [ "$lerr" = 0 ] && [ "$QERR" = 0 ] ||
        notes+=("fan-out, $n shards: query_bench counted $lerr (local) and $QERR (loopback) failed searches")
    [ "$keep" = 1 ] || rm -rf "$idx" "$stub"
done

# The report.
report() {
    local s n f rss_from="byline-index's summary line"
    [ -n "$timer" ] && rss_from="GNU time"
    echo "# How cost grows: byline-index, query_bench, byline-serve"
    echo
    echo "- date: $date_start"
    echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) of memory"
    echo "- load average: $load_start at the start, $(load) at the end (other work on the machine makes the figures noisy)"
    echo "- commit: $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$top" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes in the tree)')"
    echo "- compiler: $(cc --version 2>/dev/null | head -1); $("$bin/byline-index" --version | head -1)"
    echo "- command: \`$command\`"
    echo "- settings: corpora from gen_corpus --format jsonl; byline-index --memory ${memory:-1G (its default)}, $(nproc) threads (its default); ${#sizes[@]} sizes; queries: $(wc -l <"$queries") of 1 to 3 words ($queries), query_bench --only byline --runs $runs (top 10, no passages, single thread, after a warm-up); byline-serve (its defaults) under wrk -t 2 -c 8 for $secs s, 10 hits with a passage each; peak RSS from $rss_from; peak disk: du -sb of the index every 0.5 s and at the end (a lower bound: a peak between two samples is missed)"
    echo
    echo "| size | text MB | index s | MB/s | peak RSS MB | peak disk GB | index GB | index/text | query p50 / p95 / p99 ms | serve@8 p50 / p99 ms | serve@8 req/s |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for s in ${measured[@]+"${measured[@]}"}; do
        echo "$s ${R[$s]}" | awk '{
            printf "| %s | %.1f | %.1f | %.2f | %d | %.3f | %.3f | %.2fx | %.3f / %.3f / %.3f | %.2f / %.2f | %.0f |\n",
                $1, $2 / 1e6, $3, $2 / 1e6 / $3, $4, $5 / 1e9, $6 / 1e9,
                $6 / $2, $7, $8, $9, $11, $12, $13 }'
    done
    echo
    if [ "$fanout" != none ]; then
        echo "Fan-out: the $fanout corpus as N shards (byline-index --shards N), query_bench with the shards opened locally and served by N xapian-tcpsrv on loopback through a stub of \"remote\" lines:"
        echo
        echo "| shards | parts | index s | MB/s | local p50 / p95 / p99 ms | loopback p50 / p95 / p99 ms | loopback / local p50 / p95 / p99 |"
        echo "|---|---|---|---|---|---|---|"
        for n in ${fanned[@]+"${fanned[@]}"}; do
            echo "$n ${F[$n]}" | awk '{
                printf "| %d | %d | %.1f | %.2f | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f | %.2fx / %.2fx / %.2fx |\n",
                    $1, $4, $2, $3, $5, $6, $7, $8, $9, $10,
                    $8 / $5, $9 / $6, $10 / $7 }'
        done
        echo
    fi
    for f in ${notes[@]+"${notes[@]}"}; do echo "- $f"; done
    echo
    echo "Targets:"
    echo
    targets
}

# verdict OK: PASS or MISS.
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }
# field SIZE N: the Nth number of the results of SIZE (1: text bytes).
field() {
    local a
    read -ra a <<<"${R[$1]}"
    echo "${a[$(($2 - 1))]}"
}
targets() {
    local nm=${#measured[@]} small large x y budget worst s n r where
    local max_rss=0 r50 r99
    local -a f
    if [ "$nm" -lt 2 ]; then
        echo "- MB/s and query p99 against size: not checked (fewer than two sizes measured)"
    else
        small=${measured[0]} large=${measured[$((nm - 1))]}
        x=$(calc "%.2f" "$(field "$small" 1) / 1e6 / $(field "$small" 2)")
        y=$(calc "%.2f" "$(field "$large" 1) / 1e6 / $(field "$large" 2)")
        echo "- $(verdict "$(calc "%d" "$y >= 0.8 * $x")") indexing MB/s at $large within 20% of that at $small: $y against $x MB/s ($(calc "%+.0f" "($y / $x - 1) * 100")%)"
    fi
    # byline-index reads --memory's K, M, G as powers of 1024.
    budget=$(awk -v s="${memory:-1G}" 'BEGIN {
        n = s + 0; u = substr(s, length(s))
        if (u ~ /[Kk]/) n *= 1024
        else if (u ~ /[Mm]/) n *= 1048576
        else if (u ~ /[Gg]/) n *= 1073741824
        printf "%.0f", n / 1048576
    }')
    where=""
    for s in ${measured[@]+"${measured[@]}"}; do
        r=$(field "$s" 3)
        [ "$r" -gt "$max_rss" ] && max_rss=$r where=$s
    done
    for n in ${fanned[@]+"${fanned[@]}"}; do
        read -ra f <<<"${F[$n]}"
        [ "${f[9]}" -gt "$max_rss" ] && max_rss=${f[9]} where="$fanout as $n shards"
    done
    [ -n "$where" ] &&
        echo "- $(verdict "$(calc "%d" "$max_rss <= $budget")") peak RSS within byline-index's --memory budget, $budget MB (--memory ${memory:-1G, its default}): at most $max_rss MB (at $where)"
    worst=0 where=""
    for s in ${measured[@]+"${measured[@]}"}; do
        r=$(calc "%.2f" "$(field "$s" 4) / $(field "$s" 5)")
        [ "$(calc "%d" "$r > $worst")" = 1 ] && worst=$r where=$s
    done
    for n in ${fanned[@]+"${fanned[@]}"}; do
        read -ra f <<<"${F[$n]}"
        r=$(calc "%.2f" "${f[10]} / ${f[11]}")
        [ "$(calc "%d" "$r > $worst")" = 1 ] && worst=$r where="$fanout as $n shards"
    done
    [ -n "$where" ] &&
        echo "- $(verdict "$(calc "%d" "$worst <= 2")") peak disk during a run at most 2x the final index: at most ${worst}x (at $where)"
    if [ "$nm" -ge 2 ]; then
        # 4G against 1G when both were measured, else the largest size
        # against the next smaller one.
        large=${measured[$((nm - 1))]} small=${measured[$((nm - 2))]}
        if [ -n "${R[4G]:-}" ] && [ -n "${R[1G]:-}" ]; then
            large=4G small=1G
        fi
        x=$(field "$small" 8) y=$(field "$large" 8)
        echo "- $(verdict "$(calc "%d" "$y <= 3 * $x")") query p99 at $large at most 3x that at $small: $y against $x ms ($(calc "%.2f" "$y / $x")x, for $(calc "%.1f" "$(field "$large" 1) / $(field "$small" 1)")x the text)"
    fi
    if [ -n "${F[4]:-}" ]; then
        read -ra f <<<"${F[4]}"
        r50=$(calc "%.2f" "${f[6]} / ${f[3]}")
        r99=$(calc "%.2f" "${f[8]} / ${f[5]}")
        echo "- $(verdict "$(calc "%d" "$r50 <= 1.5 && $r99 <= 1.5")") 4 shards over loopback at most 1.5x the latency of the same shards opened locally: p50 ${f[6]} against ${f[3]} ms (${r50}x), p99 ${f[8]} against ${f[5]} ms (${r99}x)"
    else
        echo "- 4 shards over loopback against local: not checked (not measured)"
    fi
}

report | tee "$out/scale.md"
