#!/bin/sh
# Print a TCP port of 127.0.0.1 that nothing listens on, outside the
# kernel's range of ephemeral ports (a port there may be held by a
# client's connection in TIME_WAIT, which a server cannot bind to even
# with SO_REUSEADDR: the tests' servers failed so at random).  For the
# tests and benchmarks that start a server.
set -u
lo=32768 hi=60999
range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true)
if [ -n "$range" ]; then
    # shellcheck disable=SC2086 # (two numbers, split)
    set -- $range
    lo=$1 hi=$2
fi
# Below the ephemeral range if there is room (from 20000), else above it.
if [ "$lo" -gt 21000 ]; then
    first=20000 span=$((lo - 20000))
else
    first=$((hi + 1)) span=$((65535 - hi))
fi
[ "$span" -gt 0 ] || { echo "free_port: no port outside $lo-$hi" >&2; exit 1; }
i=0
while [ "$i" -lt 200 ]; do
    p=$((first + $(od -An -N2 -tu2 /dev/urandom) % span))
    # Free if a connection is refused (bash's /dev/tcp; sh has none: curl).
    if ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" 2>/dev/null &&
        ! ss -tan 2>/dev/null | awk -v p=":$p" '$4 ~ p"$"' | grep -q .; then
        echo "$p"
        exit 0
    fi
    i=$((i + 1))
done
echo "free_port: no free port found" >&2
exit 1
