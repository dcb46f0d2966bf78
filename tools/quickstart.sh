#!/bin/sh
# Install what is missing, build Byline, index the sample corpus in corpus/
# and run a sample search.
#
# Usage: tools/quickstart.sh [QUERY...]     (default query: strike workers)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BYLINE_BUILD_DIR:-$top/build}/release
jobs=$(nproc 2>/dev/null || echo 2)

"$top/tools/install-deps.sh"
cmake -S "$top" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j "$jobs" >/dev/null
db="$out/sample.db"
"$out/byline-index" --overwrite --db "$db" "$top/corpus"
if [ $# -eq 0 ]; then
    set -- strike workers
fi
echo
echo "\$ byline-search --db $db $*"
"$out/byline-search" --db "$db" --passages 2 "$@"
