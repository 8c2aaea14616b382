//! `keyless server`: a language server over standard input and output (LSP, synchronous, with
//! rust-analyzer's `lsp-server` and `lsp-types`).
//!
//! One main loop owns the state (open documents, configurations, what was published) and never
//! scans: scans run on a pool of worker threads and come back as messages, so a slow file holds
//! one worker and never the others, and never the editor's requests. Edits are debounced; a
//! newer edit cancels the scan of the older text (checked between rules, like the per-file time
//! bound, which applies as in the CLI). Files that are not open get their diagnostics from a
//! workspace scan (the CLI's walk) at start-up and after saves and watched-file changes; closing
//! a file falls back to its state on disk. A change to `.keyless.toml` reloads the configuration
//! and re-lints everything.

// `lsp_types::Uri` caches parts of its parse in cells, which clippy takes for a mutable key; its
// `Hash` and `Eq` only read the URI's text, which never changes.
#![allow(clippy::mutable_key_type)]

pub mod actions;
pub mod text;
pub mod transport;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, Diagnostic,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, ExecuteCommandParams, Hover, HoverContents, HoverParams,
    InitializeParams, MarkupContent, MarkupKind, NumberOrString, Position,
    PublishDiagnosticsParams, Range, Uri, WorkspaceEdit,
};

use crate::config::{self, Config};
use crate::scan::{self, ScanOptions};
use crate::source::Format;

use actions::Item;
use text::Lines;

/// The command a suppress action runs after its edit: selects the reason placeholder.
const SELECT_REASON: &str = "keyless.selectReason";

/// Default pause after an edit before the document is scanned (`initializationOptions.debounceMs`).
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(25);

/// Pause after a save or a watched-file change before the workspace is scanned again.
const RESCAN_DELAY: Duration = Duration::from_millis(300);

/// Why the server stopped before the client said `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("the editor did not start the session: {0}")]
    Start(lsp_server::ProtocolError),
    #[error("the editor did not finish starting the session: {0}")]
    FinishStart(lsp_server::ProtocolError),
    /// A shutdown request the connection could not answer.
    #[error("{0}")]
    Shutdown(lsp_server::ProtocolError),
    #[error("the connection to the editor failed: {0}")]
    Connection(#[from] transport::JoinError),
}

/// Runs the server on standard input and output until the client says `exit`.
pub fn run_stdio() -> Result<(), ServerError> {
    // bounded reads: a message's length is capped before anything is allocated
    let (connection, io_threads) = transport::stdio();
    serve(connection)?;
    Ok(io_threads.join()?)
}

/// Runs the server on a connection (standard input/output, or in memory for tests).
pub fn serve(conn: Connection) -> Result<(), ServerError> {
    let (id, params) = conn.initialize_start().map_err(ServerError::Start)?;
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = serde_json::json!({
        "capabilities": {
            "positionEncoding": "utf-16",
            "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
            "codeActionProvider": { "codeActionKinds": ["quickfix"] },
            "hoverProvider": true,
            "executeCommandProvider": { "commands": [SELECT_REASON] },
            "workspace": { "workspaceFolders": { "supported": true, "changeNotifications": true } }
        },
        "serverInfo": { "name": "keyless", "version": env!("CARGO_PKG_VERSION") }
    });
    conn.initialize_finish(id, result)
        .map_err(ServerError::FinishStart)?;
    let mut server = Server::new(&conn, &init);
    server.start();
    server.main_loop(&conn)
}

/// An open document: the editor's text.
struct Doc {
    version: i32,
    text: String,
    path: PathBuf,
    root: PathBuf,
}

/// What was last published for an open document, for code actions and hover.
struct Linted {
    version: i32,
    format: Option<Format>,
    items: Vec<Item>,
}

enum Job {
    /// Scan an open document's text.
    Lint {
        uri: Uri,
        version: i32,
        path: PathBuf,
        root: PathBuf,
        text: String,
        opts: Arc<ScanOptions>,
        cancel: Arc<AtomicBool>,
    },
    /// Scan a file as it is on disk (a document was closed).
    Disk {
        uri: Uri,
        path: PathBuf,
        root: PathBuf,
        opts: Arc<ScanOptions>,
    },
}

enum Outcome {
    Linted {
        uri: Uri,
        version: i32,
        format: Option<Format>,
        items: Vec<Item>,
    },
    Disk {
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
    },
    Workspace {
        generation: u64,
        files: Vec<(Uri, Vec<Diagnostic>)>,
    },
}

struct Server {
    sender: Sender<Message>,
    roots: Vec<PathBuf>,
    /// `initializationOptions.baseline`: a baseline file (relative to each workspace folder), whose
    /// findings are left out as `keyless --baseline FILE` leaves them out.
    baseline: Option<PathBuf>,
    debounce: Duration,
    workspace_scan: bool,
    show_document: bool,
    watch_registration: bool,
    docs: HashMap<Uri, Doc>,
    linted: HashMap<Uri, Linted>,
    /// Open documents waiting for their debounce to pass.
    due: HashMap<Uri, Instant>,
    /// Cancel flags of the scans running for open documents.
    running: HashMap<Uri, Arc<AtomicBool>>,
    /// Scan options by root (the configuration found from there, as `keyless ROOT` finds it).
    options: HashMap<PathBuf, Arc<ScanOptions>>,
    /// Configuration files that had an error, with a diagnostic published on them.
    config_errors: HashSet<Uri>,
    /// Files not open with diagnostics from the last workspace scan.
    disk: HashSet<Uri>,
    rescan_due: Option<Instant>,
    rescan_running: bool,
    generation: u64,
    jobs: Sender<Job>,
    outcomes_tx: Sender<Outcome>,
    outcomes: Receiver<Outcome>,
    next_request: i32,
}

impl Server {
    fn new(conn: &Connection, init: &InitializeParams) -> Server {
        let mut roots: Vec<PathBuf> = init
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| text::uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            roots.extend(init.root_uri.as_ref().and_then(text::uri_to_path));
        }
        let opts = init.initialization_options.as_ref();
        let debounce = opts
            .and_then(|o| o.get("debounceMs"))
            .and_then(serde_json::Value::as_u64)
            .map_or(DEFAULT_DEBOUNCE, Duration::from_millis);
        let baseline = opts
            .and_then(|o| o.get("baseline"))
            .and_then(serde_json::Value::as_str)
            .map(PathBuf::from);
        let workspace_scan = opts
            .and_then(|o| o.get("workspaceScan"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true);
        let caps = &init.capabilities;
        let show_document = caps
            .window
            .as_ref()
            .and_then(|w| w.show_document.as_ref())
            .is_some_and(|s| s.support);
        let watch_registration = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let (jobs, jobs_rx) = crossbeam_channel::unbounded::<Job>();
        let (outcomes_tx, outcomes) = crossbeam_channel::unbounded::<Outcome>();
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        for _ in 0..workers {
            let rx = jobs_rx.clone();
            let tx = outcomes_tx.clone();
            std::thread::spawn(move || {
                for job in rx {
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_job(job)));
                    if let Ok(Some(o)) = outcome {
                        if tx.send(o).is_err() {
                            break;
                        }
                    }
                }
            });
        }
        Server {
            sender: conn.sender.clone(),
            roots,
            baseline,
            debounce,
            workspace_scan,
            show_document,
            watch_registration,
            docs: HashMap::new(),
            linted: HashMap::new(),
            due: HashMap::new(),
            running: HashMap::new(),
            options: HashMap::new(),
            config_errors: HashSet::new(),
            disk: HashSet::new(),
            rescan_due: None,
            rescan_running: false,
            generation: 0,
            jobs,
            outcomes_tx,
            outcomes,
            next_request: 0,
        }
    }

    fn start(&mut self) {
        if self.watch_registration {
            let watchers: Vec<serde_json::Value> = [
                "**/.keyless.toml",
                "**/*.{json,jsonc,bicep,bicepparam,tf,tfvars,config,yaml,yml,env}",
                "**/.env*",
            ]
            .iter()
            .map(|g| serde_json::json!({ "globPattern": g }))
            .collect();
            self.request(
                "client/registerCapability",
                serde_json::json!({ "registrations": [{
                    "id": "keyless-watched-files",
                    "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": { "watchers": watchers }
                }]}),
            );
        }
        if self.workspace_scan {
            self.rescan_due = Some(Instant::now());
        }
    }

    fn main_loop(&mut self, conn: &Connection) -> Result<(), ServerError> {
        loop {
            let now = Instant::now();
            let next = self
                .due
                .values()
                .copied()
                .chain(self.rescan_due.filter(|_| !self.rescan_running))
                .min();
            let wait = next.map_or(Duration::from_secs(3600), |t| {
                t.saturating_duration_since(now)
            });
            select! {
                recv(conn.receiver) -> msg => match msg {
                    Ok(Message::Request(req)) => {
                        if conn.handle_shutdown(&req).map_err(ServerError::Shutdown)? {
                            return Ok(());
                        }
                        self.on_request(req);
                    }
                    Ok(Message::Notification(n)) => {
                        if n.method == "exit" {
                            return Ok(());
                        }
                        self.on_notification(n);
                    }
                    Ok(Message::Response(_)) => {}
                    Err(_) => return Ok(()),
                },
                recv(self.outcomes) -> o => {
                    if let Ok(o) = o {
                        self.on_outcome(o);
                    }
                },
                default(wait) => {},
            }
            self.dispatch_due();
        }
    }

    fn send(&self, m: Message) {
        // A closed connection ends the main loop on its next receive.
        let _ = self.sender.send(m);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) {
        self.next_request += 1;
        let id = RequestId::from(format!("keyless-{}", self.next_request));
        self.send(Message::Request(Request::new(
            id,
            method.to_string(),
            params,
        )));
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics,
                version,
            },
        );
    }

    fn show_message(&self, kind: i32, message: String) {
        self.notify(
            "window/showMessage",
            serde_json::json!({ "type": kind, "message": message }),
        );
    }

    /// The workspace folder holding a path (the deepest), else the path's own folder.
    fn root_for(&self, path: &Path) -> PathBuf {
        self.roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())
            .cloned()
            .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    /// Scan options for a root: the configuration `keyless ROOT` would use. An invalid
    /// configuration is shown on the file and in a message; the defaults apply until it is fixed.
    fn options_for(&mut self, root: &Path) -> Arc<ScanOptions> {
        if let Some(o) = self.options.get(root) {
            return o.clone();
        }
        let cfg = match config::discover(root, root) {
            Some(path) => match Config::load(&path, root) {
                Ok(c) => c,
                Err(e) => {
                    if let Some(uri) = text::path_to_uri(&config::absolute(&path, root)) {
                        let pos = Position::new(
                            e.line.saturating_sub(1) as u32,
                            e.column.saturating_sub(1) as u32,
                        );
                        self.publish(
                            &uri,
                            vec![Diagnostic {
                                range: Range::new(pos, pos),
                                severity: Some(DiagnosticSeverity::ERROR),
                                code: Some(NumberOrString::String("config".into())),
                                source: Some("keyless".into()),
                                message: crate::redact::input_text(&e.message),
                                ..Diagnostic::default()
                            }],
                            None,
                        );
                        self.config_errors.insert(uri);
                    }
                    self.show_message(
                        1,
                        crate::redact::input_text(&format!(
                            "keyless: {e}; using the default configuration until it is fixed"
                        )),
                    );
                    Config::default()
                }
            },
            None => Config::default(),
        };
        let baseline = self.baseline.as_ref().and_then(|b| {
            match crate::baseline::Baseline::read(&config::absolute(b, root)) {
                Ok(b) => Some(Arc::new(b)),
                Err(e) => {
                    self.show_message(
                        1,
                        format!("keyless: {e}; no baseline applies until it is fixed"),
                    );
                    None
                }
            }
        });
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let opts = Arc::new(ScanOptions {
            baseline_key: baseline.as_ref().and_then(|b| b.key()),
            baseline,
            threads: workers.saturating_sub(1).max(1),
            ..ScanOptions::for_config(cfg, vec![root.to_path_buf()])
        });
        self.options.insert(root.to_path_buf(), opts.clone());
        opts
    }

    fn reload_config(&mut self) {
        self.options.clear();
        for uri in std::mem::take(&mut self.config_errors) {
            self.publish(&uri, Vec::new(), None);
        }
        let roots: Vec<PathBuf> = self.roots.clone();
        for r in &roots {
            self.options_for(r);
        }
        let now = Instant::now();
        let open: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in open {
            self.due.insert(uri, now);
        }
        self.schedule_rescan(now);
    }

    fn schedule_rescan(&mut self, at: Instant) {
        if self.workspace_scan && !self.roots.is_empty() {
            self.rescan_due = Some(self.rescan_due.map_or(at, |t| t.max(at)));
        }
    }

    fn on_request(&mut self, req: Request) {
        let id = req.id.clone();
        let response = match req.method.as_str() {
            "textDocument/codeAction" => {
                match serde_json::from_value::<CodeActionParams>(req.params) {
                    Ok(p) => Response::new_ok(id, self.code_actions(&p)),
                    Err(e) => invalid(id, e),
                }
            }
            "textDocument/hover" => match serde_json::from_value::<HoverParams>(req.params) {
                Ok(p) => Response::new_ok(id, self.hover(&p)),
                Err(e) => invalid(id, e),
            },
            "workspace/executeCommand" => {
                match serde_json::from_value::<ExecuteCommandParams>(req.params) {
                    Ok(p) => {
                        self.execute(&p);
                        Response::new_ok(id, serde_json::Value::Null)
                    }
                    Err(e) => invalid(id, e),
                }
            }
            other => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("keyless does not handle `{other}`"),
            ),
        };
        self.send(Message::Response(response));
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    let (path, root) = match text::uri_to_path(&uri) {
                        Some(path) => {
                            let root = self.root_for(&path);
                            (path, root)
                        }
                        // An unsaved buffer (`untitled:`): its language gives the format.
                        None => {
                            let root = self
                                .roots
                                .first()
                                .cloned()
                                .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
                            (
                                root.join(crate::formats::untitled_name(
                                    &p.text_document.language_id,
                                )),
                                root,
                            )
                        }
                    };
                    self.docs.insert(
                        uri.clone(),
                        Doc {
                            version: p.text_document.version,
                            text: p.text_document.text,
                            path,
                            root,
                        },
                    );
                    self.disk.remove(&uri);
                    self.due.insert(uri, Instant::now());
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    if let Some(doc) = self.docs.get_mut(&uri) {
                        text::apply_changes(&mut doc.text, p.content_changes);
                        doc.version = p.text_document.version;
                        if let Some(c) = self.running.remove(&uri) {
                            c.store(true, Ordering::Relaxed);
                        }
                        self.due.insert(uri, Instant::now() + self.debounce);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    if is_config(&p.text_document.uri) {
                        self.reload_config();
                    } else {
                        // Saved text can change what other files resolve (modules, parameters).
                        self.schedule_rescan(Instant::now() + RESCAN_DELAY);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    self.close(p.text_document.uri);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) {
                    if p.changes.iter().any(|c| is_config(&c.uri)) {
                        self.reload_config();
                    } else {
                        self.schedule_rescan(Instant::now() + RESCAN_DELAY);
                    }
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                if let Ok(p) = serde_json::from_value::<DidChangeWorkspaceFoldersParams>(n.params) {
                    let removed: Vec<PathBuf> = p
                        .event
                        .removed
                        .iter()
                        .filter_map(|f| text::uri_to_path(&f.uri))
                        .collect();
                    self.roots.retain(|r| !removed.contains(r));
                    self.roots.extend(
                        p.event
                            .added
                            .iter()
                            .filter_map(|f| text::uri_to_path(&f.uri)),
                    );
                    self.reload_config();
                }
            }
            _ => {}
        }
    }

    /// Closing a document: its diagnostics fall back to the file on disk.
    fn close(&mut self, uri: Uri) {
        self.due.remove(&uri);
        self.linted.remove(&uri);
        if let Some(c) = self.running.remove(&uri) {
            c.store(true, Ordering::Relaxed);
        }
        let Some(doc) = self.docs.remove(&uri) else {
            return;
        };
        let opts = self.options_for(&doc.root);
        let _ = self.jobs.send(Job::Disk {
            uri,
            path: doc.path,
            root: doc.root,
            opts,
        });
    }

    /// Starts the scans whose debounce has passed, and the workspace scan when it is due.
    fn dispatch_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            let Some((path, root, version, text)) = self
                .docs
                .get(&uri)
                .map(|d| (d.path.clone(), d.root.clone(), d.version, d.text.clone()))
            else {
                continue;
            };
            let opts = self.options_for(&root);
            if opts.config.excluded(&path, &root) || is_config(&uri) {
                self.linted.remove(&uri);
                self.publish(&uri, Vec::new(), Some(version));
                continue;
            }
            let cancel = Arc::new(AtomicBool::new(false));
            if let Some(old) = self.running.insert(uri.clone(), cancel.clone()) {
                old.store(true, Ordering::Relaxed);
            }
            let _ = self.jobs.send(Job::Lint {
                uri,
                version,
                path,
                root,
                text,
                opts,
                cancel,
            });
        }
        if !self.rescan_running && self.rescan_due.is_some_and(|t| t <= now) {
            self.rescan_due = None;
            self.rescan_running = true;
            self.generation += 1;
            let generation = self.generation;
            let roots: Vec<(PathBuf, Arc<ScanOptions>)> = self
                .roots
                .clone()
                .into_iter()
                .map(|r| {
                    let o = self.options_for(&r);
                    (r, o)
                })
                .collect();
            let tx = self.outcomes_tx.clone();
            std::thread::spawn(move || {
                let files = std::panic::catch_unwind(|| workspace_scan(&roots)).unwrap_or_default();
                let _ = tx.send(Outcome::Workspace { generation, files });
            });
        }
    }

    fn on_outcome(&mut self, o: Outcome) {
        match o {
            Outcome::Linted {
                uri,
                version,
                format,
                items,
            } => {
                let current = self.docs.get(&uri).is_some_and(|d| d.version == version);
                if !current {
                    return;
                }
                self.running.remove(&uri);
                let diagnostics = items.iter().map(|i| i.diagnostic.clone()).collect();
                self.publish(&uri, diagnostics, Some(version));
                self.linted.insert(
                    uri,
                    Linted {
                        version,
                        format,
                        items,
                    },
                );
            }
            Outcome::Disk { uri, diagnostics } => {
                if self.docs.contains_key(&uri) {
                    return;
                }
                if diagnostics.is_empty() {
                    self.disk.remove(&uri);
                } else {
                    self.disk.insert(uri.clone());
                }
                self.publish(&uri, diagnostics, None);
            }
            Outcome::Workspace { generation, files } => {
                self.rescan_running = false;
                if generation != self.generation {
                    return;
                }
                let fresh: HashSet<Uri> = files.iter().map(|(u, _)| u.clone()).collect();
                for gone in self.disk.difference(&fresh) {
                    if !self.docs.contains_key(gone) {
                        self.publish(gone, Vec::new(), None);
                    }
                }
                self.disk.clear();
                for (uri, diagnostics) in files {
                    if self.docs.contains_key(&uri) {
                        continue;
                    }
                    self.publish(&uri, diagnostics, None);
                    self.disk.insert(uri);
                }
            }
        }
    }

    /// The items of an open document as last scanned, when that scan is of its current text.
    fn current(&self, uri: &Uri) -> Option<(&Doc, &Linted)> {
        let doc = self.docs.get(uri)?;
        let linted = self.linted.get(uri)?;
        (linted.version == doc.version).then_some((doc, linted))
    }

    fn code_actions(&mut self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some((doc, linted)) = self.current(uri) else {
            return Vec::new();
        };
        let opts = self.options.get(&doc.root).cloned().unwrap_or_default();
        let mut out = Vec::new();
        // Two findings of one rule on one line get the same suppress edit: offer it once.
        let mut offered: HashSet<(String, u32, String)> = HashSet::new();
        for item in linted
            .items
            .iter()
            .filter(|i| actions::touches(&i.diagnostic.range, &p.range))
        {
            if let Some(fix) = &item.fix {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![item.diagnostic.clone()]),
                    edit: Some(workspace_edit(uri, fix.edits.clone())),
                    is_preferred: Some(fix.safe),
                    ..CodeAction::default()
                }));
            }
            // Diagnostics about suppressions themselves cannot be suppressed.
            if crate::rules::input::is_suppression_diagnostic(item.rule.id) {
                continue;
            }
            let Some(format) = linted.format else {
                continue;
            };
            for s in actions::suppress_edits(&doc.path, &doc.text, format, item, &opts) {
                let key = (
                    s.title.clone(),
                    s.edit.range.start.line,
                    s.edit.new_text.clone(),
                );
                if !offered.insert(key) {
                    continue;
                }
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: s.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![item.diagnostic.clone()]),
                    edit: Some(workspace_edit(uri, vec![s.edit])),
                    command: Some(Command {
                        title: "Select the reason".into(),
                        command: SELECT_REASON.into(),
                        arguments: Some(vec![
                            serde_json::json!(uri.as_str()),
                            serde_json::to_value(s.reason).unwrap_or_default(),
                        ]),
                    }),
                    ..CodeAction::default()
                }));
            }
        }
        out
    }

    /// `keyless.selectReason URI RANGE`: asks the editor to select the reason just inserted.
    fn execute(&mut self, p: &ExecuteCommandParams) {
        if p.command != SELECT_REASON || !self.show_document {
            return;
        }
        let (Some(uri), Some(range)) = (p.arguments.first(), p.arguments.get(1)) else {
            return;
        };
        self.request(
            "window/showDocument",
            serde_json::json!({ "uri": uri, "takeFocus": true, "selection": range }),
        );
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let uri = &p.text_document_position_params.text_document.uri;
        let pos = p.text_document_position_params.position;
        let (_, linted) = self.current(uri)?;
        let under: Vec<&Item> = linted
            .items
            .iter()
            .filter(|i| i.diagnostic.range.start <= pos && pos <= i.diagnostic.range.end)
            .collect();
        let value = actions::hover_markdown(&under)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: under.first().map(|i| i.diagnostic.range),
        })
    }
}

fn invalid(id: RequestId, e: serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("invalid parameters: {e}"),
    )
}

fn workspace_edit(uri: &Uri, edits: Vec<lsp_types::TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

fn is_config(uri: &Uri) -> bool {
    text::uri_to_path(uri).is_some_and(|p| p.file_name().is_some_and(|n| n == config::FILE_NAME))
}

fn run_job(job: Job) -> Option<Outcome> {
    match job {
        Job::Lint {
            uri,
            version,
            path,
            root,
            text,
            opts,
            cancel,
        } => {
            let report =
                scan::scan_text_cancellable(&path, &root, text.as_bytes(), &opts, &cancel)?;
            let lines = Lines::new(&text);
            Some(Outcome::Linted {
                uri,
                version,
                format: report.format,
                items: actions::items(&report.findings, &lines),
            })
        }
        Job::Disk {
            uri,
            path,
            root,
            opts,
        } => {
            if !walked(&root, &path, &opts) {
                return Some(Outcome::Disk {
                    uri,
                    diagnostics: Vec::new(),
                });
            }
            let report = scan::scan_path(&path, &root, &opts, false);
            let text = disk_text(&report.path, &opts);
            let lines = Lines::new(&text);
            Some(Outcome::Disk {
                uri,
                diagnostics: report
                    .findings
                    .iter()
                    .map(|f| actions::diagnostic(f, &lines))
                    .collect(),
            })
        }
    }
}

/// True when the workspace scan of `root` reads `path`: a file of a kind keyless reads, not
/// excluded by the configuration, and either not ignored (`.gitignore`, `.ignore`, skipped
/// folders) on the way down from the root, or tracked by git. Walks only the folders between the
/// two.
fn walked(root: &Path, path: &Path, opts: &ScanOptions) -> bool {
    if crate::discover::format_for_path(path).is_none()
        || !path.is_file()
        || opts.config.excluded(path, root)
    {
        return false;
    }
    if !path.starts_with(root) {
        return true;
    }
    let target = path.to_path_buf();
    let no_ignore = opts.no_ignore;
    let mut found = false;
    crate::discover::walker(&[root.to_path_buf()], no_ignore, 1)
        .filter_entry(move |e| {
            let skipped = !no_ignore
                && e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| crate::discover::SKIPPED_DIRS.contains(&n));
            target.starts_with(e.path()) && !skipped
        })
        .build()
        .flatten()
        .for_each(|e| found |= e.path() == path);
    // Ignore files apply to untracked files only, as in the CLI's walk.
    found
        || (!no_ignore
            && crate::discover::walk_would_scan(path, root)
            && crate::git::tracked_files(root)
                .map_or(true, |t| t.is_some_and(|t| t.iter().any(|p| p == path))))
}

/// A file's text as the scan read it, through the one reader (size cap, regular files only,
/// encodings), for turning its findings' offsets into editor positions; empty when it cannot be
/// read (its findings then sit at the file's start).
fn disk_text(path: &Path, opts: &ScanOptions) -> String {
    use crate::io::read::{decode, read_bytes, Named};
    read_bytes(path, opts.max_file_size, Named::No)
        .and_then(|b| decode(path, b.bytes, opts.max_file_size, false))
        .map(|(text, _, _)| text)
        .unwrap_or_default()
}

/// The CLI's scan of each root (its walk, `.gitignore`, configuration), as diagnostics by file.
fn workspace_scan(roots: &[(PathBuf, Arc<ScanOptions>)]) -> Vec<(Uri, Vec<Diagnostic>)> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = Vec::new();
    for (_, opts) in roots {
        let result = scan::scan(opts);
        for file in &result.files {
            if file.findings.is_empty() {
                continue;
            }
            // the path the scan read, never the name it shows
            let path = config::absolute(&file.path, &cwd);
            let Some(uri) = text::path_to_uri(&path) else {
                continue;
            };
            let text = disk_text(&file.path, opts);
            let lines = Lines::new(&text);
            out.push((
                uri,
                file.findings
                    .iter()
                    .map(|f| actions::diagnostic(f, &lines))
                    .collect(),
            ));
        }
    }
    out
}
