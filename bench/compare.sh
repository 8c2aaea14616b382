#!/usr/bin/env bash
# Compares keyless with the tools users would otherwise run, on the measuring corpus:
#   ripgrep's keyword pass (a lower bound: reads every byte, understands nothing) and
#   Checkov (--framework arm bicep terraform secrets).
# Usage: bash bench/compare.sh [CORPUS_DIR]   (default: ../shared/corpus, relative to the repo)
# Environment: REPS (keyless and ripgrep repetitions, default 5), CHECKOV_REPS (default 1),
#   CHECKOV_TIMEOUT (seconds per Checkov run, default 600), CHECKOV_VENV (default a throwaway venv
#   under $TMPDIR), SKIP_CHECKOV=1.
# Repetitions are interleaved: each round runs keyless, ripgrep, then Checkov on the same folder.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
reps="${REPS:-5}"
ck_reps="${CHECKOV_REPS:-1}"
ck_timeout="${CHECKOV_TIMEOUT:-600}"
venv="${CHECKOV_VENV:-${TMPDIR:-/tmp}/keyless-checkov-venv}"

[ -d "$corpus" ] || { echo "corpus folder not found: $corpus" >&2; exit 1; }

if ! command -v rg >/dev/null 2>&1; then
  echo "== installing ripgrep" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y ripgrep >/dev/null; else sudo apt-get install -y ripgrep >/dev/null; fi
fi
if [ "${SKIP_CHECKOV:-0}" != 1 ] && [ ! -x "$venv/bin/checkov" ]; then
  echo "== installing Checkov into $venv (large; a few minutes)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check checkov
fi
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 1; }

echo "== building keyless (release)" >&2
cargo build --release --locked --quiet
keyless="$PWD/target/release/keyless"

rg_keywords=(-c -i -e AccountKey= -e SharedAccessKey= -e Password= -e password -e secret -e 'Q~' -e roleAssignments -e identity)

# Prints the wall time in seconds of "$@" (output discarded).
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
fmt() { printf '%.3f' "$1"; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"
echo "keyless $("$keyless" --version | cut -d' ' -f2), $(rg --version | head -1), checkov $([ "${SKIP_CHECKOV:-0}" = 1 ] && echo skipped || "$venv/bin/checkov" --version 2>/dev/null)"
echo "repetitions: keyless and ripgrep $reps (interleaved), Checkov $ck_reps (timeout ${ck_timeout}s); medians in seconds"
echo
printf '| %-36s | %6s | %6s | %8s | %8s | %8s | %8s | %11s | %8s |\n' folder files MB keyless ripgrep checkov "kl/rg" "checkov/kl" "kl RSS MB"
printf '|%s|\n' "--------------------------------------|--------|--------|----------|----------|----------|----------|-------------|----------"
# Each folder, then the whole corpus in one run (the "whole corpus" target; Checkov is timed per
# folder only: the sum of its rows is its whole-corpus time).
for dir in "$corpus"/*/ "$corpus/"; do
  dir="${dir%/}"
  name="$(basename "$dir")"
  whole=0
  if [ "$dir" = "${corpus%/}" ]; then name="(whole corpus)"; whole=1; fi
  files=$(find "$dir" -type f | wc -l)
  mb=$(du -sm "$dir" | cut -f1)
  kl=(); rgt=(); ck=()
  for ((i = 0; i < reps; i++)); do
    kl+=("$(seconds "$keyless" --format json --fail-on never "$dir")")
    rgt+=("$(seconds rg "${rg_keywords[@]}" "$dir")")
    if [ "${SKIP_CHECKOV:-0}" != 1 ] && [ "$whole" = 0 ] && [ "$i" -lt "$ck_reps" ]; then
      ck+=("$(seconds timeout "$ck_timeout" "$venv/bin/checkov" -d "$dir" --framework arm bicep terraform secrets --quiet --compact --soft-fail -o cli)")
    fi
  done
  rss_file=$(mktemp)
  /usr/bin/time -f %M -o "$rss_file" "$keyless" --format json --fail-on never "$dir" >/dev/null 2>&1 || true
  rss_kb=$(tail -1 "$rss_file"); rm -f "$rss_file"
  k=$(median "${kl[@]}"); r=$(median "${rgt[@]}")
  if [ "${#ck[@]}" -gt 0 ]; then
    c=$(median "${ck[@]}"); cs=$(fmt "$c"); cr=$(ratio "$c" "$k")
    if [ "$(echo "$c >= $ck_timeout" | bc)" = 1 ]; then cs=">$ck_timeout"; cr=">$(ratio "$ck_timeout" "$k")"; fi
  else
    cs=-; cr=-
  fi
  printf '| %-36s | %6s | %6s | %8s | %8s | %8s | %8s | %11s | %8s |\n' "$name" "$files" "$mb" "$(fmt "$k")" "$(fmt "$r")" "$cs" "$(ratio "$k" "$r")" "$cr" "$(echo "scale=1; $rss_kb / 1024" | bc)"
done

# Single files, as a pre-commit hook runs: a typical one (the median-sized template or config of the
# corpus) and the worst case (the largest JSON file).
single() { # label, file
  local label=$1 one=$2 kl=() rgt=() k r
  for ((i = 0; i < reps * 4; i++)); do
    kl+=("$(seconds "$keyless" --format json --fail-on never "$one")")
    rgt+=("$(seconds rg "${rg_keywords[@]}" "$one")")
  done
  k=$(median "${kl[@]}"); r=$(median "${rgt[@]}")
  echo "single file, $label: ${one#"$corpus"/} ($(( $(stat -c %s "$one") / 1024 )) KiB), $((reps * 4)) interleaved runs: keyless $(fmt "$k") s, ripgrep $(fmt "$r") s, keyless/ripgrep $(ratio "$k" "$r")"
}
echo
typical=$(find "$corpus" -type f \( -name '*.json' -o -name '*.bicep' -o -name '*.tf' -o -name '*.config' \) -printf '%s %p\n' | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}' | cut -d' ' -f2-)
[ -n "$typical" ] && single "typical (median size)" "$typical"
largest=$(find "$corpus" -type f -name '*.json' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
[ -n "$largest" ] && single "largest" "$largest"
