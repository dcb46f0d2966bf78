# The option tokens of a program's --help (on stdin), one per line: option
# lines are indented by at most 8 spaces and start with '-'; their options
# are the first word and the first word of each ", "-separated piece that
# starts with '-' ("  -d, --db DIR", "      --from DATE, --to DATE").
# Used by tests/man_check.sh and tests/completion_check.sh.
/^ +-/ {
    match($0, /^ +/)
    if (RLENGTH > 8)
        next
    line = substr($0, RLENGTH + 1)
    n = split(line, piece, ", ")
    for (i = 1; i <= n; i++) {
        if (substr(piece[i], 1, 1) != "-")
            break
        if (!match(piece[i], /^--?[A-Za-z0-9][-A-Za-z0-9]*/))
            break
        print substr(piece[i], RSTART, RLENGTH)
    }
}
