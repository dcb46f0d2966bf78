#!/bin/sh
# Build Byline (as tools/quickstart.sh does), index the sample corpus and
# serve it: open http://127.0.0.1:8080/ (Ctrl-C stops the server).
#
# Usage: tools/serve.sh [ADDR:PORT]     (default 127.0.0.1:8080)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BYLINE_BUILD_DIR:-$top/build}/release
jobs=$(nproc 2>/dev/null || echo 2)

"$top/tools/install-deps.sh"
cmake -S "$top" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j "$jobs" >/dev/null
db="$out/sample.db"
"$out/byline-index" -q --db "$db" "$top/corpus"
exec "$out/byline-serve" --db "$db" --listen "${1:-127.0.0.1:8080}"
