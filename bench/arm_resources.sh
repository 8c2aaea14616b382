#!/usr/bin/env bash
# Scan time of one ARM template with many resources (MI001/MI002/CONN002 look resources up by
# each other: this must grow linearly), and how closely --file-timeout bounds a slow file.
#   bash bench/arm_resources.sh [N ...]      (default: 10000 40000 resources)
# The template comes from bench/arm_resources.py (deterministic; 40,000 resources are 14 MB).
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
printf '| %9s | %6s | %13s | %8s | %8s | %26s |\n' resources MB "default s" "RSS MB" findings "--file-timeout 100ms: s"
printf '|%s|\n' "-----------|--------|---------------|----------|----------|----------------------------"
for n in "${sizes[@]}"; do
  t="$work/azuredeploy-$n.json"
  python3 bench/arm_resources.py "$n" > "$t"
  mb=$(awk -v b="$(stat -c %s "$t")" 'BEGIN { printf "%.1f", b / 1048576 }')
  /usr/bin/time -f '%e %M' -o "$work/time" "$keyless" "$t" --format json --fail-on never -o "$work/out.json" >/dev/null 2>&1
  read -r wall rss < "$work/time"
  found=$(grep -o '"rule_id"' "$work/out.json" | wc -l)
  /usr/bin/time -f '%e' -o "$work/time" "$keyless" "$t" --format json --fail-on never --file-timeout 100ms -o "$work/out.json" >/dev/null 2>&1
  bounded=$(cat "$work/time")
  cut=$(grep -c '"INPUT011"' "$work/out.json" || true)
  printf '| %9s | %6s | %13s | %8s | %8s | %26s |\n' "$n" "$mb" "$wall" "$((rss / 1024))" "$found" "$bounded (INPUT011: $cut)"
done
