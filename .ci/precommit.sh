#!/usr/bin/env bash
# End-to-end check of .pre-commit-hooks.yaml: installs pre-commit from PyPI into a throwaway venv,
# makes a throwaway git repository whose .pre-commit-config.yaml points at this checkout's HEAD,
# installs the git hook, and checks that
#   * a commit adding an appsettings.json with a problem is blocked, with the finding shown;
#   * a commit adding a clean appsettings.json passes.
# `language: rust` makes pre-commit `cargo install` the repository (a release build). The build
# reuses a target folder kept beside the venv, so only keyless itself is rebuilt on later runs.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/.." && pwd)"
cache="${TMPDIR:-/tmp}/keyless-ci-precommit"
mkdir -p "$cache"

if [ ! -x "$cache/venv/bin/pre-commit" ]; then
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit>=3.2,<5"
fi
echo "pre-commit $("$cache/venv/bin/pre-commit" --version | awk '{print $2}')"

# pre-commit clones the checkout at a commit: the hook under test is HEAD's.
rev="$(git -C "$checkout" rev-parse HEAD)"
if [ -n "$(git -C "$checkout" status --porcelain -- .pre-commit-hooks.yaml src Cargo.toml Cargo.lock)" ]; then
  echo "note: uncommitted changes in $checkout are not part of the hook under test (HEAD $rev)" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo"
cd "$repo"
git init --quiet
git config user.email ci@example.invalid
git config user.name "keyless CI"
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: keyless
EOF
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit config"

export PRE_COMMIT_HOME="$cache/home"
export CARGO_TARGET_DIR="$cache/target"
# A faster release build for the test; users get the profile from Cargo.toml.
export CARGO_PROFILE_RELEASE_LTO=off
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_TERM_COLOR=never
"$cache/venv/bin/pre-commit" install --install-hooks >/dev/null
# Old environments (one per tested rev) are removed so the cache does not grow without bound.
"$cache/venv/bin/pre-commit" gc >/dev/null || true

# The blocking case: a password written into appsettings.json.
blocking_rule="${KEYLESS_PRECOMMIT_RULE:-KEY002}"
if ! git -C "$checkout" cat-file -e "$rev:rules/$blocking_rule.md" 2>/dev/null; then
  # Until a secret rule exists, a syntax error (INPUT001) is the finding that blocks.
  blocking_rule=INPUT001
fi
if [ "$blocking_rule" = INPUT001 ]; then
  printf '{\n  "ConnectionStrings": {\n    "Db": "Server=db;User Id=app;"\n  }\n  "Logging": {}\n}\n' > appsettings.json
else
  printf '{\n  "Database": {\n    "Password": "Tr0ub4dor&3-horse-battery"\n  }\n}\n' > appsettings.json
fi
git add appsettings.json
status=0
git commit -m "add settings with a problem" > "$work/blocked.log" 2>&1 || status=$?
if [ "$status" -eq 0 ]; then
  echo "FAIL: the commit with a problem was not blocked" >&2
  cat "$work/blocked.log" >&2
  exit 1
fi
if ! grep -q "$blocking_rule" "$work/blocked.log"; then
  echo "FAIL: the hook output does not show $blocking_rule" >&2
  cat "$work/blocked.log" >&2
  exit 1
fi
if grep -q "Tr0ub4dor&3-horse-battery" "$work/blocked.log"; then
  echo "FAIL: the hook output shows the secret" >&2
  exit 1
fi
if [ "$(git rev-list --count HEAD)" != 1 ]; then
  echo "FAIL: appsettings.json was committed" >&2
  exit 1
fi
echo "blocked as expected ($blocking_rule):"
grep -E "$blocking_rule|keyless" "$work/blocked.log" | head -5 | sed 's/^/  | /'

# The clean case.
printf '{\n  "Database": {\n    "Server": "db.example.invalid",\n    "Authentication": "Active Directory Default"\n  }\n}\n' > appsettings.json
git add appsettings.json
if ! git commit -m "add clean settings" > "$work/clean.log" 2>&1; then
  echo "FAIL: the clean commit was blocked" >&2
  cat "$work/clean.log" >&2
  exit 1
fi
grep -q "keyless" "$work/clean.log" || {
  echo "FAIL: the hook did not run on the clean commit" >&2
  cat "$work/clean.log" >&2
  exit 1
}
echo "clean commit passed: $(grep keyless "$work/clean.log" | head -1)"
