"""Runs every shell command block of the README, of CONTRIBUTING.md and of the book (docs/src/**/*.md),
as a reader would.

Usage: python readme_commands.py REPO [--bare-only | --skip-bare]

Each fenced block whose language is a shell (sh, bash, shell, console, powershell, ps1) must follow
a marker comment `<!-- commands: MODE[; exits: N N ...] -->` saying how it is checked:

  bare-machine          run in the checkout with an empty cargo cache and target folder
                        (CARGO_HOME, CARGO_TARGET_DIR), as on a machine that never built Rust
  checkout              run in the checkout with a scratch HOME (so `~/...` is a temporary folder),
                        keyless installed by an earlier block on PATH, installs going to a scratch
                        venv and cargo root; files a block leaves in the checkout are removed
  from the first release
                        not run (it installs what a release publishes): each command must be one
                        this script knows, and .github/workflows/release.yml must publish it
  not here: REASON      not run (e.g. PowerShell with no pwsh on the CI machine), with the reason

Each command line runs on its own under `bash -e -o pipefail`; `exits:` lists the expected exit
status of each line (default 0). Comment lines and blank lines are not commands.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SHELLS = {"sh", "bash", "shell", "console", "powershell", "ps1"}
# fences may be indented (a block inside a list item)
BLOCK = re.compile(r"^[ \t]*```(\w*)\n(.*?)^[ \t]*```", re.S | re.M)
MARKER = re.compile(r"<!-- commands: ([^;>]+?)(?:; exits: ([0-9 ]+))? -->\s*$")

# What each published install command needs the release workflow to do.
PUBLISHED = [
    (re.compile(r"pipx? install keyless(==[0-9.]+)?"), "pypa/gh-action-pypi-publish", "wheels to PyPI"),
    (re.compile(r"cargo install --locked keyless"), "cargo publish --locked", "the crate to crates.io"),
]


def blocks(path):
    text = open(path, encoding="utf-8").read()
    for m in BLOCK.finditer(text):
        if m.group(1) not in SHELLS:
            continue
        line = text.count("\n", 0, m.start()) + 1
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        if not marker:
            sys.exit(
                f"{path}:{line}: a {m.group(1)} block without a `<!-- commands: MODE -->` marker "
                "on the line above (see .ci/readme_commands.py)"
            )
        commands = [c for c in m.group(2).splitlines() if c.strip() and not c.lstrip().startswith("#")]
        for c in commands:
            if c.rstrip().endswith("\\"):
                sys.exit(f"{path}:{line}: continued lines are not supported: {c}")
        exits = [int(x) for x in marker.group(2).split()] if marker.group(2) else [0] * len(commands)
        if len(exits) != len(commands):
            sys.exit(f"{path}:{line}: {len(commands)} commands but {len(exits)} exit statuses")
        yield f"{os.path.relpath(path)}:{line}", marker.group(1).strip(), list(zip(commands, exits))


def untracked(repo):
    out = subprocess.run(
        ["git", "-C", repo, "ls-files", "--others", "--exclude-standard", "-z"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(filter(None, out.split("\0")))


def run(where, commands, cwd, env):
    for command, want in commands:
        print(f"  $ {command}", flush=True)
        start = time.monotonic()
        got = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", command],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL if want else None,
        ).returncode
        print(f"    exit {got} ({time.monotonic() - start:.0f} s)", flush=True)
        if got != want:
            sys.exit(f"{where}: `{command}` exited {got}, the text implies {want}")


def main():
    repo = os.path.abspath(sys.argv[1])
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    files = [os.path.join(repo, "README.md"), os.path.join(repo, "CONTRIBUTING.md")]
    docs = os.path.join(repo, "docs", "src")
    files += sorted(
        os.path.join(d, f) for d, _, fs in os.walk(docs) for f in fs if f.endswith(".md")
    )
    release = open(os.path.join(repo, ".github/workflows/release.yml"), encoding="utf-8").read()
    # The Action's `@v<version>` and pre-commit's `rev: v<version>` name the release tag: the
    # workflow must run on such tags (and attach what dist/pre-commit.sh downloads).
    for path in files:
        if re.search(r"@v[0-9]|rev: .*v[0-9]", open(path, encoding="utf-8").read()):
            for needed in ['tags: ["v[0-9]', "SHA256SUMS", "COMMIT", "keyless-$VERSION-$TARGET"]:
                if needed not in release:
                    sys.exit(f"{os.path.relpath(path, repo)} names release tags, but release.yml lacks `{needed}`")

    scratch = tempfile.mkdtemp(prefix="keyless-readme-")
    home = os.path.join(scratch, "home")
    venv = os.path.join(scratch, "venv")
    cargo_root = os.path.join(scratch, "cargo-root")
    os.makedirs(home)
    env = dict(os.environ)
    try:
        seen = 0
        for path in files:
            for where, mode, commands in blocks(path):
                seen += 1
                if mode == "bare-machine":
                    if only == "--skip-bare":
                        print(f"== {where}: bare-machine (run separately)")
                        continue
                    print(f"== {where}: on a bare machine (empty CARGO_HOME and target folder)", flush=True)
                    bare = dict(env)
                    bare["CARGO_HOME"] = os.path.join(scratch, "bare-cargo-home")
                    bare["CARGO_TARGET_DIR"] = os.path.join(scratch, "bare-target")
                    # the rustup proxies stay reachable: the toolchain is rustup's, not CARGO_HOME's
                    cargo = shutil.which("cargo")
                    if cargo:
                        bare["PATH"] = os.path.dirname(cargo) + os.pathsep + env["PATH"]
                    run(where, commands, repo, bare)
                    shutil.rmtree(bare["CARGO_TARGET_DIR"], ignore_errors=True)
                    shutil.rmtree(bare["CARGO_HOME"], ignore_errors=True)
                elif only == "--bare-only":
                    continue
                elif mode == "checkout":
                    print(f"== {where}: in the checkout, HOME a scratch folder", flush=True)
                    if not os.path.isdir(venv):
                        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
                    local = dict(env)
                    local.update(
                        HOME=home,
                        CARGO_INSTALL_ROOT=cargo_root,
                        VIRTUAL_ENV=venv,
                        # reuse the release build of the checkout's target folder
                        CARGO_TARGET_DIR=env.get("CARGO_TARGET_DIR", os.path.join(repo, "target")),
                        PIP_DISABLE_PIP_VERSION_CHECK="1",
                        PATH=os.pathsep.join([os.path.join(venv, "bin"), os.path.join(cargo_root, "bin"), env["PATH"]]),
                    )
                    if "RUSTUP_HOME" not in local:
                        local["RUSTUP_HOME"] = os.path.join(os.path.expanduser("~"), ".rustup")
                    if "CARGO_HOME" not in local:
                        local["CARGO_HOME"] = os.path.join(os.path.expanduser("~"), ".cargo")
                    before = untracked(repo)
                    try:
                        run(where, commands, repo, local)
                    finally:
                        for rel in untracked(repo) - before:
                            os.remove(os.path.join(repo, rel))
                elif mode == "from the first release":
                    print(f"== {where}: from the first release (not run; checked against release.yml)")
                    for command, _ in commands:
                        cmd = command.split("#", 1)[0].strip()
                        for pattern, needs, what in PUBLISHED:
                            if pattern.fullmatch(cmd):
                                if needs not in release:
                                    sys.exit(f"{where}: `{cmd}` needs release.yml to publish {what} ({needs})")
                                print(f"  ok: `{cmd}`: release.yml publishes {what}")
                                break
                        else:
                            sys.exit(f"{where}: `{cmd}` is no install form a release publishes")
                elif mode.startswith("not here:"):
                    print(f"== {where}: not run here ({mode[len('not here:'):].strip()})")
                else:
                    sys.exit(f"{where}: unknown mode `{mode}`")
        if not seen:
            sys.exit("no shell command block found")
        print(f"README and docs commands: {seen} blocks in {len(files)} files checked")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
