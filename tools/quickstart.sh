#!/bin/sh
# Install what is missing, build Byline, index the sample corpus in corpus/
# and run a sample search, or serve it.
#
# Usage: tools/quickstart.sh [QUERY...]     (default query: strike workers)
#        tools/quickstart.sh --serve [ADDR:PORT]   (default 127.0.0.1:8080)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BYLINE_BUILD_DIR:-$top/build}/release
jobs=$(nproc 2>/dev/null || echo 2)

"$top/tools/install-deps.sh"
cmake -S "$top" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j "$jobs" >/dev/null
db="$out/sample.db"
"$out/byline-index" --overwrite --db "$db" "$top/corpus"
if [ "${1:-}" = "--serve" ]; then
    exec "$out/byline-serve" --db "$db" --listen "${2:-127.0.0.1:8080}"
fi
if [ $# -eq 0 ]; then
    set -- strike workers
fi
echo
echo "\$ byline-search --db $db $*"
"$out/byline-search" --db "$db" --passages 2 "$@"
