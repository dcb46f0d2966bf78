# shellcheck shell=bash
# Bash completion for Byline's programs: byline-index, byline-search,
# byline-eval, byline-bench and byline-serve.
#
# One file for all five: it is installed under each program's name in
# /usr/share/bash-completion/completions/ (where bash-completion finds it by
# the name of the command being completed), and sourcing it under any name
# registers all five.  To try it by hand:  source tools/completion/byline.bash
#
# It completes options (the long forms of --help), their fixed values
# (--format, --lang, --sort, --match, --quotes, --weighting, --duplicates, --topic-field, --topic-quotes,
# --color, --expand=, --facets and --columns lists, -m measures), directories
# for --db, -d, --out and -o, files for --topics and --qrels, and the
# programs' file arguments; options that take a number or a free value
# complete to nothing.  It needs nothing from the bash-completion package,
# and uses its _filedir (quoting, ~) when that is loaded.
#
# zsh: load bash's completion system, then this file, e.g. in ~/.zshrc:
#   autoload -U +X compinit && compinit
#   autoload -U +X bashcompinit && bashcompinit
#   source /usr/share/bash-completion/completions/byline-search
# (Tried with zsh 5.9: options, values and paths complete; without bash's
# compopt, a directory or a list is followed by a space, not left open.)
#
# tests/completion_check.sh checks it against each program's --help.
#
# Copyright (C) 2026 The Byline authors.
# SPDX-License-Identifier: GPL-2.0-or-later

# Set the caller's VALUED (options that take a value: the next word, or
# after '='), FLAGS (options that take none), HIDDEN (valued options that
# are not offered: aliases) and OPTIONAL (options whose value may only
# follow '=') for program $1.  Returns 1 for another program.
_byline_option_lists()
{
    HIDDEN='' OPTIONAL=''
    case $1 in
    byline-index)
        VALUED='-d --db -f --format --fields --include --exclude -j --threads
            --memory --shards --shard-of --commit-every --columns -l --lang
            --max-file-size'
        FLAGS='--list --hidden --no-delete --fold-accents --stopwords
            --stemmed-only --one-part --overwrite -q --quiet -v --verbose -h --help
            -V --version'
        ;;
    byline-search)
        VALUED='-d --db --shard-timeout -n --limit --offset --match --quotes --from --to
            --sort --k1 --b --k3 --weighting --pairs --pairs-common --proximity
            --proximity-window --title-weight --passages -f --format --topics
            --topic-field --topic-quotes --qid --tag --duplicates --fb-docs --fb-terms
            --fb-weight --fb-ratio --fb-spread --like --facets --color --colour'
        FLAGS='--explain --keep-stopwords --plain --expand --print-topics
            -h --help -V --version'
        OPTIONAL='--expand'
        ;;
    byline-eval)
        VALUED='-m --permutations --seed'
        FLAGS='-q --compare --holm --header -h --help -V --version'
        ;;
    byline-bench)
        VALUED='-o --out --qrels -d --db -j --threads --runs'
        FLAGS='--expand -h --help -V --version'
        ;;
    byline-serve)
        VALUED='-d --db --shard-timeout -l --listen -j --threads -c --cache-mb
            --max-query-ms --max-wildcard-terms --max-wildcard-scan
            --max-expensive --max-connections --max-client-connections
            --request-seconds --allow-host --export-max'
        FLAGS='--show-paths -h --help -V --version'
        ;;
    *)
        return 1
        ;;
    esac
    return 0
}

# Is $1 one of the words of $2?
_byline_in()
{
    local w
    for w in $2; do
        [[ $w == "$1" ]] && return 0
    done
    return 1
}

# Add to COMPREPLY the words of $1 that start with $2, each after $3.
_byline_words()
{
    local w
    for w in $1; do
        [[ $w == "$2"* ]] && COMPREPLY+=("$3$w")
    done
}

# Add to COMPREPLY the comma-separated lists that complete $2 with the
# words of $1 not already in it ("year,so": "year,source").
_byline_list()
{
    local head='' tail=$2 w
    if [[ $2 == *,* ]]; then
        head=${2%,*},
        tail=${2##*,}
    fi
    for w in $1; do
        [[ $w == "$tail"* && ,$head != *,"$w",* ]] && COMPREPLY+=("$3$head$w")
    done
    # More may follow a comma: no space after the word.
    compopt -o nospace 2>/dev/null
    return 0
}

# Add to COMPREPLY the directories ($1 = -d) or files and directories
# ($1 = -f) that complete $2, each after $3.
_byline_paths()
{
    local IFS=$'\n' w
    # (In zsh, declare -F declares a float: ask bash only.)
    if [[ -z $3 && -n ${BASH_VERSION-} ]] &&
        declare -F _filedir >/dev/null 2>&1; then
        # bash-completion's: it reads the word from cur.
        local cur=$2
        if [[ $1 == -d ]]; then
            _filedir -d
        else
            _filedir
        fi
        return 0
    fi
    compopt -o filenames 2>/dev/null
    for w in $(compgen "$1" -- "$2"); do
        COMPREPLY+=("$3$w")
    done
    return 0
}

# Complete the value $3 of option $2 of program $1, each reply after $4.
_byline_value()
{
    local prog=$1 opt=$2 cur=$3 pre=$4
    case $prog:$opt in
    *:-d | *:--db | byline-bench:-o | byline-bench:--out)
        _byline_paths -d "$cur" "$pre"
        ;;
    byline-search:--topics | byline-bench:--qrels)
        _byline_paths -f "$cur" "$pre"
        ;;
    byline-index:-f | byline-index:--format)
        _byline_words 'text jsonl reuters trec csv mail html smart' \
            "$cur" "$pre"
        ;;
    byline-index:-l | byline-index:--lang)
        # The Snowball stemmers of libstemmer (sb_stemmer_list()), and none.
        _byline_words 'none arabic armenian basque catalan danish dutch
            english finnish french german greek hindi hungarian indonesian
            irish italian lithuanian nepali norwegian porter portuguese
            romanian russian serbian spanish swedish tamil turkish yiddish' \
            "$cur" "$pre"
        ;;
    byline-index:--columns)
        _byline_list 'id title body date author url source category skip' \
            "$cur" "$pre"
        ;;
    byline-search:-f | byline-search:--format)
        _byline_words 'text json trec csv' "$cur" "$pre"
        ;;
    byline-search:--sort)
        _byline_words 'relevance date date-asc' "$cur" "$pre"
        ;;
    byline-search:--match)
        _byline_words 'any all' "$cur" "$pre"
        ;;
    byline-search:--quotes)
        _byline_words 'exact stem' "$cur" "$pre"
        ;;
    byline-search:--weighting)
        _byline_words 'bm25 dph pl2' "$cur" "$pre"
        ;;
    byline-search:--duplicates)
        _byline_words 'collapse show' "$cur" "$pre"
        ;;
    byline-search:--topic-field)
        _byline_words 'title desc both' "$cur" "$pre"
        ;;
    byline-search:--topic-quotes)
        _byline_words 'words phrase' "$cur" "$pre"
        ;;
    byline-search:--color | byline-search:--colour)
        _byline_words 'auto always never' "$cur" "$pre"
        ;;
    byline-search:--expand)
        _byline_words 'rm3 bo1' "$cur" "$pre"
        ;;
    byline-search:--facets)
        _byline_list 'year author source category' "$cur" "$pre"
        ;;
    byline-eval:-m)
        _byline_words 'runid num_q num_ret num_rel num_rel_ret map Rprec
            bpref recip_rank P P_5 P_10 P_20 P_30 P_100 recall recall_100
            recall_1000 ndcg ndcg_cut ndcg_cut_10 ndcg_cut_20' "$cur" "$pre"
        ;;
    esac
    # Anything else is a number or a free value: nothing to offer.
    return 0
}

# The completion function of all five programs.
_byline()
{
    local prog=${1##*/} cur prev VALUED FLAGS HIDDEN OPTIONAL i
    local IFS=$' \t\n'
    COMPREPLY=()
    _byline_option_lists "$prog" || return 0
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=''
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

    # An option's value: "--db DIR", or "--db=DIR" as bash splits it at
    # '=' ("--db" "=" "DIR"; "--db" "=" while nothing follows the '='),
    # or whole when '=' does not split words.
    if [[ $cur == = ]] && _byline_in "$prev" "$VALUED $HIDDEN $OPTIONAL"; then
        _byline_value "$prog" "$prev" '' ''
        return 0
    fi
    if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        local opt=${COMP_WORDS[COMP_CWORD - 2]}
        if _byline_in "$opt" "$VALUED $HIDDEN $OPTIONAL"; then
            _byline_value "$prog" "$opt" "$cur" ''
            return 0
        fi
    fi
    if [[ $cur == --*=* ]]; then
        _byline_value "$prog" "${cur%%=*}" "${cur#*=}" "${cur%%=*}="
        return 0
    fi
    if _byline_in "$prev" "$VALUED $HIDDEN"; then
        _byline_value "$prog" "$prev" "$cur" ''
        return 0
    fi

    # After "--" every word is an argument.
    local dashdash=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == -- ]] && dashdash=1
    done

    if [[ $dashdash == 0 && $cur == -* ]]; then
        local w long='' short=''
        for w in $VALUED $FLAGS; do
            if [[ $w == --* ]]; then
                long+=" $w"
            else
                short+=" $w"
            fi
        done
        if [[ $cur == --* ]]; then
            _byline_words "$long" "$cur" ''
        else
            _byline_words "$short $long" "$cur" ''
        fi
        return 0
    fi

    # The programs' arguments.
    case $prog in
    byline-index | byline-eval | byline-bench)
        _byline_paths -f "$cur" ''
        ;;
    esac
    # byline-search's QUERY is free text; byline-serve takes no argument.
    return 0
}

complete -F _byline byline-index byline-search byline-eval byline-bench \
    byline-serve
