#!/usr/bin/env bash
# End-to-end check of .pre-commit-hooks.yaml (dist/pre-commit.sh): installs pre-commit from PyPI
# into a throwaway venv, makes a throwaway git repository whose .pre-commit-config.yaml is the
# documented one (docs/src/integrations.md, the same in the README; its repo URL pointed at this
# checkout, its `rev` placeholder at HEAD), installs the git hook, and checks that
#   * a commit adding an appsettings.json with a problem is blocked, with the finding shown;
#   * a commit adding a clean appsettings.json passes;
# first with keyless built from source (a commit that is no release: `cargo install --locked`),
# then with the prebuilt binary of a release (a release folder made here, with COMMIT, the
# archive and SHA256SUMS, served through file:// as GitHub serves a release's assets).
# The build reuses a target folder kept beside the venv, so only keyless itself is rebuilt.
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
# The documented configuration, pointed at this checkout and its HEAD.
python3 - "$checkout/docs/src/integrations.md" "$checkout" "$rev" > .pre-commit-config.yaml <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
at = text.index("<!-- pre-commit-config")
block = re.compile(r"```yaml\n(.*?)```", re.S).search(text, at).group(1)
assert "rev: COMMIT" in block and "repo: https://github.com/keyless-lint/keyless" in block, block
block = block.replace("https://github.com/keyless-lint/keyless", sys.argv[2])
print(block.replace("rev: COMMIT", "rev: " + sys.argv[3]), end="")
PY
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit config"

export PRE_COMMIT_HOME="$cache/home"
export CARGO_TARGET_DIR="$cache/target"
# A faster release build for the test; users get the profile from Cargo.toml.
export CARGO_PROFILE_RELEASE_LTO=off
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_TERM_COLOR=never
# No release of HEAD can be found here: the hook builds from source.
export KEYLESS_RELEASES="file://$work/no-release"
"$cache/venv/bin/pre-commit" install --install-hooks >/dev/null
# Old environments and builds (one per tested rev) are removed so the cache stays bounded.
"$cache/venv/bin/pre-commit" gc >/dev/null || true
find "$PRE_COMMIT_HOME" -maxdepth 1 -name 'keyless-*' ! -name "keyless-$rev" -exec rm -rf {} + 2>/dev/null || true

check_hook() {
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
}

rm -rf "$PRE_COMMIT_HOME/keyless-$rev"
echo "-- built from source (a commit that is no release)"
check_hook
grep -q "building $rev from source" "$work/blocked.log" || {
  echo "FAIL: the hook did not say it built from source" >&2
  exit 1
}

echo "-- the prebuilt binary of a release"
version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$checkout/Cargo.toml" | head -n 1)"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64) target=aarch64-unknown-linux-musl ;;
  *) echo "no prebuilt target for this platform: prebuilt case skipped"; exit 0 ;;
esac
release="$work/release/v$version"
mkdir -p "$release/keyless-$version-$target"
cp "$PRE_COMMIT_HOME/keyless-$rev/bin/keyless" "$release/keyless-$version-$target/"
tar -czf "$release/keyless-$version-$target.tar.gz" -C "$release" "keyless-$version-$target"
(cd "$release" && sha256sum "keyless-$version-$target.tar.gz" >SHA256SUMS)
echo "$rev" >"$release/COMMIT"
export KEYLESS_RELEASES="file://$work/release"
rm -rf "$PRE_COMMIT_HOME/keyless-$rev"
git reset --quiet --hard HEAD~1
check_hook
grep -q "installed the prebuilt binary of v$version" "$work/blocked.log" || {
  echo "FAIL: the hook did not install the release's binary" >&2
  cat "$work/blocked.log" >&2
  exit 1
}
