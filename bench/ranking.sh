#!/bin/sh
# Ranking quality on every test collection with judgments, one row each:
# MAP, P@10 and nDCG@10 of a 1,000-deep run, as byline-eval (trec_eval's
# numbers) measures them.  Search options after the output directory apply
# to every run, so one setting is changed at a time:
#
#   bench/ranking.sh OUT                    # defaults
#   bench/ranking.sh OUT --k1 0.9 --b 0.4   # one change, every collection
#   LUCENE=1 bench/ranking.sh OUT           # also Lucene 8 BM25 beside it
#
# Indexes are built once per OUT (REINDEX=1 rebuilds them: needed after a
# change to the reader, the analyzer or the document builder; INDEX_OPTS
# are byline-index options for them, e.g. "--lang porter").  LUCENE=1
# runs ../shared/peers/lucene-trec/run.sh over exactly the articles
# `byline-index --list` extracts, with Anserini's k1 0.9 b 0.4 and with
# 1.2/0.75 (it needs the topics as qid<TAB>query lines: byline-search
# --print-topics writes them).  BYLINE_BIN: where the programs are
# (default build/release); CORPORA: ../shared/corpora.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BYLINE_BIN:-$top/build/release}
corpora=${CORPORA:-$top/../shared/corpora}
[ $# -ge 1 ] || { echo "usage: bench/ranking.sh OUT [SEARCH OPTION]..." >&2; exit 2; }
out=$1
shift
[ -d "$corpora" ] || { echo "ranking.sh: no corpora at $corpora" >&2; exit 2; }
mkdir -p "$out"

# name | documents | topics | judgments
collections() {
    c=$corpora
    echo "ap|$c/trec-ap-sample|$c/trec-ap-sample/ap-sample.topics.tsv|$c/trec-ap-sample/ap-sample.qrels"
    echo "cacm|$c/glasgow-cacm/cacm.all|$c/glasgow-cacm/lucene4ir-extras/title.query|$c/glasgow-cacm/lucene4ir-extras/cacm.qrels"
    echo "cacm-qt|$c/glasgow-cacm/cacm.all|$c/glasgow-cacm/query.text|$c/glasgow-cacm/qrels.text"
    echo "cisi|$c/glasgow-cisi/CISI.ALL|$c/glasgow-cisi/CISI.QRY|$c/glasgow-cisi/CISI.REL"
    echo "cran|$c/glasgow-cran/cran.all.1400|$c/glasgow-cran/cran.qry|$c/glasgow-cran/cran.qrels"
}

measure() { # QRELS RUN -> "map p10 ndcg10"
    "$bin/byline-eval" -m map -m P_10 -m ndcg_cut_10 "$1" "$2" |
        awk '$1=="map"{m=$3} $1=="P_10"{p=$3} $1=="ndcg_cut_10"{n=$3}
             END{printf "%s %s %s", m, p, n}'
}

printf '| collection | run | MAP | P@10 | nDCG@10 |\n|---|---|---|---|---|\n'
collections | while IFS='|' read -r name docs topics qrels; do
    db=$out/$name.db
    base=${name%-qt}
    db=$out/$base.db
    if [ ! -d "$db" ] || [ "${REINDEX:-0}" = 1 ] && [ "$name" = "$base" ]; then
        rm -rf "$db"
        # shellcheck disable=SC2086
        "$bin/byline-index" -q ${INDEX_OPTS:-} --db "$db" "$docs" 2>/dev/null || true
    fi
    run=$out/$name.run
    "$bin/byline-search" --db "$db" --format trec --topics "$topics" "$@" \
        >"$run" 2>"$out/$name.err" || true
    set -- "$@"
    printf '| %s | byline %s | %s | %s | %s |\n' "$name" "$*" \
        $(measure "$qrels" "$run")
    if [ "${LUCENE:-0}" = 1 ]; then
        "$bin/byline-index" --list "$docs" >"$out/$base.jsonl" 2>/dev/null || true
        "$bin/byline-search" --db "$db" --print-topics --topics "$topics" \
            >"$out/$name.topics.tsv"
        for kb in "0.9 0.4" "1.2 0.75"; do
            # shellcheck disable=SC2086
            r=$(bash "$top/../shared/peers/lucene-trec/run.sh" \
                "$out/$base.jsonl" "$out/$name.topics.tsv" "$out/lucene-$base" $kb \
                2>>"$out/lucene.log")
            cp "$r" "$out/$name.lucene-$(echo $kb | tr ' ' '-').run"
            printf '| %s | lucene %s | %s | %s | %s |\n' "$name" "$kb" \
                $(measure "$qrels" "$r")
        done
        rm -rf "$out/lucene-$base/index"
    fi
done
