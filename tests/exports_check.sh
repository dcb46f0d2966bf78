#!/bin/sh
# What a shared library exports is exactly what its public headers
# declare: every function of the headers is exported, and nothing else is
# (no internal function, no variable, no C++ template code or typeinfo).
# The headers are read as the compiler reads them (CC -E: no comment, no
# macro, no #if left), keeping only their own lines; a function is a
# declaration at file scope, outside any typedef, struct or enum, not
# static (an inline function is the caller's), whose name comes right
# before its first "(".
# Usage: exports_check.sh CC LIBRARY HEADER-DIR
#   e.g. exports_check.sh cc build/libbyline.so include/byline
set -u
CC=$1 LIB=$2 HDIR=$(cd "$3" && pwd)
me=exports_check
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-exports-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
command -v nm >/dev/null || { echo "$me: FAIL: nm is not installed (binutils)" >&2; exit 1; }

# The functions the headers declare.
for h in "$HDIR"/*.h; do
    printf '#include "%s"\n' "$h"
done >"$tmp/all.c"
"$CC" -E -I "$(dirname "$HDIR")" "$tmp/all.c" >"$tmp/all.i" ||
    { echo "$me: FAIL: $CC cannot read the headers of $HDIR" >&2; exit 1; }
# Lines of the headers in HDIR only (the line markers say whose a line
# is), joined; then statements at brace depth 0, split at ';'.
awk -v dir="$HDIR/" '
    /^# [0-9]+ "/ { f = $3; gsub(/"/, "", f); mine = index(f, dir) == 1; next }
    /^#/ { next }
    mine { printf "%s ", $0 }' "$tmp/all.i" |
awk '{ text = text $0 " " }
    END {
        depth = 0; stmt = ""
        for (i = 1; i <= length(text); i++) {
            c = substr(text, i, 1)
            if (c == "{") {
                # The body of a function (static inline) ends its
                # definition: no ";" follows.
                if (depth++ == 0 && stmt ~ /\) *$/)
                    body = 1
            } else if (c == "}") {
                if (--depth == 0 && body) {
                    body = 0
                    stmt = ""
                }
            } else if (depth > 0) continue
            else if (c != ";") stmt = stmt c
            else {
                declared(stmt)
                stmt = ""
            }
        }
    }
    # Print the name of the function STMT declares, if it declares one.
    function declared(stmt,    p, head, n, w) {
        gsub(/[ \t]+/, " ", stmt)
        sub(/^ /, "", stmt)
        if (stmt ~ /^(typedef|static) / || stmt !~ /\(/)
            return
        p = index(stmt, "(")
        head = substr(stmt, 1, p - 1)
        sub(/ +$/, "", head)
        n = split(head, w, /[^A-Za-z0-9_]+/)
        if (w[n] != "")
            print w[n]
    }' | sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "$me: FAIL: no function found in $HDIR/*.h" >&2; exit 1; }

# What the library exports: functions, and anything else it defines.
nm -D --defined-only "$LIB" >"$tmp/nm" ||
    { echo "$me: FAIL: nm cannot read $LIB" >&2; exit 1; }
awk '$2 ~ /^[TtWi]$/ { print $3 }' "$tmp/nm" | sort -u >"$tmp/exported"
awk '$2 !~ /^[TtWi]$/ { print $2, $3 }' "$tmp/nm" >"$tmp/other"

fails=0
lib=$(basename "$LIB")
comm -23 "$tmp/exported" "$tmp/declared" >"$tmp/leaked"
comm -13 "$tmp/exported" "$tmp/declared" >"$tmp/missing"
if [ -s "$tmp/leaked" ]; then
    echo "$me: FAIL: $lib exports $(wc -l <"$tmp/leaked") functions that no header of $HDIR declares:" >&2
    sed 's/^/  /' "$tmp/leaked" >&2
    fails=1
fi
if [ -s "$tmp/missing" ]; then
    echo "$me: FAIL: $lib does not export $(wc -l <"$tmp/missing") functions that $HDIR declares:" >&2
    sed 's/^/  /' "$tmp/missing" >&2
    fails=1
fi
if [ -s "$tmp/other" ]; then
    echo "$me: FAIL: $lib exports symbols that are not functions:" >&2
    sed 's/^/  /' "$tmp/other" >&2
    fails=1
fi
[ "$fails" -eq 0 ] || exit 1
echo "$me: $lib exports exactly the $(wc -l <"$tmp/declared") functions of $HDIR/*.h"
