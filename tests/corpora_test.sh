#!/bin/sh
# End-to-end checks on real corpora (../shared/corpora): each reader on
# its collection (BBC, Reuters-21578 as JSON lines and as SGML, AG News as
# CSV) and every article counted; CACM, the AP sample (TREC news) and
# Cranfield indexed, searched with their topics and evaluated,
# at least as good as Lucene's BM25 where it has published figures.
# Exit 77 (a skip, for ctest) when the corpora are absent.
# Usage: corpora_test.sh BYLINE-INDEX BYLINE-SEARCH BYLINE-EVAL SHARED
set -u
INDEX=$1 SEARCH=$2 EVAL=$3 SHARED=$4
if ! [ -d "$SHARED/bbc" ] || ! [ -d "$SHARED/reuters21578-jsonl" ]; then
    echo "corpora_test: skip: the real corpora are absent ($SHARED)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/byline-corpora-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

# at_least NAME DB TOPICS QRELS QUERIES MAP P10: run TOPICS on DB as a
# TREC run, evaluate it with QRELS: QUERIES evaluated, and MAP and P@10 at
# least Lucene's BM25 figures given.
at_least() {
    expect_status 0 "$SEARCH" --db "$2" -f trec --topics "$3"
    cp "$tmp/out" "$tmp/run"
    expect_status 0 "$EVAL" -m num_q -m map -m P_10 "$4" "$tmp/run"
    awk -F'\t' -v n="$5" -v map="$6" -v p10="$7" '
        $1 ~ /^num_q/ && $3 != n { bad = 1 }
        $1 ~ /^map/ && $3 < map { bad = 1 }
        $1 ~ /^P_10/ && $3 < p10 { bad = 1 } END { exit bad }' "$tmp/out" ||
        fail "$1 below Lucene's BM25: $(cat "$tmp/out")"
}

expect_status 0 "$INDEX" --list "$SHARED/bbc"
[ "$(wc -l <"$tmp/out")" -eq 2225 ] || fail "BBC: $(wc -l <"$tmp/out") articles, want 2225"
grep -q '"id":"business/001.txt","title":"Ad sales boost Time Warner profit"' "$tmp/out" ||
    fail "BBC: business/001.txt"
expect_status 1 "$INDEX" --list "$SHARED/reuters21578-jsonl"
[ "$(wc -l <"$tmp/out")" -eq 20841 ] || fail "Reuters JSONL: $(wc -l <"$tmp/out") articles, want 20841"
grep -q '737 bad records' "$tmp/err" || fail "Reuters JSONL: empty records: $(tail -2 "$tmp/err")"
grep -q '^{"id":"1","title":"BAHIA COCOA REVIEW","author":null,"date":"1987-02-26".*"categories":\["cocoa","el-salvador","usa","uruguay"\]' "$tmp/out" ||
    fail "Reuters JSONL: record 1: $(head -c 300 "$tmp/out")"
# Reuters-21578 SGML: 21,578 records; one has neither title nor text.
expect_status 1 "$INDEX" --list "$SHARED"/reuters21578/reut2-*.sgm
[ "$(wc -l <"$tmp/out")" -eq 21577 ] || fail "Reuters SGML: $(wc -l <"$tmp/out") articles, want 21577"
grep -q 'reut2-012.sgm:25983: empty record' "$tmp/err" || fail "Reuters SGML: the empty record"
grep -q '^{"id":"1","title":"BAHIA COCOA REVIEW","author":null,"date":"1987-02-26"' "$tmp/out" ||
    fail "Reuters SGML: record 1"
# AG News: CSV without a header, columns declared.
expect_status 0 "$INDEX" --list --columns category,title,body "$SHARED/ag_news_csv/test.csv"
[ "$(wc -l <"$tmp/out")" -eq 7600 ] || fail "AG News: $(wc -l <"$tmp/out") articles, want 7600"
grep -q "#39;" "$tmp/out" && fail "AG News: broken entities left"
expect_status 1 "$INDEX" --list "$SHARED/ag_news_csv/test.csv"
grep -q 'give the columns' "$tmp/err" || fail "AG News without --columns: no hint"
# CACM end to end: index, run the title queries, evaluate; at least
# Lucene's published BM25 (MAP 0.1477, P@10 0.2059).
cacm=$SHARED/glasgow-cacm
expect_status 0 "$INDEX" -q --db "$tmp/cacm.db" "$cacm/cacm.all"
at_least CACM "$tmp/cacm.db" "$cacm/lucene4ir-extras/title.query" \
    "$cacm/lucene4ir-extras/cacm.qrels" 51 0.1477 0.2059
# The AP sample (TREC news) in two commands: every document read, and
# at least Lucene 8's BM25 (Anserini's k1 0.9 b 0.4) over the same
# text: MAP 0.4915, P@10 0.1963 (bench/ranking.sh LUCENE=1).
ap=$SHARED/trec-ap-sample
expect_status 0 "$INDEX" --db "$tmp/ap.db" "$ap"
grep -q '^byline-index: 2228 articles indexed' "$tmp/err" || fail "AP sample: $(cat "$tmp/err")"
at_least "AP sample" "$tmp/ap.db" "$ap/ap-sample.topics.tsv" \
    "$ap/ap-sample.qrels" 54 0.4915 0.1963
# Cranfield and CISI in their own layouts: every query evaluated.
expect_status 1 "$INDEX" -q --db "$tmp/cran.db" "$SHARED/glasgow-cran/cran.all.1400"
expect_status 0 "$SEARCH" --db "$tmp/cran.db" -f trec --topics "$SHARED/glasgow-cran/cran.qry"
cp "$tmp/out" "$tmp/cran.run"
expect_status 0 "$EVAL" -m num_q "$SHARED/glasgow-cran/cran.qrels" "$tmp/cran.run"
grep -q 'num_q.*all.225$' "$tmp/out" || fail "Cranfield: $(cat "$tmp/out")"

if [ "$fails" -eq 0 ]; then
    echo "corpora_test: all checks passed"
    exit 0
fi
echo "corpora_test: $fails checks failed" >&2
exit 1
