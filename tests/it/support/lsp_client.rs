//! A small LSP client over the real binary's standard input and output, for the server tests and
//! the latency benchmark: JSON-RPC framing, requests with ids, notifications, and every message
//! the server sent kept for checks (none may hold a secret).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages received and not yet taken by a wait.
    pending: Vec<Value>,
    /// Every message the server sent, as text.
    pub transcript: Vec<String>,
    next_id: i64,
}

/// Generous: debug builds on a loaded 2-core machine.
pub const TIMEOUT: Duration = Duration::from_secs(90);

impl Client {
    /// Starts `keyless server` in `cwd`.
    pub fn start(bin: &str, cwd: &std::path::Path) -> Client {
        let mut child = Command::new(bin)
            .arg("server")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start keyless server");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let Some(len) = len else { return };
                let mut buf = vec![0; len];
                if r.read_exact(&mut buf).is_err() {
                    return;
                }
                let Ok(v) = serde_json::from_slice::<Value>(&buf) else {
                    return;
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            pending: Vec::new(),
            transcript: Vec::new(),
            next_id: 0,
        }
    }

    pub fn send(&mut self, v: &Value) {
        let body = v.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response; returns the whole response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => {
                self.transcript.push(v.to_string());
                // answer the server's own requests (registerCapability, showDocument)
                if v.get("method").is_some() {
                    if let Some(id) = v.get("id").cloned() {
                        let result = if v["method"] == "window/showDocument" {
                            json!({ "success": true })
                        } else {
                            Value::Null
                        };
                        self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                    }
                }
                Some(v)
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The first message (received earlier and not taken, or arriving within the timeout) that
    /// matches; panics on timeout.
    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait(TIMEOUT, pred)
            .unwrap_or_else(|| panic!("no matching message; received: {:#?}", self.transcript))
    }

    pub fn try_wait(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.pending.iter().position(&pred) {
            return Some(self.pending.remove(i));
        }
        let deadline = Instant::now() + timeout;
        while let Some(v) = self.receive(deadline) {
            if pred(&v) {
                return Some(v);
            }
            self.pending.push(v);
        }
        None
    }

    /// The next diagnostics published for `uri` (optionally for a given document version).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let uri = uri.to_string();
        let m = self.wait(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Drops messages not yet taken.
    pub fn forget(&mut self) {
        self.pending.clear();
        while self.rx.try_recv().is_ok() {}
    }

    pub fn initialize(&mut self, root: &std::path::Path, options: Value) -> Value {
        let uri = file_uri(root);
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{ "uri": uri, "name": "ws" }],
                "initializationOptions": options,
                "capabilities": {
                    "window": { "showDocument": { "support": true } },
                    "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                    "textDocument": { "publishDiagnostics": { "versionSupport": true } }
                }
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// shutdown, exit; returns the exit status.
    pub fn shutdown(mut self) -> (Option<i32>, Vec<String>) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                while let Ok(v) = self.rx.recv_timeout(Duration::from_millis(50)) {
                    self.transcript.push(v.to_string());
                }
                return (status.code(), std::mem::take(&mut self.transcript));
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit after shutdown and exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `file://` URI of an absolute path, percent-encoding as the server does.
pub fn file_uri(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Applies LSP text edits (UTF-16 positions) to a text, last first.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

/// Byte offset of an LSP position (UTF-16 character).
pub fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap_or(0) as usize;
    let ch = pos["character"].as_u64().unwrap_or(0) as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= ch || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// LSP position (UTF-16) of a byte offset.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let ch: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": ch })
}
