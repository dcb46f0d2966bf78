#!/bin/sh
# Install the Debian packages Byline needs to build and test, and nothing
# else (scdoc for the man pages; dpkg-dev, debhelper, lintian and systemd's
# systemd-analyze to build and check the Debian packages).  Does nothing when every package is already present.  Needs root
# (or sudo) only when something is missing.
#
# Usage: tools/install-deps.sh
set -eu

PKGS="build-essential cmake pkg-config libxapian-dev xapian-tools \
zlib1g-dev libcmocka-dev libstemmer-dev libutf8proc-dev libjemalloc-dev clang \
libmicrohttpd-dev curl wrk util-linux \
libclang-rt-dev \
scdoc dpkg-dev debhelper lintian systemd"

# For the browser tests of byline-serve only (chromium, and Selenium with
# chromedriver to click through the page): its tests say they skipped
# when chromium cannot be had, so a failed install is no error.
OPTIONAL="chromium chromium-driver python3-selenium"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

opt_missing=""
for p in $OPTIONAL; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed"; then
        opt_missing="$opt_missing $p"
    fi
done

if [ -z "$missing" ] && [ -z "$opt_missing" ]; then
    exit 0
fi

echo "install-deps: installing:$missing$opt_missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
elif [ -z "$missing" ]; then
    echo "install-deps: optional$opt_missing not installed (needs root)" >&2
    exit 0
else
    echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
    exit 2
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "install-deps: apt-get update failed; trying the cached lists" >&2
if [ -n "$missing" ]; then
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ -n "$opt_missing" ]; then
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $opt_missing \
        >/dev/null 2>&1 ||
        echo "install-deps: could not install$opt_missing (optional: the browser test will skip)" >&2
fi
