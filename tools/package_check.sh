#!/bin/sh
# Build Byline's Debian packages with dpkg-buildpackage from a copy of the
# tree, check them with lintian (no error, and no warning that debian/
# does not explain), then install them, use them as a user would (the
# programs on the PATH, their man pages and completion, the systemd unit,
# a C program built against libbyline-dev with pkg-config and with CMake,
# a corpus indexed and searched and served) and remove them.
#
# Usage: tools/package_check.sh
# Installing needs root (or sudo); without it the packages are built and
# checked with lintian, and the rest is skipped with a message.
# BYLINE_PACKAGE_DIR: keep the packages there (default: a temporary
# directory, removed).  DEB_BUILD_OPTIONS is passed on (tools/test.sh sets
# nocheck: it has run the tests already).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-deb-XXXXXX")
installed=""
cleanup() {
    if [ -n "$installed" ]; then
        $SUDO apt-get purge -y -qq byline libbyline-dev libbyline0 \
            libxapian-c0 >/dev/null 2>&1 || true
    fi
    [ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "package check: $*" >&2; exit 1; }

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$tmp/byline-$version
mkdir "$src"
# The tree as a clean clone has it: no build directories, no git.
tar -C "$top" --exclude=./build --exclude=./.git --exclude='./obj-*' \
    --exclude=./debian/.debhelper --exclude='./debian/tmp' -cf - . |
    tar -C "$src" -xf -

echo "== dpkg-buildpackage -us -uc -b =="
if ! (cd "$src" && DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} parallel=$jobs" \
    dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
    tail -60 "$tmp/build.log"
    fail "dpkg-buildpackage failed"
fi
ls "$tmp"/*.deb
changes=$(ls "$tmp"/byline_*.changes)

echo "== lintian =="
# Errors fail; so do warnings, unless debian/*.lintian-overrides explains
# them.  Info tags are shown, for the reader.
if ! lintian --fail-on error,warning --info --display-info "$changes" \
    >"$tmp/lintian.log" 2>&1; then
    cat "$tmp/lintian.log"
    fail "lintian found errors or warnings"
fi
cat "$tmp/lintian.log"

if [ -n "${BYLINE_PACKAGE_DIR:-}" ]; then
    mkdir -p "$BYLINE_PACKAGE_DIR"
    cp "$tmp"/*.deb "$changes" "$BYLINE_PACKAGE_DIR"/
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "package check: installing skipped: needs root or sudo (the packages were built and lintian passed)"
    exit 0
fi
for p in byline libbyline0 libxapian-c0 libbyline-dev; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        fail "$p is installed already: remove it first (this check installs and removes it)"
    fi
done

echo "== apt-get install ./*.deb =="
installed=yes
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "$tmp"/*.deb >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "the packages do not install"; }

# A release build: no test hook (src/util/fault.h) in what is installed.
if grep -l BYLINE_FAULT /usr/lib/*/libbyline.so.0 /usr/bin/byline-*; then
    fail "the packages have the fault points of a test build (BYLINE_FAULT_POINTS)"
fi

# The programs on the PATH, each with its man page and completion.
for p in byline-index byline-search byline-eval byline-bench byline-serve; do
    [ "$(command -v "$p")" = "/usr/bin/$p" ] || fail "$p is not /usr/bin/$p"
    "$p" --version >/dev/null || fail "$p --version failed"
    man -w "$p" >/dev/null 2>&1 || fail "man $p: no page"
    bash -c ". /usr/share/bash-completion/completions/$p && complete -p $p" \
        >/dev/null || fail "no bash completion for $p"
done
man -w 7 byline-query >/dev/null 2>&1 || fail "man 7 byline-query: no page"
MANWIDTH=80 man byline-search 2>"$tmp/man.err" | grep -q -- '--format' ||
    fail "man byline-search does not render: $(cat "$tmp/man.err")"

# The systemd unit: systemd accepts it; how exposed it is.
unit=/lib/systemd/system/byline-serve.service
[ -f "$unit" ] || fail "no $unit"
[ -f /etc/default/byline-serve ] || fail "no /etc/default/byline-serve"
if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify "$unit" || fail "systemd-analyze verify $unit failed"
    systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -1
else
    echo "package check: systemd-analyze not installed: the unit was not verified"
fi

# A C program against libbyline-dev, with pkg-config and with CMake.
"$top/tests/install_check.sh" --installed cc

# The installed programs on the sample corpus.
byline-index -q -d "$tmp/db" "$top/corpus" || fail "byline-index failed"
byline-search -d "$tmp/db" -n 3 harbor >"$tmp/hits" || fail "byline-search found nothing"
grep -q . "$tmp/hits" || fail "byline-search printed nothing"
port=$((20000 + $$ % 20000))
byline-serve -d "$tmp/db" -l "127.0.0.1:$port" 2>"$tmp/serve.err" &
serve_pid=$!
i=0
until curl -sf "http://127.0.0.1:$port/api/v1/search?q=harbor" >"$tmp/api" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 50 ] || fail "byline-serve did not answer: $(cat "$tmp/serve.err")"
    sleep 0.1
done
grep -q '"id"' "$tmp/api" || fail "byline-serve's API found nothing"
kill "$serve_pid"
wait "$serve_pid" || fail "byline-serve did not exit 0 on SIGTERM"
serve_pid=""

echo "== apt-get purge =="
$SUDO apt-get purge -y -qq byline libbyline-dev libbyline0 libxapian-c0 \
    >/dev/null 2>&1 || fail "the packages do not remove"
installed=""
[ ! -e /usr/bin/byline-index ] || fail "byline-index is still there after purge"
[ ! -e /etc/default/byline-serve ] || fail "/etc/default/byline-serve is still there after purge"
echo "package check: built, lintian-clean, installed, used and removed"
