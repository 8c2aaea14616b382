#!/usr/bin/env bash
# Packs the VS Code extension as the release workflow does (npm ci, esbuild bundle, vsce package)
# and fails on any vsce warning or on a file in the .vsix other than the bundle, package.json,
# README and LICENSE.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"
rm -f ./*.vsix
npm ci --no-audit --no-fund --silent
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
NO_COLOR=1 npm run --silent package >"$log" 2>&1 || { cat "$log"; exit 1; }
if grep -qiE 'warn' "$log"; then
  cat "$log"
  echo "vsce warned (above)" >&2
  exit 1
fi
vsix="$(ls ./*.vsix)"
files="$(python3 -c 'import sys, zipfile; print(" ".join(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("extension/"))))' "$vsix")"
expected="extension/LICENSE.txt extension/dist/extension.js extension/package.json extension/readme.md"
[ "$files" = "$expected" ] || { echo "unexpected files in $vsix: $files" >&2; exit 1; }
echo "vscode: $vsix ($(du -k "$vsix" | cut -f1) KiB): $files"
