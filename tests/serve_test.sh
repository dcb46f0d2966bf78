#!/bin/sh
# byline-serve end to end, with curl on the sample corpus: every endpoint,
# every error status, a hostile article rendered as text, indexing while
# serving; with --browser, instead, in a real browser (Debian's chromium,
# headless): the page shows hits with <mark> highlights, a facet's link
# narrows the list, and a screenshot is saved (exit 77, a skip, where
# chromium is missing).
# Usage: serve_test.sh [--browser] BYLINE-SERVE BYLINE-INDEX CORPUS [ARTIFACTS-DIR]
set -u
PART=api
if [ "${1:-}" = --browser ]; then
    PART=browser
    shift
fi
SERVE=$1 INDEX=$2 CORPUS=$3 ART=${4:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-serve-XXXXXX")
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
command -v curl >/dev/null || { echo "serve_test: FAIL: curl is not installed" >&2; exit 1; }

# The sample corpus and a hostile article.
mkdir -p "$tmp/corpus"
cp "$CORPUS"/*.txt "$tmp/corpus/"
cat >"$tmp/corpus/hostile.txt" <<'EOF'
<script>alert('title')</script> Harbor <img src=x onerror=alert(1)> news

<script>alert('body')</script> The harbor <img src=x onerror="alert(2)"> pilots
said <a href="javascript:alert(3)">click</a> and "quotes" & 'apostrophes'.
EOF
printf 'Oil majors talk\n\nTalks went on between the two companies.\n\nBP said on Monday that the talks would go on.\n' >"$tmp/corpus/para-break.txt"
"$INDEX" -q --db "$tmp/db" "$tmp/corpus" || fail "indexing the corpus"

port=$("$(dirname "$0")/../tools/free_port.sh") || exit 1
"$SERVE" --db "$tmp/db" --listen "127.0.0.1:$port" -j 4 --max-wildcard-terms 5 2>"$tmp/serve.log" &
pid=$!
base="http://127.0.0.1:$port"
# wait_up PORT: until a server answers on PORT (5 s at most).
wait_up() {
    for i in $(seq 1 50); do
        curl -s -o /dev/null "http://127.0.0.1:$1/api/v1/stats" && break
        sleep 0.1
    done
}
wait_up "$port"

# get PATH WANT-STATUS: fetch PATH into $tmp/body (headers $tmp/head).
get() {
    code=$(curl -s -D "$tmp/head" -o "$tmp/body" -w '%{http_code}' "$base$1")
    [ "$code" = "$2" ] || fail "GET $1: status $code, want $2: $(head -c 300 "$tmp/body")"
}

# browser_checks: the page in a real browser (Debian's chromium,
# headless): hits with <mark> highlights, a facet's link narrows the
# list, no article script in the DOM, a screenshot.
browser_checks() {
    browser=""
    for b in chromium chromium-browser google-chrome; do
        command -v "$b" >/dev/null && browser=$b && break
    done
    if [ -z "$browser" ]; then
        echo "serve_test: skip: the browser checks need chromium (apt-get install chromium)"
        exit 77
    fi
    flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$tmp/chrome"
    # shellcheck disable=SC2086
    timeout 60 "$browser" $flags --virtual-time-budget=3000 --dump-dom "$base/?q=harbor" >"$tmp/dom.html" 2>/dev/null
    grep -q '<article class="hit">' "$tmp/dom.html" || fail "browser: no hits in the DOM"
    grep -q '<mark>Harbor</mark>\|<mark>harbor</mark>' "$tmp/dom.html" || fail "browser: no <mark> highlights"
    hits=$(grep -o '<article class="hit">' "$tmp/dom.html" | wc -l)
    # The first facet entry's link, as a click follows it: the list narrows.
    link=$(grep -o '<aside[^>]*>.*' "$tmp/dom.html" | grep -o 'href="[^"]*"' | head -1 | sed 's/href="//; s/"$//; s/&amp;/\&/g')
    [ -n "$link" ] || fail "browser: no facet link"
    # shellcheck disable=SC2086
    timeout 60 "$browser" $flags --virtual-time-budget=3000 --dump-dom "$base$link" >"$tmp/dom2.html" 2>/dev/null
    hits2=$(grep -o '<article class="hit">' "$tmp/dom2.html" | wc -l)
    [ "$hits2" -ge 1 ] && [ "$hits2" -le "$hits" ] || fail "browser: the facet did not narrow the list ($hits -> $hits2)"
    grep -q '<script>alert' "$tmp/dom.html" && fail "browser: an article's script is in the DOM"
    shot=${ART:-$tmp}/serve-page.png
    # shellcheck disable=SC2086
    timeout 60 "$browser" $flags --window-size=1200,900 --screenshot="$shot" "$base/?q=harbor+pilots" >/dev/null 2>&1
    [ -s "$shot" ] || fail "browser: no screenshot"
    echo "serve_test: browser: $hits hits, $hits2 after a facet; screenshot $shot"
}

# finish: stop the server (SIGTERM: exit 0) and give the result.
finish() {
    kill "$pid" && wait "$pid"
    st=$?
    pid=""
    [ "$st" -eq 0 ] || fail "SIGTERM: exit $st, want 0"
    if [ "$fails" -eq 0 ]; then
        echo "serve_test: all checks passed"
        exit 0
    fi
    exit 1
}

if [ "$PART" = browser ]; then
    browser_checks
    finish
fi

# --- the API ------------------------------------------------------------------
get "/api/v1/search?q=harbor+pilots&limit=3&facets=year,source" 200
grep -q '"hits":\[{"id":"harbor-pilots-strike.txt"' "$tmp/body" || fail "search: top hit: $(head -c 300 "$tmp/body")"
grep -q '"passages":\[{"text":' "$tmp/body" || fail "search: no passages"
grep -q '"facets":{"year":\[' "$tmp/body" || fail "search: no facets"
grep -qi '^content-type: application/json' "$tmp/head" || fail "search: content type"
get "/api/v1/search?q=harbor&sort=date&match=all&duplicates=show&offset=1&limit=1&passages=0" 200
grep -q '"offset":1,"limit":1' "$tmp/body" || fail "search options: $(head -c 200 "$tmp/body")"
get "/api/v1/search?q=harbor&expand=rm3" 200
# The same objects as byline-search --format json.
"$(dirname "$INDEX")/byline-search" --db "$tmp/db" --format json -n 3 harbor pilots >"$tmp/cli.json"
get "/api/v1/search?q=harbor+pilots&limit=3" 200
first_api=$(sed 's/.*"hits":\[\({"id":"[^"]*","rank":1,"score":[^,]*,"title":"[^"]*"\).*/\1/' "$tmp/body")
first_cli=$(head -1 "$tmp/cli.json" | sed 's/\({"id":"[^"]*","rank":1,"score":[^,]*,"title":"[^"]*"\).*/\1/')
[ "$first_api" = "$first_cli" ] || fail "API and CLI objects differ: $first_api / $first_cli"
get "/api/v1/article/harbor-pilots-strike.txt?q=pilots" 200
grep -q '"body_highlights":\[\[' "$tmp/body" || fail "article: no highlights"
grep -q '"body":"Harbor pilots' "$tmp/body" || fail "article: no text"
get "/api/v1/similar/harbor-pilots-strike.txt?limit=3" 200
grep -q '"like":"harbor-pilots-strike.txt","hits":\[{' "$tmp/body" || fail "similar: $(head -c 200 "$tmp/body")"
grep -q '"id":"harbor-pilots-strike.txt"' "$tmp/body" && fail "similar lists the article itself"
get "/api/v1/suggest?q=harbr+pilots" 200
grep -q '"suggestion":"harbor pilots"' "$tmp/body" || fail "suggest: $(cat "$tmp/body")"
get "/api/v1/stats" 200
grep -q '"articles":[1-9][0-9]*,"shards":1' "$tmp/body" || fail "stats: $(cat "$tmp/body")"
grep -q '"language":"english"' "$tmp/body" || fail "stats: analyzer"

# --- errors ---------------------------------------------------------------------
get "/api/v1/search?q=strike+(pilots" 400
grep -q '"column":8' "$tmp/body" || fail "syntax error: no column: $(cat "$tmp/body")"
get "/api/v1/search" 400
get "/api/v1/search?q=x&limit=100000" 400
get "/api/v1/search?q=x&offset=99999999" 400
get "/api/v1/search?q=x&sort=sideways" 400
get "/api/v1/article/no-such-article" 404
grep -q '"error":{"status":404' "$tmp/body" || fail "404 is not JSON"
get "/api/v1/nothing" 404
get "/no/such/page" 404
get "/../../etc/passwd" 404
get "/api/v1/search?q=$(head -c 2000 /dev/zero | tr '\0' 'a')" 414
# A URL or headers too long for the handler (but within the connection's
# memory): its own 414 and 431, with the security headers, not
# libmicrohttpd's bare answers.
get "/?x=$(head -c 100000 /dev/zero | tr '\0' 'a')" 414
grep -qi '^content-security-policy:' "$tmp/head" || fail "a 414 without the security headers"
grep -q 'too long' "$tmp/body" || fail "a 414 without a page that says why"
head -c 100000 /dev/zero | tr '\0' 'a' | sed 's/^/X-Big: /' >"$tmp/bighead"
code=$(curl -s -D "$tmp/head" -o "$tmp/body" -w '%{http_code}' -H @"$tmp/bighead" "$base/api/v1/stats")
[ "$code" = 431 ] || fail "100 KB of headers: $code, want 431"
grep -qi '^x-frame-options: deny' "$tmp/head" || fail "a 431 without the security headers"
grep -q '"status":431' "$tmp/body" || fail "a 431 on /api/ not in JSON: $(head -c 200 "$tmp/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d 'a=1' "$base/api/v1/search")
[ "$code" = 405 ] || fail "POST: $code, want 405"
code=$(curl -s -o /dev/null -w '%{http_code}' -X GET --data-binary 'abc' "$base/api/v1/search?q=x")
[ "$code" = 413 ] || fail "a body: $code, want 413"
# Without its document cache (--cache-mb 0) the same answers, twice.
"$SERVE" --db "$tmp/db" --listen "127.0.0.1:$((port + 2))" -j 1 --cache-mb 0 2>/dev/null &
nocache=$!
wait_up $((port + 2))
q="/api/v1/search?q=harbor+pilots&limit=5&facets=year"
get "$q" 200
cp "$tmp/body" "$tmp/cached.json"
for i in 1 2; do
    curl -s "http://127.0.0.1:$((port + 2))$q" >"$tmp/uncached.json"
    cmp -s "$tmp/cached.json" "$tmp/uncached.json" || fail "--cache-mb 0: another answer: $(head -c 200 "$tmp/uncached.json")"
done
kill "$nocache"
wait "$nocache" 2>/dev/null
"$SERVE" --db "$tmp/db" --cache-mb lots >/dev/null 2>&1
[ $? -eq 2 ] || fail "--cache-mb lots: not a usage error"
# --listen: an IPv6 address goes in brackets; [::1] is loopback, so a
# foreign Host is a 421 there too.
for bad in "::1:$port" "[::1]$port" "[::1]:" "127.0.0.1:${port}x"; do
    "$SERVE" --db "$tmp/db" --listen "$bad" >/dev/null 2>&1
    [ $? -eq 2 ] || fail "--listen $bad: not a usage error"
done
if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
    "$SERVE" --db "$tmp/db" --listen "[::1]:$((port + 5))" 2>/dev/null &
    v6=$!
    for i in $(seq 1 50); do
        curl -gs -o /dev/null "http://[::1]:$((port + 5))/api/v1/stats" && break
        sleep 0.1
    done
    code=$(curl -gs -o /dev/null -w '%{http_code}' "http://[::1]:$((port + 5))/api/v1/stats")
    [ "$code" = 200 ] || fail "--listen [::1]: status $code, want 200"
    code=$(curl -gs -o /dev/null -w '%{http_code}' -H 'Host: rebound.example' "http://[::1]:$((port + 5))/api/v1/stats")
    [ "$code" = 421 ] || fail "--listen [::1], a foreign Host: status $code, want 421"
    kill "$v6"
    wait "$v6" 2>/dev/null
else
    echo "serve_test: no IPv6 loopback: --listen [::1] not tried"
fi
# A shard that cannot be reached: 503.
printf 'remote 127.0.0.1:1\n' >"$tmp/remote.stub"
"$SERVE" --db "$tmp/remote.stub" --listen "127.0.0.1:$((port + 1))" >/dev/null 2>&1 &&
    fail "serving an unreachable shard started"

# --- hostile input (issue: a server a newsroom can leave running) ---------------------
# A phrase whose words sit on either side of a paragraph break, and its
# article view (one click killed the whole server at 53193a6).
get "/api/v1/search?q=%22companies+bp%22" 200
grep -q '"id":"para-break.txt"' "$tmp/body" || fail "phrase across a break: not found: $(head -c 300 "$tmp/body")"
get "/article/para-break.txt?q=%22companies+bp%22" 200
grep -q '<mark>companies.</mark></p><p dir="auto"><mark>BP</mark>' "$tmp/body" || fail "phrase across a break: not marked on both sides"
get "/api/v1/stats" 200
# Bytes that are not UTF-8 come back as U+FFFD: the JSON stays JSON.
get "/api/v1/search?q=%FF%FEharbor" 200
fffd=$(printf '\357\277\275')
grep -qF "\"query\":\"$fffd${fffd}harbor\"" "$tmp/body" || fail "invalid UTF-8 echoed: $(head -c 100 "$tmp/body" | od -c | head -3)"
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/body" 2>/dev/null || fail "invalid UTF-8 in q: the answer is not JSON"
fi
get "/?q=%FF%FEharbor" 200
grep -qF "value=\"$fffd${fffd}harbor\"" "$tmp/body" || fail "invalid UTF-8 echoed raw on the page"
# Impossible dates: a 400 with the column, not nothing found.
get "/api/v1/search?q=harbor+date:1987-02-30" 400
grep -q '"column":8' "$tmp/body" || fail "impossible date: no column: $(cat "$tmp/body")"
get "/api/v1/search?q=harbor+date:2019-04-31..2019-05-01" 400
get "/api/v1/search?q=harbor+date:2020-02-29" 200
# DNS rebinding: a foreign Host on a loopback listener is a 421.
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H 'Host: rebind.example:80' "$base/api/v1/stats")
[ "$code" = 421 ] || fail "foreign Host: $code, want 421"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: localhost:$port" "$base/api/v1/stats")
[ "$code" = 200 ] || fail "Host localhost: $code, want 200"
# No absolute server paths in answers.
get "/api/v1/search?q=harbor+pilots&limit=3" 200
grep -q "$tmp" "$tmp/body" && fail "search: a server path in the answer"
grep -q '"path":null' "$tmp/body" || fail "search: path not null"
get "/api/v1/article/harbor-pilots-strike.txt" 200
grep -q "$tmp" "$tmp/body" && fail "article: a server path in the answer"
# 405 says what is allowed; a page route answers errors as a page.
curl -s -D "$tmp/head" -o "$tmp/body" -X DELETE "$base/"
grep -qi '^allow: GET, HEAD' "$tmp/head" || fail "405: no Allow"
grep -qi '^content-type: text/html' "$tmp/head" || fail "405 on /: not a page"
grep -qi '^content-security-policy:' "$tmp/head" || fail "405: no CSP"
# Wildcards: each stands for its 200 most frequent words, all together
# for at most --max-wildcard-terms (5 here): then a 422 naming the limit.
get "/api/v1/search?q=h*+p*+s*+t*+w*+c*&expand=rm3&passages=3&limit=100" 422
grep -q '"limit":"max-wildcard-terms","value":5' "$tmp/body" || fail "422: the limit not named: $(cat "$tmp/body")"
get "/?q=h*+p*+s*+t*+w*+c*" 422
grep -q 'wildcards stand for more than 5 words' "$tmp/body" || fail "422 page: not said in words"
# Paging and facet links keep every setting; Next only with a next page.
get "/?q=year+said&match=all&limit=2&passages=2&sort=date" 200
grep -q 'rel="next" href="/?q=year%20said&amp;sort=date&amp;match=all&amp;passages=2&amp;limit=2&amp;offset=2"' "$tmp/body" || fail "Next: settings lost: $(grep -o 'rel="next"[^>]*' "$tmp/body")"
sed 's|</aside>.*||' "$tmp/body" | grep -o '<aside.*' | grep -o 'href="[^"]*"' >"$tmp/links"
[ -s "$tmp/links" ] || fail "no facet links"
for want in 'sort=date' 'match=all' 'passages=2' 'limit=2'; do
    grep -v "$want" "$tmp/links" | grep -q . && fail "a facet link drops $want: $(grep -v "$want" "$tmp/links" | head -1)"
done
get "/?q=harbor&limit=20" 200
grep -q 'rel="next"' "$tmp/body" && fail "Next with every hit on the page"
# A client that trickles its request is cut off after --request-seconds
# (2 here) in all, not 2 s after each byte; one address holds at most
# --max-client-connections (3 here).
"$SERVE" --db "$tmp/db" --listen "127.0.0.1:$((port + 3))" -j 2 --request-seconds 2 --max-client-connections 3 2>/dev/null &
slow=$!
wait_up $((port + 3))
held=$(bash -c '
    trap "" PIPE
    exec 3<>/dev/tcp/127.0.0.1/'$((port + 3))' || exit 9
    printf "GET /api/v1/stats HTTP/1.1\r\nHost: localhost\r\n" >&3
    start=$(date +%s)
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        sleep 1
        printf "X-Slow: %s\r\n" "$i" >&3 2>/dev/null || break
    done
    echo $(( $(date +%s) - start ))' 2>/dev/null)
[ -n "$held" ] && [ "$held" -le 5 ] || fail "a trickled request held its connection ${held:-?} s (limit 2 s)"
bash -c '
    exec 3<>/dev/tcp/127.0.0.1/'$((port + 3))' 4<>/dev/tcp/127.0.0.1/'$((port + 3))' 5<>/dev/tcp/127.0.0.1/'$((port + 3))'
    sleep 0.5
    code=$(curl -s -m 3 -o /dev/null -w "%{http_code}" "http://127.0.0.1:'$((port + 3))'/api/v1/stats")
    [ "$code" = 200 ] && exit 1
    exit 0' || fail "a fourth connection from one address was served (--max-client-connections 3)"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((port + 3))/api/v1/stats")
[ "$code" = 200 ] || fail "after the held connections closed: $code"
kill "$slow"
wait "$slow" 2>/dev/null

# --- a newsroom's search: dates, filters, feed --------------------------------------
# from= and to= keep every hit inside; a bad date is a 400 naming it.
get "/api/v1/search?q=said&from=2019-03&to=2022&limit=100&passages=0" 200
dates=$(grep -o '"date":"[0-9-]*"' "$tmp/body" | cut -d'"' -f4)
[ -n "$dates" ] || fail "from/to: no hits"
for dt in $dates; do
    case "$dt" in
    2019-0[3-9]*|2019-1*|202[0-2]-*) ;;
    *) fail "from/to: a hit dated $dt outside 2019-03..2022" ;;
    esac
done
get "/api/v1/search?q=said&from=2019-02-30" 400
grep -q '"message":"from: ' "$tmp/body" || fail "bad from: $(cat "$tmp/body")"
get "/api/v1/search?q=said&from=2020&to=2019" 400
get "/api/v1/search?from=2023&to=2023&limit=100" 200
grep -q '"matches":9,' "$tmp/body" || fail "a date window alone: $(head -c 200 "$tmp/body")"
# author= filters as the facet links give it; the facet counts add up.
get "/api/v1/search?q=said&facets=author,year&limit=100&passages=0&count=exact" 200
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 - "$tmp/body" <<'PY' || fail "facet counts do not add up to the matches"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
years = sum(c for _, c in r["facets"]["year"])
undated = sum(1 for h in r["hits"] if not h["date"])
# The years and the articles with no date add up to the matches, exactly.
sys.exit(0 if years + undated == r["matches"] == len(r["hits"]) and
         r["matches_exact"] else 1)
PY
fi
get "/api/v1/search?q=said&author=Marta+Vance&limit=100" 200
grep -o '"author":"[^"]*"' "$tmp/body" | grep -v '"author":"Marta Vance"' && fail "author=: another author"
# The feed: Atom, newest first, at most 50, links to the article view.
code=$(curl -s -D "$tmp/head" -o "$tmp/feed.xml" -w '%{http_code}' "$base/feed?q=said")
[ "$code" = 200 ] || fail "feed: $code"
grep -qi '^content-type: application/atom+xml' "$tmp/head" || fail "feed: content type"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 - "$tmp/feed.xml" <<'PY' || fail "feed: not valid Atom, newest first"
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + "feed"
for need in ("id", "title", "updated"):
    assert feed.find(A + need) is not None, need
entries = feed.findall(A + "entry")
assert 0 < len(entries) <= 50
times = [e.find(A + "updated").text for e in entries]
assert times == sorted(times, reverse=True), times
for e in entries:
    for need in ("id", "title", "updated", "link"):
        assert e.find(A + need) is not None, need
    assert "/article/" in e.find(A + "link").get("href")
PY
fi
get "/?q=said" 200
grep -q '<link rel="alternate" type="application/atom+xml"' "$tmp/body" || fail "page: the feed is not advertised"
grep -q 'href="/api/v1/export?q=said&amp;format=csv" download>Download CSV' "$tmp/body" || fail "page: no Download CSV"
# Export: every matching article, as many rows as the search counts.
get "/api/v1/search?q=said&count=exact&limit=1&passages=0" 200
total=$(grep -o '"matches":[0-9]*' "$tmp/body" | head -1 | cut -d: -f2)
code=$(curl -s -D "$tmp/head" -o "$tmp/export.csv" -w '%{http_code}' "$base/api/v1/export?q=said&format=csv")
[ "$code" = 200 ] || fail "export: $code"
grep -qi '^content-disposition: attachment; filename="byline-export.csv"' "$tmp/head" || fail "export: no attachment header"
head -1 "$tmp/export.csv" | grep -q '^id,title,author,date,source,url,categories,score' || fail "export: header row"
if [ -x /usr/bin/python3 ]; then
    rows=$(/usr/bin/python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))) - 1)' "$tmp/export.csv")
    [ "$rows" = "$total" ] || fail "export: $rows rows, the search counts $total"
fi
code=$(curl -s -o "$tmp/export.jsonl" -w '%{http_code}' "$base/api/v1/export?q=said&format=jsonl&from=2019&to=2022")
[ "$code" = 200 ] || fail "export jsonl: $code"
get "/api/v1/search?q=said&count=exact&limit=1&passages=0&from=2019&to=2022" 200
total=$(grep -o '"matches":[0-9]*' "$tmp/body" | head -1 | cut -d: -f2)
[ "$(wc -l <"$tmp/export.jsonl")" = "$total" ] || fail "export jsonl: $(wc -l <"$tmp/export.jsonl") lines, want $total"
grep -v '"date":"20\(19\|2[0-2]\)-' "$tmp/export.jsonl" | grep -q . && fail "export jsonl: a row outside the dates"
grep -q "$tmp" "$tmp/export.jsonl" && fail "export jsonl: a server path in it"
get "/api/v1/export?q=said&format=xml" 400
"$SERVE" --db "$tmp/db" --listen "127.0.0.1:$((port + 4))" --export-max 3 2>/dev/null &
small=$!
wait_up $((port + 4))
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "http://127.0.0.1:$((port + 4))/api/v1/export?q=said")
[ "$code" = 422 ] || fail "export over --export-max: $code, want 422"
grep -q '"limit":"export-max","value":3' "$tmp/body" || fail "export over the limit: $(cat "$tmp/body")"
kill "$small"
wait "$small" 2>/dev/null
get "/article/harbor-pilots-strike.txt?q=pilots&offset=10" 200
grep -q 'Back to the results' "$tmp/body" || fail "article: no way back"
grep -q 'href="/?q=pilots&amp;offset=10"' "$tmp/body" || fail "article: back link loses the page"

# --- the page, as text: every article field escaped ---------------------------------
get "/?q=harbor" 200
grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" "$tmp/head" || fail "no CSP"
grep -qi "unsafe-inline" "$tmp/head" && fail "CSP allows unsafe-inline"
grep -qi '^x-content-type-options: nosniff' "$tmp/head" || fail "no nosniff"
grep -q '<mark>' "$tmp/body" || fail "page: no <mark>"
grep -q '<script>alert' "$tmp/body" && fail "page: a script tag from an article"
grep -q '<img src=x' "$tmp/body" && fail "page: an img tag from an article"
grep -q '&lt;script&gt;alert' "$tmp/body" || fail "page: the hostile title not shown as text"
grep -q '<script' "$tmp/body" | grep -v 'src="/static/app.js"' >/dev/null && fail "page: inline script"
get "/article/hostile.txt?q=harbor" 200
grep -q 'href="javascript' "$tmp/body" && fail "article: a javascript: link"
grep -q 'onerror=' "$tmp/body" | grep -qv '&quot;\|&lt;' && fail "article: an onerror attribute"
grep -q '&lt;a href=&quot;javascript:alert(3)&quot;&gt;' "$tmp/body" || fail "article: the link not shown as text"
get "/article/no-such-article" 404
get "/static/style.css" 200
get "/static/app.js" 200

# --- indexing while serving ------------------------------------------------------------
: >"$tmp/bad"
(
    while [ ! -e "$tmp/stop" ]; do
        c=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/search?q=harbor+tugboat&limit=20")
        [ "$c" = 200 ] || echo "status $c" >>"$tmp/bad"
    done
) &
loop=$!
for n in 1 2 3 4 5; do
    printf 'Tugboat crews %d\n\nTugboat crews idled at the breakwater, report %d said.\n' $n $n >"$tmp/corpus/tug$n.txt"
    "$INDEX" -q --db "$tmp/db" "$tmp/corpus" || fail "indexing while serving, run $n"
    get "/api/v1/search?q=tugboat&limit=20&duplicates=show" 200
    found=$(grep -o '"id":"tug[0-9].txt"' "$tmp/body" | sort -u | wc -l)
    [ "$found" -eq "$n" ] || fail "after run $n: $found new articles found, want $n"
done
rm "$tmp/corpus/tug1.txt"
"$INDEX" -q --db "$tmp/db" "$tmp/corpus" || fail "indexing while serving: a removal"
get "/api/v1/search?q=tugboat&limit=20&duplicates=show" 200
grep -q '"id":"tug1.txt"' "$tmp/body" && fail "a removed article is still found"
touch "$tmp/stop"
wait "$loop"
[ -s "$tmp/bad" ] && fail "requests failed while indexing: $(sort "$tmp/bad" | uniq -c | head -3)"

finish
