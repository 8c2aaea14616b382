#!/usr/bin/env python3
"""Records a `keyless server` session as an editor drives it: initialize -> didOpen ->
publishDiagnostics -> codeAction -> the edit applied (didChange) -> publishDiagnostics (empty).

    python3 bench/lsp_transcript.py [path/to/keyless] > bench/lsp_transcript.txt
"""
import json, os, subprocess, sys, tempfile

binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/keyless"
work = tempfile.mkdtemp()
proc = subprocess.Popen([os.path.abspath(binary), "server"], cwd=work,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def send(msg, note=None):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()
    print(f"--> {json.dumps(msg, ensure_ascii=False)}")


def receive():
    length = None
    while True:
        line = proc.stdout.readline().decode().strip()
        if not line:
            break
        if line.startswith("Content-Length:"):
            length = int(line.split(":")[1])
    msg = json.loads(proc.stdout.read(length))
    print(f"<-- {json.dumps(msg, ensure_ascii=False)}")
    return msg


def request(method, params):
    global next_id
    next_id += 1
    send({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params})
    while True:
        m = receive()
        if m.get("id") == next_id and "method" not in m:
            return m


def wait(method):
    while True:
        m = receive()
        if m.get("method") == method:
            return m


def apply(text, edits):
    lines = text.split("\n")
    def offset(p):
        before = sum(len(l) + 1 for l in lines[:p["line"]])
        line = lines[p["line"]].encode("utf-16-le")[: 2 * p["character"]].decode("utf-16-le")
        return before + len(line)
    for e in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[: offset(e["range"]["start"])] + e["newText"] + text[offset(e["range"]["end"]):]
    return text


root = "file://" + work
uri = root + "/appsettings.json"
text = ('{\n  "ConnectionStrings": {\n    "Sql": "Server=tcp:x.database.windows.net;'
        'Database=d;User ID=u;Password=Fake-Sql-Pa55word!"\n  }\n}\n')
print("# keyless server session transcript (--> editor to server, <-- server to editor)")
request("initialize", {"processId": None, "rootUri": root, "capabilities": {
    "window": {"showDocument": {"support": True}}},
    "initializationOptions": {"workspaceScan": False}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "json", "version": 1, "text": text}}})
diag = wait("textDocument/publishDiagnostics")["params"]["diagnostics"][0]
actions = request("textDocument/codeAction", {"textDocument": {"uri": uri},
                  "range": diag["range"], "context": {"diagnostics": [diag]}})["result"]
action = next(a for a in actions if a["title"].startswith("Suppress"))
print(f"# the editor applies `{action['title']}`")
edited = apply(text, action["edit"]["changes"][uri])
for e in action["edit"]["changes"][uri]:
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": e["range"], "text": e["newText"]}]}})
wait("textDocument/publishDiagnostics")
request("workspace/executeCommand", {"command": action["command"]["command"],
                                     "arguments": action["command"]["arguments"]})
print("# the document now reads:")
print(edited)
request("shutdown", None)
send({"jsonrpc": "2.0", "method": "exit", "params": None})
proc.wait(timeout=10)
print(f"# server exited with status {proc.returncode}")
