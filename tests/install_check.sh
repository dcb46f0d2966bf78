#!/bin/sh
# Build and run a small C program against Byline's installed headers and
# libraries as another project would: once with pkg-config, once with
# CMake's find_package(Byline); and check that the programs, man pages,
# completion and systemd unit are where they belong.
#
# Usage: install_check.sh BUILD-DIR CC [EXTRA-CFLAGS...]
#            install into a temporary prefix (cmake --install) and check it
#        install_check.sh --installed CC
#            check what is installed on this system (the Debian packages)
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install check: $*" >&2; exit 1; }

if [ "$1" = "--installed" ]; then
    cc=$2
    shift 2
    prefix=/usr
    libdir=""
    unitdir=/lib/systemd/system
    sysconfdir=/etc
else
    build=$1 cc=$2
    shift 2
    prefix=$tmp/prefix
    cmake --install "$build" --prefix "$prefix" >/dev/null
    libdir=$(ls -d "$prefix"/lib* | head -1)
    [ -d "$libdir" ] || fail "no lib directory installed"
    export LD_LIBRARY_PATH="$libdir"
    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    unitdir=$prefix/lib/systemd/system
    sysconfdir=$prefix/etc
fi

for f in include/xapian-c/xapian-c.h include/byline/search.h \
    include/byline/index.h include/byline/corpus.h include/byline/analysis.h \
    bin/byline-index bin/byline-search bin/byline-eval bin/byline-bench \
    share/bash-completion/completions/byline-search \
    share/bash-completion/completions/byline-index; do
    [ -e "$prefix/$f" ] || fail "not installed: $prefix/$f"
done
# Man pages: built only where scdoc is (always in the packages).
if [ -z "$libdir" ] || command -v scdoc >/dev/null 2>&1; then
    for f in man1/byline-index.1 man1/byline-search.1 man1/byline-eval.1 \
        man1/byline-bench.1 man1/byline-serve.1 man7/byline-query.7; do
        ls "$prefix/share/man/$f"* >/dev/null 2>&1 ||
            fail "no man page $prefix/share/man/$f"
    done
fi
if [ -e "$prefix/bin/byline-serve" ]; then
    [ -e "$unitdir/byline-serve.service" ] || fail "no $unitdir/byline-serve.service"
    [ -e "$sysconfdir/default/byline-serve" ] || fail "no $sysconfdir/default/byline-serve"
fi

# pkg-config: what a program needs and nothing more.
[ -z "$(pkg-config --print-requires byline)" ] ||
    fail "byline.pc requires $(pkg-config --print-requires byline) (private: its headers name no binding type)"
pkg-config --static --libs byline | grep -q -- '-lm' ||
    fail "byline.pc: static linking lacks -lm"

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
out=$("$tmp/user" "$tmp/db1")
[ "$out" = "docs=1 tokens=2" ] || fail "user program (pkg-config) said: $out"

# CMake: find_package(Byline) and its imported targets.
mkdir "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(byline_user C)
find_package(Byline 0.1 REQUIRED)
add_executable(user ../user.c)
target_link_libraries(user PRIVATE Byline::byline Byline::xapian-c)
CM
flags="$*"
CC=$cc cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="$flags -Wall -Wextra -Werror" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$tmp/cm.log" 2>&1 ||
    { cat "$tmp/cm.log" >&2; fail "find_package(Byline) failed"; }
cmake --build "$tmp/cm/build" >>"$tmp/cm.log" 2>&1 ||
    { cat "$tmp/cm.log" >&2; fail "building against Byline::byline failed"; }
out=$("$tmp/cm/build/user" "$tmp/db2")
[ "$out" = "docs=1 tokens=2" ] || fail "user program (CMake) said: $out"

"$prefix/bin/byline-search" --version >/dev/null
"$prefix/bin/byline-index" --version >/dev/null
echo "install check: programs, headers, libraries, pkg-config and CMake packages work ($prefix)"
