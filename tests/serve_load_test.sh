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
BYLINE_BIN=$bin CHECK=3 "$top/bench/serve_expensive.sh" "$corpus" 3
