# tests/app/manpage.sh — docs/heapsim.1 formats without a warning and names every subcommand and option.
# Owns: the man page's completeness against app/ (subcommands in main.c's table, every --option literal in app/*.c).
set -u
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
MAN=$HS_SRC/docs/heapsim.1

groff -man -ww -z "$MAN" 2>"$T/err"
[ -s "$T/err" ] && fail "groff warns: $(head -5 "$T/err")" || ok
LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$MAN" >"$T/page" 2>"$T/err"
[ -s "$T/err" ] && fail "man warns: $(head -5 "$T/err")" || ok
grep -q "EXIT STATUS" "$T/page" && ok || fail "man -l rendered no EXIT STATUS section"
# the rendered page, hyphenation undone, one space between words
tr -s ' \n' '  ' <"$T/page" | sed 's/‐ //g; s/- //g' >"$T/flat"

# every subcommand of main.c's table, as "heapsim NAME"
subs=$(sed -n '/cmds\[\] = {/,/};/p' "$HS_SRC/app/main.c" | grep -oE '\{"[a-z]+"' | tr -d '{"')
[ -n "$subs" ] && ok || fail "found no subcommand table in app/main.c"
for s in $subs; do
    grep -q "heapsim $s" "$T/flat" && ok || fail "the man page does not show 'heapsim $s'"
done
# every long option any subcommand parses
opts=$(grep -ohE '"--[a-z][a-z0-9-]*"' "$HS_SRC"/app/*.c | tr -d '"' | sort -u)
[ "$(echo "$opts" | wc -l)" -ge 15 ] && ok || fail "found too few options in app/*.c: $opts"
for o in $opts; do
    grep -qF -- "$o" "$T/flat" && ok || fail "the man page does not name $o"
done
for v in HEAPSIM_TRACES HEAPSIM_REPLAYER HEAPSIM_FONT_DIR; do
    grep -q "$v" "$T/flat" && ok || fail "the man page does not name $v"
done
finish
