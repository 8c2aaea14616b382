#!/usr/bin/env bash
# Precision figures on the measuring corpus (issue 13): for each folder of the corpus, runs the
# release keyless with `--format json -q --fail-on never` and prints
#   - findings per rule per folder (and totals),
#   - same-span findings: findings beyond the first at the same path, line and column,
#   - findings in Bicep-generated JSON (`metadata._generator.name == "bicep"`) with a `.bicep`
#     source beside it (same stem, or `main.bicep` for `azuredeploy.json`, as keyless pairs them),
#   - KEY005 findings (warning or error) on secure outputs (message mentions a secure output).
# Usage: bash bench/corpus_stats.sh [CORPUS_DIR]   (default: ../shared/corpus relative to the
#   repo, or ../../shared/corpus from a worktree)
# Environment: KEYLESS (binary, default target/release/keyless, built if missing),
#   KEEP=DIR (keep each folder's JSON report as DIR/<folder>.json, to diff two runs),
#   KEYLESS_ARGS (extra arguments, e.g. --include-generated).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
corpus="${1:-../shared/corpus}"
# a worktree under wt/ sits one level deeper than the main checkout
[ -n "${1:-}" ] || [ -d "$corpus" ] || corpus=../../shared/corpus
[ -d "$corpus" ] || { echo "corpus folder not found: $corpus" >&2; exit 1; }
corpus="$(cd "$corpus" && pwd)"
bin="${KEYLESS:-$repo/target/release/keyless}"
if [ ! -x "$bin" ]; then
  echo "== building the release binary" >&2
  cargo build --release --locked >&2
fi
out="${KEEP:-$(mktemp -d)}"
mkdir -p "$out"
folders=()
for d in "$corpus"/*/; do
  name="$(basename "$d")"
  folders+=("$name")
  # Paths in the report are relative to the corpus root, so the summary can look beside them.
  (cd "$corpus" && "$bin" --format json -q --fail-on never ${KEYLESS_ARGS:-} -o "$out/$name.json" "$name")
done
python3 - "$corpus" "$out" "${folders[@]}" <<'PY'
import json, os, sys
from collections import Counter, defaultdict

corpus, out, folders = sys.argv[1], sys.argv[2], sys.argv[3:]

def generated_with_source(path, cache={}):
    if path in cache:
        return cache[path]
    full = os.path.join(corpus, path)
    res = False
    if full.endswith(".json"):
        try:
            with open(full, encoding="utf-8-sig") as f:
                doc = json.load(f)
            gen = ((doc.get("metadata") or {}).get("_generator") or {}).get("name")
        except Exception:
            gen = None
        if gen == "bicep":
            stem = full[: -len(".json")]
            res = os.path.exists(stem + ".bicep") or (
                os.path.basename(full).lower() == "azuredeploy.json"
                and os.path.exists(os.path.join(os.path.dirname(full), "main.bicep")))
    cache[path] = res
    return res

per_rule = defaultdict(Counter)
same_span, generated, secure_out, total = Counter(), Counter(), Counter(), Counter()
for folder in folders:
    with open(os.path.join(out, folder + ".json"), encoding="utf-8") as f:
        report = json.load(f)
    seen = Counter()
    for x in report["findings"]:
        total[folder] += 1
        per_rule[x["rule_id"]][folder] += 1
        key = (x["path"], x["line"], x["column"])
        seen[key] += 1
        if seen[key] > 1:
            same_span[folder] += 1
        if generated_with_source(x["path"]):
            generated[folder] += 1
        if x["rule_id"] == "KEY005" and x["severity"] in ("warning", "error") \
                and "secure" in x["message"].lower():
            secure_out[folder] += 1

short = {f: f[:14] for f in folders}
w = 10
print("rule      " + "".join(f"{short[f]:>16}" for f in folders) + f"{'total':>{w}}")
for rule in sorted(per_rule):
    row = per_rule[rule]
    print(f"{rule:<10}" + "".join(f"{row[f]:>16}" for f in folders) + f"{sum(row.values()):>{w}}")
for label, c in [("findings", total), ("same-span", same_span),
                 ("generated", generated), ("KEY005-sec", secure_out)]:
    print(f"{label:<10}" + "".join(f"{c[f]:>16}" for f in folders) + f"{sum(c.values()):>{w}}")
print(f"(JSON reports in {out})")
PY
