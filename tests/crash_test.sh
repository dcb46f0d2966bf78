#!/bin/sh
# Crash safety: kill byline-index with SIGKILL at random points; the index
# must always open and hold a committed prefix of the work (no article that
# the finished index lacks, none published missing, at most one
# publication's articles twice per kill), and a re-run must complete it to
# exactly the content of an uninterrupted run.  Also: SIGINT and SIGTERM
# commit what is done and exit cleanly.
# Kill points are spread over creating an index, updating a changed file,
# deleting the articles of removed files and the final merge.
# Usage: crash_test.sh BYLINE-INDEX [ROUNDS]
#   ROUNDS (default 8) sets how many kills: about 3 x ROUNDS + 3 x 3; CI
#   runs 6 (27 kills); CRASH_LONG=1 multiplies every phase by 4 (100 or
#   more kills, a few minutes).
set -u
INDEX=$1 ROUNDS=${2:-8}
LONG=1
[ "${CRASH_LONG:-0}" = 1 ] && LONG=4 && ROUNDS=$((ROUNDS * 4))
kills=0 tries=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-crash-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"
command -v xapian-delve >/dev/null || {
    # tools/install-deps.sh installs it (xapian-tools): a missing one is a
    # broken setup, not a pass.
    echo "crash_test: FAIL: xapian-delve is not installed (xapian-tools)" >&2
    exit 1
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

# kill_after PID DIR N: kill PID (SIGKILL) once DIR holds N entries more
# than it did (new segments appear as a run goes on: a kill then lands
# inside the run whatever the machine's load), or after 5 s.  Counts the
# kills that found the run still going.
kill_after() {
    base=$(ls "$2" 2>/dev/null | wc -l)
    i=0
    while kill -0 "$1" 2>/dev/null; do
        [ $(( $(ls "$2" 2>/dev/null | wc -l) - base )) -ge "$3" ] && break
        i=$((i + 1))
        [ "$i" -ge 500 ] && break
        sleep 0.01
    done
    tries=$((tries + 1))
    kill -KILL "$1" 2>/dev/null && kills=$((kills + 1))
    wait "$1" 2>/dev/null
}

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

start=$(date +%s%N)
"$INDEX" -q --db "$tmp/ref.db" "$tmp/corpus" || fail "reference run"
took_ref=$(( ($(date +%s%N) - start) / 1000000 ))
ids "$tmp/ref.db" >"$tmp/ref.ids"
[ "$(wc -l <"$tmp/ref.ids")" -eq 4000 ] || fail "reference holds $(wc -l <"$tmp/ref.ids") articles"

round=0
while [ "$round" -lt "$ROUNDS" ]; do
    round=$((round + 1))
    rm -rf "$tmp/db"
    # Several kills in a row on the same index, then a complete run.
    for kill in 1 2 3; do
        mkdir -p "$tmp/db"
        "$INDEX" -q --commit-every 150 --db "$tmp/db" "$tmp/corpus" &
        # After 1 to 8 new segments (a run after a kill has less to do).
        kill_after $! "$tmp/db" "$(awk -v s="$round$kill" -v k="$kill" 'BEGIN {
            srand(s); printf "%d", 1 + rand() * (k == 1 ? 8 : 4) }')"
        if [ -e "$tmp/db" ]; then
            xapian-delve "$tmp/db" >/dev/null 2>&1 || fail "round $round kill $kill: the index does not open"
            ids "$tmp/db" >"$tmp/got.ids"
            # A prefix of the work: nothing the finished index lacks; an
            # article twice only for a publication a kill cut between its
            # stub and the deletion of the old versions (150 articles).
            [ -z "$(comm -23 "$tmp/got.ids" "$tmp/ref.ids")" ] || fail "round $round kill $kill: unknown articles"
            twice=$(( $(docs "$tmp/db") - $(wc -l <"$tmp/got.ids") ))
            [ "$twice" -le $((150 * kill)) ] ||
                fail "round $round kill $kill: $twice articles twice"
        fi
    done
    "$INDEX" -q --db "$tmp/db" "$tmp/corpus" || fail "round $round: completing run"
    ids "$tmp/db" >"$tmp/got.ids"
    cmp -s "$tmp/got.ids" "$tmp/ref.ids" || fail "round $round: completed index differs ($(wc -l <"$tmp/got.ids") articles)"
    count=$(xapian-delve "$tmp/db" 2>/dev/null | sed -n 's/^number of documents = //p')
    [ "$count" = 4000 ] || fail "round $round: $count documents, want 4000"
done

echo "crash_test: creating ($took_ref ms a run): $kills of $tries kills landed"
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
for kill in $(seq 1 $((3 * LONG))); do
    "$INDEX" -q --commit-every 150 --db "$tmp/up.db" "$tmp/up" &
    kill_after $! "$tmp/up.db" "$(awk -v s="$kill" 'BEGIN { srand(s + 40); printf "%d", 1 + rand() * 12 }')"
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

echo "crash_test: updating: $kills of $tries kills landed so far"
# Kills while the articles of removed files are deleted, and during the
# final merge (the end of a run): the index opens with no unknown article
# and none twice, and the completing run gives the reference.
"$INDEX" -q --db "$tmp/rm.db" "$tmp/corpus" || fail "removal: first run"
mkdir -p "$tmp/moved"
mv "$tmp/corpus/0"[0-4] "$tmp/moved/"
"$INDEX" -q --db "$tmp/rm.ref.db" "$tmp/corpus" || fail "removal: reference"
ids "$tmp/rm.ref.db" >"$tmp/rm.ids"
for kill in $(seq 1 $((3 * LONG))); do
    cp -r "$tmp/rm.db" "$tmp/rm.try.db"
    "$INDEX" -q --db "$tmp/rm.try.db" "$tmp/corpus" &
    pid=$!
    sleep "$(awk -v s="$kill" 'BEGIN { srand(s + 70); printf "%.3f", 0.01 + rand() * 0.12 }')"
    tries=$((tries + 1)); kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
    xapian-delve "$tmp/rm.try.db" >/dev/null 2>&1 || fail "removal kill $kill: the index does not open"
    ids "$tmp/rm.try.db" >"$tmp/got.ids"
    [ "$(docs "$tmp/rm.try.db")" = "$(wc -l <"$tmp/got.ids" | tr -d ' ')" ] ||
        fail "removal kill $kill: an article twice"
    [ -z "$(comm -13 "$tmp/got.ids" "$tmp/rm.ids")" ] || fail "removal kill $kill: kept articles missing"
    "$INDEX" -q --db "$tmp/rm.try.db" "$tmp/corpus" || fail "removal kill $kill: completing run"
    ids "$tmp/rm.try.db" >"$tmp/got.ids"
    cmp -s "$tmp/got.ids" "$tmp/rm.ids" || fail "removal kill $kill: completed index differs"
    rm -rf "$tmp/rm.try.db"
done
mv "$tmp/moved/"* "$tmp/corpus/"
echo "crash_test: removing: $kills of $tries kills landed so far"
# The final merge: a run's last part; time a run, then kill in its last
# third.
start=$(date +%s%N)
"$INDEX" -q --commit-every 100 --db "$tmp/fm.db" "$tmp/corpus" || fail "merge: timing run"
took=$(( ($(date +%s%N) - start) / 1000000 ))
for kill in $(seq 1 $((3 * LONG))); do
    rm -rf "$tmp/fm.db"
    "$INDEX" -q --commit-every 100 --db "$tmp/fm.db" "$tmp/corpus" &
    pid=$!
    sleep "$(awk -v s="$kill" -v t="$took" 'BEGIN { srand(s + 90); printf "%.3f", t * (0.5 + rand() * 0.4) / 1000 }')"
    tries=$((tries + 1)); kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
    xapian-delve "$tmp/fm.db" >/dev/null 2>&1 || fail "merge kill $kill: the index does not open"
    ids "$tmp/fm.db" >"$tmp/got.ids"
    [ -z "$(comm -23 "$tmp/got.ids" "$tmp/ref.ids")" ] || fail "merge kill $kill: unknown articles"
    [ "$(docs "$tmp/fm.db")" = "$(wc -l <"$tmp/got.ids" | tr -d ' ')" ] || fail "merge kill $kill: an article twice"
    "$INDEX" -q --db "$tmp/fm.db" "$tmp/corpus" || fail "merge kill $kill: completing run"
    ids "$tmp/fm.db" >"$tmp/got.ids"
    cmp -s "$tmp/got.ids" "$tmp/ref.ids" || fail "merge kill $kill: completed index differs"
done

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

# Killed while a new index was being set up: its stub written, the meta
# database's first commit (the schema) not made.  A re-run begins it
# again (it once refused: "the index names no language").
rm -rf "$tmp/begun"
mkdir -p "$tmp/begun"
xapian-metadata set "$tmp/begun/meta" unrelated key >/dev/null 2>&1 &&
    : >"$tmp/begun/XAPIANDB" || fail "setting up a begun index"
"$INDEX" -q --db "$tmp/begun" "$tmp/corpus" || fail "a begun index: the re-run failed"
[ "$(ids "$tmp/begun" | wc -l)" = 4000 ] || fail "a begun index: $(ids "$tmp/begun" | wc -l) articles, want 4000"

# A kill that came after the run ended checked nothing: most must land.
[ "$((kills * 2))" -ge "$tries" ] ||
    fail "only $kills of $tries kills hit a running indexer"
if [ "$fails" -eq 0 ]; then
    echo "crash_test: all checks passed ($kills kill points of $tries tries)"
    exit 0
fi
exit 1
