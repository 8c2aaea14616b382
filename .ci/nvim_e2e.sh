#!/usr/bin/env bash
# End-to-end check of `keyless server` with a real editor as the client: Neovim (Debian's 0.7 has
# the built-in LSP client) run headless opens a file, waits for the diagnostics and writes
# vim.diagnostic.get() to a file that this script checks. Installs Neovim when it is missing
# (apt-get: as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

# Installing needs root (apt-get on Debian/Ubuntu): run as root, or with sudo when not root.
if ! command -v nvim >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "Neovim is missing and installing it needs root: run as root, or install neovim first" >&2
      exit 1
    fi
    sudo="sudo"
  fi
  echo "installing neovim (${sudo:+sudo }apt-get)"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
nvim --version | head -1

cargo build --locked --quiet
bin="$PWD/target/debug/keyless"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# multi-byte text before the secret: Neovim turns the server's UTF-16 columns into byte columns
secret='Fake-Sql-Pa55word!'
printf '{\n  "ConnectionStrings": {\n    "Défaut😀": "Server=tcp:x.database.windows.net;Database=d;User ID=u;Password=%s"\n  }\n}\n' \
  "$secret" > "$work/appsettings.json"

# The documented Lua snippet (docs/src/editors.md; the README shows the 0.8 one) for the
# installed version (0.7, or 0.8 and later), with the keyless
# just built first on PATH.
# Both snippets must at least compile here (Lua's loadfile); the one for this version also runs.
for v in 0.7 0.8; do
  python3 - docs/src/editors.md "$v" >"$work/init-$v.lua" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
at = text.index(f"<!-- nvim:{sys.argv[2]} ")
print(re.compile(r"```lua\n(.*?)```", re.S).search(text, at).group(1), end="")
PY
  nvim --headless --clean -c "lua local ok, err = loadfile('$work/init-$v.lua'); if not ok then io.stderr:write(err .. '\\n'); vim.cmd('cquit') end" -c 'qall!' ||
    { echo "the Neovim $v snippet of docs/src/editors.md does not compile" >&2; exit 1; }
done
minor="$(nvim --version | sed -n '1s/^NVIM v0\.\([0-9]*\).*/\1/p')"
snippet=0.8
if [ -n "$minor" ] && [ "$minor" -lt 8 ]; then snippet=0.7; fi
cp "$work/init-$snippet.lua" "$work/init.lua"
echo "docs/src/editors.md snippet for Neovim $snippet"
PATH="$(dirname "$bin"):$PATH" KEYLESS_NVIM_INIT="$work/init.lua" \
  KEYLESS_NVIM_FILE="$work/appsettings.json" KEYLESS_NVIM_OUT="$work/out.json" \
  timeout 120 nvim --headless --clean -c "luafile tests/nvim/e2e.lua" >/dev/null 2>&1 || true

if [ ! -s "$work/out.json" ]; then
  echo "neovim wrote no result" >&2
  exit 1
fi
python3 - "$work/out.json" "$work/appsettings.json" "$secret" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
line = open(sys.argv[2], encoding="utf-8").read().split("\n")[2].encode("utf-8")
secret = sys.argv[3]
diags = result.get("diagnostics", [])
assert result.get("waited"), f"no diagnostics arrived: {result}"
assert len(diags) == 1, diags
d = diags[0]
col = line.index(secret.encode())
assert (d["lnum"], d["col"], d["end_lnum"], d["end_col"]) == (2, col, 2, col + len(secret)), d
assert d["source"] == "keyless", d
assert d["code"] == "CONN001", d
assert d["severity"] == 1, d
assert secret not in d["message"], "the secret is in the message"
print(f"neovim end-to-end: 1 diagnostic CONN001 at line 3, byte column {col + 1}, as expected")
PY
