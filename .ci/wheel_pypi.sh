#!/usr/bin/env bash
# The wheel as the release workflow builds it for PyPI: maturin with zig as the linker
# (`ziglang` from PyPI) for the manylinux2014 tag (glibc 2.17), then `auditwheel show` must accept
# it for that tag: a wheel tagged for this machine's glibc (`--compatibility linux`) is refused by
# PyPI. Its own target folder (target/zig), so the release build of .ci/run stays as it is.
#   usage: bash .ci/wheel_pypi.sh PYTHON_VENV_WITH_PIP
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$1"
"$tools/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2" "ziglang>=0.13,<0.15" "auditwheel>=6,<7"
out="target/zig/wheels"
rm -rf "$out"
# LTO off and more codegen units: a faster build for the check (the tags and the linked glibc
# symbols do not depend on them); the release workflow builds with Cargo.toml's profile.
PATH="$tools/bin:$PATH" CARGO_TARGET_DIR=target/zig \
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  "$tools/bin/maturin" build --release --locked --zig --compatibility manylinux2014 --out "$out" --quiet >&2
wheel="$(ls "$out"/keyless-*.whl)"
case "$wheel" in
  *manylinux2014_x86_64*.whl | *manylinux_2_17_x86_64*.whl | *manylinux2014_aarch64*.whl | *manylinux_2_17_aarch64*.whl) ;;
  *) echo "the wheel is not tagged manylinux2014: $wheel" >&2; exit 1 ;;
esac
shown="$("$tools/bin/auditwheel" show "$wheel")"
echo "$shown" | tr '\n' ' ' | sed 's/  */ /g' >&2
echo >&2
echo "$shown" | tr '\n' ' ' | sed 's/  */ /g' | grep -Eq 'consistent with the following platform tag: "manylinux_2_17_(x86_64|aarch64)"' || {
  echo "auditwheel does not accept $wheel for manylinux_2_17 (above)" >&2
  exit 1
}
echo "$wheel"
