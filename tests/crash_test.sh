#!/bin/sh
# Crash safety: kill byline-index with SIGKILL at random points; the index
# must always open and hold a committed prefix of the work (no article that
# the finished index lacks, none twice), and a re-run must complete it to
# exactly the content of an uninterrupted run.  Also: SIGINT and SIGTERM
# commit what is done and exit cleanly.
# Usage: crash_test.sh BYLINE-INDEX [ROUNDS]
set -u
INDEX=$1 ROUNDS=${2:-8}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-crash-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
command -v xapian-delve >/dev/null || {
    echo "crash_test: skipped: xapian-delve is not installed"
    exit 0
}

# A corpus of 4000 small generated articles in 40 folders.
awk 'BEGIN {
    srand(7);
    split("storm harbor council election market vaccine river strike " \
          "museum bridge ferry drought budget orchestra volcano", w, " ");
    for (i = 0; i < 4000; i++) {
        d = sprintf("'"$tmp"'/corpus/%02d", i % 40);
        if (i < 40) system("mkdir -p " d);
        f = sprintf("%s/a%04d.txt", d, i);
        printf "Article %d about the %s\n\n", i, w[1 + i % 15] > f;
        for (p = 0; p < 3; p++) {
            line = "";
            for (k = 0; k < 40; k++)
                line = line " " w[1 + int(rand() * 15)] sprintf("%d", int(rand() * 50));
            print line "." > f;
            print "" > f;
        }
        close(f);
    }
}'

# The unique ids an index holds, sorted, one per line ("" if none).
ids() {
    if [ -e "$1" ]; then
        xapian-delve -a -1 "$1" 2>/dev/null | grep '^Q' | sort
    fi
}

# The number of documents of an index (the same id in two documents counts
# twice here and once in ids()).
docs() {
    xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'
}

"$INDEX" -q --db "$tmp/ref.db" "$tmp/corpus" || fail "reference run"
ids "$tmp/ref.db" >"$tmp/ref.ids"
[ "$(wc -l <"$tmp/ref.ids")" -eq 4000 ] || fail "reference holds $(wc -l <"$tmp/ref.ids") articles"

round=0
while [ "$round" -lt "$ROUNDS" ]; do
    round=$((round + 1))
    rm -rf "$tmp/db"
    # Several kills in a row on the same index, then a complete run.
    for kill in 1 2 3; do
        "$INDEX" -q --commit-every 150 --db "$tmp/db" "$tmp/corpus" &
        pid=$!
        # Somewhere in the first ~1.5 s (longer under the sanitizers).
        sleep "0.$(awk -v s="$round$kill" 'BEGIN { srand(s); printf "%d", 5 + rand() * 90 }')"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        if [ -e "$tmp/db" ]; then
            xapian-delve "$tmp/db" >/dev/null 2>&1 || fail "round $round kill $kill: the index does not open"
            ids "$tmp/db" >"$tmp/got.ids"
            # A prefix of the work: nothing the finished index lacks, nothing twice.
            [ -z "$(comm -23 "$tmp/got.ids" "$tmp/ref.ids")" ] || fail "round $round kill $kill: unknown articles"
            [ "$(docs "$tmp/db")" = "$(wc -l <"$tmp/got.ids" | tr -d ' ')" ] ||
                fail "round $round kill $kill: $(docs "$tmp/db") documents for $(wc -l <"$tmp/got.ids") ids"
        fi
    done
    "$INDEX" -q --db "$tmp/db" "$tmp/corpus" || fail "round $round: completing run"
    ids "$tmp/db" >"$tmp/got.ids"
    cmp -s "$tmp/got.ids" "$tmp/ref.ids" || fail "round $round: completed index differs ($(wc -l <"$tmp/got.ids") articles)"
    count=$(xapian-delve "$tmp/db" 2>/dev/null | sed -n 's/^number of documents = //p')
    [ "$count" = 4000 ] || fail "round $round: $count documents, want 4000"
done

# Kills while a changed file of 12,000 articles is indexed again: its old
# articles stay until their new versions are published (the stub that
# shows the new ones is written before the commit that deletes the old),
# so at any kill every article is there, and at most the ids of one
# publication per kill so far (killed between those two) are there twice;
# the completing run leaves every article new, once.
termfreq() {
    xapian-delve -t "$2" "$1" 2>/dev/null | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p'
}
mkdir "$tmp/up"
awk 'BEGIN {
    for (i = 0; i < 12000; i++)
        printf "{\"id\":\"u%d\",\"title\":\"Report %d from the harbor\",\"body\":\"The storm reached the harbor at dawn, report %d said; the council met.\"}\n", i, i, i
}' >"$tmp/up/wire.jsonl"
"$INDEX" -q --db "$tmp/up.db" "$tmp/up" || fail "update: first run"
ids "$tmp/up.db" >"$tmp/up.ids"
[ "$(wc -l <"$tmp/up.ids")" -eq 12000 ] || fail "update: first run holds $(wc -l <"$tmp/up.ids") articles"
sed 's/harbor/ferry/g' "$tmp/up/wire.jsonl" >"$tmp/wire.new" && mv "$tmp/wire.new" "$tmp/up/wire.jsonl"
for kill in 1 2 3; do
    "$INDEX" -q --commit-every 150 --db "$tmp/up.db" "$tmp/up" &
    pid=$!
    # Between 0.3 and 1.3 s: the whole update takes about 1.7 s here
    # (and longer under the sanitizers).
    sleep "$(awk -v s="$kill" 'BEGIN { srand(s + 40); printf "%.2f", 0.3 + rand() }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    xapian-delve "$tmp/up.db" >/dev/null 2>&1 || fail "update kill $kill: the index does not open"
    ids "$tmp/up.db" >"$tmp/got.ids"
    [ -z "$(comm -23 "$tmp/got.ids" "$tmp/up.ids")" ] || fail "update kill $kill: unknown articles"
    missing=$(comm -13 "$tmp/got.ids" "$tmp/up.ids" | wc -l)
    [ "$missing" -eq 0 ] || fail "update kill $kill: $missing articles missing"
    # Each kill may leave one publication's ids twice, until a later run
    # publishes them again.
    twice=$(( $(docs "$tmp/up.db") - $(wc -l <"$tmp/got.ids") ))
    [ "$twice" -le $((150 * kill)) ] || fail "update kill $kill: $twice articles twice"
done
"$INDEX" -q --db "$tmp/up.db" "$tmp/up" || fail "update: completing run"
ids "$tmp/up.db" >"$tmp/got.ids"
cmp -s "$tmp/got.ids" "$tmp/up.ids" || fail "update: completed index differs ($(wc -l <"$tmp/got.ids") articles)"
[ "$(docs "$tmp/up.db")" = 12000 ] || fail "update: $(docs "$tmp/up.db") documents, want 12000"
[ "$(termfreq "$tmp/up.db" ZSferri)" = 12000 ] || fail "update: $(termfreq "$tmp/up.db" ZSferri) new titles, want 12000"
[ -z "$(termfreq "$tmp/up.db" ZSharbor)" ] || [ "$(termfreq "$tmp/up.db" ZSharbor)" = 0 ] ||
    fail "update: $(termfreq "$tmp/up.db" ZSharbor) old titles left"

# SIGINT and SIGTERM: a clean stop that keeps what was done (exit 1).
for sig in INT TERM; do
    rm -rf "$tmp/db"
    "$INDEX" -q --commit-every 100000 --db "$tmp/db" "$tmp/corpus" &
    pid=$!
    sleep 0.5
    kill -"$sig" "$pid"
    wait "$pid"
    st=$?
    if [ "$st" -eq 0 ]; then
        echo "crash_test: the run finished before SIG$sig; not checked"
        continue
    fi
    [ "$st" -eq 1 ] || fail "SIG$sig: exit $st, want 1"
    n=$(ids "$tmp/db" | wc -l)
    [ "$n" -gt 0 ] || fail "SIG$sig: nothing was committed"
done

if [ "$fails" -eq 0 ]; then
    echo "crash_test: all checks passed ($ROUNDS rounds of kills)"
    exit 0
fi
exit 1
