#!/usr/bin/env bash
# Scan time of one ARM template with many resources (MI001/MI002/CONN002 look resources up by
# each other: this must grow linearly), and how closely --file-timeout bounds a slow file.
#   bash bench/arm_resources.sh [N ...]      (default: 10000 40000 resources)
# The template comes from bench/arm_resources.py (deterministic; 40,000 resources are 14 MB).
# One file is scanned on one thread, so on an idle machine wall time is the CPU time; on a loaded
# one the CPU column (user + system) is the figure to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 40000)
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 1; }
cargo build --release --locked --quiet
keyless="$PWD/target/release/keyless"
work=$(mktemp -d "${TMPDIR:-/tmp}/keyless-arm.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "$(nproc) cores"
printf '| %9s | %6s | %9s | %8s | %8s | %8s | %26s |\n' resources MB "wall s" "CPU s" "RSS MB" findings "--file-timeout 100ms: s"
printf '|%s|\n' "-----------|--------|-----------|----------|----------|----------|----------------------------"
for n in "${sizes[@]}"; do
  t="$work/azuredeploy-$n.json"
  python3 bench/arm_resources.py "$n" > "$t"
  mb=$(awk -v b="$(stat -c %s "$t")" 'BEGIN { printf "%.1f", b / 1048576 }')
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$keyless" "$t" --format json --fail-on never -o "$work/out.json" >/dev/null 2>&1
  read -r wall user sys rss < "$work/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  found=$(grep -o '"rule_id"' "$work/out.json" | wc -l)
  /usr/bin/time -f '%e' -o "$work/time" "$keyless" "$t" --format json --fail-on never --file-timeout 100ms -o "$work/out.json" >/dev/null 2>&1
  bounded=$(cat "$work/time")
  cut=$(grep -c '"INPUT011"' "$work/out.json" || true)
  printf '| %9s | %6s | %9s | %8s | %8s | %8s | %26s |\n' "$n" "$mb" "$wall" "$cpu" "$((rss / 1024))" "$found" "$bounded (INPUT011: $cut)"
done
