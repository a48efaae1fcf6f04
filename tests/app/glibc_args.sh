#!/usr/bin/env bash
# tests/app/glibc_args.sh — `--glibc` as sim, real and validate take it: unknown versions, a missing cache.
# Owns: the usage errors of --glibc (status 2) and a version not fetched (status 3, naming the fetch command).
. "$HS_SRC/tests/lib/check.sh"
FIG=$HS_SRC/traces/figures-1-9.json
for cmd in sim real validate; do
  for bad in 2.35 glibc-3.0 "" x; do
    st=0; "$HEAPSIM" $cmd --glibc "$bad" "$FIG" >"$T/out" 2>"$T/err" || st=$?
    if [ "$st" -eq 2 ] && grep -q "no model of glibc" "$T/err" && [ ! -s "$T/out" ]; then ok
    else fail "$cmd --glibc '$bad': status $st, stderr: $(cat "$T/err")"; fi
  done
  st=0; "$HEAPSIM" $cmd "$FIG" --glibc >"$T/out" 2>"$T/err" || st=$?
  [ "$st" -eq 2 ] && ok || fail "$cmd with --glibc last and no value: status $st"
done
# The machine's own version never needs the cache; another one does.
own=$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')
other=2.41; [ "$own" = 2.41 ] && other=2.31
for cmd in real validate; do
  st=0; HEAPSIM_GLIBC_CACHE=$T/none "$HEAPSIM" $cmd --glibc "$other" "$FIG" >"$T/out" 2>"$T/err" || st=$?
  if [ "$st" -eq 3 ] && grep -q "fetch-glibc.sh $other" "$T/err"; then ok
  else fail "$cmd --glibc $other without a cache: status $st, stderr: $(cat "$T/err")"; fi
done
# sim needs no cache, and says which profile it shows.
if HEAPSIM_GLIBC_CACHE=$T/none "$HEAPSIM" sim --glibc 2.41 "$FIG" | head -1 | grep -q "profile glibc-2.41"; then ok
else fail "sim --glibc 2.41 does not name its profile"; fi
if "$HEAPSIM" sim --glibc 2.31 --jsonl "$FIG" | head -1 | grep -q '"mallinfo_fn":"mallinfo"'; then ok
else fail "sim --glibc 2.31 --jsonl does not mark mallinfo()"; fi
finish
