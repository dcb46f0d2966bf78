#!/bin/sh
# The layers' include rules (ARCHITECTURE.md), checked on every source
# file: a layer includes its own headers, those of the layers below it
# that it may use, and public headers (include/byline/) of those layers;
# a program includes public headers only.  (The build enforces the same
# at link time: each layer's library links only what it may use.)
# Usage: layering.sh SOURCE-DIR
set -u
top=$1
fails=0
# layer | internal folders it may include | public byline/ headers it may include | may include xapian-c
rules() {
    cat <<'RULES'
util|util|status|no
analysis|analysis util|analysis status|no
corpus|corpus util|corpus status|no
schema|schema util|schema corpus analysis status|yes
index|index schema util|index schema corpus analysis status|yes
search|search schema util|search schema corpus analysis status|yes
eval|eval util|eval status|no
output|output util|output search eval schema corpus analysis status|no
cli||index search eval output schema corpus analysis status|no
serve||search eval output schema corpus analysis status|no
RULES
}
rules | while IFS='|' read -r layer dirs pubs xc; do
    for f in "$top"/src/"$layer"/*.[ch]; do
        [ -e "$f" ] || continue
        grep -o '^#include "[^"]*"' "$f" | sed 's/#include "\(.*\)"/\1/' |
        while read -r inc; do
            ok=0
            case "$inc" in
            byline/*)
                h=${inc#byline/}
                h=${h%.h}
                for p in $pubs; do [ "$h" = "$p" ] && ok=1; done ;;
            xapian-c/*)
                [ "$xc" = yes ] && ok=1 ;;
            */*)
                d=${inc%%/*}
                for p in $dirs; do [ "$d" = "$p" ] && ok=1; done ;;
            *)
                ok=1 ;; # A header beside the file.
            esac
            if [ "$ok" -eq 0 ]; then
                echo "layering: ${f#"$top"/}: may not include \"$inc\"" >&2
                echo x
            fi
        done
    done
done >"${TMPDIR:-/tmp}/layering.$$"
n=$(wc -l <"${TMPDIR:-/tmp}/layering.$$")
rm -f "${TMPDIR:-/tmp}/layering.$$"
if [ "$n" -gt 0 ]; then
    echo "layering: $n includes cross a layer's bounds" >&2
    exit 1
fi
echo "layering: every include within its layer's bounds"
