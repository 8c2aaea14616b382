#!/usr/bin/env bash
# The work-per-byte budget: deterministic instruction counts (valgrind --tool=callgrind, one
# thread) of the release binary scanning a fixed slice of the repository's own inputs (testdata/
# and examples/), divided by the bytes of those inputs, against bench/budget.txt with a margin.
# A change that makes the scan do more work per byte (following every module, a rule that walks
# the tree once per node, a parser that copies each token) fails here, in the pull request that
# makes it. Instruction counts do not depend on the machine's load, unlike wall time (the per-file
# time bound is lifted so that a slow run under valgrind cannot cut a file short).
#
# Usage: bash bench/budget.sh            check (exit 1 when over budget)
#        bash bench/budget.sh --update   write the measured figure into bench/budget.txt
# Environment: KEYLESS (binary, default target/release/keyless, built when missing),
#   BUDGET_MARGIN (percent over the budget that still passes, default 10: new fixtures move the
#   average by a few percent, as main's fixtures of one round moved it by 3.7 %).
set -euo pipefail
cd "$(dirname "$0")/.."
budget_file=bench/budget.txt
margin="${BUDGET_MARGIN:-10}"
keyless="${KEYLESS:-target/release/keyless}"
slice=(testdata examples)

if ! command -v valgrind >/dev/null 2>&1; then
  echo "== installing valgrind" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y valgrind >/dev/null; else sudo apt-get install -y valgrind >/dev/null; fi
fi
if [ ! -x "$keyless" ]; then
  cargo build --release --locked --quiet
fi

# Snapshots (`*.snap`: what the tests expect a user to see) are not inputs: the scan passes over
# them as files of no format it reads, and counting their bytes would dilute the figure.
bytes=$(find "${slice[@]}" -type f ! -name '*.snap' -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "${slice[@]}" -type f ! -name '*.snap' | wc -l)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$out" \
  "$keyless" --threads 1 -q --format json --fail-on never --file-timeout 60m -o /dev/null "${slice[@]}"
instructions=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out" | tail -1)
[ -n "$instructions" ] || { cat "$out" >&2; echo "no instruction count from callgrind" >&2; exit 1; }
per_byte=$(echo "scale=1; $instructions / $bytes" | bc -l)
echo "budget: $instructions instructions for $files files, $bytes bytes (${slice[*]}): $per_byte per byte"

if [ "${1:-}" = --update ]; then
  {
    echo "# Instructions per input byte of 'keyless --threads 1' on testdata/ and examples/,"
    echo "# measured by bench/budget.sh (valgrind --tool=callgrind); the check allows a margin."
    echo "instructions_per_byte $per_byte"
  } >"$budget_file"
  echo "budget: wrote $budget_file"
  exit 0
fi

budget=$(awk '$1 == "instructions_per_byte" {print $2}' "$budget_file")
[ -n "$budget" ] || { echo "no instructions_per_byte in $budget_file" >&2; exit 1; }
limit=$(echo "scale=1; $budget * (100 + $margin) / 100" | bc -l)
ratio=$(echo "scale=3; $per_byte / $budget" | bc -l)
echo "budget: $budget per byte (limit $limit with a ${margin}% margin); measured/budget $ratio"
if [ "$(echo "$per_byte > $limit" | bc -l)" = 1 ]; then
  echo "budget: OVER: the scan does more work per byte than bench/budget.txt allows." >&2
  echo "  Find where with: valgrind --tool=callgrind $keyless --threads 1 -q --format json -o /dev/null ${slice[*]}" >&2
  echo "  If the extra work is wanted, say why in the commit and run: bash bench/budget.sh --update" >&2
  exit 1
fi
if [ "$(echo "$ratio < 0.9" | bc -l)" = 1 ]; then
  echo "budget: well under budget: lower it with bash bench/budget.sh --update so the gain is kept"
fi
