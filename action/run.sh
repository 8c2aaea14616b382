#!/usr/bin/env bash
# Runs keyless for action.yml: first the SARIF log (written whatever the findings, so
# upload-sarif always has it), then the `github` format for annotations, the summary notice and
# the gate, then a per-rule table on the job summary page. Exits with the gate's status.
#   KEYLESS_ARGS   paths and options, split on whitespace (globs are not expanded)
#   KEYLESS_SARIF  the SARIF file to write (default keyless.sarif)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sarif="${KEYLESS_SARIF:-keyless.sarif}"
set -f
# shellcheck disable=SC2206 # word splitting of the args input is intended
args=(${KEYLESS_ARGS:-.})
set +f
out="${GITHUB_OUTPUT:-/dev/null}"
echo "sarif-file=$sarif" >>"$out"

# The SARIF file's folder is created (keyless itself writes only into folders that exist).
mkdir -p "$(dirname "$sarif")"
status=0
keyless --format sarif --output "$sarif" "${args[@]}" || status=$?
if [ "$status" -gt 1 ]; then
  echo "::error title=keyless::keyless could not scan (exit status $status); see the message above"
  echo "exit-code=$status" >>"$out"
  exit "$status"
fi

gate=0
keyless --format github "${args[@]}" || gate=$?

python="python3"
command -v "$python" >/dev/null 2>&1 || python="python"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$python" "$here/summary.py" "$sarif" >>"$GITHUB_STEP_SUMMARY" ||
    echo "::warning title=keyless::could not write the job summary"
fi
echo "exit-code=$gate" >>"$out"
exit "$gate"
