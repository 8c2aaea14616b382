#!/usr/bin/env bash
# Installs keyless for action.yml into a virtual environment under $RUNNER_TEMP and puts it on
# $GITHUB_PATH. KEYLESS_INSTALL (the `version` input) says what to install:
#   ""          the version in the action's Cargo.toml from PyPI (so the tag and the wheel agree),
#               or, when the action is the workflow's own checkout (`uses: ./`), that checkout
#   1.2.3       that version from PyPI
#   checkout    the action's folder, built from source (needs a Rust toolchain)
#   *.whl       that wheel file
set -euo pipefail
action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
want="${KEYLESS_INSTALL:-}"
if [ -z "$want" ]; then
  workspace="${GITHUB_WORKSPACE:-}"
  if [ -n "$workspace" ] && [ "$(cd "$action_dir" && pwd -P)" = "$(cd "$workspace" && pwd -P)" ]; then
    want=checkout
  else
    want="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_dir/Cargo.toml" | head -n 1)"
  fi
fi
case "$want" in
  checkout) spec="$action_dir" ;;
  *.whl) spec="$want" ;;
  *[!0-9A-Za-z.+-]* | "")
    echo "::error title=keyless::the version input \`$want\` is not a version, \`checkout\` or a .whl path"
    exit 2
    ;;
  *) spec="keyless==$want" ;;
esac
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/keyless-venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
bin="$venv/bin"
[ -x "$bin/keyless" ] || bin="$venv/Scripts" # Windows runners
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >>"$GITHUB_PATH"
fi
"$bin/keyless" --version
