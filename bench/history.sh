#!/usr/bin/env bash
# `keyless history --all` against the physical limit: reading every object of the repository once
# (`git cat-file --batch-all-objects --batch`). Prints, for each, the median wall time of REPS
# runs, the CPU time (user + system) and the peak memory (max RSS), then the ratio of the medians.
# Usage: bash bench/history.sh REPOSITORY   (a clone or a bare repository; read, never written)
# Environment: REPS (default 3), KEYLESS (a built binary; default: build the release one).
set -euo pipefail
repo="${1:?usage: bash bench/history.sh REPOSITORY}"
reps="${REPS:-3}"
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 1; }
if [ -z "${KEYLESS:-}" ]; then
  echo "== building keyless (release)" >&2
  cargo build --release --locked --quiet
  KEYLESS="$PWD/target/release/keyless"
fi
echo "== $(git -C "$repo" rev-list --all --count) commits, $(git -C "$repo" count-objects -v | awk '/in-pack/ {print $2}') packed objects" >&2

# Runs "$@" REPS times (output discarded); prints "median_wall_s cpu_s max_rss_kb" (CPU and RSS of
# the median run).
measure() {
  local runs=() t
  t=$(mktemp)
  for _ in $(seq "$reps"); do
    /usr/bin/time -o "$t" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
    runs+=("$(tail -1 "$t")")
  done
  rm -f "$t"
  printf '%s\n' "${runs[@]}" | sort -n | awk -v n="$reps" 'NR == int((n + 1) / 2) {printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}

read -r kw kc km < <(measure "$KEYLESS" history -C "$repo" --all --format json --fail-on never -q)
read -r gw gc gm < <(measure sh -c "git -C '$repo' cat-file --batch-all-objects --batch > /dev/null")
printf '%-52s %8s %8s %10s\n' "command" "wall s" "cpu s" "max RSS"
printf '%-52s %8s %8s %8s MB\n' "keyless history --all" "$kw" "$kc" "$((km / 1024))"
printf '%-52s %8s %8s %8s MB\n' "git cat-file --batch-all-objects --batch" "$gw" "$gc" "$((gm / 1024))"
awk -v k="$kw" -v g="$gw" -v kc="$kc" -v gc="$gc" 'BEGIN { printf "ratio: %.2fx wall, %.2fx CPU\n", k / g, kc / gc }'
