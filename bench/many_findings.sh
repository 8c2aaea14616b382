#!/usr/bin/env bash
# Cost of many findings in one file: the redaction pass, the report-once merge and the human code
# frames must grow linearly with the number of findings (they were quadratic: 20,000 findings took
# 83 s of CPU in compact and 128 s in human in a debug build).
#   bash bench/many_findings.sh [N ...]      (default: 5000 20000 findings)
# Two generated files per N: a .env with N `DBi_PASSWORD=...` lines and an appsettings.json with
# N password-named keys (distinct fake values: every one is a known secret of the redaction pass).
# One file is scanned on one thread, so the CPU column (user + system) is the figure to compare.
# KEYLESS=path/to/keyless measures another build (say, an older commit's) instead of this one.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 20000)
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 1; }
if [ -z "${KEYLESS:-}" ]; then
  cargo build --release --locked --quiet
  KEYLESS="$PWD/target/release/keyless"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/keyless-many.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "$(nproc) cores, $("$KEYLESS" --version)"
printf '| %8s | %16s | %8s | %8s | %8s | %8s |\n' findings file compact json sarif human
printf '|%s|\n' "----------|------------------|----------|----------|----------|----------"
for n in "${sizes[@]}"; do
  mkdir -p "$work/$n"
  python3 - "$n" "$work/$n" <<'PY'
import json, sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(f"{d}/.env", "w") as f:
    f.writelines(f"DB{i}_PASSWORD=Zq7-UnL1k-{i:06d}-Pw\n" for i in range(n))
with open(f"{d}/appsettings.json", "w") as f:
    json.dump({f"Db{i}Password": f"Xv9-TnM2k-{i:06d}-Pw" for i in range(n)}, f, indent=2)
PY
  for file in .env appsettings.json; do
    row=()
    for format in compact json sarif human; do
      /usr/bin/time -f '%U %S' -o "$work/time" "$KEYLESS" "$work/$n/$file" --format "$format" \
        --fail-on never --color never -o "$work/out" >/dev/null 2>&1
      read -r user sys < "$work/time"
      row+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    done
    printf '| %8s | %16s | %8s | %8s | %8s | %8s |\n' "$n" "$file" "${row[@]}"
  done
done
echo "(CPU seconds, user + system, one run each)"
