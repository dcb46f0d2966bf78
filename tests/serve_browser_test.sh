#!/bin/sh
# byline-serve's page clicked through in a real browser: indexes the sample
# corpus, starts byline-serve and runs serve_browser_test.py (Selenium,
# chromium, chromedriver; Debian's packages, which tools/install-deps.sh
# installs).  Screenshots at 1280 and 390 px go to ARTIFACTS-DIR.
# Exit 77 (skipped, saying why) without Debian's python3 with Selenium,
# chromium or chromedriver.
# Usage: serve_browser_test.sh BYLINE-SERVE BYLINE-INDEX CORPUS ARTIFACTS-DIR
set -u
SERVE=$1 INDEX=$2 CORPUS=$3 ART=$4
py=/usr/bin/python3
if [ ! -x "$py" ] || ! "$py" -c 'import selenium' 2>/dev/null; then
    echo "serve_browser_test: skip: needs Debian's python3-selenium (apt-get install python3-selenium chromium-driver chromium)"
    exit 77
fi
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
    echo "serve_browser_test: skip: needs chromium and chromedriver (apt-get install chromium chromium-driver)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-browser-XXXXXX")
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
"$INDEX" -q --db "$tmp/db" "$CORPUS" || { echo "serve_browser_test: FAIL: indexing" >&2; exit 1; }
port=$("$(dirname "$0")/../tools/free_port.sh") || exit 1
"$SERVE" --db "$tmp/db" --listen "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
for i in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/stats" && break
    sleep 0.1
done
mkdir -p "$ART"
HOME=$tmp timeout 300 "$py" "$(dirname "$0")/serve_browser_test.py" "http://127.0.0.1:$port" "$ART"
st=$?
kill -0 "$pid" 2>/dev/null || { echo "serve_browser_test: FAIL: the server died" >&2; st=1; }
exit $st
