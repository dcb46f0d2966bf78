# What the shell tests of the programs share (sourced, after $tmp is set
# to the test's scratch directory): failures counted in $fails, exit
# statuses checked.  Each test ends with its own summary of $fails.

fails=0

# fail MESSAGE...: a failure, on stderr; the test goes on.
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# expect_status WANT CMD...: run CMD (its output in $tmp/out and
# $tmp/err), check its exit status.
expect_status() {
    want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || {
        fail "exit $got, want $want: $*"
        sed 's/^/  stderr: /' "$tmp/err" >&2
    }
}
