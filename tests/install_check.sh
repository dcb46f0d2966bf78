#!/bin/sh
# Install Byline into a temporary prefix, then build and run a small C
# program against the installed headers and libraries through pkg-config,
# as another project would.
# Usage: install_check.sh BUILD-DIR CC [EXTRA-CFLAGS...]
set -eu
build=$1 cc=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib* | head -1)
[ -d "$libdir" ] || { echo "no lib directory installed" >&2; exit 1; }
for f in include/xapian-c/xapian-c.h include/byline/search.h \
    include/byline/index.h include/byline/corpus.h include/byline/analysis.h \
    bin/byline-index bin/byline-search; do
    [ -e "$prefix/$f" ] || { echo "not installed: $f" >&2; exit 1; }
done
pcdir=$(dirname "$(find "$prefix" -name xapian-c.pc | head -1)")
export PKG_CONFIG_PATH=$pcdir
cat >"$tmp/user.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <byline/analysis.h>
#include <xapian-c/xapian-c.h>

static int count(const bl_token_t *t, void *p) { (void)t; ++*(int *)p; return 0; }

int main(int argc, char **argv)
{
    xc_db_t *db = NULL;
    xc_doc_t *doc = NULL;
    xc_doccount_t n = 0;
    bl_analyzer_t *a = NULL;
    int tokens = 0;
    (void)argc;
    if (xc_db_open_writable(argv[1], XC_DB_CREATE, 0, &db) != XC_OK ||
        xc_doc_new(&doc) != XC_OK ||
        xc_doc_add_posting(doc, "hello", XC_NTS, 1, 1) != XC_OK ||
        xc_db_add_document(db, doc, NULL) != XC_OK ||
        xc_db_commit(db) != XC_OK || xc_db_doccount(db, &n) != XC_OK) {
        fprintf(stderr, "xapian-c: %s\n", xc_last_error());
        return 1;
    }
    if (bl_analyzer_new("english", &a) != BL_OK ||
        bl_analyze(a, "Hello, world", 12, 1, count, &tokens, NULL) != BL_OK)
        return 1;
    printf("docs=%u tokens=%d\n", n, tokens);
    xc_doc_free(doc);
    xc_db_free(db);
    bl_analyzer_free(a);
    return 0;
}
C
# shellcheck disable=SC2046
"$cc" "$@" -std=c11 -Wall -Wextra -Werror -o "$tmp/user" "$tmp/user.c" \
    $(pkg-config --define-prefix --cflags --libs byline xapian-c)
out=$(LD_LIBRARY_PATH=$libdir "$tmp/user" "$tmp/db")
[ "$out" = "docs=1 tokens=2" ] || { echo "user program said: $out" >&2; exit 1; }
LD_LIBRARY_PATH=$libdir "$prefix/bin/byline-search" --version >/dev/null
LD_LIBRARY_PATH=$libdir "$prefix/bin/byline-index" --version >/dev/null
echo "install check: headers, libraries, pkg-config files and programs work"
