//! `keyless history`: the secrets a repository's history still holds.
//!
//! A key deleted in the next commit is still in every clone. This scans the commits (reachable
//! from HEAD, every ref with `--all`, a pull request's with `--range A..B`, or those since a date),
//! reading the repository in-process ([`crate::git::history`]), and reports each distinct secret
//! once: at the commit that introduced it, with whether HEAD still holds it or which commit
//! removed it.
//!
//! * Each distinct blob whose path keyless reads is scanned once (the same blob in 500 commits is
//!   one scan), in parallel, through the per-document entry the CLI uses for standard input
//!   ([`scan::scan_text`]): the same rules, configuration, suppressions, time bounds and redaction
//!   as a scan of the working tree. A blob's file is read only while it is scanned.
//! * A secret is known by a keyed digest of its value ([`crate::finding::value_digest`], with no
//!   path: a renamed or copied file holds the same secret), so memory grows with the number of
//!   distinct secrets, not of blobs. Findings without a value are known by rule, path and
//!   fingerprint; input diagnostics (binary, over the size cap, unparseable) once per rule and
//!   path, with how many versions had them.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::finding::{Family, Finding, Position};
use crate::git::history::{Blob, BlobKind, HistoryError, ObjectId, Repo};
use crate::ir::InputProblemKind;
use crate::scan::{self, FileReport, ScanOptions, ScanResult};
use crate::source::Span;

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// A folder in the repository (its work tree, or a bare repository).
    pub repo: PathBuf,
    /// Only paths under these (relative to the current folder, or to the repository's top).
    pub paths: Vec<PathBuf>,
    /// Every ref, not only HEAD.
    pub all: bool,
    /// `A..B`: the commits reachable from B and not from A.
    pub range: Option<String>,
    /// Only commits committed on or after this date.
    pub since: Option<crate::date::Date>,
    /// Show a progress bar (the caller checks that standard error is a terminal and not CI).
    pub progress: bool,
}

/// Where a secret stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The tip (HEAD, or the range's end) still holds it.
    InHead,
    /// A later commit removed it.
    Removed { commit: ObjectId, date: String },
    /// Not in HEAD, and no commit of the walk removed it: it is on another ref.
    Elsewhere,
    /// An input diagnostic, not a secret.
    Diagnostic,
}

/// Where and when a reported finding came in.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub commit: ObjectId,
    /// Author date of that commit, `YYYY-MM-DD`.
    pub date: String,
    pub status: Status,
    /// How many distinct blobs held it (for diagnostics: versions of the file that had it).
    pub blobs: usize,
}

/// The outcome: a scan result the reports render (one file per commit and path, each finding's
/// message saying where it came in and where it stands), with its provenance in report order.
#[derive(Debug, Default)]
pub struct History {
    pub result: ScanResult,
    /// One per finding of `result.findings()`, then one per `result.suppressed()`.
    pub provenance: Vec<Provenance>,
    pub suppressed_provenance: Vec<Provenance>,
    pub commits: usize,
    pub blobs_scanned: usize,
    pub binary: usize,
    pub too_large: usize,
    /// Blobs named by a tree but missing from the object database (a partial clone).
    pub missing: usize,
    /// Shallow clone: the walked commits whose parents are not in the clone.
    pub shallow_cut: usize,
    /// The oldest author date of the walk.
    pub oldest: Option<String>,
    pub tip: Option<ObjectId>,
    pub branch: Option<String>,
    pub origin: Option<String>,
}

/// One blob to scan: the first commit and path the walk met it at.
struct Job {
    commit: u32,
    path: String,
    blob: ObjectId,
}

/// A finding and where it was met.
struct Occurrence {
    commit: u32,
    path: String,
    finding: Finding,
    justification: Option<String>,
}

impl Occurrence {
    fn earlier_than(&self, other: &Occurrence) -> bool {
        (self.commit, &self.path, self.finding.start)
            < (other.commit, &other.path, other.finding.start)
    }
}

/// All that is known about one distinct secret (or diagnostic).
#[derive(Default)]
struct Known {
    /// The earliest occurrence that is not suppressed, and the earliest suppressed one.
    reported: Option<Occurrence>,
    suppressed: Option<Occurrence>,
    blobs: Vec<ObjectId>,
    in_tip: bool,
    diagnostic: bool,
}

impl Known {
    fn add(&mut self, occ: Occurrence, blob: ObjectId, in_tip: bool) {
        self.in_tip |= in_tip;
        if !self.blobs.contains(&blob) {
            self.blobs.push(blob);
        }
        let slot = if occ.justification.is_some() {
            &mut self.suppressed
        } else {
            &mut self.reported
        };
        if slot.as_ref().is_none_or(|o| occ.earlier_than(o)) {
            *slot = Some(occ);
        }
    }
}

/// The text of a secret span of a blob, decoded as the scan decoded the blob: UTF-16/32 by its
/// byte order mark, else the bytes themselves (the scan's UTF-8 repair keeps offsets).
fn secret_value(bytes: &[u8], span: Span) -> Option<String> {
    if let Some(enc) = crate::encoding::detect(bytes) {
        let (text, _) = crate::encoding::decode(bytes, enc);
        return crate::finding::secret_text_at(&text, span).map(str::to_string);
    }
    let raw = String::from_utf8_lossy(bytes.get(span.start..span.end)?);
    crate::finding::secret_text_at(&raw, Span::new(0, raw.len())).map(str::to_string)
}

/// The key of a finding: its secret's value when it holds one, else rule, path and fingerprint;
/// for an input diagnostic, rule and path.
fn key_of(run_key: [u64; 2], bytes: &[u8], path: &str, f: &Finding) -> (String, bool) {
    if f.rule.family == Family::Input {
        return (
            crate::finding::value_digest(run_key, f.rule.id, path, ""),
            true,
        );
    }
    if let Some(v) = f.secret_spans().next().and_then(|s| secret_value(bytes, s)) {
        return (crate::finding::value_digest(run_key, "", "", &v), false);
    }
    (
        crate::finding::value_digest(run_key, f.rule.id, path, &f.fingerprint),
        false,
    )
}

/// An author date as `YYYY-MM-DD` in the author's time zone.
fn date_of(seconds: i64, offset: i32) -> String {
    crate::date::Date::from_days((seconds + i64::from(offset)).div_euclid(86_400)).to_string()
}

/// The repository-relative path prefixes `paths` stand for.
fn path_filters(paths: &[PathBuf], repo: &Repo, cwd: &Path) -> Vec<String> {
    let top = repo.work_dir().map(|w| crate::config::absolute(w, cwd));
    paths
        .iter()
        .map(|p| {
            let abs = crate::config::absolute(p, cwd);
            let rel = top
                .as_ref()
                .and_then(|t| abs.strip_prefix(t).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| p.clone());
            let s = rel.to_string_lossy().replace('\\', "/");
            s.trim_start_matches("./").trim_end_matches('/').to_string()
        })
        .map(|s| if s == "." { String::new() } else { s })
        .collect()
}

fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// Runs the history scan. `opts` are the scan options of the working-tree scan (configuration,
/// limits, threads, baseline key); its paths are not used.
pub fn run(h: &HistoryOptions, opts: &ScanOptions) -> Result<History, HistoryError> {
    let started = std::time::Instant::now();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let repo = Repo::open(&h.repo)?;
    // Paths are shown relative to the repository's top; the configuration's globs and
    // `[per-file-ignores]` see them there (a bare repository has no work tree: its folder).
    let root = crate::config::absolute(repo.work_dir().unwrap_or(repo.git_dir()), &cwd);
    let (tips, hide, tip) = if let Some(range) = &h.range {
        let (a, b) = repo.range(range)?;
        (vec![b], vec![a], Some(b))
    } else {
        let head = repo.head()?.ok_or(HistoryError::NoCommits)?;
        let tips = if h.all { repo.all_tips()? } else { vec![head] };
        (tips, Vec::new(), Some(head))
    };
    // from 00:00 UTC of that day
    let since = h.since.map(|d| d.days() * 86_400);
    let walk = repo.walk(&tips, &hide, since)?;
    let tip_blobs: HashSet<ObjectId> = match tip {
        Some(t) => repo.blob_ids(t)?,
        None => HashSet::new(),
    };
    let filters = path_filters(&h.paths, &repo, &cwd);
    let config = opts.config.clone();
    let wanted = |path: &str| -> bool {
        let p = Path::new(path);
        (filters.is_empty() || filters.iter().any(|f| under(path, f)))
            && crate::discover::walk_would_scan(p, Path::new(""))
            && !config.excluded(&root.join(p), &cwd)
    };
    let descend = |dir: &[u8]| -> bool {
        let dir = String::from_utf8_lossy(dir);
        let name = dir.rsplit('/').next().unwrap_or(&dir);
        !crate::discover::SKIPPED_DIRS.contains(&name)
            && (filters.is_empty() || filters.iter().any(|f| under(&dir, f) || under(f, &dir)))
    };

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if opts.threads == 0 {
        cores
    } else {
        opts.threads
            .min(cores.saturating_mul(scan::MAX_THREADS_PER_CORE))
    }
    .max(1);
    let run_key = crate::baseline::Baseline::new_key();
    let bar = h.progress.then(progress_bar);

    let (job_tx, job_rx) = crossbeam_channel::bounded::<Job>(4 * threads);
    type Out = (Job, Vec<(String, bool, Finding, Option<String>)>, Outcome);
    let (out_tx, out_rx) = crossbeam_channel::bounded::<Out>(4 * threads);
    let mut known: HashMap<String, Known> = HashMap::new();
    let mut counts = History::default();
    let walk_ref = &walk;
    let walked: Result<(), HistoryError> = std::thread::scope(|s| {
        // the walk: each new blob at a path keyless reads, once
        let walker = s.spawn(|| {
            let mut seen: HashSet<ObjectId> = HashSet::new();
            let tx = job_tx;
            repo.new_blobs(walk_ref, &descend, &mut |commit, path, blob, entry| {
                let Some(commit) = commit else {
                    seen.insert(blob);
                    return;
                };
                if entry != BlobKind::Blob {
                    return;
                }
                let path = String::from_utf8_lossy(path);
                if !wanted(&path) || !seen.insert(blob) {
                    return;
                }
                if let Some(b) = &bar {
                    b.inc_length(1);
                }
                let _ = tx.send(Job {
                    commit,
                    path: path.into_owned(),
                    blob,
                });
            })
        });
        for _ in 0..threads {
            let rx = job_rx.clone();
            let tx = out_tx.clone();
            let repo = &repo;
            let root = &root;
            s.spawn(move || {
                // the versions of a file share most of their strings
                crate::history_memo::enable_on_this_thread();
                let mut reader = repo.reader();
                for job in rx {
                    // the files it names are read from its own commit's tree
                    let tree = walk_ref.commits[job.commit as usize].tree;
                    let opts = ScanOptions {
                        files: std::sync::Arc::new(repo.tree_files(tree, root)),
                        ..opts.clone()
                    };
                    let (findings, outcome) = scan_blob(&mut reader, &job, root, &opts, run_key);
                    if tx.send((job, findings, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(job_rx);
        drop(out_tx);
        for (job, findings, outcome) in out_rx {
            match outcome {
                Outcome::Scanned => counts.blobs_scanned += 1,
                Outcome::Generated => counts.result.generated_skipped += 1,
                Outcome::Missing => counts.missing += 1,
                Outcome::TooLarge => counts.too_large += 1,
            }
            let in_tip = tip_blobs.contains(&job.blob);
            for (key, diagnostic, finding, justification) in findings {
                if diagnostic
                    && finding.rule.id == crate::rules::input::meta_for(InputProblemKind::Binary).id
                {
                    counts.binary += 1;
                }
                let k = known.entry(key).or_default();
                k.diagnostic = diagnostic;
                k.add(
                    Occurrence {
                        commit: job.commit,
                        path: job.path.clone(),
                        finding,
                        justification,
                    },
                    job.blob,
                    in_tip,
                );
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
        }
        walker
            .join()
            .unwrap_or_else(|_| Err(HistoryError::Read("the walk stopped".into())))
    });
    walked?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    // Which commit removed the secrets HEAD no longer holds.
    let gone: HashSet<ObjectId> = known
        .values()
        .filter(|k| !k.in_tip && !k.diagnostic)
        .flat_map(|k| k.blobs.iter().copied())
        .collect();
    let removed = if gone.is_empty() {
        HashMap::new()
    } else {
        repo.removals(&walk, &gone)?
    };

    let mut entries: Vec<(Occurrence, bool, Provenance)> = Vec::new();
    for k in known.into_values() {
        let removal = k.blobs.iter().filter_map(|b| removed.get(b)).max().copied();
        let status = if k.diagnostic {
            Status::Diagnostic
        } else if k.in_tip {
            Status::InHead
        } else if let Some(r) = removal {
            let c = &walk.commits[r as usize];
            Status::Removed {
                commit: c.id,
                date: date_of(c.author_time, c.author_offset),
            }
        } else {
            Status::Elsewhere
        };
        let blobs = k.blobs.len();
        let (occ, suppressed) = match (k.reported, k.suppressed) {
            (Some(o), _) => (o, false),
            (None, Some(o)) => (o, true),
            (None, None) => continue,
        };
        let c = &walk.commits[occ.commit as usize];
        let prov = Provenance {
            commit: c.id,
            date: date_of(c.author_time, c.author_offset),
            status,
            blobs,
        };
        entries.push((occ, suppressed, prov));
    }
    entries.sort_by(|a, b| {
        (
            a.0.commit,
            &a.0.path,
            a.0.finding.start,
            a.0.finding.rule.id,
        )
            .cmp(&(
                b.0.commit,
                &b.0.path,
                b.0.finding.start,
                b.0.finding.rule.id,
            ))
    });

    let mut out = counts;
    let mut files: Vec<FileReport> = Vec::new();
    // the commit of each file of `files`: one file per commit and path
    let mut file_commits: Vec<ObjectId> = Vec::new();
    let mut by_file: Vec<(Vec<Provenance>, Vec<Provenance>)> = Vec::new();
    for (mut occ, suppressed, prov) in entries {
        let secret = occ.finding.secret_spans().next().is_some();
        occ.finding.message = with_provenance(&occ.finding.message, &prov, secret);
        let same = files.last().is_some_and(|f| f.display == occ.path)
            && file_commits.last() == Some(&prov.commit);
        if !same {
            files.push(FileReport {
                path: PathBuf::from(&occ.path),
                id: None,
                baselined: 0,
                secret_spans: Vec::new(),
                display: occ.path.clone(),
                format: None,
                findings: Vec::new(),
                suppressed: Vec::new(),
                source: None,
                generated_from: None,
            });
            file_commits.push(prov.commit);
            by_file.push(Default::default());
        }
        let (Some(file), Some(provs)) = (files.last_mut(), by_file.last_mut()) else {
            continue;
        };
        if suppressed {
            file.suppressed.push(crate::suppress::Suppressed {
                finding: occ.finding,
                justification: occ.justification.unwrap_or_default(),
            });
            provs.1.push(prov);
        } else {
            file.findings.push(occ.finding);
            provs.0.push(prov);
        }
    }
    // provenance in report order: file by file, findings then suppressed
    for (r, s) in by_file {
        out.provenance.extend(r);
        out.suppressed_provenance.extend(s);
    }
    out.result.files = files;
    out.result.config = opts.config.path.clone();
    out.result.files_scanned = out.blobs_scanned;
    out.commits = walk.commits.len();
    out.shallow_cut = walk.shallow_cut;
    out.oldest = walk
        .commits
        .iter()
        .map(|c| c.author_time + i64::from(c.author_offset))
        .min()
        .map(|t| date_of(t, 0));
    out.tip = tip;
    out.branch = repo.head_branch();
    out.origin = repo.origin_url();
    out.result.elapsed = started.elapsed();
    Ok(out)
}

/// What became of one blob.
enum Outcome {
    Scanned,
    /// Bicep-generated ARM JSON whose source stands beside it (counted as the working-tree scan
    /// counts it).
    Generated,
    /// Named by a tree, not in the object database (a partial clone).
    Missing,
    TooLarge,
}

/// Reads and scans one blob; its findings (and suppressed findings, with their justification)
/// with their keys.
#[allow(clippy::type_complexity)]
fn scan_blob(
    reader: &mut crate::git::history::Reader,
    job: &Job,
    root: &Path,
    opts: &ScanOptions,
    run_key: [u64; 2],
) -> (Vec<(String, bool, Finding, Option<String>)>, Outcome) {
    let path = root.join(&job.path);
    let bytes = match reader.blob(job.blob, opts.max_file_size) {
        Ok(Some(Blob::Data(bytes))) => bytes,
        Ok(Some(Blob::TooLarge(size))) => {
            let f = too_large(size, opts, &path, root);
            let out = f
                .into_iter()
                .map(|f| (key_of(run_key, &[], &job.path, &f).0, true, f, None))
                .collect();
            return (out, Outcome::TooLarge);
        }
        Ok(None) | Err(_) => return (Vec::new(), Outcome::Missing),
    };
    let report = scan::scan_text(&path, root, bytes.clone(), opts);
    if report.generated_from.is_some() {
        return (Vec::new(), Outcome::Generated);
    }
    let mut out = Vec::new();
    let suppressed = report
        .suppressed
        .into_iter()
        .map(|s| (s.finding, Some(s.justification)));
    for (f, justification) in report
        .findings
        .into_iter()
        .map(|f| (f, None))
        .chain(suppressed)
    {
        let (key, diagnostic) = key_of(run_key, &bytes, &job.path, &f);
        out.push((key, diagnostic, f, justification));
    }
    (out, Outcome::Scanned)
}

/// INPUT002 for a blob over the size cap (not read), as the scan reports a file over it, when the
/// configuration runs that rule for the path.
fn too_large(size: u64, opts: &ScanOptions, path: &Path, root: &Path) -> Option<Finding> {
    let meta = crate::rules::input::meta_for(InputProblemKind::TooLarge);
    let per_file = opts.config.ignored_rules_for(path, root);
    if !opts.config.enabled(meta.id) || crate::per_file_ignores::covers(&per_file, meta.id) {
        return None;
    }
    let mut f = Finding::new(
        meta,
        Span::at(0),
        format!(
            "the file is {size} bytes, over the {} byte cap (--max-file-size); not scanned",
            opts.max_file_size
        ),
    );
    f.start = Position { line: 1, column: 1 };
    f.end = f.start;
    if let Some(s) = opts.config.severity_for(meta.id) {
        f.severity = s;
    }
    crate::finding::assign_fingerprints(
        &crate::discover::display_path(path, root),
        "",
        std::slice::from_mut(&mut f),
    );
    Some(f)
}

/// A finding's message with where it came in and where it stands; for a secret, that it must be
/// rotated.
fn with_provenance(message: &str, p: &Provenance, secret: bool) -> String {
    let commit = short(&p.commit);
    let rotate = if secret { ": rotate it" } else { "" };
    match &p.status {
        Status::InHead => format!(
            "{message}; committed in {commit} ({}) and still in HEAD{rotate}",
            p.date
        ),
        Status::Removed { commit: r, date } if secret => format!(
            "{message}; committed in {commit} ({}), removed in {} ({date}) but still readable \
             in the repository's history: rotate it (removing the commit is not enough once it \
             is pushed)",
            p.date,
            short(r)
        ),
        Status::Removed { commit: r, date } => format!(
            "{message}; committed in {commit} ({}), removed in {} ({date})",
            p.date,
            short(r)
        ),
        Status::Elsewhere => format!(
            "{message}; committed in {commit} ({}), not in HEAD but on another branch or tag{}",
            p.date,
            if secret {
                ": still readable in the repository's history: rotate it"
            } else {
                ""
            }
        ),
        Status::Diagnostic if p.blobs > 1 => format!(
            "{message} (first in {commit} ({}); {} versions of this file)",
            p.date, p.blobs
        ),
        Status::Diagnostic => format!("{message} (in {commit} ({}))", p.date),
    }
}

/// A commit id as reports show it: the first 12 hex digits.
pub fn short(id: &ObjectId) -> String {
    id.to_hex_with_len(12).to_string()
}

/// The progress bar (standard error): blobs scanned of those found so far.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "keyless history {bar:30} {pos}/{len} blobs {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// True when a progress bar may be drawn: standard error is a terminal and this is not CI.
pub fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// The walk in one sentence: commits read (and how deep a shallow clone let it look), blobs
/// scanned, and the blobs not scanned by kind.
pub fn summary(h: &History) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = format!(
        "history: {} read, {} scanned once each",
        plural(h.commits, "commit", "commits"),
        plural(
            h.blobs_scanned,
            "distinct file version",
            "distinct file versions"
        )
    );
    let mut not = Vec::new();
    if h.binary > 0 {
        not.push(format!("{} binary", h.binary));
    }
    if h.too_large > 0 {
        not.push(format!("{} over the size cap", h.too_large));
    }
    if h.missing > 0 {
        not.push(format!("{} missing from this clone", h.missing));
    }
    if !not.is_empty() {
        s.push_str(&format!(
            " ({} not scanned: reported as input diagnostics)",
            not.join(", ")
        ));
    }
    if h.shallow_cut > 0 {
        s.push_str(&format!(
            "; shallow clone: looked back {} to {}, older history is not in this clone \
             (fetch it all to scan it: `git fetch --unshallow`, or `fetch-depth: 0`)",
            plural(h.commits, "commit", "commits"),
            h.oldest.as_deref().unwrap_or("?")
        ));
    }
    s
}

fn provenance_json(p: &Provenance) -> serde_json::Value {
    let (status, removed_in, removed_date) = match &p.status {
        Status::InHead => ("in-head", None, None),
        Status::Removed { commit, date } => {
            ("removed", Some(commit.to_string()), Some(date.clone()))
        }
        Status::Elsewhere => ("other-ref", None, None),
        Status::Diagnostic => ("diagnostic", None, None),
    };
    serde_json::json!({
        "commit": p.commit.to_string(),
        "author_date": p.date,
        "status": status,
        "removed_in": removed_in,
        "removed_date": removed_date,
        "blobs": p.blobs,
    })
}

fn walk_json(h: &History) -> serde_json::Value {
    serde_json::json!({
        "commits": h.commits,
        "blobs_scanned": h.blobs_scanned,
        "binary": h.binary,
        "too_large": h.too_large,
        "missing": h.missing,
        "shallow": h.shallow_cut > 0,
        "oldest_author_date": h.oldest,
        "head": h.tip.map(|t| t.to_string()),
    })
}

fn reparse(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

fn reprint(v: &serde_json::Value) -> String {
    let mut s = crate::report::json_safe(serde_json::to_string_pretty(v).unwrap_or_default());
    s.push('\n');
    s
}

/// The JSON report ([`crate::report::json`]) with each finding's `history` (commit, author date,
/// in HEAD or removed and where) and the walk's figures under `history`.
pub fn json(h: &History, text: String) -> String {
    let Some(mut v) = reparse(&text) else {
        return text;
    };
    for (list, provs) in [
        ("findings", &h.provenance),
        ("suppressed", &h.suppressed_provenance),
    ] {
        if let Some(items) = v.get_mut(list).and_then(|x| x.as_array_mut()) {
            for (item, p) in items.iter_mut().zip(provs) {
                item["history"] = provenance_json(p);
            }
        }
    }
    v["history"] = walk_json(h);
    reprint(&v)
}

/// The SARIF log ([`crate::report::sarif`]) with `versionControlProvenance` (the repository and the
/// commit scanned) and, on each result, the commit that introduced it: in its location's
/// `artifactLocation.properties.commit` and in the result's `properties`.
pub fn sarif(h: &History, text: String) -> String {
    let Some(mut v) = reparse(&text) else {
        return text;
    };
    let Some(run) = v.get_mut("runs").and_then(|r| r.get_mut(0)) else {
        return text;
    };
    if let Some(tip) = h.tip {
        let mut vcs = serde_json::json!({ "revisionId": tip.to_string() });
        if let Some(origin) = &h.origin {
            vcs["repositoryUri"] = origin.clone().into();
        }
        if let Some(branch) = &h.branch {
            vcs["branch"] = branch.clone().into();
        }
        run["versionControlProvenance"] = serde_json::json!([vcs]);
    }
    run["properties"] = serde_json::json!({ "history": walk_json(h) });
    // results are file by file, findings then suppressed ones: the order of the provenance
    let provs: Vec<&Provenance> = {
        let mut out = Vec::new();
        let (mut r, mut s) = (h.provenance.iter(), h.suppressed_provenance.iter());
        for file in &h.result.files {
            out.extend(r.by_ref().take(file.findings.len()));
            out.extend(s.by_ref().take(file.suppressed.len()));
        }
        out
    };
    if let Some(results) = run.get_mut("results").and_then(|x| x.as_array_mut()) {
        for (result, p) in results.iter_mut().zip(provs) {
            let props = provenance_json(p);
            if let Some(loc) = result
                .get_mut("locations")
                .and_then(|l| l.get_mut(0))
                .and_then(|l| l.get_mut("physicalLocation"))
                .and_then(|l| l.get_mut("artifactLocation"))
            {
                loc["properties"] = serde_json::json!({ "commit": p.commit.to_string() });
            }
            result["properties"] = serde_json::json!({ "history": props });
        }
    }
    reprint(&v)
}

impl History {
    /// Leaves out the findings the baseline holds (secrets already rotated: an entry for a secret
    /// carries a digest of its value, so only the same secret matches), with their provenance.
    pub fn baseline(&mut self, b: &crate::baseline::Baseline) {
        let mut provs = std::mem::take(&mut self.provenance).into_iter();
        for file in &mut self.result.files {
            let findings = std::mem::take(&mut file.findings);
            for (f, p) in findings.into_iter().zip(provs.by_ref()) {
                let mut one = vec![f];
                if b.filter_findings(&file.display, &mut one) == 1 {
                    self.result.baselined += 1;
                } else {
                    file.findings.append(&mut one);
                    self.provenance.push(p);
                }
            }
        }
        // a file left with nothing is dropped, as the scan's baseline filter does
        let mut sprovs = std::mem::take(&mut self.suppressed_provenance).into_iter();
        let mut kept = Vec::new();
        for f in std::mem::take(&mut self.result.files) {
            let s: Vec<Provenance> = sprovs.by_ref().take(f.suppressed.len()).collect();
            if !f.findings.is_empty() || !f.suppressed.is_empty() {
                self.suppressed_provenance.extend(s);
                kept.push(f);
            }
        }
        self.result.files = kept;
    }
}
