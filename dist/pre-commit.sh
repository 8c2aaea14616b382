#!/usr/bin/env bash
# keyless as a pre-commit hook (.pre-commit-hooks.yaml, `language: script`). pre-commit runs this
# from its clone of keyless at the configured `rev`, in the user's repository, with the staged
# files as arguments. keyless is installed once per commit of keyless, into pre-commit's cache:
#   * when `rev` is a release tag, the prebuilt binary of that release (checked against the
#     release's SHA256SUMS; Linux x86_64/aarch64 and macOS), in seconds;
#   * otherwise (a commit id, or a platform without a prebuilt binary), built from the clone with
#     `cargo install --locked` (needs a Rust toolchain; a release build, a few minutes).
# KEYLESS_PRECOMMIT_FROM_SOURCE=1 always builds.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$here" rev-parse HEAD)"
cache="${PRE_COMMIT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/pre-commit}/keyless-$commit"
bin="$cache/bin/keyless"

prebuilt() {
  local version target base tmp
  version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$here/Cargo.toml" | head -n 1)"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    *) return 1 ;;
  esac
  command -v curl >/dev/null 2>&1 || return 1
  base="${KEYLESS_RELEASES:-https://github.com/keyless-lint/keyless/releases/download}/v$version"
  tmp="$(mktemp -d)"
  # The release names the commit it was built from: a later commit with the same version in
  # Cargo.toml is not that release.
  if ! curl -fsSL "$base/COMMIT" -o "$tmp/COMMIT" 2>/dev/null || [ "$(tr -d '[:space:]' <"$tmp/COMMIT")" != "$commit" ]; then
    rm -rf "$tmp"
    return 1
  fi
  local archive="keyless-$version-$target.tar.gz"
  curl -fsSL "$base/$archive" -o "$tmp/$archive" && curl -fsSL "$base/SHA256SUMS" -o "$tmp/SHA256SUMS" || {
    rm -rf "$tmp"
    return 1
  }
  (cd "$tmp" && grep " $archive\$" SHA256SUMS | { sha256sum -c - 2>/dev/null || shasum -a 256 -c -; }) >&2 || {
    echo "keyless: $archive does not match the release's SHA256SUMS" >&2
    rm -rf "$tmp"
    exit 2
  }
  mkdir -p "$cache/bin"
  tar -xzf "$tmp/$archive" -C "$tmp"
  mv "$tmp/keyless-$version-$target/keyless" "$bin.partial"
  mv "$bin.partial" "$bin"
  rm -rf "$tmp"
  echo "keyless: installed the prebuilt binary of v$version ($target)" >&2
}

[ -x "$bin" ] || [ ! -x "$bin.exe" ] || bin="$bin.exe" # Windows (Git Bash) builds keyless.exe
if [ ! -x "$bin" ]; then
  if [ "${KEYLESS_PRECOMMIT_FROM_SOURCE:-}" = 1 ] || ! prebuilt; then
    echo "keyless: building $commit from source (cargo install --locked), once per commit" >&2
    rm -rf "$cache.partial"
    cargo install --locked --quiet --path "$here" --root "$cache.partial" >&2
    rm -rf "$cache"
    mv "$cache.partial" "$cache"
    [ -x "$bin" ] || bin="$bin.exe"
  fi
fi
exec "$bin" "$@"
