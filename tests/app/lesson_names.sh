# tests/app/lesson_names.sh — a lesson by name: `heapsim figures-1-9`, `heapsim sim tcache-fastbins`, close matches.
# Owns: the lookup's contract (files first, then NAME.json/.jsonl in the lesson folders, HEAPSIM_TRACES) and its hostile input.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
unset HEAPSIM_TRACES

mkdir -p "$T/cwd" && cd "$T/cwd" || exit 1
# by name, from a folder without traces/: the same steps as by path
"$HEAPSIM" sim --jsonl "$HS_SRC/traces/tcache-fastbins.json" >"$T/bypath" 2>&1
expect 0 "" "$HEAPSIM" sim --jsonl tcache-fastbins
cmp -s "$T/out" "$T/bypath" && ok || fail "sim tcache-fastbins differs from sim by path"
expect 0 "^figures-1-9: ok, 9 ops" "$HEAPSIM" check figures-1-9
expect 0 "0 disagreements" "$HEAPSIM" validate --quiet figures-1-9 memalign

# unknown names: exit 2, the message, the close matches (edit distance, or a part of the name)
expect 2 "^heapsim: no trace or lesson named 'figures-1-8'$" "$HEAPSIM" sim figures-1-8
grep -qE "close matches: figures-1-9( |$)" "$T/out" && ok || fail "figures-1-8: $(cat "$T/out")"
expect 2 "close matches:.* tcache-fastbins" "$HEAPSIM" sim tcache-fastbin
expect 2 "close matches:.*double-free-fastbin.*double-free-smallbin" "$HEAPSIM" check double-free
expect 2 "no trace or lesson named 'zzzzqqqq'" "$HEAPSIM" real zzzzqqqq
if grep -q "close matches" "$T/out"; then fail "zzzzqqqq has close matches: $(cat "$T/out")"; else ok; fi
# the window takes a name too (fails before any display is needed; GUI build only)
if "$HEAPSIM" render --help >/dev/null 2>&1; then
    expect 2 "no trace or lesson named 'figures-1-8'" "$HEAPSIM" figures-1-8
fi

# a path, or a name with a suffix, is never looked up
expect 2 "" "$HEAPSIM" check ./figures-1-9
if grep -q "no trace or lesson" "$T/out"; then fail "./figures-1-9 was looked up"; else ok; fi
expect 2 "" "$HEAPSIM" check figures-1-9.json
if grep -q "no trace or lesson" "$T/out"; then fail "figures-1-9.json was looked up"; else ok; fi

# an existing file wins over a lesson of the same name
printf '{"ops": [{"op": "malloc", "id": "a", "size": 1}]}\n' >"$T/cwd/figures-1-9"
expect 0 "figures-1-9: ok, 1 ops" "$HEAPSIM" check figures-1-9
rm "$T/cwd/figures-1-9"

# HEAPSIM_TRACES: more folders, colon-separated, after the shipped lessons;
# .jsonl found too; empty parts and missing folders are harmless
mkdir -p "$T/a" "$T/b"
printf '{"ops": [{"op": "malloc", "id": "a", "size": 1}]}\n' >"$T/a/mine.json"
printf '{"format": "heapsim-trace/1"}\n{"op": "malloc", "id": "a", "size": 2}\n{"op": "free", "id": "a"}\n' >"$T/b/other.jsonl"
cp "$T/a/mine.json" "$T/b/figures-1-9.json"
export HEAPSIM_TRACES="::$T/nonexistent:$T/a::$T/b:"
expect 0 "ok, 1 ops" "$HEAPSIM" check mine
expect 0 "^other: ok, 2 ops" "$HEAPSIM" check other
expect 0 "ok, 9 ops" "$HEAPSIM" check figures-1-9          # the shipped lesson comes first
expect 2 "close matches: mine" "$HEAPSIM" check mines
expect 0 "^lessons: $T/b\$" "$HEAPSIM" --version
expect 0 "^$T/a\$" "$HEAPSIM" --lesson-dirs
unset HEAPSIM_TRACES

# hostile: empty, huge and odd names, a huge HEAPSIM_TRACES, an unreadable folder
expect 2 "" "$HEAPSIM" check ""
long=$(printf 'x%.0s' $(seq 1 5000))
expect 2 "no trace or lesson named 'x" "$HEAPSIM" check "$long"
expect 2 "" "$HEAPSIM" check "$long.json"
expect 2 "no trace or lesson named" "$HEAPSIM" check $'a\tb\x01'
expect 2 "no trace or lesson named '%s%n%s'" "$HEAPSIM" check '%s%n%s'
HEAPSIM_TRACES=$(printf ':%.0s' $(seq 1 20000))$T/a expect 2 "no trace or lesson named" "$HEAPSIM" check nothing-here
HEAPSIM_TRACES=$(printf "$T/a:%.0s" $(seq 1 100)) expect 0 "ok, 1 ops" "$HEAPSIM" check mine
mkdir -p "$T/locked" && cp "$T/a/mine.json" "$T/locked/" && chmod 000 "$T/locked"
HEAPSIM_TRACES=$T/locked expect 2 "no trace or lesson named 'minee'" "$HEAPSIM" check minee
chmod 755 "$T/locked"
finish
