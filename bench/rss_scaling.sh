#!/usr/bin/env bash
# Peak RSS and wall time of keyless on generated trees of growing size: memory must follow the
# largest file and the number of findings, not the number of files.
#   bash bench/rss_scaling.sh [N ...]      (default: 1000 10000 40000 files)
# Each tree is N copies of the `silent` fixtures of testdata/ (real templates and configs without
# findings: per-file work without per-finding memory), in folders of 100 files, under $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 40000)
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 1; }
cargo build --release --locked --quiet
keyless="$PWD/target/release/keyless"
mapfile -t seeds < <(find testdata -path '*/silent/*' -type f | sort)
work=$(mktemp -d "${TMPDIR:-/tmp}/keyless-rss.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "seed files: ${#seeds[@]} silent fixtures; $(nproc) cores"
printf '| %8s | %8s | %9s | %8s | %8s |\n' files MB "wall s" "RSS MB" findings
printf '|%s|\n' "----------|----------|-----------|----------|----------"
for n in "${sizes[@]}"; do
  tree="$work/t$n"
  for ((i = 0; i < n; i++)); do
    src=${seeds[$((i % ${#seeds[@]}))]}
    dir="$tree/d$((i / 100))/$(basename "$(dirname "$(dirname "$src")")")-$i"
    mkdir -p "$dir"
    cp "$src" "$dir/"
  done
  out=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$out.time" "$keyless" "$tree" --format json --fail-on never -o "$out" >/dev/null 2>&1 || true
  read -r wall rss < "$out.time"
  findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$out")
  printf '| %8s | %8s | %9s | %8s | %8s |\n' "$n" "$(du -sm "$tree" | cut -f1)" "$wall" "$(echo "scale=1; $rss / 1024" | bc)" "$findings"
  rm -rf "$tree" "$out" "$out.time"
done
