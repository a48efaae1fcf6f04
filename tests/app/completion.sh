# tests/app/completion.sh — the bash completion: subcommands, each subcommand's options, lesson names.
# Owns: assets/heapsim.bash-completion's contract, with and without the bash-completion package.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
COMP=$HS_SRC/assets/heapsim.bash-completion
unset HEAPSIM_TRACES

# complete MODE WORD...: the candidates for the last word, one a line.
# MODE plain: the script alone; MODE full: after the bash-completion package.
complete_words() {
    local mode=$1
    shift
    bash --norc --noprofile -c '
        mode=$1 comp=$2; shift 2
        if [ "$mode" = full ]; then . /usr/share/bash-completion/bash_completion || exit 9; fi
        . "$comp" || exit 8
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _heapsim
        printf "%s\n" "${COMPREPLY[@]}"' _ "$mode" "$COMP" "$@"
}

# has MODE WANT WORD...: WANT is among the candidates.
has() {
    local mode=$1 want=$2
    shift 2
    complete_words "$mode" "$@" >"$T/c" 2>"$T/e"
    grep -qxF -- "$want" "$T/c" && ok || fail "[$mode] '$*<TAB>' lacks '$want': $(tr '\n' ' ' <"$T/c") $(head -c 300 "$T/e")"
}

mkdir -p "$T/cwd" && cd "$T/cwd" || exit 1
modes=plain
[ -f /usr/share/bash-completion/bash_completion ] && modes="plain full"
for m in $modes; do
    has $m sim "$HEAPSIM" ""
    has $m validate "$HEAPSIM" va
    has $m figures-1-9 "$HEAPSIM" fig
    has $m tcache-fastbins "$HEAPSIM" sim tc
    has $m --version "$HEAPSIM" --v
    has $m small "$HEAPSIM" gen --mix s
    has $m textbook "$HEAPSIM" sim --profile t
    has $m record "$HEAPSIM" rec
    has $m ltrace "$HEAPSIM" import l
    # every option each subcommand's file parses
    for pair in sim:cmd_sim real:cmd_real validate:cmd_validate check:cmd_check gen:cmd_gen render:cmd_render gui:cmd_gui record:cmd_record import:cmd_import; do
        sub=${pair%%:*} f=$HS_SRC/app/${pair#*:}.c
        [ -f "$f" ] || continue
        for o in $(grep -ohE '"--[a-z][a-z0-9-]*"' "$f" | tr -d '"' | sort -u); do
            has $m "$o" "$HEAPSIM" "$sub" --
        done
    done
    # lessons of one's own, through HEAPSIM_TRACES, and trace files here
    mkdir -p "$T/mine" && printf '{"ops": []}\n' >"$T/mine/my-own.jsonl"
    printf '{"ops": []}\n' >"$T/cwd/here.json"
    HEAPSIM_TRACES=$T/mine has $m my-own "$HEAPSIM" sim my
    has $m here.json "$HEAPSIM" check he
done
# the installed name: complete -F registers heapsim
bash --norc --noprofile -c ". '$COMP'; complete -p heapsim" 2>&1 | grep -q -- "-F _heapsim heapsim" \
    && ok || fail "the script does not register a completion for heapsim"
finish
