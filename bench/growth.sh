#!/usr/bin/env bash
# How the work grows along each dimension of the input: resources per template, module fan-out,
# findings per file, nesting depth (nested deployments) and file count. For each dimension two
# generated inputs (bench/growth.py), N and 4N, are scanned on one thread under
# `valgrind --tool=callgrind`; the instructions (less those of an empty scan: start-up) give the
# growth as an exponent k, work ∝ N^k: 1.0 is linear, 2.0 quadratic. Instruction counts do not
# depend on the machine's load, so the figures are comparable from one run to the next (the
# per-file time bound is lifted: under valgrind a large file would pass it).
#   bash bench/growth.sh [DIMENSION ...]     (default: all five)
# Environment: KEYLESS (binary, default target/release/keyless, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
keyless="${KEYLESS:-target/release/keyless}"
dims=("$@")
[ ${#dims[@]} -gt 0 ] || dims=(resources fanout findings nesting files)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind is needed" >&2; exit 1; }
[ -x "$keyless" ] || cargo build --release --locked --quiet
work=$(mktemp -d "${TMPDIR:-/tmp}/keyless-growth.XXXXXX")
trap 'rm -rf "$work"' EXIT

# N for each dimension (the second input is 4N)
declare -A base=([resources]=1000 [fanout]=25 [findings]=1000 [nesting]=20 [files]=100)

instructions() { # path
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$work/cg.log" \
    "$keyless" --threads 1 -q --format json --fail-on never --file-timeout 60m -o "$work/out.json" "$1" >/dev/null 2>&1 || true
  sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/cg.log" | tail -1
}

mkdir -p "$work/empty"
start=$(instructions "$work/empty")
echo "$("$keyless" --version); start-up (an empty folder): $start instructions"
printf '| %-9s | %6s | %6s | %14s | %14s | %8s | %8s | %6s |\n' dimension N 4N "instr. N" "instr. 4N" "bytes N" "bytes 4N" k
printf '|%s|\n' "-----------|--------|--------|----------------|----------------|----------|----------|--------"
for dim in "${dims[@]}"; do
  n=${base[$dim]:?unknown dimension $dim}
  row=()
  for m in "$n" "$((4 * n))"; do
    path=$(python3 bench/growth.py "$dim" "$m" "$work/$dim-$m")
    bytes=$(du -sb "$work/$dim-$m" | cut -f1)
    row+=("$(instructions "$path")" "$bytes")
    rm -rf "$work/$dim-$m"
  done
  k=$(awk -v a="${row[0]}" -v b="${row[2]}" -v s="$start" 'BEGIN { printf "%.2f", log((b - s) / (a - s)) / log(4) }')
  printf '| %-9s | %6s | %6s | %14s | %14s | %8s | %8s | %6s |\n' "$dim" "$n" "$((4 * n))" "${row[0]}" "${row[2]}" "${row[1]}" "${row[3]}" "$k"
done
