"""Validate a SARIF log against the SARIF 2.1.0 JSON schema; exit 1 with every error listed."""
import json
import sys

import jsonschema

log_path, schema_path = sys.argv[1], sys.argv[2]
with open(log_path, encoding="utf-8") as f:
    log = json.load(f)
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
for e in errors:
    print(f"SARIF schema error at /{'/'.join(map(str, e.absolute_path))}: {e.message}")
results = log["runs"][0]["results"]
rules = log["runs"][0]["tool"]["driver"]["rules"]
for r in results:
    if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
        errors.append(r)
        print(f"ruleIndex {r['ruleIndex']} does not point at {r['ruleId']}")
if errors:
    sys.exit(1)
print(f"SARIF valid: {len(results)} results, {len(rules)} rules")
