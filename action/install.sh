#!/usr/bin/env bash
# Installs keyless for action.yml into a virtual environment under $RUNNER_TEMP and puts it on
# $GITHUB_PATH. KEYLESS_INSTALL (the `version` input) says what to install:
#   ""          by the action's ref (KEYLESS_ACTION_REF, github.action_ref): a release tag v<version> installs that
#               release's prebuilt wheel from PyPI (no Rust needed); any other ref (a commit id, a
#               branch) and the workflow's own checkout (`uses: ./`) build the action's folder
#   1.2.3       that version from PyPI
#   checkout    the action's folder, built from source (needs a Rust toolchain)
#   *.whl       that wheel file
set -euo pipefail
action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
want="${KEYLESS_INSTALL:-}"
if [ -z "$want" ]; then
  version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_dir/Cargo.toml" | head -n 1)"
  if [ "${KEYLESS_ACTION_REF:-${GITHUB_ACTION_REF:-}}" = "v$version" ]; then
    want="$version"
  else
    want=checkout
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
if [ -n "${KEYLESS_INSTALL_PLAN:-}" ]; then
  echo "would install: $spec" # what .ci/action.sh checks without installing
  exit 0
fi
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/keyless-venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
bin="$venv/bin"
[ -x "$bin/keyless" ] || bin="$venv/Scripts" # Windows runners
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >>"$GITHUB_PATH"
fi
"$bin/keyless" --version
