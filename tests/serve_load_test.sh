#!/bin/sh
# A cheap search is answered promptly beside expensive ones: runs
# bench/serve_expensive.sh on Reuters-21578 for a few seconds and fails
# if a one-word search took more than 3 s while four clients sent the most
# expensive searches the limits let through (the benchmark gives the real
# figures: a few ms), or if any request failed other than as 503 busy.
# Skipped (77) without ../shared/corpora.
# Usage: serve_load_test.sh BIN-DIR SOURCE-DIR
set -u
bin=$1 top=$2
corpus=$top/../shared/corpora/reuters21578
if [ ! -d "$corpus" ]; then
    echo "serve_load_test: skip: $corpus is not there (../shared/corpora)"
    exit 77
fi
command -v curl >/dev/null || { echo "serve_load_test: FAIL: curl is not installed" >&2; exit 1; }
BYLINE_BIN=$bin CHECK=3 "$top/bench/serve_expensive.sh" "$corpus" 3 || exit 1

# The time limit ends a match that runs past it (Xapian's own time limit
# only stops the counting): --max-query-ms 1 on an expensive search is a
# 422 naming the limit, on the API and the page; the server stays up.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-load-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$bin/byline-index" -q --db "$tmp/db" "$corpus" 2>/dev/null
port=$("$top/tools/free_port.sh") || exit 1
"$bin/byline-serve" --db "$tmp/db" --listen "127.0.0.1:$port" --max-query-ms 1 2>/dev/null &
pid=$!
for i in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/stats" && break
    sleep 0.1
done
fails=0
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/search?q=s*+c*+p*+m*+t*&expand=rm3&sort=date")
if [ "$code" != 422 ] || ! grep -q '"limit":"max-query-ms","value":1' "$tmp/body"; then
    echo "serve_load_test: FAIL: past --max-query-ms: $code $(head -c 300 "$tmp/body")" >&2
    fails=1
fi
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "http://127.0.0.1:$port/?q=s*+c*+p*+m*+t*&sort=date")
if [ "$code" != 422 ] || ! grep -q 'took longer than its time' "$tmp/body"; then
    echo "serve_load_test: FAIL: the page past --max-query-ms: $code" >&2
    fails=1
fi
grep -q '/tmp\|/work' "$tmp/body" && { echo "serve_load_test: FAIL: a server path in the answer" >&2; fails=1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/stats")
[ "$code" = 200 ] || { echo "serve_load_test: FAIL: the server is gone ($code)" >&2; fails=1; }
[ "$fails" -eq 0 ] && echo "serve_load_test: the time limit ends a long match: 422"
exit "$fails"
