#!/usr/bin/env bash
# The Python wheel: builds it with maturin (reusing the release build of .ci/run: same profile,
# same target folder), installs it into a fresh virtual environment and runs the installed
# `keyless` on examples/. Prints the wheel's path on the last line.
#   usage: bash .ci/wheel.sh PYTHON_VENV_WITH_PIP
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$1"
tmp="${TMPDIR:-/tmp}"
"$tools/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2"
rm -rf target/wheels
start=$(date +%s)
# --compatibility linux: the wheel is for this machine's glibc or newer; a release for PyPI is
# built in a manylinux container (maturin's own image) instead.
"$tools/bin/maturin" build --release --locked --compatibility linux --quiet >&2
wheel="$(ls target/wheels/keyless-*.whl)"
echo "wheel: $wheel ($(du -k "$wheel" | cut -f1) KiB, built in $(($(date +%s) - start)) s)" >&2

venv="$tmp/keyless-wheel-venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel"
"$venv/bin/keyless" --version >&2
status=0
"$venv/bin/keyless" --format compact examples/ >"$tmp/keyless-wheel.out" || status=$?
if [ "$status" -ne 1 ] || ! grep -q 'error\[' "$tmp/keyless-wheel.out"; then
  echo "the installed keyless should report the examples' findings and exit 1 (exit $status)" >&2
  exit 1
fi
echo "installed wheel: $(wc -l <"$tmp/keyless-wheel.out") findings on examples/, exit 1 as expected" >&2
echo "$wheel"
