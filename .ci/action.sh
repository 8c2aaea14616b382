#!/usr/bin/env bash
# Tests the GitHub Action's scripts (action/install.sh, action/run.sh, action/summary.py) as a
# runner would run them: the environment files of a runner ($GITHUB_PATH, $GITHUB_OUTPUT,
# $GITHUB_STEP_SUMMARY) are temporary files, and keyless is installed from the wheel.
#   usage: bash .ci/action.sh WHEEL
set -euo pipefail
cd "$(dirname "$0")/.."
wheel="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
repo="$(pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export RUNNER_TEMP="$tmp/runner" GITHUB_ACTION_PATH="$repo" GITHUB_WORKSPACE="$tmp/ws"
mkdir -p "$RUNNER_TEMP" "$GITHUB_WORKSPACE"
export GITHUB_PATH="$tmp/path" GITHUB_OUTPUT="$tmp/output" GITHUB_STEP_SUMMARY="$tmp/summary"

fail() { echo "action: $*" >&2; exit 1; }

# A version input that is none of the accepted kinds is refused before anything is installed.
KEYLESS_INSTALL='1.0; rm -rf /' bash action/install.sh >"$tmp/bad" 2>&1 && fail "a bad version input was accepted"
grep -q '::error title=keyless::' "$tmp/bad" || fail "no ::error for a bad version input"

# By the action's ref: a release tag installs that release's wheel from PyPI, a commit builds.
version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)"
plan="$(GITHUB_ACTION_REF="v$version" KEYLESS_INSTALL_PLAN=1 bash action/install.sh)"
[ "$plan" = "would install: keyless==$version" ] || fail "ref v$version: $plan"
plan="$(GITHUB_ACTION_REF="$(git rev-parse HEAD)" KEYLESS_INSTALL_PLAN=1 bash action/install.sh)"
[ "$plan" = "would install: $repo" ] || fail "a commit ref: $plan"

KEYLESS_INSTALL="$wheel" bash action/install.sh
PATH="$(cat "$GITHUB_PATH"):$PATH"
export PATH
[ "$(command -v keyless)" = "$RUNNER_TEMP/keyless-venv/bin/keyless" ] || fail "keyless is not on GITHUB_PATH"

# Findings: the gate fails, the SARIF log, the annotations and the summary are there all the same.
cp examples/* "$GITHUB_WORKSPACE/"
status=0
(cd "$GITHUB_WORKSPACE" && KEYLESS_ARGS="--fail-on error ." KEYLESS_SARIF="out/keyless.sarif" \
  bash "$repo/action/run.sh" >"$tmp/log") || status=$?
[ "$status" -eq 1 ] || fail "run.sh exited $status on findings, expected 1"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["runs"][0]["results"]' \
  "$GITHUB_WORKSPACE/out/keyless.sarif" || fail "no SARIF log with results"
grep -q '^::error file=' "$tmp/log" || fail "no annotations"
grep -q '^::notice title=keyless::' "$tmp/log" || fail "no summary notice"
grep -q '^| KEY003 | `secure-parameter-default` | error | 1 | 0 |$' "$GITHUB_STEP_SUMMARY" ||
  fail "no per-rule row in the job summary: $(cat "$GITHUB_STEP_SUMMARY")"
grep -q 'at most 10 annotations' "$GITHUB_STEP_SUMMARY" || fail "the summary does not name the cap"
grep -q '^exit-code=1$' "$GITHUB_OUTPUT" || fail "no exit-code output"
grep -q '^sarif-file=out/keyless.sarif$' "$GITHUB_OUTPUT" || fail "no sarif-file output"

# Clean: exit 0, an empty SARIF log, "No findings." on the summary.
rm -rf "$GITHUB_WORKSPACE"/* && : >"$GITHUB_STEP_SUMMARY" && : >"$GITHUB_OUTPUT"
echo '{ "Logging": { "LogLevel": { "Default": "Information" } } }' >"$GITHUB_WORKSPACE/appsettings.json"
(cd "$GITHUB_WORKSPACE" && KEYLESS_ARGS="" bash "$repo/action/run.sh" >"$tmp/log") ||
  fail "run.sh failed on a clean workspace"
[ -f "$GITHUB_WORKSPACE/keyless.sarif" ] || fail "no SARIF log on a clean workspace"
grep -q '^No findings\.$' "$GITHUB_STEP_SUMMARY" || fail "the clean summary says: $(cat "$GITHUB_STEP_SUMMARY")"

# A usage error (exit 2) stops the action with that status and an ::error line.
status=0
(cd "$GITHUB_WORKSPACE" && KEYLESS_ARGS="missing-folder" bash "$repo/action/run.sh" >"$tmp/log" 2>&1) || status=$?
[ "$status" -eq 2 ] || fail "run.sh exited $status on a missing path, expected 2"
grep -q '::error title=keyless::keyless could not scan' "$tmp/log" || fail "no ::error on exit 2"
echo "action: install.sh, run.sh and summary.py behave (findings, clean, usage error)"
