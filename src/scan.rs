//! The pipeline: walk → read → parse → rules → findings, in parallel and streaming. Each file is
//! read, parsed, checked and dropped; only its findings (and, for the human report, the masked text
//! of files that have findings) are kept.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::baseline::Baseline;
use crate::config::Config;
use crate::discover;
use crate::finding::{assign_fingerprints, Finding, Position};
use crate::io::read::Named;
use crate::ir::{Document, InputProblem, InputProblemKind, Node};
use crate::per_file_ignores;
use crate::redact::Scrubber;
use crate::rules::{self, Context};
use crate::source::{Format, SourceFile, Span};
use crate::suppress::{self, Date};

pub use crate::results::{FileReport, ScanResult};

/// Default size cap: configuration files are small; plan JSON of big estates reaches a few MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Default per-file time bound. The largest real templates take tens of milliseconds; a file that
/// takes seconds is pathological, and a CI gate should say so rather than stall on it.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub no_ignore: bool,
    /// 0: all cores.
    pub threads: usize,
    pub max_file_size: u64,
    /// Per-file time bound, checked after the parse and before each rule: once it is exceeded the
    /// remaining rules are skipped and INPUT011 names them.
    pub file_timeout: Duration,
    /// Keep the (masked) text of files with findings, for code frames.
    pub keep_sources: bool,
    /// Rule selection, severity overrides, path excludes and extra patterns (`.keyless.toml`).
    pub config: Arc<Config>,
    /// Scan ARM JSON that Bicep generated even when its `.bicep` source stands beside it
    /// (`--include-generated`, `[paths] include-generated`); by default it is skipped and counted.
    pub include_generated: bool,
    /// The baseline's key: when set, findings that hold a secret get a [`Finding::value_digest`].
    pub baseline_key: Option<[u64; 2]>,
    /// `--baseline`: the findings it holds are left out of every report (see [`finish`]).
    pub baseline: Option<Arc<Baseline>>,
    /// When set (`--changed-since`): scan only these files (absolute paths, as [`crate::git`]
    /// lists them), those under `paths` that a walk would scan, instead of walking.
    pub only: Option<Vec<PathBuf>>,
    /// The local modules read for their callers during this scan ([`crate::modules`]).
    pub modules: crate::modules::ModuleCache,
    /// Where the files a scanned file names (sibling templates, modules, a generated template's
    /// source) are read: the disk, or a commit's tree for `keyless history`.
    pub files: Arc<dyn crate::io::files::Files>,
    /// Follow local module calls (`--no-follow-modules` turns it off).
    pub follow_modules: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            no_ignore: false,
            threads: 0,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            file_timeout: DEFAULT_FILE_TIMEOUT,
            keep_sources: false,
            config: Arc::new(Config::default()),
            include_generated: false,
            baseline_key: None,
            baseline: None,
            only: None,
            modules: Default::default(),
            files: Arc::new(crate::io::files::Disk),
            follow_modules: true,
        }
    }
}

impl ScanOptions {
    /// The options a configuration gives a scan of `paths` (its limits, `include-generated`),
    /// the defaults elsewhere: what the CLI starts from before its flags, and what the server
    /// scans a workspace folder with.
    pub fn for_config(config: Config, paths: Vec<PathBuf>) -> ScanOptions {
        ScanOptions {
            paths,
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            file_timeout: config.file_timeout.unwrap_or(DEFAULT_FILE_TIMEOUT),
            include_generated: config.include_generated.unwrap_or(false),
            config: Arc::new(config),
            ..ScanOptions::default()
        }
    }
}

/// Worker threads started per core at most, whatever `--threads` asks for.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// Scans the given paths.
pub fn scan(opts: &ScanOptions) -> ScanResult {
    let started = Instant::now();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The walker's idle threads spin while they look for work: far more threads than cores only
    // burn the cores the busy ones need (1,024 threads on 2 cores took a minute on an empty folder).
    let threads = if opts.threads == 0 {
        cores
    } else {
        opts.threads.min(cores.saturating_mul(MAX_THREADS_PER_CORE))
    };
    // Paths named that are not folders are read as named: files, and pipes, FIFOs and devices
    // (`keyless <(cat x)`, `/dev/stdin`), bounded by the size cap.
    let (dirs, named): (Vec<PathBuf>, Vec<PathBuf>) =
        opts.paths.iter().cloned().partition(|p| p.is_dir());
    let excluded = |p: &Path| opts.config.excluded(p, &cwd);
    let collected: Mutex<Vec<FileReport>> = Mutex::new(Vec::new());
    let scanned = std::sync::atomic::AtomicUsize::new(0);
    let generated = std::sync::atomic::AtomicUsize::new(0);
    let generated_files: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let baselined = std::sync::atomic::AtomicUsize::new(0);
    let mut notes = Vec::new();
    // With several paths a file can be reached twice (the same path given twice, a file and its
    // folder): each file is scanned once. One root never reaches a file twice.
    let seen: Option<Mutex<std::collections::HashSet<PathBuf>>> =
        (opts.paths.len() > 1).then(|| Mutex::new(std::collections::HashSet::new()));
    let first_visit = |p: &Path| -> bool {
        let Some(seen) = &seen else { return true };
        let key = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        seen.lock().map_or(true, |mut s| s.insert(key))
    };

    let handle = |report: Option<FileReport>| {
        if let Some(r) = report {
            if let Some(source) = &r.generated_from {
                generated.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Ok(mut g) = generated_files.lock() {
                    g.push((r.display.clone(), source.clone()));
                }
            } else {
                scanned.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            baselined.fetch_add(r.baselined, std::sync::atomic::Ordering::Relaxed);
            if !r.findings.is_empty() || !r.suppressed.is_empty() {
                if let Ok(mut v) = collected.lock() {
                    v.push(r);
                }
            }
        }
    };

    // A list of files, scanned on `threads` threads.
    let scan_list = |list: &[PathBuf], explicit: bool| {
        if threads <= 1 || list.len() < 4 {
            for p in list.iter().filter(|p| !excluded(p)) {
                if first_visit(p) {
                    handle(Some(scan_path(p, &cwd, opts, explicit)));
                }
            }
        } else {
            let next = std::sync::atomic::AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..threads.min(list.len()) {
                    s.spawn(|| loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(p) = list.get(i) else { break };
                        if !excluded(p) && first_visit(p) {
                            handle(Some(scan_path(p, &cwd, opts, explicit)));
                        }
                    });
                }
            });
        }
    };

    if let Some(only) = &opts.only {
        // `--changed-since`: the changed files under the scan roots, no walk.
        scan_list(&discover::under_roots(only, &opts.paths), false);
    } else {
        // Explicit files (pre-commit passes lists of them): no walk for them.
        scan_list(&named, true);
    }
    if opts.only.is_none() && !dirs.is_empty() {
        // Every file the walk yields, so that the tracked files it left out (ignored ones) can
        // be told apart afterwards.
        let walked: Mutex<std::collections::HashSet<PathBuf>> = Mutex::default();
        let walker = discover::walker(&dirs, opts.no_ignore, threads).build_parallel();
        walker.run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) => {
                        if excluded(e.path()) {
                            return if e.file_type().is_some_and(|t| t.is_dir()) {
                                ignore::WalkState::Skip
                            } else {
                                ignore::WalkState::Continue
                            };
                        }
                        let is_file = e.file_type().is_some_and(|t| t.is_file());
                        if is_file {
                            if !opts.no_ignore {
                                if let Ok(mut w) = walked.lock() {
                                    w.insert(e.path().to_path_buf());
                                }
                            }
                            let explicit = e.depth() == 0;
                            if (explicit || discover::format_for_path(e.path()).is_some())
                                && first_visit(e.path())
                            {
                                handle(Some(scan_path(e.path(), &cwd, opts, explicit)));
                            }
                        }
                    }
                    Err(err) => handle(Some(walk_error(&err, &cwd, &opts.config))),
                }
                ignore::WalkState::Continue
            })
        });
        // Ignore files apply to untracked files only: what git tracks under a folder is scanned
        // even when `.gitignore` or `.ignore` matches it.
        if !opts.no_ignore {
            let walked = walked.into_inner().unwrap_or_default();
            let mut tracked = Vec::new();
            for root in &dirs {
                let candidates = match crate::git::tracked_files(root) {
                    Ok(files) => files.unwrap_or_default(),
                    Err(e) => {
                        // git cannot say what is tracked: every file an ignore file left out is
                        // scanned, rather than a tracked one skipped in silence
                        notes.push(format!(
                            "git could not list the files tracked under {} ({}); the files that \
                             ignore files match there were scanned too",
                            discover::display_path(root, &cwd),
                            git_reason(&e)
                        ));
                        discover::every_file(root, threads)
                    }
                };
                for p in candidates {
                    if !walked.contains(&p) && discover::walk_would_scan(&p, root) && p.is_file() {
                        tracked.push(p);
                    }
                }
            }
            tracked.sort();
            tracked.dedup();
            scan_list(&tracked, false);
        }
    }

    let mut files = collected.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.display.cmp(&b.display));
    ScanResult {
        files,
        files_scanned: scanned.into_inner(),
        elapsed: started.elapsed(),
        baselined: baselined.into_inner(),
        generated_skipped: generated.into_inner(),
        generated: {
            let mut g = generated_files.into_inner().unwrap_or_default();
            g.sort();
            g
        },
        config: opts.config.path.clone(),
        notes,
    }
}

/// Why the repository could not be read, in a few words.
fn git_reason(e: &crate::git::GitError) -> String {
    match e {
        crate::git::GitError::Failed(m) => m.clone(),
        other => other.to_string(),
    }
}

fn walk_error(err: &ignore::Error, cwd: &Path, config: &Config) -> FileReport {
    let path = error_path(err).map(|p| discover::display_path(p, cwd));
    let message = match err {
        ignore::Error::WithPath { err, .. } => err.to_string(),
        other => other.to_string(),
    };
    let mut f = Finding::new(
        rules::input::meta_for(InputProblemKind::Walk),
        Span::at(0),
        format!("could not walk this path: {message}"),
    );
    f.start = Position { line: 1, column: 1 };
    f.end = f.start;
    if let Some(s) = config.severity_for(f.rule.id) {
        f.severity = s;
    }
    let display = path.unwrap_or_else(|| ".".to_string());
    assign_fingerprints(&display, "", std::slice::from_mut(&mut f));
    let per_file = config.ignored_rules_for(error_path(err).unwrap_or(Path::new(".")), cwd);
    let findings = if config.enabled(f.rule.id) && !per_file_ignores::covers(&per_file, f.rule.id) {
        vec![f]
    } else {
        Vec::new()
    };
    FileReport {
        path: error_path(err).map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        id: None,
        display,
        baselined: 0,
        secret_spans: Vec::new(),
        format: None,
        findings,
        suppressed: Vec::new(),
        source: None,
        generated_from: None,
    }
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// Reads, parses and checks one file.
pub fn scan_path(path: &Path, cwd: &Path, opts: &ScanOptions, explicit: bool) -> FileReport {
    let started = Instant::now();
    let named = if explicit { Named::Yes } else { Named::No };
    match crate::io::read::read_bytes(path, opts.max_file_size, named) {
        Ok(read) => {
            let mut report = scan_bytes(path, cwd, read.bytes, opts, explicit, started, None, true)
                .unwrap_or_else(|| never_cancelled(path, cwd));
            report.id = read.id;
            report
        }
        Err(problem) => {
            let display = discover::display_path(path, cwd);
            problem_report(path, display, problem, opts, started)
        }
    }
}

/// Scans a document held in memory under `path` (which need not exist): an editor's unsaved
/// buffer (`keyless server`) or standard input (`keyless - --stdin-filename NAME`). Everything
/// after reading is what [`scan_path`] does for a file named on the command line: the size cap,
/// the binary check, UTF-8 repair, the format by name (else JSON by content, else text), the
/// rules of `opts.config`, inline suppressions, severities and the per-file time bound. The
/// configuration's `[paths] exclude` is the caller's to check, as for [`scan_path`].
pub fn scan_text(
    path: &Path,
    cwd: &Path,
    text: impl Into<Vec<u8>>,
    opts: &ScanOptions,
) -> FileReport {
    scan_bytes(
        path,
        cwd,
        text.into(),
        opts,
        true,
        Instant::now(),
        None,
        false,
    )
    .unwrap_or_else(|| never_cancelled(path, cwd))
}

/// [`scan_text`] that gives up, returning `None`, once `cancel` is set (checked after the parse
/// and before each rule): the server cancels the scan of a buffer that has changed since.
pub fn scan_text_cancellable(
    path: &Path,
    cwd: &Path,
    text: impl Into<Vec<u8>>,
    opts: &ScanOptions,
    cancel: &AtomicBool,
) -> Option<FileReport> {
    scan_bytes(
        path,
        cwd,
        text.into(),
        opts,
        true,
        Instant::now(),
        Some(cancel),
        false,
    )
}

/// Without a cancel flag a scan always finishes; this only satisfies the types.
fn never_cancelled(path: &Path, cwd: &Path) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        id: None,
        display: discover::display_path(path, cwd),
        baselined: 0,
        secret_spans: Vec::new(),
        format: None,
        findings: Vec::new(),
        suppressed: Vec::new(),
        source: None,
        generated_from: None,
    }
}

fn problem_report(
    path: &Path,
    display: String,
    problem: InputProblem,
    opts: &ScanOptions,
    started: Instant,
) -> FileReport {
    let mut doc = Document::default();
    doc.problems.push(problem);
    let file = SourceFile::new(path.to_path_buf(), display, String::new(), Format::Text);
    check_since(&file, Format::Text, &doc, opts, started, None)
        .unwrap_or_else(|| never_cancelled(path, Path::new("")))
}

/// `from_disk`: the bytes are the file's on disk (not an editor's buffer), so a Bicep file's parse
/// can be shared with the calls that read it as a module ([`crate::modules::ModuleCache::bicep_file`]).
#[allow(clippy::too_many_arguments)]
fn scan_bytes(
    path: &Path,
    cwd: &Path,
    bytes: Vec<u8>,
    opts: &ScanOptions,
    explicit: bool,
    started: Instant,
    cancel: Option<&AtomicBool>,
    from_disk: bool,
) -> Option<FileReport> {
    let display = discover::display_path(path, cwd);
    let (text, format, mut problems) =
        match crate::io::read::decode(path, bytes, opts.max_file_size, explicit) {
            Ok(x) => x,
            Err(problem) => return Some(problem_report(path, display, problem, opts, started)),
        };
    let file = SourceFile::new(path.to_path_buf(), display, text, format);
    // the line reading of a broken file (parse::recover) checks the file's clock
    let _clock = crate::parse::recover::Clock::start(started.checked_add(opts.file_timeout));
    let parse = || {
        catch_unwind(AssertUnwindSafe(|| {
            crate::fault::inject("parse", &[&file.display], || file.text.clone());
            crate::parse::parse(&file)
        }))
    };
    let mut parsed = None;
    if from_disk && opts.follow_modules && format == Format::Bicep && problems.is_empty() {
        // A Bicep file is parsed once for its own scan and the calls that read it as a module.
        let mut failed = false;
        let shared = opts.modules.bicep_file(path, &file.text, || {
            parse().unwrap_or_else(|_| {
                failed = true;
                crate::ir::Parsed {
                    format,
                    doc: Document::default(),
                }
            })
        });
        match shared {
            Ok(shared) => {
                let doc = shared.doc();
                let follow = !doc.modules.is_empty() && !doc.values_file;
                // The shared parse is the module's too: what lies beside this file goes on a copy.
                // Its findings then differ from the module's alone, so they are not recorded as
                // the module's own (callers compute those from the module, whatever the order).
                let nearby = nearby_key_users(path, doc, opts);
                if !nearby.is_empty() {
                    let mut with_nearby = doc.clone();
                    with_nearby.nearby_key_users = nearby;
                    return check_with(
                        &file,
                        format,
                        &with_nearby,
                        opts,
                        started,
                        cancel,
                        follow,
                        None,
                    );
                }
                return check_with(
                    &file,
                    format,
                    doc,
                    opts,
                    started,
                    cancel,
                    follow,
                    Some(&shared),
                );
            }
            Err(p) if !failed => parsed = Some(Ok(*p)),
            Err(_) => parsed = Some(Err(())),
        }
    }
    let parsed = parsed.unwrap_or_else(|| parse().map_err(|_| ()));
    let (format, mut doc) = match parsed {
        Ok(p) => (p.format, p.doc),
        Err(()) => {
            let doc = crate::parse::failed(
                &file,
                InputProblem {
                    kind: InputProblemKind::Syntax,
                    span: Span::at(0),
                    message:
                        "internal error while parsing this file (please report it); scanned as text"
                            .into(),
                },
            );
            (format, doc)
        }
    };
    doc.problems.append(&mut problems);
    if !opts.include_generated && matches!(format, Format::ArmTemplate(_)) {
        if let Some(source) = bicep_source_in(path, &doc, opts.files.as_ref()) {
            // checked for literal secrets only; the rest is reported at the source
            let literal = ScanOptions {
                config: Arc::new(
                    opts.config
                        .restricted_to(&crate::generated_arm::LITERAL_RULES),
                ),
                ..opts.clone()
            };
            let mut report = check_since(&file, format, &doc, &literal, started, cancel)?;
            crate::generated_arm::keep_literal_findings(
                &mut report,
                &file.text,
                &source,
                opts.files.as_ref(),
            );
            report.generated_from = Some(discover::display_path(&source, cwd));
            return Some(report);
        }
    }
    if doc.values_file {
        doc.secure_in_template = secure_in_template(&file, &doc, opts);
    } else {
        doc.nearby_key_users = nearby_key_users(path, &doc, opts);
        if opts.follow_modules {
            let scope = crate::modules::Scope {
                config: &opts.config,
                modules: &opts.modules,
                max_file_size: opts.max_file_size,
                files: opts.files.as_ref(),
            };
            crate::modules::trace_outputs(path, &file.text, &mut doc, &scope);
        }
    }
    let follow = opts.follow_modules && !doc.modules.is_empty() && !doc.values_file;
    check_with(&file, format, &doc, opts, started, cancel, follow, None)
}

/// The parameters that the template a values file is for declares secure. The template is the
/// sibling ARM template (`x.parameters.json` and `x.parameters.dev.json` → `x.json`, else
/// `azuredeploy.json`, `main.json`, `template.json`), the `using` target of a `.bicepparam` file, or
/// the `.tf` files beside a `.tfvars` file. A template that cannot be read or parsed adds nothing.
fn secure_in_template(file: &SourceFile, doc: &Document, opts: &ScanOptions) -> Vec<String> {
    let Some(dir) = file.path.parent() else {
        return Vec::new();
    };
    let name = file
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut candidates: Vec<std::path::PathBuf> = Vec::new();
    match doc.dialect {
        crate::ir::Dialect::Arm => {
            if let Some(i) = name.find(".parameters") {
                candidates.push(dir.join(format!("{}.json", &name[..i])));
            }
            for t in ["azuredeploy.json", "main.json", "template.json"] {
                candidates.push(dir.join(t));
            }
        }
        crate::ir::Dialect::Bicep => {
            let using = doc
                .root
                .as_ref()
                .and_then(|r| r.get("using"))
                .and_then(Node::as_literal);
            // Local files only: registry and template-spec references are not read.
            if let Some(u) = using.filter(|u| u.ends_with(".bicep") && !u.contains(':')) {
                candidates.push(dir.join(u));
            }
        }
        crate::ir::Dialect::Terraform => {
            if let Ok(entries) = opts.files.list(dir) {
                let mut tf: Vec<_> = entries
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "tf"))
                    .collect();
                tf.sort();
                tf.truncate(64);
                candidates.extend(tf);
            }
        }
        crate::ir::Dialect::AppConfig => {}
    }
    let mut out: Vec<String> = Vec::new();
    for path in candidates {
        if path == file.path || !opts.files.is_file(&path) {
            continue;
        }
        let Ok((text, format, _)) = opts.files.read_decoded(&path, opts.max_file_size) else {
            continue;
        };
        let sibling = SourceFile::new(path.clone(), String::new(), text, format);
        let Ok(parsed) = catch_unwind(AssertUnwindSafe(|| crate::parse::parse(&sibling))) else {
            continue;
        };
        if parsed.doc.values_file || parsed.doc.templates.is_empty() {
            continue;
        }
        out.extend(
            parsed
                .doc
                .params
                .iter()
                .filter(|p| p.template == 0 && p.secure)
                .map(|p| p.name.clone()),
        );
        if doc.dialect != crate::ir::Dialect::Terraform {
            break; // the first template found is the one
        }
    }
    out
}

/// The Bicep source of an ARM template that Bicep generated (`metadata._generator.name` is
/// `bicep`), when it stands beside it: the same stem (`main.json` ← `main.bicep`,
/// `storage.json` ← `storage.bicep`), or `main.bicep` for `azuredeploy.json` (the quickstart
/// templates' layout). Findings are reported at the source; the generated file adds only a copy of
/// them, and registry modules inlined into it that its author cannot change.
pub fn bicep_source(path: &Path, doc: &Document) -> Option<PathBuf> {
    bicep_source_in(path, doc, &crate::io::files::Disk)
}

/// [`bicep_source`] among `files`.
fn bicep_source_in(
    path: &Path,
    doc: &Document,
    files: &dyn crate::io::files::Files,
) -> Option<PathBuf> {
    let generator = doc
        .root
        .as_ref()?
        .get("metadata")?
        .get("_generator")?
        .get("name")?
        .as_str()?;
    if !generator.value.eq_ignore_ascii_case("bicep") {
        return None;
    }
    let same_stem = path.with_extension("bicep");
    let quickstart = path
        .file_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("azuredeploy.json"))
        .then(|| path.with_file_name("main.bicep"));
    std::iter::once(same_stem)
        .chain(quickstart)
        .find(|p| files.is_file(p))
}

/// Runs every rule over a document and turns the results into a report.
pub fn check(file: &SourceFile, format: Format, doc: &Document, opts: &ScanOptions) -> FileReport {
    check_since(file, format, doc, opts, Instant::now(), None)
        .unwrap_or_else(|| never_cancelled(&file.path, Path::new("")))
}

/// [`check`] for a file whose scan began at `started`: the per-file time bound counts from there.
/// The INPUT rules always run (they only report what reading and parsing found); every other rule
/// runs only while the bound holds, and those left out are named in one INPUT011 finding.
fn check_since(
    file: &SourceFile,
    format: Format,
    doc: &Document,
    opts: &ScanOptions,
    started: Instant,
    cancel: Option<&AtomicBool>,
) -> Option<FileReport> {
    check_with(file, format, doc, opts, started, cancel, false, None)
}

/// [`check_since`], then (with `follow`) the findings the file's module calls make through their
/// arguments ([`crate::modules`]): after the file's own rules (its literal secrets are always
/// checked) and under the same per-file clock. A module finding that lands where a rule of the
/// file itself reports is left out (one finding per place). With `shared` (the file's parse is
/// the module cache's), what the rules that bound modules are checked with found is recorded as
/// the module's own findings.
#[allow(clippy::too_many_arguments)]
fn check_with(
    file: &SourceFile,
    format: Format,
    doc: &Document,
    opts: &ScanOptions,
    started: Instant,
    cancel: Option<&AtomicBool>,
    follow: bool,
    shared: Option<&crate::modules::Shared>,
) -> Option<FileReport> {
    let mut cx = Context::new(file, format, doc, opts.config.rule_settings());
    if let Some(deadline) = started.checked_add(opts.file_timeout) {
        cx = cx.with_deadline(deadline);
    }
    let mut findings = Vec::new();
    let mut skipped: Vec<&str> = Vec::new();
    let mut stopped: Option<&str> = None;
    let mut own: Option<Vec<(&'static str, Span, String)>> = shared.map(|_| Vec::new());
    for rule in opts.config.enabled_rules() {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return None;
        }
        if rule.meta().family != crate::finding::Family::Input
            && (!skipped.is_empty() || started.elapsed() >= opts.file_timeout)
        {
            skipped.push(rule.meta().id);
            continue;
        }
        let mut out = Vec::new();
        let ok = catch_unwind(AssertUnwindSafe(|| {
            crate::fault::inject("rule", &[rule.meta().id, &file.display], || {
                file.text.clone()
            });
            rule.run(&cx, &mut out)
        }))
        .is_ok();
        if cx.was_late() && stopped.is_none() && rule.meta().family != crate::finding::Family::Input
        {
            // the rule stopped where the deadline found it: what it found so far is kept
            stopped = Some(rule.meta().id);
        }
        if ok {
            if let Some(own) = own.as_mut().filter(|_| crate::modules::Shared::keeps(rule)) {
                own.extend(out.iter().map(|f| (f.rule.id, f.span, f.message.clone())));
            }
            findings.append(&mut out);
        } else {
            own = None;
            let mut f = Finding::new(
                rules::input::meta_for(InputProblemKind::Syntax),
                Span::at(0),
                format!(
                    "internal error in rule {} on this file (please report it)",
                    rule.meta().id
                ),
            );
            f.severity = crate::finding::Severity::Warning;
            findings.push(f);
        }
    }
    if let (Some(shared), Some(own)) = (shared, own) {
        if skipped.is_empty() && stopped.is_none() {
            shared.set_own(own);
        }
    }
    let deadline = started.checked_add(opts.file_timeout);
    let from_modules = if !follow {
        crate::modules::Followed::default()
    } else if !skipped.is_empty() || stopped.is_some() || started.elapsed() >= opts.file_timeout {
        crate::modules::Followed {
            findings: Vec::new(),
            stopped: true,
        }
    } else {
        catch_unwind(AssertUnwindSafe(|| {
            let scope = crate::modules::Scope {
                config: &opts.config,
                modules: &opts.modules,
                max_file_size: opts.max_file_size,
                files: opts.files.as_ref(),
            };
            crate::modules::findings(file, doc, &scope, deadline)
        }))
        .unwrap_or_default()
    };
    if !skipped.is_empty() || stopped.is_some() || from_modules.stopped {
        let mut what = Vec::new();
        if let Some(id) = stopped {
            what.push(format!("{id} was stopped before it finished"));
        }
        if let Some(at) = crate::parse::recover::stopped_in(&file.text) {
            let line = file.text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1;
            what.push(format!(
                "the line-by-line reading of its text (broken, or comments) stopped at line {line}"
            ));
        }
        if from_modules.stopped {
            what.push("its module calls were not all followed".to_string());
        }
        if !skipped.is_empty() {
            what.push(format!(
                "{} rule{} not run on it: {}",
                skipped.len(),
                if skipped.len() == 1 { " was" } else { "s were" },
                skipped.join(", ")
            ));
        }
        findings.push(Finding::new(
            rules::input::meta_for(InputProblemKind::TimedOut),
            Span::at(0),
            format!(
                "scanning this file took longer than the per-file bound of {} (--file-timeout); {}",
                show_duration(opts.file_timeout),
                what.join("; ")
            ),
        ));
    }
    let own: std::collections::HashSet<usize> = findings.iter().map(|f| f.span.start).collect();
    findings.extend(
        from_modules
            .findings
            .into_iter()
            .filter(|f| !own.contains(&f.span.start)),
    );
    Some(finish(file, Some(format), doc, findings, opts))
}

fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 || d.as_secs() >= 60 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.start, a.rule.id, a.end, &a.message).cmp(&(b.start, b.rule.id, b.end, &b.message))
    });
}

/// The filter stage: locates, sorts and fingerprints the findings, applies the document's inline
/// suppressions and the configured severity overrides, and (optionally) keeps the masked source.
pub fn finish(
    file: &SourceFile,
    format: Option<Format>,
    doc: &Document,
    mut findings: Vec<Finding>,
    opts: &ScanOptions,
) -> FileReport {
    note_commented_out(doc, &mut findings);
    for f in &mut findings {
        f.locate(file);
        // A file that parsed only in part is checked, never fixed: its structure is not known.
        if doc.partial {
            f.fix = None;
        }
    }
    sort_findings(&mut findings);
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span && a.message == b.message);
    // Fingerprints are computed over every finding, suppressed or not, so that suppressing one
    // does not renumber its twins.
    assign_fingerprints(&file.display, &file.text, &mut findings);
    // Report once: a less specific rule's finding at the same place folds into the more specific
    // one (after fingerprinting, so each keeps its own for baselines).
    let findings = rules::merge::merge(findings);
    let before = findings.len();
    let (mut findings, mut suppressed) =
        suppress::apply(file, doc, &opts.config, Date::today(), findings);
    // Diagnostics about the suppressions themselves are appended last: fingerprint them apart.
    let kept_rules = before - suppressed.len();
    assign_fingerprints(&file.display, &file.text, &mut findings[kept_rules..]);
    // `[per-file-ignores]`: after the suppressions, so that a comment suppressing a rule ignored
    // for this file is not reported as unused; the suppression diagnostics can be ignored too.
    if !opts.config.per_file_ignores.is_empty() {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let ignored = opts.config.ignored_rules_for(&file.path, &cwd);
        if !ignored.is_empty() {
            findings.retain(|f| !per_file_ignores::covers(&ignored, f.rule.id));
            suppressed.retain(|s| !per_file_ignores::covers(&ignored, s.finding.rule.id));
        }
    }
    for f in findings
        .iter_mut()
        .chain(suppressed.iter_mut().map(|s| &mut s.finding))
    {
        if let Some(s) = opts.config.severity_for(f.rule.id) {
            f.severity = s;
        }
    }
    sort_findings(&mut findings);
    let spans: Vec<Span> = findings
        .iter()
        .chain(suppressed.iter().map(|s| &s.finding))
        .flat_map(|f| f.secret_spans())
        .collect();
    if let Some(key) = opts.baseline_key {
        for f in findings
            .iter_mut()
            .chain(suppressed.iter_mut().map(|s| &mut s.finding))
        {
            f.value_digest = crate::finding::secret_text(&file.text, f)
                .map(|v| crate::finding::value_digest(key, f.rule.id, &file.display, v));
            for m in &mut f.merged {
                m.value_digest = m
                    .secret_span
                    .and_then(|s| crate::finding::secret_text_at(&file.text, s))
                    .map(|v| crate::finding::value_digest(key, m.rule.id, &file.display, v));
            }
        }
    }
    // The baseline is part of the filter, for every surface (CLI, standard input, fixes, server).
    let baselined = opts
        .baseline
        .as_ref()
        .map_or(0, |b| b.filter_findings(&file.display, &mut findings));
    let scrubber = Scrubber::for_file(&file.text, spans.iter().copied());
    for f in &mut findings {
        scrub_finding(&scrubber, f);
    }
    for s in &mut suppressed {
        scrub_finding(&scrubber, &mut s.finding);
        s.justification = scrubber.scrub_free_text(&s.justification).into_owned();
    }
    let source = (opts.keep_sources && !findings.is_empty())
        .then(|| Arc::new(scrubber.frame(&file.text, &spans)));
    FileReport {
        path: file.path.clone(),
        id: None,
        display: file.display.clone(),
        baselined,
        secret_spans: spans,
        format,
        findings,
        suppressed,
        source,
        generated_from: None,
    }
}

/// The redaction pass every finding goes through before a reporter sees it: message, evidence,
/// help and fix text are scrubbed of the file's known secrets and of anything that looks like one.
/// A fix whose text would change is dropped (a fix holding `****` would break the file).
fn scrub_finding(scrubber: &Scrubber, f: &mut Finding) {
    let free = f.rule.family == crate::finding::Family::Input;
    let message = if free {
        scrubber.scrub_free_text(&f.message)
    } else {
        scrubber.scrub(&f.message)
    };
    if let Cow::Owned(m) = message {
        f.message = m;
    }
    if let Some(e) = &f.evidence {
        if let Cow::Owned(e) = scrubber.scrub(e) {
            f.evidence = Some(e);
        }
    }
    if let Some(h) = &f.help {
        if let Cow::Owned(h) = scrubber.scrub(h) {
            f.help = Some(h);
        }
    }
    if let Some(fix) = &f.fix {
        let changes = |t: &str| matches!(scrubber.scrub(t), Cow::Owned(_));
        let unsafe_text = fix.edits.iter().any(|e| changes(&e.replacement))
            || changes(&fix.description)
            || fix.safety.follow_up().is_some_and(changes);
        if unsafe_text {
            f.fix = None;
        }
    }
}

/// A secret rule's finding inside a comment says so: the value is commented out, not in use, but
/// still readable in the file and in its history, so it is reported as what it is (same rule, same
/// severity). No fix is offered for it: the remedy is to delete the comment and rotate the secret.
fn note_commented_out(doc: &Document, findings: &mut [Finding]) {
    if doc.commented.is_empty() {
        return;
    }
    let mut spans: Vec<Span> = doc
        .comments
        .iter()
        .filter(|c| !suppress::is_suppression(&c.text))
        .map(|c| c.span)
        .collect();
    spans.sort_unstable();
    for f in findings.iter_mut().filter(|f| {
        matches!(
            f.rule.family,
            crate::finding::Family::Key | crate::finding::Family::Conn
        )
    }) {
        let i = spans.partition_point(|s| s.start <= f.span.start);
        if i > 0 && spans[i - 1].contains(f.span) {
            f.message
                .push_str(" (in a comment: commented out, but still in the file and its history)");
            f.fix = None;
        }
    }
}

/// What the files beside a scanned file do with its resources' keys
/// ([`crate::analysis::key_users::nearby`]), read where the scan reads named files (`opts.files`:
/// the disk, or the commit's tree for history).
fn nearby_key_users(
    path: &Path,
    doc: &Document,
    opts: &ScanOptions,
) -> Vec<crate::analysis::key_users::Nearby> {
    let read = |p: &Path| {
        opts.files
            .read_decoded(p, opts.max_file_size)
            .ok()
            .map(|(t, _, _)| t)
    };
    let list = |d: &Path| opts.files.list(d).ok();
    let parse = |p: &Path, text: String| {
        let format = discover::format_for_explicit(p, text.as_bytes());
        let sibling = SourceFile::new(p.to_path_buf(), String::new(), text, format);
        catch_unwind(AssertUnwindSafe(|| crate::parse::parse(&sibling).doc)).ok()
    };
    crate::analysis::key_users::nearby(path, doc, &list, &read, &parse)
}
