#!/bin/bash
# completion_check.sh COMPLETION-FILE PROGRAM...
#
# Checks the bash completion of Byline's programs (tools/completion/
# byline.bash) by driving its completion function in this non-interactive
# bash, as bash would on Tab (COMP_WORDS, COMP_CWORD, COMP_LINE,
# COMP_POINT set, the function that `complete -p PROG` names called, its
# COMPREPLY read):
#   (a) for each PROGRAM (a built binary), completing "PROG --" offers
#       every long option its --help lists, and nothing else;
#   (b) a few values: --format, --lang, --sort, --facets lists, --expand=,
#       and directories only for --db.
# Both without the bash-completion package's helpers and, when that
# package is installed, with them (its _filedir).  Exit 0 when all is
# well, 1 on a failure.
#
# Copyright (C) 2026 The Byline authors.
# SPDX-License-Identifier: GPL-2.0-or-later

me=completion_check

if [[ $# -lt 1 ]]; then
    echo "usage: $0 COMPLETION-FILE PROGRAM..." >&2
    exit 2
fi
completion=$1
shift
if [[ ! -r $completion ]]; then
    echo "$me: $completion: cannot read it" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/completion_check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The long options of a program's --help on stdin, one per line: option
# lines are indented by at most 8 spaces and start with '-'; their
# options are the first word and the first word of each ", "-separated
# piece that starts with '-' (as tests/man_check.sh reads them).
help_long_options() {
    awk -f "$(dirname "$0")/help_options.awk" | grep -e '^--'
}

# Complete the command line of the words "$@" (the last one is the word
# being completed, the cursor at its end) and print COMPREPLY, one per
# line.  Returns 1 if no completion function is registered.
complete_words() {
    local spec func
    spec=$(complete -p "$1" 2>/dev/null) || return 1
    func=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
    [[ -n $func ]] || return 1
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMP_TYPE=9
    COMP_KEY=9
    COMPREPLY=()
    "$func" "$1" "${COMP_WORDS[COMP_CWORD]}" \
        "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    if ((${#COMPREPLY[@]})); then
        printf '%s\n' "${COMPREPLY[@]}"
    fi
    return 0
}

# Check that completing the words "${@:2}" gives exactly the replies of $1
# (separated by spaces, in any order).
expect_replies() {
    local got want
    want=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -u | tr '\n' ' ')
    shift
    got=$(complete_words "$@" | sort -u | tr '\n' ' ')
    if [[ $got != "$want" ]]; then
        echo "$me: $where: completing '$*': expected ${want% }, got ${got:-nothing}" >&2
        return 1
    fi
    return 0
}

# Every check, in the current shell (with the completion file sourced).
run_checks() {
    local failed=0 prog name reply where=$1 d
    for prog in "${programs[@]}"; do
        name=${prog##*/}
        if ! complete -p "$name" >/dev/null 2>&1; then
            echo "$me: $where: no completion registered for $name" >&2
            failed=1
            continue
        fi
        complete_words "$name" -- | sort -u >"$tmp/offered"
        "$prog" --help | help_long_options | sort -u >"$tmp/listed"
        while IFS= read -r reply; do
            if ! grep -qxF -- "$reply" "$tmp/offered"; then
                echo "$me: $where: $name: $reply is in --help but not offered for '$name --'" >&2
                failed=1
            fi
        done <"$tmp/listed"
        while IFS= read -r reply; do
            if ! grep -qxF -- "$reply" "$tmp/listed"; then
                echo "$me: $where: $name: $reply is offered for '$name --' but not in --help" >&2
                failed=1
            fi
        done <"$tmp/offered"
    done

    expect_replies 'json' byline-search --format j || failed=1
    expect_replies 'json' byline-search --format = j || failed=1
    expect_replies '--format=json' byline-search --format=j || failed=1
    expect_replies 'french' byline-index --lang fr || failed=1
    expect_replies 'date date-asc' byline-search --sort date || failed=1
    expect_replies 'year,source' byline-search --facets year,so ||
        failed=1
    expect_replies 'rm3 bo1' byline-search --expand = || failed=1
    expect_replies '' byline-search --limit 1 || failed=1

    # Directories only, under a prefix: d1 and d2, not the file dfile.
    d=$tmp/paths
    expect_replies "$d/d1 $d/d2" byline-search --db "$d/d" || failed=1
    expect_replies "$d/d1 $d/d2" byline-index -d "$d/d" || failed=1
    # Files and directories where a file is due.
    expect_replies "$d/d1 $d/d2 $d/dfile" byline-search --topics \
        "$d/d" || failed=1
    return $failed
}

programs=("$@")
mkdir -p "$tmp/paths/d1" "$tmp/paths/d2"
: >"$tmp/paths/dfile"

status=0
(
    # shellcheck source=/dev/null
    source "$completion" && run_checks "without bash-completion"
) || status=1
bc=/usr/share/bash-completion/bash_completion
if [[ -r $bc ]]; then
    (
        # shellcheck source=/dev/null
        source "$bc" >/dev/null 2>&1
        # shellcheck source=/dev/null
        source "$completion" && run_checks "with bash-completion"
    ) || status=1
else
    echo "$me: bash-completion not installed: checked without it only"
fi
if [[ $status != 0 ]]; then
    exit 1
fi
echo "$me: ${#programs[@]} programs checked"
exit 0
