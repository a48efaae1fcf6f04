#!/usr/bin/env bash
# tests/app/hostile_unreadable.sh — a trace file heapsim may not read (mode 000): status 2 and "Permission denied".
# Owns: the unreadable-file class.  Root reads any file, so as root heapsim runs as nobody (setpriv);
# exits 77 (ctest SKIP_RETURN_CODE) when that is impossible.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T
SKIP=77

printf '{"ops": [{"op": "malloc", "id": "A", "size": 1}]}\n' >"$D/secret.json"
printf '{"format": "heapsim-trace/1"}\n{"op": "malloc", "id": "A", "size": 1}\n' >"$D/secret.jsonl"
chmod 000 "$D/secret.json" "$D/secret.jsonl"
chmod 755 "$D"

run_as=()
if [ "$(id -u)" -eq 0 ]; then
    if ! command -v setpriv >/dev/null; then
        echo "SKIP: running as root, and setpriv (util-linux) is missing: cannot drop privileges to test an unreadable file"
        exit $SKIP
    fi
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
    # nobody must reach heapsim, and the files' directory.
    if ! "${run_as[@]}" "$HEAPSIM" --help >/dev/null 2>&1 || ! "${run_as[@]}" test -x "$D"; then
        echo "SKIP: running as root, and user nobody (65534) cannot run $HEAPSIM or enter $D"
        exit $SKIP
    fi
    if "${run_as[@]}" cat "$D/secret.json" >/dev/null 2>&1; then
        echo "SKIP: nobody can read a mode-000 file here (capabilities kept?)"
        exit $SKIP
    fi
elif cat "$D/secret.json" >/dev/null 2>&1; then
    echo "SKIP: this user can read a mode-000 file (CAP_DAC_OVERRIDE?)"
    exit $SKIP
fi

for f in secret.json secret.jsonl; do
    for cmd in check sim real validate; do
        hs_run 2 "^$D/$f: cannot open: Permission denied" "${run_as[@]}" "$HEAPSIM" "$cmd" "$D/$f"
    done
done
chmod 600 "$D/secret.json" "$D/secret.jsonl"
hs_finish
