# tests/app/help.sh — every subcommand answers --help with its usage; an unknown word is named as such.
# Owns: the CLI's help contract (issue 14, defect 10).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

for c in sim real validate check gen render lessons gui; do
    expect 0 "usage: heapsim" "$HEAPSIM" "$c" --help
done
# --help wins over a trace argument, and check does not try to open "--help"
expect 0 "usage: heapsim check" "$HEAPSIM" check no-such.json --help
"$HEAPSIM" check --help >"$T/o" 2>&1
grep -q "no trace or lesson named" "$T/o" && fail "check --help tried to open --help" || ok
# a word that is neither a subcommand nor a lesson
expect 2 "'frobnicate' is not a subcommand either.*sim real validate check gen render lessons gui" \
    "$HEAPSIM" frobnicate
# the top-level usage shows the window's subcommand and its options
expect 0 "heapsim gui \[TRACE\].*--no-real" "$HEAPSIM" --help
finish
