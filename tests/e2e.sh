#!/bin/sh
# End-to-end tests of byline-index and byline-search on real files: the
# sample corpus, and the dirty fixtures.
# (The real corpora of ../shared/corpora are corpora_test.sh's.)
# Usage: e2e.sh BYLINE-INDEX BYLINE-SEARCH CORPUS-DIR TEST-DATA-DIR
#        [BYLINE-EVAL [BYLINE-BENCH]]
set -u
INDEX=$1 SEARCH=$2 CORPUS=$3 DATA=$4 EVAL=${5:-$(dirname "$1")/byline-eval}
BENCH=${6:-$(dirname "$1")/byline-bench}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-e2e-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

# top_hit QUERY WANT-ID: the first hit of QUERY on the sample corpus.
top_hit() {
    got=$("$SEARCH" --db "$tmp/corpus.db" --format json -n 1 "$1" |
        sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
    [ "$got" = "$2" ] || fail "query '$1': top hit '$got', want '$2'"
}

# --- help, version, usage errors -------------------------------------------
for prog in "$INDEX" "$SEARCH" "$EVAL" "$BENCH"; do
    expect_status 0 "$prog" --help
    grep -q '^Usage:' "$tmp/out" || fail "$prog --help has no usage"
    grep -q 'Exit status' "$tmp/out" || fail "$prog --help has no exit codes"
    expect_status 0 "$prog" --version
    grep -q 'xapian 1\.' "$tmp/out" || fail "$prog --version"
    expect_status 2 "$prog" --no-such-option
    expect_status 2 "$prog"
    [ -s "$tmp/out" ] && fail "$prog: usage error printed on stdout"
done

# --- the sample corpus -------------------------------------------------------
expect_status 0 "$INDEX" --db "$tmp/corpus.db" "$CORPUS"
n=$(ls "$CORPUS"/*.txt | wc -l)
grep -q "^byline-index: $n articles indexed from $n files" "$tmp/err" ||
    fail "summary: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "byline-index wrote to stdout"

top_hit "harbor pilots strike" "harbor-pilots-strike.txt"
top_hit "wildfire evacuation" "wildfire-evacuation.txt"
top_hit "central bank interest rates" "central-bank-rates.txt"
top_hit "vaccine trial" "vaccine-trial-results.txt"
top_hit "chess championship" "chess-championship.txt"
top_hit "striking dockworkers" "harbor-pilots-strike.txt"

# Text output: ranked, highlighted with plain markers when piped.
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" strike workers
head -1 "$tmp/out" | grep -q '^3 results for "strike workers"$' ||
    fail "count header: $(head -1 "$tmp/out")"
grep -q '^1\. Harbor Pilots \*\*Strike\*\*' "$tmp/out" || fail "strike: rank 1"
grep -q '^2\. Rail \*\*Workers\*\*' "$tmp/out" || fail "strike: rank 2"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" wildfire
head -1 "$tmp/out" | grep -q '^1 result for "wildfire"$' ||
    fail "text header: $(head -1 "$tmp/out")"
grep -q '^1\. .*\*\*Wildfire\*\*' "$tmp/out" || fail "text: no first hit"
grep -q '\*\*wildfire' "$tmp/out" || fail "text: passage not highlighted"
grep -q "$(printf '\033')" "$tmp/out" && fail "colour codes when piped"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" --color always wildfire
grep -q "$(printf '\033')\[1" "$tmp/out" || fail "--color always: no colour"

# JSON: one object per line with the documented fields.
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f json -n 3 wildfire
[ "$(wc -l <"$tmp/out")" -ge 1 ] || fail "json: no lines"
for field in '"id":' '"rank":1,' '"score":' '"title":' '"author":' \
    '"date":' '"path":' '"passages":[{"text":' '"highlights":[['; do
    head -1 "$tmp/out" | grep -qF "$field" || fail "json: no $field"
done

# No match is exit 1; errors are exit 2 with the path named.
expect_status 1 "$SEARCH" --db "$tmp/corpus.db" zzzzqqq
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" '...'
grep -q 'no words' "$tmp/err" || fail "empty query message"
expect_status 2 "$SEARCH" --db "$tmp/none.db" storm
grep -q "none.db" "$tmp/err" || fail "missing index not named"
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" --match most storm

# Re-indexing the same corpus never duplicates an article.
expect_status 0 "$INDEX" -q --db "$tmp/corpus.db" "$CORPUS"
count=$("$SEARCH" --db "$tmp/corpus.db" -f json -n 1000 harbor |
    grep -c '"id":"harbor-pilots-strike.txt"')
[ "$count" -eq 1 ] || fail "re-index duplicated an article ($count copies)"

# --- incremental runs ------------------------------------------------------
cp -r "$CORPUS" "$tmp/inc"
expect_status 0 "$INDEX" --db "$tmp/inc.db" "$tmp/inc"
expect_status 0 "$INDEX" --db "$tmp/inc.db" "$tmp/inc"
grep -q ' 0 articles indexed from 0 files' "$tmp/err" || fail "unchanged run indexed: $(head -1 "$tmp/err")"
grep -q ' from 0 files (0.00 MB)' "$tmp/err" || fail "unchanged run counted unread bytes: $(head -1 "$tmp/err")"
grep -q "$n files unchanged, 0 removed" "$tmp/err" || fail "unchanged count: $(cat "$tmp/err")"
# A changed file is indexed again, its old text gone.
sed -i 's/Wildfire Forces Evacuation/Wildfire Forces Mass Evacuation/; s/water bombers/xylophonists/' "$tmp/inc/wildfire-evacuation.txt"
expect_status 0 "$INDEX" --db "$tmp/inc.db" "$tmp/inc"
grep -q ' 1 articles indexed from 1 files' "$tmp/err" || fail "changed file: $(head -1 "$tmp/err")"
expect_status 0 "$SEARCH" --db "$tmp/inc.db" xylophonists
expect_status 1 "$SEARCH" --db "$tmp/inc.db" bombers
# Touched twice without a change: the second time the content hash says
# it is the same.
touch -d '2001-01-01' "$tmp/inc/chess-championship.txt"
expect_status 0 "$INDEX" --db "$tmp/inc.db" "$tmp/inc"
touch -d '2002-02-02' "$tmp/inc/chess-championship.txt"
expect_status 0 "$INDEX" --db "$tmp/inc.db" "$tmp/inc"
grep -q ' 0 articles indexed' "$tmp/err" || fail "touched file re-read: $(head -1 "$tmp/err")"
# A removed file's article is deleted, unless --no-delete.
rm "$tmp/inc/chess-championship.txt"
expect_status 0 "$INDEX" --no-delete --db "$tmp/inc.db" "$tmp/inc"
expect_status 0 "$SEARCH" --db "$tmp/inc.db" chess
expect_status 0 "$INDEX" --db "$tmp/inc.db" "$tmp/inc"
grep -q "1 removed file's articles deleted" "$tmp/err" || fail "removed count: $(cat "$tmp/err")"
expect_status 1 "$SEARCH" --db "$tmp/inc.db" chess
# Indexing another folder into the same index leaves the first alone.
expect_status 1 "$INDEX" --db "$tmp/inc.db" "$DATA/articles"
grep -q ' [1-9][0-9]* removed' "$tmp/err" && fail "another root removed files: $(cat "$tmp/err")"
expect_status 0 "$SEARCH" --db "$tmp/inc.db" xylophonists
total=$("$SEARCH" --db "$tmp/inc.db" -f json -n 1000 --duplicates show the | wc -l)
[ "$total" -eq $((n - 1 + 4)) ] || fail "index holds $total articles, want $((n - 1 + 4))"

# BYLINE_DB names the index too.
BYLINE_DB="$tmp/corpus.db" expect_status 0 "$SEARCH" chess

# --- dirty input ------------------------------------------------------------
expect_status 1 "$INDEX" --db "$tmp/dirty.db" "$DATA/articles"
grep -q 'archive.txt: skipped: binary' "$tmp/err" || fail "binary not named"
grep -q 'empty.txt: skipped: empty' "$tmp/err" || fail "empty not named"
grep -q '4 articles indexed' "$tmp/err" || fail "dirty: $(cat "$tmp/err")"
grep -q '2 skipped' "$tmp/err" || fail "dirty: skipped count"
expect_status 1 "$SEARCH" --db "$tmp/dirty.db" hidden
expect_status 0 "$SEARCH" --db "$tmp/dirty.db" café
grep -q 'Caf' "$tmp/out" || fail "latin-1 article not found"
# Accent folding is chosen at indexing and used by every search after.
expect_status 1 "$SEARCH" --db "$tmp/dirty.db" cafe
expect_status 1 "$INDEX" --fold-accents --db "$tmp/folded.db" "$DATA/articles"
expect_status 0 "$SEARCH" --db "$tmp/folded.db" cafe
grep -q 'Caf' "$tmp/out" || fail "cafe not found with --fold-accents"
# A missing path is reported, and the rest is still indexed.
expect_status 1 "$INDEX" --db "$tmp/mixed.db" "$tmp/nope" "$DATA/articles/plain.txt"
grep -q "nope" "$tmp/err" || fail "missing path not named"
expect_status 0 "$SEARCH" --db "$tmp/mixed.db" bakery
# --- --list: what would be indexed, as JSON lines; nothing is indexed -------
expect_status 1 "$INDEX" --list --db "$tmp/never.db" "$DATA/jsonl"
[ -e "$tmp/never.db" ] && fail "--list created an index"
[ "$(wc -l <"$tmp/out")" -eq 4 ] || fail "--list: $(wc -l <"$tmp/out") articles, want 4"
grep -q '^{"id":"w-1","title":"Port strike ends after five days","author":"Marta Vance, Tom Hale","date":"2019-03-12"' "$tmp/out" ||
    fail "--list: first article: $(head -1 "$tmp/out")"
grep -q 'wire.jsonl:4: bad JSON at column 64' "$tmp/err" || fail "--list: no path:line for a broken line"
grep -q '3 bad records' "$tmp/err" || fail "--list: summary: $(tail -2 "$tmp/err")"
# JSON lines are indexed and searchable too; gzip is read through.
gzip -c "$DATA/jsonl/wire.jsonl" >"$tmp/wire.jsonl.gz"
expect_status 1 "$INDEX" --db "$tmp/json.db" "$tmp/wire.jsonl.gz"
expect_status 0 "$SEARCH" --db "$tmp/json.db" -f json dock workers
grep -q '"id":"w-1"' "$tmp/out" || fail "jsonl.gz article not found"
# On a terminal the progress line is drawn, and a message about a broken
# record clears it first instead of being appended to it.
if ! command -v script >/dev/null 2>&1; then
    fail "the terminal check needs script(1) (bsdutils)"
else
    script -qec "'$INDEX' --db '$tmp/tty.db' '$DATA/jsonl/wire.jsonl'" /dev/null \
        </dev/null >"$tmp/tty" 2>&1
    tr '\r' '\n' <"$tmp/tty" >"$tmp/tty.lines"
    grep -q 'byline-index: .* files, .* articles, .* MB' "$tmp/tty.lines" ||
        fail "tty: no progress line: $(cat "$tmp/tty")"
    grep -q 'MB/s.*wire.jsonl:4: bad JSON' "$tmp/tty.lines" &&
        fail "tty: message appended to the progress line: $(cat "$tmp/tty")"
    grep -q 'wire.jsonl:4: bad JSON' "$tmp/tty.lines" ||
        fail "tty: no message for the broken line: $(cat "$tmp/tty")"
fi
# A truncated gzip: the records before the break are kept, the file is
# reported and counted.
head -c 150 "$tmp/wire.jsonl.gz" >"$tmp/cut.jsonl.gz"
expect_status 1 "$INDEX" --list "$tmp/cut.jsonl.gz"
grep -q 'cut.jsonl.gz: skipped: .*gzip' "$tmp/err" || fail "truncated gzip not reported: $(cat "$tmp/err")"

# --- query language, sorting, TREC output, topics -----------------------------
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" 'strike (pilots'
grep -q 'column 8: a parenthesis is not closed' "$tmp/err" || fail "syntax error: $(cat "$tmp/err")"
grep -q '^         \^$' "$tmp/err" || fail "syntax caret: $(cat "$tmp/err")"
# The column and the caret count characters: "è" is two bytes, one column.
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" 'grève (pilots'
grep -q 'column 7: a parenthesis is not closed' "$tmp/err" || fail "syntax error, non-ASCII: $(cat "$tmp/err")"
grep -q '^        \^$' "$tmp/err" || fail "syntax caret, non-ASCII: $(cat "$tmp/err")"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" --explain '"harbor pilots" -football'
grep -q 'query (((Zharbor PHRASE/2 Zpilot) FILTER (=Eharbor AND =Epilots)) AND_NOT Zfootbal)' "$tmp/err" || fail "explain: $(cat "$tmp/err")"
# A quoted word matches its exact form; --quotes stem as unquoted words.
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" --explain --quotes stem '"harbor pilots" -football'
grep -q 'query ((Zharbor PHRASE/2 Zpilot) AND_NOT Zfootbal)' "$tmp/err" || fail "--quotes stem: $(cat "$tmp/err")"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f trec --qid 7 --tag t1 the
awk 'NF != 6 || $1 != 7 || $2 != "Q0" || $4 != NR || $6 != "t1" || $5 <= 0 || (NR > 1 && $5 >= last) { bad = 1 } { last = $5 }
     END { exit bad }' "$tmp/out" || fail "trec output: $(head -3 "$tmp/out")"
# The run's default depth (1000) lists every match; the text default
# (10) would not.
lines=$(wc -l <"$tmp/out")
m=$("$SEARCH" --db "$tmp/corpus.db" -f json -n 1 --duplicates show the | sed -n 's/.*"matches":\([0-9]*\).*/\1/p' | head -1)
[ "$m" -gt 10 ] && [ "$lines" -eq "$m" ] || fail "trec: $lines lines for $m matches"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f json --sort date -n 50 the
awk -F'"date":' 'NF > 1 && substr($2, 1, 1) == "\"" { split($2, d, "\""); if (last != "" && d[2] > last) bad = 1; last = d[2] } END { exit bad }' "$tmp/out" ||
    fail "--sort date: not newest first"
printf '# two topics\nq1\tharbor pilots\nq2\twildfire\n\n' >"$tmp/topics.tsv"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f trec --topics "$tmp/topics.tsv"
grep -q '^q1 Q0 harbor-pilots-strike.txt 1 ' "$tmp/out" || fail "topics q1: $(head -2 "$tmp/out")"
grep -q '^q2 Q0 wildfire-evacuation.txt 1 ' "$tmp/out" || fail "topics q2: $(grep '^q2' "$tmp/out" | head -2)"
cat >"$tmp/topics.trec" <<'TOPICS'
<top>
<num> Number: 301
<title> harbor pilots
<desc> Description:
Why did the pilots stop work?
</top>
<top>
<num> Number: 302
<title> wildfire
<desc> Description: Evacuations.
</top>
TOPICS
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f json -n 1 --topics "$tmp/topics.trec"
grep -q '^{"qid":"301","id":"harbor-pilots-strike.txt"' "$tmp/out" || fail "TREC topics: $(cat "$tmp/out")"
printf 'q1\n' >"$tmp/bad.tsv"
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" --topics "$tmp/bad.tsv"
grep -q 'bad.tsv:1: expected a topic id and a query' "$tmp/err" || fail "bad topics: $(cat "$tmp/err")"
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" --topics "$tmp/topics.tsv" extra words
# A topic's quotes mark a name, not a phrase: the run is the run of the
# same words unquoted; --topic-quotes phrase reads them as a query does.
printf 'q1\tthe "harbor pilots" strike\n' >"$tmp/quoted.tsv"
printf 'q1\tthe harbor pilots strike\n' >"$tmp/unquoted.tsv"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f trec --explain --topics "$tmp/quoted.tsv"
grep -q 'query q1: (Zharbor OR Zpilot OR Zstrike)$' "$tmp/err" || fail "quoted topic: $(cat "$tmp/err")"
cp "$tmp/out" "$tmp/quoted.run"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f trec --topics "$tmp/unquoted.tsv"
[ -s "$tmp/out" ] && cmp -s "$tmp/out" "$tmp/quoted.run" || fail "quoted topic: not the run of its words"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f trec --explain --topic-quotes phrase --topics "$tmp/quoted.tsv"
grep -q 'query q1: (((Zharbor PHRASE/2 Zpilot) FILTER (=Eharbor AND =Epilots)) OR Zstrike)$' "$tmp/err" ||
    fail "--topic-quotes phrase: $(cat "$tmp/err")"
# Quoted in the other order: the words find the story, the phrase nothing.
printf 'q1\t"pilots harbor"\n' >"$tmp/quoted.tsv"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" -f trec --topics "$tmp/quoted.tsv"
grep -q '^q1 Q0 harbor-pilots-strike.txt 1 ' "$tmp/out" || fail "quoted topic, words: $(cat "$tmp/out")"
expect_status 1 "$SEARCH" --db "$tmp/corpus.db" -f trec --topic-quotes phrase --topics "$tmp/quoted.tsv"
[ -s "$tmp/out" ] && fail "quoted topic, phrase: $(cat "$tmp/out")"
expect_status 2 "$SEARCH" --db "$tmp/corpus.db" --topic-quotes exact --topics "$tmp/quoted.tsv"
grep -q 'topic-quotes' "$tmp/err" || fail "--topic-quotes exact: $(cat "$tmp/err")"

# --- byline-bench: index, queries, judgments, report ------------------------
printf 'q1\tharbor pilots\nq2\twildfire\nq3\t"city council"\n' >"$tmp/bench-topics.tsv"
printf 'q1 0 harbor-pilots-strike.txt 1\nq2 0 wildfire-evacuation.txt 1\n' >"$tmp/bench-qrels"
expect_status 0 "$BENCH" -o "$tmp/bench" --runs 1 --qrels "$tmp/bench-qrels" "$CORPUS" "$tmp/bench-topics.tsv"
for f in report.md latency.svg quality.svg run.txt; do
    [ -s "$tmp/bench/$f" ] || fail "byline-bench wrote no $f"
done
grep -q '^| map | 1.0000 |$' "$tmp/bench/report.md" || fail "bench report: $(grep map "$tmp/bench/report.md")"
grep -q '^## Indexing' "$tmp/bench/report.md" && grep -q '^## Searching' "$tmp/bench/report.md" ||
    fail "bench report sections"
grep -q '<svg' "$tmp/bench/latency.svg" || fail "latency.svg is not SVG"
# --db: byline-bench rebuilds only an index of its own (marked
# .byline-bench), or a new or empty directory; any other index or
# directory is refused (2) and left as it was.
bench_db() {
    expect_status "$1" "$BENCH" -o "$tmp/bench" --runs 1 --db "$2" "$CORPUS" "$tmp/bench-topics.tsv"
}
bench_db 2 "$tmp/corpus.db"
grep -q 'corpus.db: not empty, and not an index byline-bench built' "$tmp/err" ||
    fail "bench --db over an index: $(cat "$tmp/err")"
[ -e "$tmp/corpus.db/.byline-bench" ] && fail "bench --db marked an index it refused"
expect_status 0 "$SEARCH" --db "$tmp/corpus.db" harbor pilots strike
mkdir "$tmp/bench-files"
echo keep >"$tmp/bench-files/notes.txt"
bench_db 2 "$tmp/bench-files"
[ "$(ls -A "$tmp/bench-files")" = notes.txt ] || fail "bench --db changed a directory it refused"
bench_db 2 "$tmp/bench-topics.tsv"
bench_db 0 "$tmp/bench-db"
[ -f "$tmp/bench-db/.byline-bench" ] || fail "bench --db left no .byline-bench"
bench_db 0 "$tmp/bench-db"
mkdir "$tmp/bench-empty"
bench_db 0 "$tmp/bench-empty"
[ -f "$tmp/bench/index/.byline-bench" ] || fail "bench left no .byline-bench in OUT/index"

# --- one big file, several threads, several shards -------------------------
# 600 articles in one JSON-lines file go through 2 workers into 3 shards in
# segments of 25; the index opens as one database through its stub.
mkdir "$tmp/wire"
i=0
while [ "$i" -lt 600 ]; do
    printf '{"id":"w%d","title":"Dispatch %d","body":"Dockworkers at berth %d voted on the contract offer."}\n' "$i" "$i" "$i"
    i=$((i + 1))
done >"$tmp/wire/wire.jsonl"
expect_status 0 "$INDEX" -v --threads 2 --shards 3 --commit-every 25 --db "$tmp/wire.db" "$tmp/wire"
grep -q '600 articles indexed from 1 files' "$tmp/err" || fail "wire: $(head -1 "$tmp/err")"
grep -q '2 threads, 3 shards, [0-9]* segments written' "$tmp/err" || fail "wire: stats: $(cat "$tmp/err")"
[ "$(grep -c '^auto s[0-2]-' "$tmp/wire.db/XAPIANDB")" -eq 3 ] || fail "wire: stub: $(cat "$tmp/wire.db/XAPIANDB")"
hits=$("$SEARCH" --db "$tmp/wire.db" -f json -n 1000 dockworkers | wc -l)
[ "$hits" -eq 600 ] || fail "wire: $hits hits for dockworkers, want 600"
expect_status 0 "$SEARCH" --db "$tmp/wire.db" 'berth 599'
# Unchanged: nothing read.  Shortened: the articles it lost are gone.
expect_status 0 "$INDEX" --db "$tmp/wire.db" "$tmp/wire"
grep -q ' 0 articles indexed from 0 files' "$tmp/err" || fail "wire: unchanged run: $(head -1 "$tmp/err")"
head -n 450 "$tmp/wire/wire.jsonl" >"$tmp/wire/w.tmp" && mv "$tmp/wire/w.tmp" "$tmp/wire/wire.jsonl"
expect_status 0 "$INDEX" --threads 2 --commit-every 25 --db "$tmp/wire.db" "$tmp/wire"
hits=$("$SEARCH" --db "$tmp/wire.db" -f json -n 1000 dockworkers | wc -l)
[ "$hits" -eq 450 ] || fail "wire: $hits hits after shortening, want 450"
expect_status 2 "$INDEX" --threads 0 --db "$tmp/wire.db" "$tmp/wire"
expect_status 2 "$INDEX" --memory lots --db "$tmp/wire.db" "$tmp/wire"
# A size that would wrap past 2^64 when shifted is refused, not taken as
# 1 TiB (16777217T << 40 wraps).
expect_status 2 "$INDEX" --memory 16777217T --db "$tmp/wire.db" "$tmp/wire"
grep -q 'not a valid size' "$tmp/err" || fail "16777217T: $(cat "$tmp/err")"
expect_status 2 "$INDEX" --max-file-size 1048577G --db "$tmp/wire.db" "$tmp/wire"
# A directory that is not an index is left alone.
expect_status 2 "$INDEX" --db "$tmp/wire" "$CORPUS"
grep -q 'not a Byline index' "$tmp/err" || fail "non-index db: $(cat "$tmp/err")"

# --- links and unreadable folders: nothing kept that is gone, nothing lost -
mkdir -p "$tmp/lk/corpus/sub" "$tmp/lk/outside"
printf 'Harbor strike\n\nPilots walked off the night shift.\n' >"$tmp/lk/corpus/a.txt"
printf 'Ferry fault\n\nThe island ferry is out of service.\n' >"$tmp/lk/corpus/sub/b.txt"
printf 'Tugs idle\n\nTugboat crews waited at the breakwater.\n' >"$tmp/lk/outside/c.txt"
ln -s "$tmp/lk/outside/c.txt" "$tmp/lk/corpus/link.txt"
chmod -R a+rwX "$tmp/lk"
expect_status 0 "$INDEX" --db "$tmp/lk/db" "$tmp/lk/corpus"
rm "$tmp/lk/corpus/link.txt"
expect_status 0 "$INDEX" --db "$tmp/lk/db" "$tmp/lk/corpus"
grep -q '1 removed file' "$tmp/err" || fail "a removed link's article stayed: $(cat "$tmp/err")"
# An unreadable folder: reported, exit 1, its articles kept.  Root reads
# any folder: the run is then made as nobody (setpriv).
as=""
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
    fail "the unreadable-folder check needs setpriv(1) as root (util-linux)"
else
    chmod a+x "$tmp" && chmod -R a+rwX "$tmp/lk" && chmod 0 "$tmp/lk/corpus/sub"
    expect_status 1 $as "$INDEX" --db "$tmp/lk/db" "$tmp/lk/corpus"
    chmod 755 "$tmp/lk/corpus/sub"
    grep -q 'sub: skipped: Permission denied' "$tmp/err" || fail "unreadable folder not reported: $(cat "$tmp/err")"
    grep -q ' [1-9][0-9]* removed' "$tmp/err" && fail "an unreadable folder's articles were deleted: $(cat "$tmp/err")"
    grep -q '1 file under unreadable places kept' "$tmp/err" || fail "kept articles not counted: $(cat "$tmp/err")"
    expect_status 0 "$SEARCH" --db "$tmp/lk/db" ferry
fi

# --- evaluation runs: every reprint, deterministic, ids with spaces ---------
# Three copies of one story (they tie: the same words), one more with a
# dateline, a related story, and a file whose name has a space.
mkdir -p "$tmp/runs"
story="Harbor pilots walked off the night shift on Monday, halting container ships in the narrows for the first time in thirty years, and the union said talks with the port authority would resume on Thursday."
for f in a b c; do
    printf 'Pilots strike\n\n%s\n' "$story" >"$tmp/runs/copy-$f.txt"
done
printf 'Pilots strike\n\nLONDON - %s\n' "$story" >"$tmp/runs/copy-d.txt"
printf 'Dredging ends\n\nHarbor officials said the dredging of the channel ended.\n' >"$tmp/runs/my story.txt"
printf 'Pilots vote\n\nThe pilots union will vote on the port authority offer on Thursday night.\n' >"$tmp/runs/vote.txt"
for j in 1 2; do
    expect_status 0 "$INDEX" -q -j $j --commit-every 1 --db "$tmp/runs-$j.db" "$tmp/runs"
done
expect_status 0 "$SEARCH" --db "$tmp/runs-1.db" --format trec harbor
cp "$tmp/out" "$tmp/run1.txt"
# Every copy is listed in a run (people's lists collapse them).
[ "$(grep -c ' Q0 copy-' "$tmp/run1.txt")" -eq 4 ] ||
    fail "trec run does not list every reprint: $(cat "$tmp/run1.txt")"
expect_status 0 "$SEARCH" --db "$tmp/runs-1.db" --format trec --duplicates collapse harbor
[ "$(grep -c ' Q0 copy-' "$tmp/out")" -lt 4 ] || fail "--duplicates collapse listed every copy"
expect_status 0 "$SEARCH" --db "$tmp/runs-1.db" --format json harbor
[ "$(grep -c '"id":"copy-' "$tmp/out")" -lt 4 ] || fail "json lists every reprint by default"
# Six columns, the space written as %20, ties by id descending (trec_eval's
# order: copy-c before copy-b before copy-a).
awk 'NF != 6 { bad = 1 } END { exit bad }' "$tmp/run1.txt" || fail "a run line has not six columns"
grep -q ' Q0 my%20story.txt ' "$tmp/run1.txt" || fail "id with a space not written as %20: $(cat "$tmp/run1.txt")"
order=$(grep -o 'copy-[abc]' "$tmp/run1.txt" | tr '\n' ' ')
[ "$order" = "copy-c copy-b copy-a " ] || fail "ties not in id order: $order"
# The same run whatever the threads and segments that wrote the index.
expect_status 0 "$SEARCH" --db "$tmp/runs-2.db" --format trec harbor
cmp -s "$tmp/run1.txt" "$tmp/out" || fail "run differs between -j1 and -j2 indexes: $(diff "$tmp/run1.txt" "$tmp/out")"
# byline-eval reads the %20 id as the judgments name it.
printf '1 0 my%%20story.txt 1\n' >"$tmp/runs.qrels"
expect_status 0 "$EVAL" -m num_rel_ret "$tmp/runs.qrels" "$tmp/run1.txt"
grep -q 'num_rel_ret.*all.1$' "$tmp/out" || fail "eval of a %20 id: $(cat "$tmp/out")"
# byline-eval --compare: eleven judged queries; the run ranks the relevant
# document first where the base ranks it second (1-9), both rank it first
# (10), neither ranks anything (11: 0 for both).  Exact randomization
# test: only the 2 x 2 x 2 patterns with the nine differences all of one
# sign (the two zeros' signs free) are as far from 0: p = 8 / 2048; t-test
# on 10 degrees of freedom, t = 6.7082: p = 0.0000531 (python3, Abramowitz
# and Stegun 26.7.3); Holm over 3 lines: 3 x 0.0039.
mkdir -p "$tmp/cmp"
: >"$tmp/cmp/qrels"
: >"$tmp/cmp/base"
: >"$tmp/cmp/run"
for i in 1 2 3 4 5 6 7 8 9 10 11; do
    printf '%s 0 r%s 1\n%s 0 x%s 0\n' $i $i $i $i >>"$tmp/cmp/qrels"
done
for i in 1 2 3 4 5 6 7 8 9; do
    printf '%s Q0 x%s 1 2 base\n%s Q0 r%s 2 1 base\n' $i $i $i $i >>"$tmp/cmp/base"
    printf '%s Q0 r%s 1 2 run\n%s Q0 x%s 2 1 run\n' $i $i $i $i >>"$tmp/cmp/run"
done
printf '10 Q0 r10 1 1 base\n' >>"$tmp/cmp/base"
printf '10 Q0 r10 1 1 run\n' >>"$tmp/cmp/run"
expect_status 0 "$EVAL" --compare --holm "$tmp/cmp/qrels" "$tmp/cmp/base" "$tmp/cmp/run"
printf 'map\t%s\t0.9091\t0.5000\t0.4091\t9\t0\t2\t0.0001\t0.0039\t0.0117\n' "$tmp/cmp/run" >"$tmp/cmp/want"
printf 'P_10\t%s\t0.0909\t0.0909\t0.0000\t0\t0\t11\t1.0000\t1.0000\t1.0000\n' "$tmp/cmp/run" >>"$tmp/cmp/want"
printf 'ndcg_cut_10\t%s\t0.9091\t0.6071\t0.3020\t9\t0\t2\t0.0001\t0.0039\t0.0117\n' "$tmp/cmp/run" >>"$tmp/cmp/want"
cmp -s "$tmp/out" "$tmp/cmp/want" || fail "eval --compare: $(diff "$tmp/cmp/want" "$tmp/out")"
grep -q '11 queries compared; randomization test exact' "$tmp/err" || fail "eval --compare note: $(cat "$tmp/err")"
# Two runs, one measure, a header; random patterns, the same for a seed.
expect_status 0 "$EVAL" --compare --header -m map --permutations 1000 --seed 3 "$tmp/cmp/qrels" "$tmp/cmp/base" "$tmp/cmp/run" "$tmp/cmp/base"
[ "$(sed -n 1p "$tmp/out")" = "$(printf 'measure\trun\tvalue\tbase\tdiff\twins\tlosses\tties\tp_t\tp_rand')" ] || fail "eval --compare header: $(cat "$tmp/out")"
[ "$(sed -n 3p "$tmp/out")" = "$(printf 'map\t%s\t0.5000\t0.5000\t0.0000\t0\t0\t11\t1.0000\t1.0000' "$tmp/cmp/base")" ] || fail "eval --compare base with itself: $(cat "$tmp/out")"
cp "$tmp/out" "$tmp/cmp/seed3"
expect_status 0 "$EVAL" --compare --header -m map --permutations 1000 --seed 3 "$tmp/cmp/qrels" "$tmp/cmp/base" "$tmp/cmp/run" "$tmp/cmp/base"
cmp -s "$tmp/out" "$tmp/cmp/seed3" || fail "eval --compare differs for one seed"
# Errors: the line of a bad run, a missing file, options without --compare.
printf '1 Q0 r1 1 high run\n' >"$tmp/cmp/bad"
expect_status 2 "$EVAL" --compare "$tmp/cmp/qrels" "$tmp/cmp/base" "$tmp/cmp/bad"
grep -q "^byline-eval: $tmp/cmp/bad:1: " "$tmp/err" || fail "eval --compare bad run: $(cat "$tmp/err")"
expect_status 2 "$EVAL" --compare "$tmp/cmp/qrels" "$tmp/cmp/base" "$tmp/cmp/none"
expect_status 2 "$EVAL" --compare "$tmp/cmp/qrels" "$tmp/cmp/base"
expect_status 2 "$EVAL" --compare -m num_q "$tmp/cmp/qrels" "$tmp/cmp/base" "$tmp/cmp/run"
expect_status 2 "$EVAL" --holm "$tmp/cmp/qrels" "$tmp/cmp/run"
# More like this: the reprints and the article itself are left out.
expect_status 0 "$SEARCH" --db "$tmp/runs-1.db" --format json --like copy-a.txt
grep -q '"id":"copy-[abc].txt"' "$tmp/out" && fail "--like lists the article or its reprints: $(cat "$tmp/out")"
grep -q '"id":"vote.txt"' "$tmp/out" || fail "--like misses the related story: $(cat "$tmp/out")"
expect_status 2 "$SEARCH" --db "$tmp/runs-1.db" --like no-such-id
grep -q 'no article with id no-such-id' "$tmp/err" || fail "--like unknown id: $(cat "$tmp/err")"
expect_status 2 "$SEARCH" --db "$tmp/runs-1.db" --like x harbor
expect_status 0 "$SEARCH" --db "$tmp/runs-1.db" --expand harbor
expect_status 0 "$SEARCH" --db "$tmp/runs-1.db" --expand=bo1 harbor
expect_status 2 "$SEARCH" --db "$tmp/runs-1.db" --expand=xyz harbor

if [ "$fails" -eq 0 ]; then
    echo "e2e: all checks passed"
    exit 0
fi
echo "e2e: $fails checks failed" >&2
exit 1
