#!/usr/bin/env python3
"""Diagnostics latency of `keyless server` on a file of your own: the time from sending an edit
(`didChange`, one character of the text changed, full text sent as editors do for JSON) to
receiving the matching `publishDiagnostics`, with a debounce of 0 ms. Prints figures; asserts
nothing. `cargo bench --bench server` measures the same on generated files.

    python3 bench/lsp_latency.py [--runs N] [--alone] BINARY FILE

The file is opened where it is, its folder the workspace (no workspace scan), as an editor opens
it: a Bicep-generated template beside its `.bicep` source is then checked for literal secrets
only, as the CLI checks it. With `--alone` it is copied into a temporary folder of its own first
(every rule runs on it). The edit toggles one character inside the first string value that holds
a letter, so the document stays valid; nothing is written to the file.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

args = sys.argv[1:]
runs = 20
alone = False
while args[:1] in (["--runs"], ["--alone"]):
    if args[0] == "--runs":
        runs, args = int(args[1]), args[2:]
    else:
        alone, args = True, args[1:]
if len(args) != 2:
    sys.exit(__doc__)
binary, source = os.path.abspath(args[0]), args[1]

if alone:
    work = tempfile.mkdtemp()
    path = os.path.join(work, os.path.basename(source))
    shutil.copyfile(source, path)
else:
    path = os.path.abspath(source)
    work = os.path.dirname(path)
with open(path, encoding="utf-8", errors="replace") as f:
    text = f.read()
proc = subprocess.Popen([binary, "server"], cwd=work, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def cpu_seconds():
    """The server's CPU time so far (user + system), from /proc where there is one."""
    try:
        with open(f"/proc/{proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive():
    length = None
    while True:
        line = proc.stdout.readline().decode().strip()
        if not line:
            break
        if line.startswith("Content-Length:"):
            length = int(line.split(":")[1])
    return json.loads(proc.stdout.read(length))


def diagnostics(uri, version):
    while True:
        m = receive()
        p = m.get("params", {})
        if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                and p.get("version") in (version, None):
            return p["diagnostics"]


# one character to toggle: a letter inside a quoted value (`": "x`)
at = text.find('": "')
while at >= 0 and not text[at + 4:at + 5].isalpha():
    at = text.find('": "', at + 1)
if at < 0:
    sys.exit("no string value to edit in " + source)
at += 4
variants = [text, text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1:]]

root = "file://" + work
uri = "file://" + path
try:
    next_id += 1
    send({"jsonrpc": "2.0", "id": next_id, "method": "initialize", "params": {
        "processId": None, "rootUri": root, "capabilities": {},
        "initializationOptions": {"workspaceScan": False, "debounceMs": 0}}})
    while receive().get("id") != next_id:
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    started = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": text}}})
    found = diagnostics(uri, 1)
    opened = time.perf_counter() - started
    times = []
    cpu_before = cpu_seconds()
    for r in range(runs):
        version = 2 + r
        started = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": variants[(r + 1) % 2]}]}})
        diagnostics(uri, version)
        times.append(time.perf_counter() - started)
    cpu_after = cpu_seconds()
    send({"jsonrpc": "2.0", "id": next_id + 1, "method": "shutdown", "params": None})
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
finally:
    proc.wait(timeout=30)
    if alone:
        shutil.rmtree(work, ignore_errors=True)

ms = sorted(t * 1000 for t in times)
print(f"{os.path.basename(source)}{' (alone)' if alone else ''}: {len(text.encode()) / 1e6:.2f} MB, "
      f"{len(found)} diagnostics, "
      f"load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
print(f"didOpen -> publishDiagnostics: {opened * 1000:.1f} ms")
print(f"didChange -> publishDiagnostics, {runs} edits: median {statistics.median(ms):.1f} ms, "
      f"p90 {ms[int(len(ms) * 0.9)]:.1f} ms, min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms")
if cpu_before is not None and cpu_after is not None:
    # on a loaded machine the wall times wait for a core; this is the work per edit
    print(f"server CPU time per edit (user + system, mean): {(cpu_after - cpu_before) * 1000 / runs:.1f} ms")
