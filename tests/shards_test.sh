#!/bin/bash
# Past one machine, on loopback: the sample corpus as three shards built
# apart (byline-index --shard-of K/3, at once), each served by its own
# xapian-tcpsrv, searched through a stub of remote shards exactly as one
# local index of the whole corpus (the same runs, byte for byte: ids and
# scores; facets; expansion); byline-serve over the stub (search, page,
# article, similar, export, feed, stats); one shard stopped: a partial
# answer said so (stderr and exit 3, JSON "shards", the page's banner), a
# TREC run and an export refused; the shard back on its port: used again,
# with no restart; an update reaching the remote search and a replica
# (xapian-replicate of the shard's "current").  Skipped (77) without
# xapian-tcpsrv.
#
# Usage: shards_test.sh BYLINE-INDEX BYLINE-SEARCH BYLINE-SERVE CORPUS DATA
set -u
INDEX=$1 SEARCH=$2 SERVE=$3 CORPUS=$4 DATA=$5
if ! command -v xapian-tcpsrv >/dev/null; then
    echo "shards_test: xapian-tcpsrv (xapian-tools) is not installed: skipped"
    exit 77
fi
command -v curl >/dev/null || { echo "shards_test: FAIL: curl is not installed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-shards-XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# A port nobody listens on, outside the ephemeral ports (tools/free_port.sh).
free_port() {
    "$(dirname "$0")/../tools/free_port.sh"
}
# up PORT: until something listens on PORT (5 s at most).
up() {
    local i
    for i in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
# tcpsrv K PORT: serve shard K on PORT (its pid in TCPSRV[K]).
declare -a TCPSRV
tcpsrv() {
    local i
    for i in $(seq 30); do
        # (In a session of its own: xapian-tcpsrv answers SIGTERM by
        # signalling its whole process group.)
        setsid xapian-tcpsrv --port "$2" --interface 127.0.0.1 --quiet \
            "$tmp/s$1" >/dev/null 2>&1 &
        TCPSRV[$1]=$!
        pids+=("$!")
        up "$2" && kill -0 "${TCPSRV[$1]}" 2>/dev/null && return 0
        sleep 0.2 # (The port may still be held by the last one.)
    done
    return 1
}

# The whole corpus as one index, and as three shards built at once.
corpus=("$CORPUS" "$DATA/jsonl" "$DATA/sgml")
"$INDEX" -d "$tmp/whole" "${corpus[@]}" 2>"$tmp/whole.log"
whole_n=$(sed -n 's/.*: \([0-9]*\) articles indexed.*/\1/p' "$tmp/whole.log")
[ -n "$whole_n" ] && [ "$whole_n" -gt 30 ] || fail "the whole index: $(cat "$tmp/whole.log")"
for k in 0 1 2; do
    "$INDEX" --shard-of "$k/3" -d "$tmp/s$k" "${corpus[@]}" 2>"$tmp/s$k.log" &
    pids+=("$!")
done
wait "${pids[@]}"
pids=()
sum=0
for k in 0 1 2; do
    n=$(sed -n 's/.*: \([0-9]*\) articles indexed.*/\1/p' "$tmp/s$k.log")
    other=$(sed -n 's/.*: \([0-9]*\) articles of the other shards left out.*/\1/p' "$tmp/s$k.log")
    [ -n "$n" ] && [ -n "$other" ] || { fail "shard $k: $(cat "$tmp/s$k.log")"; continue; }
    [ $((n + other)) -eq "$whole_n" ] || fail "shard $k: $n + $other articles, not $whole_n"
    [ "$n" -gt 0 ] || fail "shard $k is empty"
    sum=$((sum + n))
done
[ "$sum" -eq "$whole_n" ] || fail "the shards hold $sum articles, the whole index $whole_n"
# Another K/N on a shard is refused; an incremental run keeps its own.
if "$INDEX" --shard-of 1/3 -d "$tmp/s0" "${corpus[@]}" 2>"$tmp/refused.log"; then
    fail "--shard-of 1/3 on shard 0/3 was accepted"
fi
grep -q "shard 0/3" "$tmp/refused.log" || fail "the refusal does not say which shard: $(cat "$tmp/refused.log")"
"$INDEX" -d "$tmp/s0" "${corpus[@]}" 2>"$tmp/again.log" ||
    fail "an incremental run of shard 0: $(cat "$tmp/again.log")"
grep -q "0 articles indexed" "$tmp/again.log" || fail "an unchanged corpus was indexed again: $(cat "$tmp/again.log")"

# Each shard served by its own xapian-tcpsrv; a stub lists them.
declare -a PORT
mkdir "$tmp/remote"
for k in 0 1 2; do
    PORT[$k]=$(free_port)
    tcpsrv "$k" "${PORT[$k]}" || fail "xapian-tcpsrv for shard $k did not start"
    echo "remote 127.0.0.1:${PORT[$k]}" >>"$tmp/remote/XAPIANDB"
done

# The same runs as the whole index, byte for byte (ids, ranks, scores).
queries=(harbor "council budget" "strike OR storm" "title:harbor" "fish*"
    '"city council"' "harbor date:2017..2024" "+police -fire" "pilots NEAR/6 strike")
for q in "${queries[@]}"; do
    "$SEARCH" -d "$tmp/whole" --format trec -n 1000 -- "$q" >"$tmp/w.run" 2>&1
    "$SEARCH" -d "$tmp/remote" --format trec -n 1000 -- "$q" >"$tmp/r.run" 2>&1
    [ -s "$tmp/w.run" ] || fail "$q: the whole index found nothing"
    cmp -s "$tmp/w.run" "$tmp/r.run" ||
        fail "$q: the remote shards rank otherwise: $(diff "$tmp/w.run" "$tmp/r.run" | head -5)"
done
for opts in "--expand" "--expand=bo1" "--duplicates collapse"; do
    # shellcheck disable=SC2086
    "$SEARCH" -d "$tmp/whole" --format trec $opts harbor strike >"$tmp/w.run" 2>&1
    # shellcheck disable=SC2086
    "$SEARCH" -d "$tmp/remote" --format trec $opts harbor strike >"$tmp/r.run" 2>&1
    cmp -s "$tmp/w.run" "$tmp/r.run" ||
        fail "$opts: the remote shards rank otherwise: $(diff "$tmp/w.run" "$tmp/r.run" | head -5)"
done
"$SEARCH" -d "$tmp/whole" --format json --facets year,author,source,category harbor |
    grep '"facets"' >"$tmp/w.facets"
"$SEARCH" -d "$tmp/remote" --format json --facets year,author,source,category harbor |
    grep '"facets"' >"$tmp/r.facets"
[ -s "$tmp/w.facets" ] && cmp -s "$tmp/w.facets" "$tmp/r.facets" ||
    fail "the facets differ: $(cat "$tmp/w.facets" "$tmp/r.facets")"
"$SEARCH" -d "$tmp/remote" --format json harbor | tail -1 >"$tmp/line"
grep -q '^{"shards":{"total":3,"failed":\[\]}}$' "$tmp/line" ||
    fail "JSON over remote shards ends without its shards line: $(cat "$tmp/line")"

# byline-serve over the stub.
sport=$(free_port)
"$SERVE" -d "$tmp/remote" -l "127.0.0.1:$sport" -j 2 --shard-timeout 2 \
    2>"$tmp/serve.log" &
spid=$!
pids+=("$spid")
up "$sport" || fail "byline-serve over remote shards did not start: $(cat "$tmp/serve.log")"
base="http://127.0.0.1:$sport"
get() { curl -s -o "$tmp/body" -w '%{http_code}' "$base$1"; }
[ "$(get '/api/v1/search?q=harbor&facets=year,source')" = 200 ] || fail "api search: $(cat "$tmp/body")"
grep -q '"shards":{"total":3,"failed":\[\]}' "$tmp/body" || fail "api search: no shards: $(cat "$tmp/body")"
grep -q '"facets":{"year"' "$tmp/body" || fail "api search: no facets"
id=$(sed -n 's/.*"hits":\[{"id":"\([^"]*\)".*/\1/p' "$tmp/body")
[ -n "$id" ] || fail "api search: no hit"
enc=$(printf '%s' "$id" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
[ "$(get "/article/$enc?q=harbor")" = 200 ] || fail "article page over remote shards"
grep -q '<mark>' "$tmp/body" || fail "article page: nothing marked"
[ "$(get "/api/v1/article/$enc?q=harbor")" = 200 ] || fail "api article"
[ "$(get "/api/v1/similar/$enc")" = 200 ] || fail "api similar: $(cat "$tmp/body")"
[ "$(get '/?q=harbor')" = 200 ] || fail "search page"
grep -q 'Partial answer' "$tmp/body" && fail "search page: a banner with every shard up"
[ "$(get '/api/v1/export?q=harbor&format=csv')" = 200 ] || fail "export: $(cat "$tmp/body")"
[ "$(get '/feed?q=harbor')" = 200 ] || fail "feed"
[ "$(get '/api/v1/suggest?q=harbr')" = 200 ] || fail "suggest over remote shards: $(cat "$tmp/body")"
[ "$(get '/api/v1/stats')" = 200 ] || fail "stats"
grep -q '"remote_shards":{"total":3,"failed":\[\]}' "$tmp/body" || fail "stats: $(cat "$tmp/body")"

# Shard 1 stops: partial answers, said so; runs and exports refused.
kill "${TCPSRV[1]}"
wait "${TCPSRV[1]}" 2>/dev/null
down="127.0.0.1:${PORT[1]}"
"$SEARCH" -d "$tmp/remote" harbor >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" -eq 3 ] || fail "a partial answer exits $st, not 3"
grep -q "partial answer: shard $down does not answer" "$tmp/err" ||
    fail "no line names the shard down: $(cat "$tmp/err")"
grep -q "2 of 3 shards searched" "$tmp/err" || fail "the line does not count: $(cat "$tmp/err")"
grep -q '^1\. ' "$tmp/out" || fail "no hits from the shards up"
"$SEARCH" -d "$tmp/remote" --format json harbor 2>/dev/null | tail -1 >"$tmp/line"
grep -q "^{\"shards\":{\"total\":3,\"failed\":\[{\"shard\":\"$down\",\"error\":\"" "$tmp/line" ||
    fail "JSON does not name the shard down: $(cat "$tmp/line")"
"$SEARCH" -d "$tmp/remote" --format trec harbor >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" -eq 2 ] || fail "a TREC run missing a shard exits $st, not 2"
[ -s "$tmp/out" ] && fail "a TREC run missing a shard printed lines"
grep -q "$down does not answer" "$tmp/err" || fail "the refusal does not name the shard: $(cat "$tmp/err")"
printf '1\tharbor\n' >"$tmp/topics"
"$SEARCH" -d "$tmp/remote" --topics "$tmp/topics" >/dev/null 2>&1 && fail "--topics missing a shard succeeded"
[ "$(get '/api/v1/search?q=harbor')" = 200 ] || fail "api search, a shard down: $(cat "$tmp/body")"
grep -q "\"partial\":true" "$tmp/body" || fail "api search: not partial"
grep -q "\"failed\":\[{\"shard\":\"$down\"" "$tmp/body" || fail "api search: the shard down unnamed: $(cat "$tmp/body")"
[ "$(get '/?q=harbor')" = 200 ] || fail "search page, a shard down"
grep -q "Partial answer: 1 of the 3 shards did not answer ($down)" "$tmp/body" ||
    fail "search page: no banner"
grep -q "Download CSV" "$tmp/body" && fail "search page: a link to an export that is refused"
code=$(get '/api/v1/export?q=harbor&format=csv')
[ "$code" = 503 ] || fail "an export missing a shard: $code"
grep -q "$down" "$tmp/body" || fail "the export's refusal does not name the shard: $(cat "$tmp/body")"
[ "$(get '/api/v1/stats')" = 200 ] && grep -q "\"failed\":\[{\"shard\":\"$down\"" "$tmp/body" ||
    fail "stats: the shard down unnamed: $(cat "$tmp/body")"

# Shard 1 back on its port: used again, no restart.
tcpsrv 1 "${PORT[1]}" || fail "xapian-tcpsrv for shard 1 did not start again"
sleep 2.2 # (A shard found down is tried again every 2 s.)
"$SEARCH" -d "$tmp/remote" --format trec -n 1000 harbor >"$tmp/r.run" 2>&1 ||
    fail "shard 1 is back, yet: $(cat "$tmp/r.run")"
"$SEARCH" -d "$tmp/whole" --format trec -n 1000 harbor >"$tmp/w.run" 2>&1
cmp -s "$tmp/w.run" "$tmp/r.run" || fail "shard 1 is back, but the run differs"
for i in 1 2; do # (each of the 2 searchers sees it again)
    [ "$(get '/api/v1/search?q=harbor')" = 200 ] || fail "api search, shard back"
done
grep -q '"shards":{"total":3,"failed":\[\]}' "$tmp/body" ||
    fail "byline-serve does not use shard 1 again: $(cat "$tmp/body")"
kill "$spid"
wait "$spid" 2>/dev/null

# An update: a new article, indexed by the shard it belongs to, reaches
# a search over the remote shards (connections are made anew every 10 s)
# and a replica of that shard (Xapian's replication of the fixed name
# "current", the shard's one part after a run with --one-part).
mkdir "$tmp/masters"
for k in 0 1 2; do
    [ -L "$tmp/s$k/current" ] || fail "shard $k has no link 'current'"
    ln -s "$tmp/s$k/current" "$tmp/masters/s$k"
done
rport=$(free_port)
setsid xapian-replicate-server -p "$rport" -I 127.0.0.1 "$tmp/masters" \
    >"$tmp/replicate.log" 2>&1 &
pids+=("$!")
up "$rport" || fail "xapian-replicate-server did not start"
replicate() { # replicate K: bring $tmp/replica$K up to shard K
    xapian-replicate -h 127.0.0.1 -p "$rport" -m "s$1" -o "$tmp/replica$1" \
        >>"$tmp/replicate.log" 2>&1
}
for k in 0 1 2; do
    replicate "$k" || fail "replicating shard $k: $(cat "$tmp/replicate.log")"
    "$SEARCH" -d "$tmp/s$k" --format trec -n 1000 harbor OR council OR strike >"$tmp/m.run" 2>&1
    "$SEARCH" -d "$tmp/replica$k" --format trec -n 1000 harbor OR council OR strike >"$tmp/c.run" 2>&1
    cmp -s "$tmp/m.run" "$tmp/c.run" || fail "replica $k searches otherwise than shard $k"
done
mkdir "$tmp/news"
printf 'Zebrafinch census\n\nA zebrafinch census counted the birds of the harbor.\n' \
    >"$tmp/news/zebrafinch.txt"
corpus+=("$tmp/news")
owner=""
for k in 0 1 2; do
    "$INDEX" --one-part -d "$tmp/s$k" "${corpus[@]}" 2>"$tmp/update.log" ||
        fail "updating shard $k: $(cat "$tmp/update.log")"
    if grep -q ": 1 articles indexed" "$tmp/update.log"; then
        owner=$k
    fi
done
if [ -z "$owner" ]; then
    fail "no shard took the new article"
else
    replicate "$owner" || fail "replicating the update: $(cat "$tmp/replicate.log")"
    "$SEARCH" -d "$tmp/replica$owner" zebrafinch >"$tmp/out" 2>&1 ||
        fail "the replica of shard $owner does not find the update: $(cat "$tmp/out")"
    for k in 0 1 2; do
        [ "$k" = "$owner" ] && continue
        "$SEARCH" -d "$tmp/replica$k" zebrafinch >/dev/null 2>&1 &&
            fail "replica $k finds an article of shard $owner"
    done
    sleep 10.5
    "$SEARCH" -d "$tmp/remote" zebrafinch >"$tmp/out" 2>&1 ||
        fail "the remote shards do not find the update: $(cat "$tmp/out")"
fi

if [ "$fails" -ne 0 ]; then
    echo "shards_test: $fails failures" >&2
    exit 1
fi
echo "shards_test: three shards built apart and served by xapian-tcpsrv rank as one index; partial answers said so; runs refused; a shard back is used again"
