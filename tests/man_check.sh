#!/bin/sh
# man_check.sh MANDIR PROGRAM...
#
# Checks that the man pages (scdoc sources in MANDIR) do not drift from the
# programs: for each PROGRAM (a built binary), every option its --help lists
# is documented in the OPTIONS section of MANDIR/NAME.1.scd, and every
# option documented there is in --help.  Then renders every page of MANDIR
# with scdoc (and, when groff is installed, through groff -man -ww) and
# fails on any error or warning.  Exit 0 when all is well, 1 on a failure,
# 77 (a skip, for ctest) when scdoc is not installed.
#
# What counts as an option:
#   in --help: a line indented by at most 8 spaces that starts with '-';
#     its option tokens are the first word (up to a space, '=' or '[') and
#     the first word of each following ", "-separated piece that starts
#     with '-': "  -d, --db DIR", "      --from DATE, --to DATE",
#     "      --expand[=rm3|bo1]  ..." give -d --db, --from --to, --expand.
#   in the page: an entry of the OPTIONS section (up to the next "# "
#     header), i.e. a line that starts, unindented, with a bold option,
#     "*--db* _DIR_" or "*-d*, *--db* _DIR_"; every bold "*-x" or "*--xx"
#     on that line counts.  Options named in indented descriptions do not.
#
# Copyright (C) 2026 The Byline authors.
# SPDX-License-Identifier: GPL-2.0-or-later

set -u

me=man_check

if [ $# -lt 1 ]; then
    echo "usage: $0 MANDIR-OF-SCD-SOURCES PROGRAM..." >&2
    exit 2
fi
mandir=$1
shift

if ! command -v scdoc >/dev/null 2>&1; then
    echo "$me: scdoc not installed: skipped"
    exit 77
fi
if [ ! -d "$mandir" ]; then
    echo "$me: $mandir: not a directory" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/man_check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

failed=0

fail() {
    echo "$me: $*" >&2
    failed=1
}

# The option tokens of a program's --help on stdin, one per line.
help_options() {
    awk -f "$(dirname "$0")/help_options.awk"
}

# The options documented in the OPTIONS section of the scdoc page $1.
page_options() {
    awk '
    /^# / { in_options = ($0 == "# OPTIONS"); next }
    in_options && /^\*-/ {
        line = $0
        while (match(line, /\*--?[A-Za-z0-9][-A-Za-z0-9]*/)) {
            print substr(line, RSTART + 1, RLENGTH - 1)
            line = substr(line, RSTART + RLENGTH)
        }
    }' "$1"
}

# Check that every line of file $1 is a line of file $2, saying which are
# not as "$me: $3: OPTION $4".
check_subset() {
    while IFS= read -r opt; do
        if ! grep -qxF -- "$opt" "$2"; then
            fail "$3: $opt $4"
        fi
    done <"$1"
}

for prog in "$@"; do
    name=$(basename "$prog")
    page=$mandir/$name.1.scd
    if [ ! -x "$prog" ]; then
        fail "$prog: not an executable program"
        continue
    fi
    if [ ! -f "$page" ]; then
        fail "$name.1: no page ($page)"
        continue
    fi
    if ! "$prog" --help >"$tmp/help" 2>"$tmp/help.err"; then
        fail "$name: --help failed: $(cat "$tmp/help.err")"
        continue
    fi
    help_options <"$tmp/help" | sort -u >"$tmp/help.opts"
    page_options "$page" | sort -u >"$tmp/page.opts"
    if [ ! -s "$tmp/help.opts" ]; then
        fail "$name: found no option in --help"
    fi
    if [ ! -s "$tmp/page.opts" ]; then
        fail "$name.1: found no option in the OPTIONS section"
    fi
    check_subset "$tmp/help.opts" "$tmp/page.opts" "$name.1" \
        "is in --help but not in the man page"
    check_subset "$tmp/page.opts" "$tmp/help.opts" "$name.1" \
        "is in the man page but not in --help"
done

# Render every page; report scdoc's errors and groff's warnings.
have_groff=0
command -v groff >/dev/null 2>&1 && have_groff=1
npages=0
for src in "$mandir"/*.scd; do
    [ -f "$src" ] || continue
    npages=$((npages + 1))
    base=$(basename "$src" .scd)
    # The preamble names the page as its file does: NAME(SECTION).
    head=$(sed -n '1{s/^\([^ ]*\).*/\1/;p;}' "$src")
    want="${base%.*}(${base##*.})"
    if [ "$head" != "$want" ]; then
        fail "$base: the first line names $head, not $want"
    fi
    # A text line that starts with '.' is read by roff as a request (and
    # scdoc drops or mangles it): reflow it.
    awk -v page="$base" '
    /^```/ { literal = !literal; next }
    !literal && /^\t*\.[^ ]/ {
        printf "%s: line %d starts with a dot: %s\n", page, NR, $0
    }' "$src" >"$tmp/dots"
    if [ -s "$tmp/dots" ]; then
        while IFS= read -r l; do fail "$l"; done <"$tmp/dots"
    fi
    if ! scdoc <"$src" >"$tmp/page.roff" 2>"$tmp/scdoc.err"; then
        fail "$base: scdoc: $(cat "$tmp/scdoc.err")"
        continue
    fi
    if [ -s "$tmp/scdoc.err" ]; then
        fail "$base: scdoc: $(cat "$tmp/scdoc.err")"
    fi
    if [ "$have_groff" = 1 ]; then
        groff -man -Tutf8 -ww -z "$tmp/page.roff" >"$tmp/groff.err" 2>&1
        if [ -s "$tmp/groff.err" ]; then
            fail "$base: groff: $(cat "$tmp/groff.err")"
        fi
    fi
done
if [ "$npages" = 0 ]; then
    fail "$mandir: no .scd page"
fi
if [ "$have_groff" = 0 ]; then
    echo "$me: groff not installed: pages rendered by scdoc only"
fi

if [ "$failed" != 0 ]; then
    exit 1
fi
echo "$me: $# programs and $npages pages checked"
exit 0
