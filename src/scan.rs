//! The pipeline: walk → read → parse → rules → findings, in parallel and streaming. Each file is
//! read, parsed, checked and dropped; only its findings (and, for the human report, the masked text
//! of files that have findings) are kept.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::discover;
use crate::finding::{assign_fingerprints, mask, Finding, Position};
use crate::ir::{Document, InputProblem, InputProblemKind};
use crate::redact::Scrubber;
use crate::rules::{self, Context};
use crate::source::{Format, SourceFile, Span};
use crate::suppress::{self, Date, Suppressed};

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
    /// The baseline's key: when set, findings that hold a secret get a [`Finding::value_digest`].
    pub baseline_key: Option<[u64; 2]>,
    /// When set (`--changed-since`): scan only these files (absolute paths, as [`crate::git`]
    /// lists them), those under `paths` that a walk would scan, instead of walking.
    pub only: Option<Vec<PathBuf>>,
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
            baseline_key: None,
            only: None,
        }
    }
}

/// One file's results.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Path as shown in reports (relative to the current directory, `/` separators).
    pub display: String,
    pub format: Option<Format>,
    /// Sorted by position, then rule id.
    pub findings: Vec<Finding>,
    /// Findings kept aside by inline suppressions: not reported as problems, not counted for the
    /// exit status; listed in JSON and as suppressed results in SARIF.
    pub suppressed: Vec<Suppressed>,
    /// The file's text with secrets masked, when `keep_sources` and there are findings.
    pub source: Option<Arc<String>>,
}

#[derive(Debug, Default)]
pub struct ScanResult {
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
    pub files_scanned: usize,
    pub elapsed: Duration,
    /// Findings left out because the baseline (`--baseline`) holds them.
    pub baselined: usize,
}

impl ScanResult {
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }

    /// Findings kept aside by inline suppressions.
    pub fn suppressed(&self) -> impl Iterator<Item = (&FileReport, &Suppressed)> {
        self.files
            .iter()
            .flat_map(|f| f.suppressed.iter().map(move |x| (f, x)))
    }
}

/// Scans the given paths.
pub fn scan(opts: &ScanOptions) -> ScanResult {
    let started = Instant::now();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let explicit: Vec<&PathBuf> = opts.paths.iter().filter(|p| p.is_file()).collect();
    let excluded = |p: &Path| opts.config.excluded(p, &cwd);
    let collected: Mutex<Vec<FileReport>> = Mutex::new(Vec::new());
    let scanned = std::sync::atomic::AtomicUsize::new(0);
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
            scanned.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
    } else if explicit.len() == opts.paths.len() {
        // Explicit files (pre-commit passes lists of them): no walk at all.
        let list: Vec<PathBuf> = explicit.iter().map(|p| p.to_path_buf()).collect();
        scan_list(&list, true);
    } else {
        // Every file the walk yields, so that the tracked files it left out (ignored ones) can
        // be told apart afterwards.
        let walked: Mutex<std::collections::HashSet<PathBuf>> = Mutex::default();
        let walker = discover::walker(&opts.paths, opts.no_ignore, threads).build_parallel();
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
            for root in opts.paths.iter().filter(|p| p.is_dir()) {
                for p in crate::git::tracked_files(root).unwrap_or_default() {
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
        baselined: 0,
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
    let findings = if config.enabled(f.rule.id) {
        vec![f]
    } else {
        Vec::new()
    };
    FileReport {
        display,
        format: None,
        findings,
        suppressed: Vec::new(),
        source: None,
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
    match read_capped(path, opts.max_file_size) {
        Ok(bytes) => scan_bytes(path, cwd, bytes, opts, explicit, started, None)
            .unwrap_or_else(|| never_cancelled(path, cwd)),
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
    scan_bytes(path, cwd, text.into(), opts, true, Instant::now(), None)
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
    )
}

/// Without a cancel flag a scan always finishes; this only satisfies the types.
fn never_cancelled(path: &Path, cwd: &Path) -> FileReport {
    FileReport {
        display: discover::display_path(path, cwd),
        format: None,
        findings: Vec::new(),
        suppressed: Vec::new(),
        source: None,
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

fn scan_bytes(
    path: &Path,
    cwd: &Path,
    bytes: Vec<u8>,
    opts: &ScanOptions,
    explicit: bool,
    started: Instant,
    cancel: Option<&AtomicBool>,
) -> Option<FileReport> {
    let display = discover::display_path(path, cwd);
    let (text, format, mut problems) = match decode(path, bytes, opts.max_file_size, explicit) {
        Ok(x) => x,
        Err(problem) => return Some(problem_report(path, display, problem, opts, started)),
    };
    let file = SourceFile::new(path.to_path_buf(), display, text, format);
    let parsed = catch_unwind(AssertUnwindSafe(|| crate::parse::parse(&file)));
    let (format, mut doc) = match parsed {
        Ok(p) => (p.format, p.doc),
        Err(_) => {
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
    check_since(&file, format, &doc, opts, started, cancel)
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
    let mut cx = Context::new(file, format, doc, &opts.config);
    if let Some(deadline) = started.checked_add(opts.file_timeout) {
        cx = cx.with_deadline(deadline);
    }
    let mut findings = Vec::new();
    let mut skipped: Vec<&str> = Vec::new();
    let mut stopped: Option<&str> = None;
    for rule in rules::all()
        .iter()
        .filter(|r| opts.config.enabled(r.meta().id))
    {
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
        let ok = catch_unwind(AssertUnwindSafe(|| rule.check(&cx, &mut out))).is_ok();
        if cx.was_late() && stopped.is_none() && rule.meta().family != crate::finding::Family::Input
        {
            // the rule stopped where the deadline found it: what it found so far is kept
            stopped = Some(rule.meta().id);
        }
        if ok {
            findings.append(&mut out);
        } else {
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
    if !skipped.is_empty() || stopped.is_some() {
        let mut what = Vec::new();
        if let Some(id) = stopped {
            what.push(format!("{id} was stopped before it finished"));
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
    }
    sort_findings(&mut findings);
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span && a.message == b.message);
    // Fingerprints are computed over every finding, suppressed or not, so that suppressing one
    // does not renumber its twins.
    assign_fingerprints(&file.display, &file.text, &mut findings);
    let before = findings.len();
    let (mut findings, mut suppressed) =
        suppress::apply(file, doc, &opts.config, Date::today(), findings);
    // Diagnostics about the suppressions themselves are appended last: fingerprint them apart.
    let kept_rules = before - suppressed.len();
    assign_fingerprints(&file.display, &file.text, &mut findings[kept_rules..]);
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
        .filter_map(|f| f.secret_span)
        .collect();
    if let Some(key) = opts.baseline_key {
        for f in findings
            .iter_mut()
            .chain(suppressed.iter_mut().map(|s| &mut s.finding))
        {
            f.value_digest = crate::finding::secret_text(&file.text, f)
                .map(|v| crate::finding::value_digest(key, f.rule.id, &file.display, v));
        }
    }
    let scrubber = Scrubber::for_file(&file.text, spans.iter().copied());
    for f in &mut findings {
        scrub_finding(&scrubber, f);
    }
    for s in &mut suppressed {
        scrub_finding(&scrubber, &mut s.finding);
        s.justification = scrubber.scrub_free_text(&s.justification).into_owned();
    }
    let source = (opts.keep_sources && !findings.is_empty())
        .then(|| Arc::new(scrubber.mask_in_place(&mask(&file.text, &spans))));
    FileReport {
        display: file.display.clone(),
        format,
        findings,
        suppressed,
        source,
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
        let unsafe_text = matches!(scrubber.scrub(&fix.replacement), Cow::Owned(_))
            || matches!(scrubber.scrub(&fix.description), Cow::Owned(_));
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

/// Checks a file's bytes and decodes them as text: size cap, byte order marks of UTF-16/UTF-32,
/// binary check, UTF-8 repair. Problems that still let the file be scanned (invalid UTF-8) come
/// back with the text.
fn decode(
    path: &Path,
    bytes: Vec<u8>,
    max: u64,
    explicit: bool,
) -> Result<(String, Format, Vec<InputProblem>), InputProblem> {
    if bytes.len() as u64 > max {
        return Err(InputProblem {
            kind: InputProblemKind::TooLarge,
            span: Span::at(0),
            message: format!("the file is over the {max} byte cap (--max-file-size); not scanned"),
        });
    }
    if let Some(enc) = crate::encoding::detect(&bytes) {
        return read_wide(path, &bytes, enc, explicit);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(nul) = head.iter().position(|b| *b == 0) {
        return Err(InputProblem {
            kind: InputProblemKind::Binary,
            span: Span::at(0),
            message: format!(
                "the file holds binary data (a NUL byte at offset {nul}); not scanned"
            ),
        });
    }
    let format = if explicit {
        discover::format_for_explicit(path, head)
    } else {
        discover::format_for_path(path).unwrap_or(Format::Text)
    };
    let mut problems = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let first = e.utf8_error().valid_up_to();
            problems.push(InputProblem {
                kind: InputProblemKind::InvalidUtf8,
                span: Span::new(first, first + 1),
                message: "the file is not valid UTF-8; invalid bytes were read as `?`".into(),
            });
            repair_utf8(e.into_bytes())
        }
    };
    Ok((text, format, problems))
}

/// A file in UTF-16 or UTF-32 (by its byte order mark), decoded to UTF-8 with the mark kept, so
/// lines and columns are the file's own. The binary check looks at the decoded text.
fn read_wide(
    path: &Path,
    bytes: &[u8],
    enc: crate::encoding::Wide,
    explicit: bool,
) -> Result<(String, Format, Vec<InputProblem>), InputProblem> {
    let (text, bad) = crate::encoding::decode(bytes, enc);
    let head = &text.as_bytes()[..text.len().min(8192)];
    if let Some(nul) = head.iter().position(|b| *b == 0) {
        return Err(InputProblem {
            kind: InputProblemKind::Binary,
            span: Span::at(0),
            message: format!(
                "the file holds binary data (a NUL character in its {} text, at byte {nul} of \
                 its UTF-8 form); not scanned",
                enc.name()
            ),
        });
    }
    let format = if explicit {
        discover::format_for_explicit(path, head)
    } else {
        discover::format_for_path(path).unwrap_or(Format::Text)
    };
    let problems = bad
        .map(|at| InputProblem {
            kind: InputProblemKind::InvalidUtf8,
            span: Span::new(at, at + 1),
            message: format!(
                "the file is not valid {}; invalid code units were read as `?`",
                enc.name()
            ),
        })
        .into_iter()
        .collect();
    Ok((text, format, problems))
}

/// Reads a file: a file over the size cap is reported without being read, and at most `max + 1`
/// bytes are read, so a file that grows during the scan cannot exhaust memory.
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, InputProblem> {
    let unreadable = |e: std::io::Error| InputProblem {
        kind: InputProblemKind::Unreadable,
        span: Span::at(0),
        message: format!("could not read the file: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > max {
        return Err(InputProblem {
            kind: InputProblemKind::TooLarge,
            span: Span::at(0),
            message: format!(
                "the file is {} bytes, over the {} byte cap (--max-file-size); not scanned",
                meta.len(),
                max
            ),
        });
    }
    read_stream(std::fs::File::open(path).map_err(unreadable)?, max).map_err(unreadable)
}

/// Reads at most `max + 1` bytes from a stream (a file, standard input): enough to tell that it is
/// over the cap without holding more of it.
pub fn read_stream(r: impl std::io::Read, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    r.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Replaces each byte of an invalid UTF-8 sequence with `?`, one for one, so offsets stay true.
fn repair_utf8(mut bytes: Vec<u8>) -> String {
    let mut i = 0;
    while i < bytes.len() {
        match std::str::from_utf8(&bytes[i..]) {
            Ok(_) => break,
            Err(e) => {
                let bad_start = i + e.valid_up_to();
                let bad_len = e.error_len().unwrap_or(bytes.len() - bad_start);
                for b in &mut bytes[bad_start..bad_start + bad_len] {
                    *b = b'?';
                }
                i = bad_start + bad_len;
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_repair_keeps_offsets() {
        let bytes = b"ab\xffcd\xe2\x82".to_vec();
        let s = repair_utf8(bytes.clone());
        assert_eq!(s, "ab?cd??");
        assert_eq!(s.len(), bytes.len());
    }
}
