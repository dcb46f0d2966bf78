#!/bin/sh
# Ranking quality on every test collection with judgments: MAP, P@10 and
# nDCG@10 of 1,000-deep runs, as byline-eval (trec_eval's numbers)
# measures them, for Byline's ranking and Byline with --expand.  Search
# options after the output directory apply to both runs, so one setting
# is changed at a time:
#
#   bench/ranking.sh OUT                    # defaults
#   bench/ranking.sh OUT --proximity 0      # one change, every collection
#   LUCENE=1 bench/ranking.sh OUT           # the README's table: Lucene 8
#                                           # BM25 beside, with p-values
#   BASE=OUT0 bench/ranking.sh OUT1 --k1 1.2   # p-values against OUT0's runs
#
# With LUCENE=1 each Byline row has the two-sided paired randomization
# test's p (byline-eval --compare, 100,000 sign patterns, seed 1) of its
# MAP, P@10 and nDCG@10 against the better of Lucene's two runs on that
# collection (by MAP, marked "base"); with BASE=DIR, against DIR's run of
# the same name (an earlier bench/ranking.sh OUT).  EXPAND=0 leaves the
# --expand runs out.
#
# Indexes are built once per OUT (REINDEX=1 rebuilds them: needed after a
# change to the reader, the analyzer or the document builder; INDEX_OPTS
# are byline-index options for them, e.g. "--lang porter").  LUCENE=1
# runs ../shared/peers/lucene-trec/run.sh over exactly the articles
# `byline-index --list` extracts, with Anserini's k1 0.9 b 0.4 and with
# 1.2/0.75 (it needs the topics as qid<TAB>query lines: byline-search
# --print-topics writes them).  BYLINE_BIN: where the programs are
# (default build/release); CORPORA: ../shared/corpora.
#
# NOTITLE=1: the same collections without their titles (the AP sample's
# <HEAD> lines, the classic collections' .T fields), copies made once in
# OUT/notitle, all else as it is: does a ranking hold where articles
# come without headlines?
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BYLINE_BIN:-$top/build/release}
corpora=${CORPORA:-$top/../shared/corpora}
[ $# -ge 1 ] || { echo "usage: bench/ranking.sh OUT [SEARCH OPTION]..." >&2; exit 2; }
out=$1
shift
[ -d "$corpora" ] || { echo "ranking.sh: no corpora at $corpora" >&2; exit 2; }
mkdir -p "$out"

# OUT/notitle: the collections without titles (NOTITLE=1, above).
if [ "${NOTITLE:-0}" = 1 ]; then
    nt=$out/notitle
    if [ ! -d "$nt" ]; then
        rm -rf "$nt.tmp"
        for c in trec-ap-sample glasgow-cacm glasgow-cisi glasgow-cran; do
            mkdir -p "$nt.tmp/$c"
            for f in "$corpora/$c"/*; do
                n=$nt.tmp/$c/${f##*/}
                case "$c/${f##*/}" in
                trec-ap-sample/AP[0-9]*)
                    awk '/<HEAD>/ { h = 1 } !h { print } /<\/HEAD>/ { h = 0 }' "$f" >"$n" ;;
                glasgow-cacm/cacm.all | glasgow-cisi/CISI.ALL | glasgow-cran/cran.all.1400)
                    # A field starts at a line ".X" (CISI's end in CR LF).
                    awk '{ l = $0; sub(/\r$/, "", l) }
                         l ~ /^\.[A-Z]( |$)/ { split(l, a, " "); t = a[1] == ".T" }
                         !t { print }' "$f" >"$n" ;;
                *) ln -s "$(cd "${f%/*}" && pwd)/${f##*/}" "$n" ;;
                esac
            done
        done
        mv "$nt.tmp" "$nt"
    fi
    corpora=$nt
fi

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

pvalues() { # QRELS BASE RUN -> "p_map / p_p10 / p_ndcg10" (randomization)
    "$bin/byline-eval" --compare "$1" "$2" "$3" 2>/dev/null |
        awk -F'\t' '{p[$1]=$10}
             END{printf "%s / %s / %s", p["map"], p["P_10"], p["ndcg_cut_10"]}'
}

map_of() { # QRELS RUN -> map
    "$bin/byline-eval" -m map "$1" "$2" | awk '$1=="map"{print $3}'
}

head='| collection | run | MAP | P@10 | nDCG@10 |'
rule='|---|---|---|---|---|'
if [ "${LUCENE:-0}" = 1 ]; then
    head="$head p vs Lucene (MAP / P@10 / nDCG@10) |"
    rule="$rule---|"
fi
if [ -n "${BASE:-}" ]; then
    head="$head p vs $BASE |"
    rule="$rule---|"
fi
printf '%s\n%s\n' "$head" "$rule"
collections | while IFS='|' read -r name docs topics qrels; do
    base=${name%-qt}
    db=$out/$base.db
    if [ ! -d "$db" ] || [ "${REINDEX:-0}" = 1 ] && [ "$name" = "$base" ]; then
        rm -rf "$db"
        # shellcheck disable=SC2086
        "$bin/byline-index" -q ${INDEX_OPTS:-} --db "$db" "$docs" 2>/dev/null || true
    fi
    best=
    if [ "${LUCENE:-0}" = 1 ]; then
        "$bin/byline-index" --list "$docs" >"$out/$base.jsonl" 2>/dev/null || true
        "$bin/byline-search" --db "$db" --print-topics --topics "$topics" \
            >"$out/$name.topics.tsv"
        bestmap=-1
        for kb in "0.9 0.4" "1.2 0.75"; do
            # shellcheck disable=SC2086
            r=$(bash "$top/../shared/peers/lucene-trec/run.sh" \
                "$out/$base.jsonl" "$out/$name.topics.tsv" "$out/lucene-$base" $kb \
                2>>"$out/lucene.log")
            lrun=$out/$name.lucene-$(echo "$kb" | tr ' ' '-').run
            cp "$r" "$lrun"
            m=$(map_of "$qrels" "$lrun")
            if awk -v a="$m" -v b="$bestmap" 'BEGIN{exit !(a > b)}'; then
                bestmap=$m
                best=$lrun
            fi
        done
        rm -rf "$out/lucene-$base/index"
    fi
    for how in default expand; do
        [ "$how" = default ] || [ "${EXPAND:-1}" != 0 ] || continue
        run=$out/$name.run
        more=
        if [ "$how" = expand ]; then
            run=$out/$name.expand.run
            more=--expand
        fi
        # shellcheck disable=SC2086
        "$bin/byline-search" --db "$db" --format trec --topics "$topics" \
            "$@" $more >"$run" 2>"$out/$name.$how.err" || true
        label=$(echo "byline $* $more" | tr -s ' ' | sed 's/ $//')
        # shellcheck disable=SC2046,SC2183 # (three measures, split)
        printf '| %s | %s | %s | %s | %s |' "$name" "$label" \
            $(measure "$qrels" "$run")
        [ -z "$best" ] || printf ' %s |' "$(pvalues "$qrels" "$best" "$run")"
        if [ -n "${BASE:-}" ]; then
            b=$BASE/$(basename "$run")
            if [ -f "$b" ]; then
                printf ' %s |' "$(pvalues "$qrels" "$b" "$run")"
            else
                printf ' |'
            fi
        fi
        printf '\n'
    done
    if [ -n "$best" ]; then
        for kb in 0.9-0.4 1.2-0.75; do
            lrun=$out/$name.lucene-$kb.run
            mark=
            [ "$lrun" != "$best" ] || mark=base
            # shellcheck disable=SC2046,SC2183 # (three measures, split)
            printf '| %s | lucene %s | %s | %s | %s | %s |' "$name" \
                "$(echo "$kb" | tr '-' ' ')" $(measure "$qrels" "$lrun") "$mark"
            [ -z "${BASE:-}" ] || printf ' |'
            printf '\n'
        done
    fi
done
