"""Writes the keyless job summary (Markdown) for action.yml from a keyless SARIF log.

Usage: python3 summary.py keyless.sarif >> "$GITHUB_STEP_SUMMARY"

One row per rule with findings: the rule, its name, the level, the number of findings and of
suppressed ones; then a note that annotations are capped and the SARIF upload is complete.
"""

import json
import sys


def main(path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    rows = {}
    names = {}
    for run in log.get("runs", []):
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []):
            names[rule.get("id")] = rule.get("name", "")
        for result in run.get("results", []):
            rule = result.get("ruleId", "?")
            level = result.get("level", "warning")
            row = rows.setdefault((rule, level), [0, 0])
            if result.get("suppressions"):
                row[1] += 1
            else:
                row[0] += 1
    order = {"error": 0, "warning": 1, "note": 2}
    shown = sum(r[0] for r in rows.values())
    suppressed = sum(r[1] for r in rows.values())
    print("## keyless")
    print()
    if not rows:
        print("No findings.")
        return
    print(f"{shown} finding{'s' if shown != 1 else ''}, {suppressed} suppressed.")
    print()
    print("| rule | name | level | findings | suppressed |")
    print("|---|---|---|---:|---:|")
    for (rule, level), (n, s) in sorted(rows.items(), key=lambda kv: (order.get(kv[0][1], 3), kv[0][0])):
        name = names.get(rule, "").replace("|", "\\|")
        print(f"| {rule} | `{name}` | {level} | {n} | {s} |")
    print()
    print(
        "GitHub shows at most 10 annotations of each level per step; "
        "the SARIF upload (code scanning) has every finding."
    )


if __name__ == "__main__":
    main(sys.argv[1])
