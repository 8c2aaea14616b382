#!/usr/bin/env bash
# Fuzzes every target for a while and prints executions and crashes per target.
#
#   bash fuzz/run.sh [seconds-per-target] [target ...]     (default: 600 s, every target)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`). Each target's
# corpus is seeded from the testdata fixtures of its format (the corpus lives in fuzz/corpus/, which
# git ignores). A crash lands in fuzz/artifacts/<target>/: turn it into a fixture under
# testdata/fuzz/<target>/, which tests/it/fuzz_regressions.rs replays through the same harness.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json arm hcl yaml xml dotenv bicep connstr)

seed() { # target, find expression...
    local t=$1; shift
    mkdir -p "corpus/$t"
    find ../testdata "$@" -type f -size -64k -exec cp -n {} "corpus/$t/" \; 2>/dev/null || true
}
for t in json arm hcl yaml xml dotenv bicep connstr; do
    if [ -d "../testdata/fuzz/$t" ]; then mkdir -p "corpus/$t" && cp -n ../testdata/fuzz/$t/* "corpus/$t/"; fi
done
seed json -name '*.json'
seed arm -name '*.json'
seed hcl \( -name '*.tf' -o -name '*.tfvars' \)
seed yaml \( -name '*.yml' -o -name '*.yaml' \)
seed xml -name '*.config'
seed dotenv -name '*.env*'
seed bicep \( -name '*.bicep' -o -name '*.bicepparam' \)
mkdir -p corpus/connstr
grep -rhoE '[A-Za-z ]+=[^;"]*;[^"<>]*' ../testdata | head -200 | while IFS= read -r line; do
    printf '%s' "$line" > "corpus/connstr/$(printf '%s' "$line" | sha1sum | cut -c1-16)"
done

cargo +nightly fuzz build --release >/dev/null
printf '%-8s %12s %8s %8s %s\n' target executions exec/s crashes corpus
for t in "${targets[@]}"; do
    log=$(mktemp)
    set +e
    cargo +nightly fuzz run --release "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    crashes=$(find "artifacts/$t" -type f 2>/dev/null | wc -l)
    printf '%-8s %12s %8s %8s %s\n' "$t" "$execs" "$rate" "$crashes" "$(ls "corpus/$t" | wc -l)"
    if [ $rc -ne 0 ]; then
        echo "  $t stopped with exit code $rc; the fuzzer's last lines:"
        tail -25 "$log" | sed 's/^/    /'
    fi
    rm -f "$log"
done
