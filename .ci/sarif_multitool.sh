#!/usr/bin/env bash
# Validates SARIF logs with Microsoft's SARIF multitool (npm @microsoft/sarif-multitool), which
# checks far more than the JSON schema (URIs, regions, rule metadata, fingerprints).
# Usage: .ci/sarif_multitool.sh LOG.sarif...
# The multitool exits 0 even when it finds errors, so its own SARIF output (-o) is read and any
# result at level "error" fails the check. The platform binary inside the package is called
# directly (the npx/bin.js wrapper only forwards to it).
set -euo pipefail
cache="${TMPDIR:-/tmp}/keyless-ci-sarif-multitool"
mkdir -p "$cache"
if ! find "$cache/node_modules/@microsoft" -maxdepth 2 -type f -name 'Sarif.Multitool*' 2>/dev/null | grep -q .; then
  (cd "$cache" && npm install --silent --no-audit --no-fund --no-save "@microsoft/sarif-multitool@^5" >/dev/null)
fi
case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  *) platform=win32 ;;
esac
tool=""
for candidate in "$cache/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool" \
                 "$cache/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool.exe"; do
  if [ -f "$candidate" ]; then tool="$candidate"; break; fi
done
if [ -z "$tool" ]; then
  echo "SARIF multitool binary not found under $cache/node_modules/@microsoft/sarif-multitool-$platform" >&2
  exit 1
fi
chmod u+x "$tool"
# The binary is a self-contained .NET app; without ICU it needs invariant globalization.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=0
for log in "$@"; do
  report="$out/$(basename "$log").validation.sarif"
  "$tool" validate "$log" --output "$report" --log ForceOverwrite >"$out/stdout.txt" 2>&1 || {
    echo "SARIF multitool failed to run on $log:" >&2
    cat "$out/stdout.txt" >&2
    exit 1
  }
  python3 - "$log" "$report" <<'EOF' || failed=1
import json, sys
log, report = sys.argv[1], sys.argv[2]
with open(report, encoding="utf-8-sig") as f:
    v = json.load(f)
errors, warnings = [], []
for run in v.get("runs", []):
    for inv in run.get("invocations", []):
        for n in inv.get("toolExecutionNotifications", []):
            if n.get("level", "warning") == "error":
                errors.append(("tool", n.get("message", {}).get("text", "")))
    for r in run.get("results", []):
        msg = r.get("message", {})
        text = msg.get("text") or " ".join(msg.get("arguments", []))
        where = ""
        for loc in r.get("locations", [])[:1]:
            region = loc.get("physicalLocation", {}).get("region", {})
            where = f" (line {region.get('startLine', '?')})"
        item = (r.get("ruleId", "?"), text + where)
        (errors if r.get("level", "warning") == "error" else warnings).append(item)
for rule, text in errors:
    print(f"{log}: multitool error {rule}: {text}")
for rule, text in warnings:
    print(f"{log}: multitool warning {rule}: {text}")
print(f"{log}: SARIF multitool: {len(errors)} errors, {len(warnings)} warnings")
sys.exit(1 if errors else 0)
EOF
done
exit "$failed"
