#!/bin/sh
# Faults of the machine, on the real programs, in three parts, each its
# own test (ctest: fault_points, fault_full_disk, search_while_indexing):
#  1. points: every fault point of the write path (BYLINE_FAULT, src/util/fault.h)
#     made to fail once, at its first pass and at a later one, in an
#     update run: the run says so and exits 2, the index opens with every
#     article of the last commit (none missing, none unknown), and a
#     re-run completes it to exactly the content of an uninterrupted run
#     (skipped, exit 77, in a build without fault points: ctest sets
#     BYLINE_FAULT_POINTS=0 in the environment then);
#  2. full-disk: a full disk for real: a small tmpfs (made here, as root;
#     skipped, exit 77, elsewhere): the run stops naming the index and "No
#     space left on device", exit 2, the index searches at its last
#     commit, and once there is room the re-run completes;
#  3. concurrent: searches in a loop while byline-index adds, replaces
#     and deletes articles of the same index: not one fails, no result
#     list has an article twice or one that was never indexed.
# Usage: fault_test.sh points|full-disk|concurrent BYLINE-INDEX BYLINE-SEARCH
set -u
PART=$1 INDEX=$2 SEARCH=$3
case $PART in
points | full-disk | concurrent) ;;
*) echo "usage: fault_test.sh points|full-disk|concurrent BYLINE-INDEX BYLINE-SEARCH" >&2; exit 2 ;;
esac
if [ "$PART" = points ] && [ "${BYLINE_FAULT_POINTS:-1}" = 0 ]; then
    echo "fault_test: skip: this build has no fault points (configure with -DBYLINE_FAULT_POINTS=ON; tools/test.sh does)"
    exit 77
fi
if [ "$PART" = full-disk ] && [ "$(id -u)" -ne 0 ]; then
    echo "fault_test: skip: the full-disk check needs root to mount a small tmpfs"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-fault-XXXXXX")
mounted=""
cleanup() {
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
command -v xapian-delve >/dev/null || {
    echo "fault_test: FAIL: xapian-delve is not installed (xapian-tools)" >&2
    exit 1
}
ids() { xapian-delve -a -1 "$1" 2>/dev/null | grep '^Q' | sort; }
docs() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }

# --- 1. every fault point, at its first pass and a later one -------------
# A corpus of 30 files of 20 articles (JSON lines), and an update of it:
# 10 files changed, 5 removed, 5 new.
corpus() {
    awk -v dir="$1" -v gen="$2" 'BEGIN {
        for (f = 0; f < 35; f++) {
            if (gen == 0 && f >= 30) continue;
            if (gen == 1 && f >= 10 && f < 15) continue;
            file = sprintf("%s/w%02d.jsonl", dir, f);
            word = (gen == 1 && f < 10) ? "ferry" : "harbor";
            for (i = 0; i < 20; i++)
                printf "{\"id\":\"a%02d-%02d\",\"title\":\"Report %d\",\"body\":\"The %s pilots met at dawn, report %d of file %d said.\"}\n", f, i, i, word, i, f > file;
            close(file);
        }
    }'
}
points() {
    mkdir -p "$tmp/c0" "$tmp/c1"
    corpus "$tmp/c0" 0
    corpus "$tmp/c1" 1

    # The reference: both runs, no fault.
    mkdir -p "$tmp/live"
    cp "$tmp/c0"/* "$tmp/live/"
    "$INDEX" -q --db "$tmp/ref0.db" "$tmp/live" || fail "reference, first run"
    "$INDEX" -q --db "$tmp/ref.db" "$tmp/live" || fail "reference run 1"
    rm -f "$tmp/live"/*
    cp "$tmp/c1"/* "$tmp/live/"
    "$INDEX" -q --db "$tmp/ref.db" "$tmp/live" || fail "reference run 2"
    ids "$tmp/ref.db" >"$tmp/ref.ids"
    [ "$(wc -l <"$tmp/ref.ids")" -eq 600 ] || fail "reference holds $(wc -l <"$tmp/ref.ids") articles"
    ids "$tmp/ref0.db" >"$tmp/ref0.ids"
    cat "$tmp/ref0.ids" "$tmp/ref.ids" | sort -u >"$tmp/any.ids"

    injected=0
    for point in segment-create segment-commit compact part-commit stub-write \
                 stub-rename fsync manifest meta-commit; do
        for nth in 1 3; do
            rm -rf "$tmp/db"
            rm -f "$tmp/live"/*
            cp "$tmp/c0"/* "$tmp/live/"
            "$INDEX" -q --commit-every 40 --db "$tmp/db" "$tmp/live" || fail "$point: first run"
            rm -f "$tmp/live"/*
            cp "$tmp/c1"/* "$tmp/live/"
            BYLINE_FAULT="$point:$nth" "$INDEX" -q --commit-every 40 -j 2 --db "$tmp/db" "$tmp/live" \
                2>"$tmp/err"
            st=$?
            if [ "$st" -eq 0 ]; then
                # Fewer passes than NTH in this run: nothing was injected.
                [ "$nth" -gt 1 ] || fail "$point:$nth: no failure, exit 0"
                continue
            fi
            injected=$((injected + 1))
            [ "$st" -eq 2 ] || fail "$point:$nth: exit $st, want 2"
            # (The stub's own writes report the system's error, as a real one.)
            grep -q "injected at $point\|db/XAPIANDB: Input/output error" "$tmp/err" ||
                fail "$point:$nth: not reported: $(cat "$tmp/err")"
            xapian-delve "$tmp/db" >/dev/null 2>&1 || fail "$point:$nth: the index does not open"
            ids "$tmp/db" >"$tmp/got.ids"
            # Nothing unknown; nothing published lost: every article of the
            # first run that the update keeps is there (old or new version).
            [ -z "$(comm -23 "$tmp/got.ids" "$tmp/any.ids")" ] || fail "$point:$nth: unknown articles"
            lost=$(comm -12 "$tmp/ref0.ids" "$tmp/ref.ids" | comm -23 - "$tmp/got.ids" | wc -l)
            [ "$lost" -eq 0 ] || fail "$point:$nth: $lost published articles lost"
            "$SEARCH" --db "$tmp/db" -n 1 pilots >/dev/null || fail "$point:$nth: the index does not search"
            # A re-run completes it: the same articles as the reference, once.
            "$INDEX" -q --db "$tmp/db" "$tmp/live" || fail "$point:$nth: completing run"
            ids "$tmp/db" >"$tmp/got.ids"
            cmp -s "$tmp/got.ids" "$tmp/ref.ids" || fail "$point:$nth: completed index differs"
            [ "$(docs "$tmp/db")" = 600 ] || fail "$point:$nth: $(docs "$tmp/db") documents, want 600"
            n=$("$SEARCH" --db "$tmp/db" -f trec -n 1000 ferry | wc -l)
            [ "$n" -eq 200 ] || fail "$point:$nth: $n new versions, want 200"
        done
    done
    [ "$injected" -ge 9 ] || fail "only $injected faults were injected"
    echo "fault_test: $injected injected faults, each reported and completed by a re-run"
}

# --- 2. a full disk ---------------------------------------------------------
full_disk() {
    mkdir -p "$tmp/small"
    if ! mount -t tmpfs -o size=6m tmpfs "$tmp/small" 2>/dev/null; then
        echo "fault_test: skip: cannot mount a tmpfs here (a container without the right?)"
        exit 77
    fi
    mounted="$tmp/small"
    # 8 MB of text: far more than 6 MB holds (the index is 3-4 times it).
    mkdir -p "$tmp/big"
    awk -v dir="$tmp/big" 'BEGIN {
        srand(3);
        for (f = 0; f < 20; f++) {
            file = sprintf("%s/b%02d.jsonl", dir, f);
            for (i = 0; i < 200; i++) {
                body = "";
                for (k = 0; k < 300; k++) body = body sprintf(" w%d", int(rand() * 100000));
                printf "{\"id\":\"b%02d-%03d\",\"title\":\"Big %d\",\"body\":\"%s\"}\n", f, i, i, body > file;
            }
            close(file);
        }
    }'
    "$INDEX" -q --commit-every 100 --db "$tmp/small/db" "$tmp/big" 2>"$tmp/err"
    st=$?
    [ "$st" -eq 2 ] || fail "full disk: exit $st, want 2"
    grep -q "$tmp/small/db.*No space left on device" "$tmp/err" ||
        fail "full disk: message: $(cat "$tmp/err")"
    xapian-delve "$tmp/small/db" >/dev/null 2>&1 || fail "full disk: the index does not open"
    before=$(ids "$tmp/small/db" | wc -l)
    st=0
    "$SEARCH" --db "$tmp/small/db" -n 1 w1 >/dev/null 2>&1 || st=$?
    [ "$st" -le 1 ] || fail "full disk: the index does not search (exit $st)"
    # Room again: the re-run completes.
    mount -o remount,size=256m "$tmp/small" || fail "full disk: remount"
    "$INDEX" -q --db "$tmp/small/db" "$tmp/big" || fail "full disk: completing run"
    after=$(ids "$tmp/small/db" | wc -l)
    [ "$after" -eq 4000 ] || fail "full disk: completed index holds $after articles, want 4000"
    [ "$(docs "$tmp/small/db")" = 4000 ] || fail "full disk: $(docs "$tmp/small/db") documents"
    echo "fault_test: full disk: stopped with $before articles committed, completed to $after"
    umount "$tmp/small" && mounted=""
}

# --- 3. searching while indexing ------------------------------------------------
# 40 files of 150 articles; the update changes 30 of them (every article
# replaced), removes 5 and adds 5, in publications of 100 articles.
gen3() {
    awk -v dir="$1" -v gen="$2" 'BEGIN {
        for (f = 0; f < 45; f++) {
            if (gen == 0 && f >= 40) continue;
            if (gen == 1 && f >= 30 && f < 35) continue;
            file = sprintf("%s/s%02d.jsonl", dir, f);
            word = (gen == 1 && f < 30) ? "ferry" : "harbor";
            for (i = 0; i < 150; i++)
                printf "{\"id\":\"s%02d-%03d\",\"title\":\"Report %d\",\"body\":\"The %s pilots met at dawn, report %d of file %d said.\"}\n", f, i, i, word, i, f > file;
            close(file);
        }
    }'
}
concurrent() {
    mkdir -p "$tmp/live"
    rm -rf "$tmp/db" "$tmp/s0" "$tmp/s1"
    mkdir -p "$tmp/s0" "$tmp/s1"
    gen3 "$tmp/s0" 0
    gen3 "$tmp/s1" 1
    rm -f "$tmp/live"/*
    cp "$tmp/s0"/* "$tmp/live/"
    "$INDEX" -q --db "$tmp/db" "$tmp/live" || fail "search while indexing: first run"
    cat "$tmp/s0"/* "$tmp/s1"/* | sed 's/^{"id":"\([^"]*\)".*/Q\1/' | sort -u >"$tmp/any3.ids"
    rm -f "$tmp/live"/*
    cp "$tmp/s1"/* "$tmp/live/"
    "$INDEX" -q --commit-every 100 -j 2 --db "$tmp/db" "$tmp/live" &
    pid=$!
    searches=0 bad=0
    while kill -0 "$pid" 2>/dev/null || [ "$searches" -lt 20 ]; do
        for q in pilots ferry harbor 'report 7'; do
            st=0
            "$SEARCH" --db "$tmp/db" -f trec -n 10000 "$q" >"$tmp/s.out" 2>"$tmp/s.err" || st=$?
            searches=$((searches + 1))
            if [ "$st" -gt 1 ]; then
                bad=$((bad + 1))
                fail "search '$q' failed while indexing: $(cat "$tmp/s.err")"
                continue
            fi
            awk '{print "Q" $3}' "$tmp/s.out" | sort >"$tmp/s.ids"
            [ -z "$(uniq -d "$tmp/s.ids")" ] || fail "search '$q': an article twice: $(uniq -d "$tmp/s.ids" | head -3)"
            [ -z "$(comm -23 "$tmp/s.ids" "$tmp/any3.ids")" ] || fail "search '$q': an article never indexed"
        done
    done
    wait "$pid" || fail "search while indexing: the update failed"
    n=$("$SEARCH" --db "$tmp/db" -f trec -n 10000 pilots | wc -l)
    [ "$n" -eq 6000 ] || fail "search while indexing: $n articles after the update, want 6000"
    echo "fault_test: $searches searches while indexing, $bad failed"
}

case $PART in
points) points ;;
full-disk) full_disk ;;
concurrent) concurrent ;;
esac

if [ "$fails" -eq 0 ]; then
    echo "fault_test: all checks passed"
    exit 0
fi
exit 1
