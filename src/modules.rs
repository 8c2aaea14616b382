//! Local modules read for their callers: a Bicep `module m './x.bicep' = { params: { … } }` or a
//! Terraform `module "m" { source = "./modules/x" … }` (Bicep: any path without a scheme,
//! `modules/x.bicep` as well as `./x.bicep`; Terraform: sources starting with `./` or `../`),
//! and registry modules the local caches hold ([`crate::module_cache`]: what such a module
//! reports with the caller's values is the caller's, it has no scan of its own; one missing from
//! the cache is a note naming the command that restores it), and ARM linked templates beside the
//! caller ([`crate::parse::linked`]). Template specs are not read.
//!
//! For each call the scan reads the module (Bicep: the file; Terraform: the `*.tf` files of the
//! folder, in name order, read as one body), binds the module's parameters to the call's
//! arguments ([`crate::analysis::bind::bind`]: resolved in the caller, self-contained), and runs
//! the rules on the module with them. The rules see one text, the module's followed by the
//! caller's, so every span points into one of the two: what a rule reports in the caller's part is
//! a value the caller wrote; what it reports in the module's part and the module's own scan (no
//! arguments) does not report depends on the arguments. Both are reported in the caller's file, at
//! the argument (the one the finding's place reads, else the module's source), with a message
//! naming the module and the line in it. What the module reports by itself is left to its own
//! scan. Calls inside a module are followed the same way, [`MODULE_CHAIN_LIMIT`] deep, never around a
//! cycle.
//!
//! Modules are read once per scan ([`ModuleCache`], shared by the threads; an entry is read again
//! when the file's size or time changes, for the language server), with the scan's size cap and
//! at most [`MAX_FILES`] files per Terraform module. A module that cannot be read or parsed is a
//! note (INPUT005 or INPUT001) at the call's source, and the scan goes on.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Instant, SystemTime};

use crate::analysis::bind::bind;
use crate::analysis::resolve::Resolver;
use crate::config::Config;
use crate::finding::{Family, Finding, Severity};
use crate::ir::{Argument, Dialect, Document, InputProblemKind, ModuleCall};
use crate::rules::{self, Context};
use crate::source::{Format, SourceFile, Span};

/// What following modules needs of a scan: its configuration (rule selection and settings), the
/// scan's module cache and its size cap. The scan builds it from its options
/// ([`crate::scan::ScanOptions`]); this module does not depend on the scan, so the layers point one
/// way (scan → modules).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub config: &'a Config,
    pub modules: &'a ModuleCache,
    pub max_file_size: u64,
    /// Where modules are read ([`crate::io::files`]: the disk, or a commit's tree).
    pub files: &'a dyn crate::io::files::Files,
}

/// Module calls are followed this many levels deep (a caller's module's modules, …).
pub const MODULE_CHAIN_LIMIT: usize = 4;
/// At most this many `*.tf` files are read for one Terraform module.
pub const MAX_FILES: usize = 64;
/// The cache keeps modules whose texts add up to at most this many bytes (1 MB: 56 MB peak on a
/// repository of 600 modules, 230 MB unbounded); past it the modules
/// read longest ago are dropped (callers of one module sit together in a walk, so they still
/// share one read). Without the bound a scan of a repository of modules kept every module's IR.
pub const CACHE_BYTES: usize = 1 << 20;

/// The modules read during one scan, by path.
#[derive(Debug, Default, Clone)]
pub struct ModuleCache {
    entries: Arc<Mutex<Entries>>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<PathBuf, Arc<CacheEntry>>,
    /// Paths in the order they were read (oldest first), for dropping.
    order: std::collections::VecDeque<PathBuf>,
    /// The text bytes of the modules in `map`.
    bytes: usize,
}

impl Entries {
    fn insert(&mut self, key: PathBuf, entry: Arc<CacheEntry>) {
        if let Some(old) = self.map.remove(&key) {
            self.bytes -= old.bytes();
            self.order.retain(|k| k != &key);
        }
        self.bytes += entry.bytes();
        self.map.insert(key.clone(), entry);
        self.order.push_back(key);
        while self.bytes > CACHE_BYTES && self.order.len() > 1 {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.map.remove(&oldest) {
                self.bytes -= old.bytes();
            }
        }
    }
}

#[derive(Debug)]
struct CacheEntry {
    stamp: Vec<(u64, Option<SystemTime>)>,
    /// The source as the call that read it wrote it: an error's message names it, so an error is
    /// only shared with calls that write the same source.
    source: String,
    module: Result<Arc<Module>, (InputProblemKind, String)>,
}

impl CacheEntry {
    /// What the entry counts against [`CACHE_BYTES`]: its text (the IR grows with it).
    fn bytes(&self) -> usize {
        self.module.as_ref().map_or(0, |m| m.text.len())
    }
}

/// A module as read: its text (Terraform: the files joined), parsed. Shared by every call of it
/// (the cache is keyed by the module's canonical path), so nothing in it depends on how a caller
/// wrote the source.
#[derive(Debug)]
struct Module {
    path: PathBuf,
    format: Format,
    dialect: Dialect,
    text: String,
    doc: Document,
    /// Where each file starts in `text`, with its file name.
    files: Vec<(usize, String)>,
    /// What the module reports by itself (rule, span, message), computed on first use.
    own: OnceLock<Vec<(&'static str, Span, String)>>,
}

impl Module {
    /// `./x.bicep:12` for an offset of the module's text, named from the caller's `source`.
    fn place(&self, offset: usize, source: &str) -> String {
        let (start, file) = self
            .files
            .iter()
            .rev()
            .find(|(s, _)| *s <= offset)
            .map(|(s, n)| (*s, n.as_str()))
            .unwrap_or((0, ""));
        let line = self.text[start.min(self.text.len())..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        format!("{}:{line}", file_name(self.dialect, source, file))
    }
}

/// Is `source` a local path? Terraform: only `./x` and `../x` are local (anything else is a
/// registry, git or URL source). Bicep: every path without a scheme is relative to the file
/// (`modules/x.bicep` as well as `./x.bicep`); registry (`br:`, `br/alias:`) and template-spec
/// (`ts:`, `ts/alias:`) references have a colon, and absolute paths are not read.
fn is_local(source: &str, dialect: Dialect) -> bool {
    let s = source.replace('\\', "/");
    match dialect {
        // (an ARM linked template's relative path: `parse::linked`)
        Dialect::Bicep | Dialect::Arm => !s.is_empty() && !s.contains(':') && !s.starts_with('/'),
        _ => s.starts_with("./") || s.starts_with("../"),
    }
}

/// The note for a registry module that is not in the local cache.
fn restore_note(call: &ModuleCall, command: &str) -> Finding {
    Finding::new(
        rules::input::meta_for(InputProblemKind::Unreadable),
        call.source_span,
        format!(
            "registry module `{}` ({}) is not in the local module cache: run `{command}` to let \
             keyless follow the values passed to it (and to the other registry modules of this file)",
            clean(&call.name),
            clean(&call.source)
        ),
    )
    .severity(Severity::Note)
}

/// The files a module call names: the Bicep file, or the folder's `*.tf` files in name order.
fn module_files(
    target: &Path,
    dialect: Dialect,
    files: &dyn crate::io::files::Files,
) -> Result<Vec<PathBuf>, String> {
    match dialect {
        Dialect::Bicep | Dialect::Arm => {
            if files.is_file(target) {
                Ok(vec![target.to_path_buf()])
            } else {
                Err("the file does not exist".into())
            }
        }
        _ => {
            let mut tf: Vec<PathBuf> = files
                .list(target)?
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "tf"))
                .collect();
            tf.sort();
            tf.truncate(MAX_FILES);
            if tf.is_empty() {
                return Err("the folder holds no .tf file".into());
            }
            Ok(tf)
        }
    }
}

/// A module file's name in messages: the source for a Bicep module, `source/file.tf` for a file of
/// a Terraform module folder.
fn file_name(dialect: Dialect, source: &str, file: &str) -> String {
    match dialect {
        Dialect::Bicep | Dialect::Arm => source.to_string(),
        _ => format!("{}/{file}", source.trim_end_matches('/')),
    }
}

fn stamp(files: &[PathBuf], from: &dyn crate::io::files::Files) -> Vec<(u64, Option<SystemTime>)> {
    files.iter().map(|f| from.stamp(f)).collect()
}

impl ModuleCache {
    fn load(
        &self,
        target: &Path,
        source: &str,
        dialect: Dialect,
        max: u64,
        from: &dyn crate::io::files::Files,
    ) -> Result<Arc<Module>, (InputProblemKind, String)> {
        let files =
            module_files(target, dialect, from).map_err(|e| (InputProblemKind::Unreadable, e))?;
        let stamp = stamp(&files, from);
        let key = target.to_path_buf();
        if let Ok(entries) = self.entries.lock() {
            if let Some(e) = entries
                .map
                .get(&key)
                .filter(|e| e.stamp == stamp && (e.module.is_ok() || e.source == source))
            {
                return e.module.clone();
            }
        }
        let module = read(target, source, &files, dialect, max, from);
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                key,
                Arc::new(CacheEntry {
                    stamp,
                    source: source.to_string(),
                    module: module.clone(),
                }),
            );
        }
        module
    }
}

/// A Bicep file's parse, shared between the file's own scan and the calls that read it as a
/// module ([`ModuleCache::bicep_file`]): a module is parsed once per scan, not once for its own
/// scan and again for its callers.
pub(crate) struct Shared(Arc<Module>);

impl Shared {
    pub(crate) fn doc(&self) -> &Document {
        &self.0.doc
    }

    /// Records what the file's own scan found with the rules a bound module is checked with
    /// ([`run_rules`]'s selection: [`Shared::keeps`]) as the module's own findings, so that its
    /// callers do not run them again on the module alone. Only for a scan that ran every such
    /// rule to the end.
    pub(crate) fn set_own(&self, found: Vec<(&'static str, Span, String)>) {
        let _ = self.0.own.set(found);
    }

    /// Whether the module's own findings include this rule's ([`run_rules`]'s selection).
    pub(crate) fn keeps(rule: &dyn rules::Rule) -> bool {
        rule.meta().family != Family::Input && rule.reads_parameters()
    }
}

impl ModuleCache {
    /// The parse of a Bicep file that the scan read from disk at `path` with `text`: the module
    /// cache's entry when a call already read it (same stamp, same text), else `parse()`'s result,
    /// which is kept in the cache for the calls that read the file later (the walk reaches a
    /// module just before its callers: its tests, its parent folder's files). A parse that a
    /// module call would refuse (a syntax error, not Bicep) is handed back.
    pub(crate) fn bicep_file(
        &self,
        path: &Path,
        text: &str,
        parse: impl FnOnce() -> crate::ir::Parsed,
    ) -> Result<Shared, Box<crate::ir::Parsed>> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let stamp = stamp(std::slice::from_ref(&key), &crate::io::files::Disk);
        if let Ok(entries) = self.entries.lock() {
            if let Some(Ok(m)) = entries
                .map
                .get(&key)
                .filter(|e| e.stamp == stamp)
                .map(|e| &e.module)
            {
                if m.text == text {
                    return Ok(Shared(Arc::clone(m)));
                }
            }
        }
        let parsed = parse();
        if parsed.format != Format::Bicep
            || parsed.doc.root.is_none()
            || parsed
                .doc
                .problems
                .iter()
                .any(|p| p.kind == InputProblemKind::Syntax)
        {
            return Err(Box::new(parsed));
        }
        let base = key
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let module = Arc::new(Module {
            path: key.clone(),
            format: Format::Bicep,
            dialect: Dialect::Bicep,
            text: text.to_string(),
            doc: parsed.doc,
            files: vec![(0, base)],
            own: OnceLock::new(),
        });
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                key,
                Arc::new(CacheEntry {
                    stamp,
                    source: String::new(),
                    module: Ok(Arc::clone(&module)),
                }),
            );
        }
        Ok(Shared(module))
    }
}

fn read(
    target: &Path,
    source: &str,
    files: &[PathBuf],
    dialect: Dialect,
    max: u64,
    from: &dyn crate::io::files::Files,
) -> Result<Arc<Module>, (InputProblemKind, String)> {
    let mut format = match dialect {
        Dialect::Bicep => Format::Bicep,
        Dialect::Arm => Format::Json,
        _ => Format::Terraform,
    };
    let mut text = String::new();
    let mut starts = Vec::new();
    // A module of one file read from its own path (a Bicep module) is that file's parse.
    let mut alone = None;
    for f in files {
        let (t, guessed, _) = from.read_decoded(f, max).map_err(|p| (p.kind, p.message))?;
        // A Bicep module may be an ARM template (`module m './x.json'`).
        let json = f
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if matches!(dialect, Dialect::Bicep | Dialect::Arm) && json {
            format = guessed;
        }
        let base = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let name = file_name(dialect, source, &base);
        // Each file must parse by itself; one that does not is the module's own problem.
        let single = SourceFile::new(f.clone(), name.clone(), t.clone(), format);
        let parsed =
            catch_unwind(AssertUnwindSafe(|| crate::parse::parse(&single))).map_err(|_| {
                (
                    InputProblemKind::Syntax,
                    format!("{name} could not be parsed"),
                )
            })?;
        if json {
            // (JSON is lowered as what its content is: an ARM template)
            format = parsed.format;
        }
        if parsed.doc.root.is_none()
            || parsed
                .doc
                .problems
                .iter()
                .any(|p| p.kind == InputProblemKind::Syntax)
        {
            return Err((
                InputProblemKind::Syntax,
                format!("{name} has a syntax error"),
            ));
        }
        if text.len() as u64 + t.len() as u64 > max {
            return Err((
                InputProblemKind::TooLarge,
                "the module is larger than the size cap".into(),
            ));
        }
        if !text.is_empty() {
            text.push('\n');
        }
        starts.push((text.len(), base));
        text.push_str(&t);
        if files.len() == 1 && f.as_path() == target {
            alone = Some(parsed);
        }
    }
    let file = SourceFile::new(target.to_path_buf(), source.to_string(), text, format);
    let parsed = match alone {
        Some(parsed) => parsed,
        None => catch_unwind(AssertUnwindSafe(|| crate::parse::parse(&file))).map_err(|_| {
            (
                InputProblemKind::Syntax,
                format!("{source} could not be parsed"),
            )
        })?,
    };
    Ok(Arc::new(Module {
        path: target.to_path_buf(),
        format,
        dialect,
        text: file.text,
        doc: parsed.doc,
        files: starts,
        own: OnceLock::new(),
    }))
}

/// Runs the enabled rules whose result can depend on parameter values
/// ([`crate::rules::Declared::reads_parameters`]; not the INPUT ones) over a document: on a bound
/// module the others report only what the module's own scan reports. With a deadline, a rule that
/// sees it pass stops and the rest are not run; the second value says so.
fn run_rules(
    file: &SourceFile,
    format: Format,
    doc: &Document,
    opts: &Scope<'_>,
    deadline: Option<Instant>,
) -> (Vec<Finding>, bool) {
    let mut cx = Context::new(file, format, doc, opts.config.rule_settings());
    if let Some(d) = deadline {
        cx = cx.with_deadline(d);
    }
    let mut out = Vec::new();
    for rule in opts.config.enabled_rules() {
        if !Shared::keeps(rule) {
            continue;
        }
        if cx.was_late() || deadline.is_some_and(|d| Instant::now() >= d) {
            return (out, true);
        }
        let mut found = Vec::new();
        if catch_unwind(AssertUnwindSafe(|| rule.run(&cx, &mut found))).is_ok() {
            out.append(&mut found);
        }
    }
    let late = cx.was_late();
    (out, late)
}

/// What following a file's module calls found, and whether the per-file clock cut it short.
#[derive(Debug, Default)]
pub struct Followed {
    /// The findings, in the calling file's coordinates, one per place.
    pub findings: Vec<Finding>,
    /// The deadline passed before every call was followed: some were not (INPUT011 says so).
    pub stopped: bool,
}

/// The findings the module calls of `doc` (a document of `file`) make through their arguments,
/// in `file`'s coordinates. Following stops at `deadline` (the file's `--file-timeout` clock).
pub fn findings(
    file: &SourceFile,
    doc: &Document,
    opts: &Scope<'_>,
    deadline: Option<Instant>,
) -> Followed {
    let mut follow = Follow {
        opts,
        deadline,
        stopped: false,
        stack: vec![opts.files.canonical(&file.path)],
        bound: HashMap::new(),
    };
    let findings = follow.calls(file, doc, 0);
    Followed {
        findings,
        stopped: follow.stopped,
    }
}

/// One finding per place: several rules (or several calls) reaching the same place are one
/// report, which names the other rules (never their messages, so a message does not grow with
/// the number of calls).
fn one_per_place(mut out: Vec<Finding>) -> Vec<Finding> {
    out.sort_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.severity), a.rule.id).cmp(&(
            b.span.start,
            std::cmp::Reverse(b.severity),
            b.rule.id,
        ))
    });
    let mut also: Vec<Vec<&'static str>> = Vec::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(out.len());
    for f in out {
        if let Some(first) = kept.last().filter(|k| k.span.start == f.span.start) {
            let ids = also.last_mut().expect("one list per kept finding");
            if f.rule.id != first.rule.id && !ids.contains(&f.rule.id) {
                ids.push(f.rule.id);
            }
            continue;
        }
        kept.push(f);
        also.push(Vec::new());
    }
    for (f, ids) in kept.iter_mut().zip(also) {
        if !ids.is_empty() {
            f.message.push_str(&format!(" (also {})", ids.join(", ")));
        }
    }
    kept
}

/// The state of following one file's module calls.
struct Follow<'o> {
    opts: &'o Scope<'o>,
    deadline: Option<Instant>,
    stopped: bool,
    /// The modules on the way from the scanned file, canonical (a call around a cycle is not
    /// followed).
    stack: Vec<PathBuf>,
    /// What a bound module reports, by module, caller, depth and bound arguments: a module
    /// called many times with the same values (a fan-out tree passing a parameter on) is bound
    /// and checked once.
    bound: HashMap<(PathBuf, u64, usize, String), Arc<Vec<Finding>>>,
}

impl Follow<'_> {
    fn late(&mut self) -> bool {
        if !self.stopped && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.stopped = true;
        }
        self.stopped
    }

    fn calls(&mut self, file: &SourceFile, doc: &Document, depth: usize) -> Vec<Finding> {
        let mut out = Vec::new();
        if depth >= MODULE_CHAIN_LIMIT
            || !matches!(
                doc.dialect,
                Dialect::Bicep | Dialect::Terraform | Dialect::Arm
            )
        {
            return out;
        }
        let Some(dir) = file.path.parent() else {
            return out;
        };
        let mut restore_noted = false;
        for call in &doc.modules {
            if call.args.is_empty() {
                continue;
            }
            // A registry module is read from the cache its tool filled (`module_cache`); one that
            // is not there gets a note naming the command that restores it, once per file.
            let cached = match is_local(&call.source, doc.dialect) {
                true => None,
                false => match crate::module_cache::locate(
                    dir,
                    &call.name,
                    &call.source,
                    doc.dialect,
                    self.opts.max_file_size,
                ) {
                    crate::module_cache::Located::Found(p) => Some(p),
                    crate::module_cache::Located::Missing(command) => {
                        if depth == 0 {
                            if !restore_noted {
                                restore_noted = true;
                                out.push(restore_note(call, command));
                            }
                            out.extend(self.unread_switches(
                                doc,
                                call,
                                "not in the local module cache",
                            ));
                        }
                        continue;
                    }
                    crate::module_cache::Located::Unknown => {
                        if depth == 0 && doc.dialect == Dialect::Bicep {
                            out.extend(self.unread_switches(
                                doc,
                                call,
                                "a source keyless does not read",
                            ));
                        }
                        continue;
                    }
                },
            };
            // Inside a module, only a call that passes on what the caller gave can add anything.
            if depth > 0 && !passes_arguments(doc, call) {
                continue;
            }
            if self.late() {
                break;
            }
            let target = cached.unwrap_or_else(|| dir.join(&call.source));
            // One entry per module, however each caller writes its path (`../../main.bicep`)
            let canonical = self.opts.files.canonical(&target);
            let module = match self.opts.modules.load(
                &canonical,
                &call.source,
                doc.dialect,
                self.opts.max_file_size,
                self.opts.files,
            ) {
                Ok(m) => m,
                Err((kind, why)) => {
                    // An ARM linked template is followed only when it is there: its link is a
                    // URL at deployment time, not a promise of a file beside the template.
                    if depth == 0 && doc.dialect != Dialect::Arm {
                        out.push(
                            Finding::new(
                                rules::input::meta_for(kind),
                                call.source_span,
                                format!(
                                    "module `{}` ({}) was not read: {why}; the values passed to \
                                     it were not followed",
                                    clean(&call.name),
                                    clean(&call.source)
                                ),
                            )
                            .severity(Severity::Note),
                        );
                    }
                    continue;
                }
            };
            if self.stack.contains(&canonical) {
                continue;
            }
            // Only a module this document calls more than once can be bound to the same values
            // again: the others are not worth the cache key.
            let again = doc
                .modules
                .iter()
                .filter(|c| c.source == call.source)
                .nth(1)
                .is_some();
            out.extend(self.call_findings(file, doc, depth, call, &module, canonical, again));
        }
        one_per_place(out)
    }

    /// MI003 on the key-access switches passed to a module that was not read: judged by the
    /// argument's name and value ([`rules::props::unread_module_switch`]), saying so.
    fn unread_switches(&self, doc: &Document, call: &ModuleCall, why: &str) -> Vec<Finding> {
        use crate::rules::mi::mi003_key_auth_enabled::META;
        if !self.opts.config.enabled(META.id) {
            return Vec::new();
        }
        let rs = Resolver::new(doc, call.template);
        call.args
            .iter()
            .filter_map(|a| {
                let (what, good) = rules::props::unread_module_switch(
                    META.id,
                    &a.key,
                    &a.value,
                    &rs,
                    &call.source,
                )?;
                let shared_key = ["allowSharedKeyAccess", "shared_access_key_enabled"]
                    .iter()
                    .any(|k| a.key.eq_ignore_ascii_case(k));
                let script = if shared_key {
                    deployment_script_using(doc, &call.name)
                } else {
                    None
                };
                let f = Finding::new(
                    &META,
                    a.value.span,
                    format!(
                        "key-based access left on ({what}): `{}` is passed to module `{}` ({}), \
                         which was not read ({why}), so this is judged by \
                         the argument's name and value; set {good} and have clients authenticate \
                         with a managed identity",
                        clean(&a.key),
                        clean(&call.name),
                        clean(&call.source)
                    ),
                );
                Some(match script {
                    // The account is a deployment script's own storage: the script service
                    // mounts it with the account key, so key access stays on (no identity form).
                    Some(by) => Finding::new(
                        &META,
                        a.value.span,
                        format!(
                            "key-based access left on ({what}) for a deployment script's storage: \
                             `{}` is passed to module `{}` ({}), which was not read ({why}), and \
                             the account is the storage of deployment script `{}`, which reaches \
                             it with the account key",
                            clean(&a.key),
                            clean(&call.name),
                            clean(&call.source),
                            clean(&by)
                        ),
                    )
                    .severity(Severity::Note)
                    .help(
                        "Deployment scripts mount their storage account's file share with the \
                         account key: keep key access on for that account (and only that account), \
                         or leave the script's storage settings out so it gets its own temporary \
                         account.",
                    ),
                    None => f,
                })
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn call_findings(
        &mut self,
        file: &SourceFile,
        doc: &Document,
        depth: usize,
        call: &ModuleCall,
        module: &Module,
        canonical: PathBuf,
        again: bool,
    ) -> Vec<Finding> {
        let opts = self.opts;
        let shift = module.text.len() + 1;
        let rs = Resolver::new(doc, call.template);
        let mut bound = module.doc.clone();
        // (parameter, where the caller wrote its argument)
        let mut args: Vec<(String, Span)> = Vec::new();
        for p in bound.params.iter_mut().filter(|p| p.template == 0) {
            if let Some(a) = call
                .args
                .iter()
                .find(|a| a.key.eq_ignore_ascii_case(&p.name))
            {
                p.argument = Some(Argument {
                    value: bind(&rs, &a.value, shift),
                    caller: None,
                });
                args.push((p.name.clone(), a.value.span));
            }
        }
        let mut out = Vec::new();
        if args.is_empty() {
            return out;
        }
        // A Bicep parameter without a default that the call leaves out is nullable (`object?`:
        // Bicep requires every other one), so its value is null, not unknown: a module's
        // `administrators: administrators` is then no Entra administrator at all.
        let mut omitted = false;
        if module.dialect == Dialect::Bicep {
            let null = crate::ir::Node::new(
                Span::new(call.source_span.start + shift, call.source_span.end + shift),
                crate::ir::NodeKind::Null,
            );
            for p in bound
                .params
                .iter_mut()
                .filter(|p| p.template == 0 && p.argument.is_none() && p.default.is_none())
            {
                omitted = true;
                p.argument = Some(Argument {
                    value: null.clone(),
                    caller: None,
                });
            }
        }
        let combined = SourceFile::new(
            module.path.clone(),
            file.display.clone(),
            format!("{}\n{}", module.text, file.text),
            module.format,
        );
        let key = again.then(|| {
            (
                canonical.clone(),
                text_hash(&file.text),
                depth,
                format!(
                    "{:?}",
                    bound
                        .params
                        .iter()
                        .map(|p| p.argument.as_ref().map(|a| &a.value))
                        .collect::<Vec<_>>()
                ),
            )
        });
        let found = match key.as_ref().and_then(|k| self.bound.get(k)) {
            Some(found) => Arc::clone(found),
            None => {
                let (mut found, late) =
                    run_rules(&combined, module.format, &bound, opts, self.deadline);
                self.stopped |= late;
                self.stack.push(canonical);
                found.extend(self.calls(&combined, &bound, depth + 1));
                self.stack.pop();
                let found = Arc::new(found);
                // (what a cut-short check found is not kept for the next call)
                if let Some(key) = key.filter(|_| !self.stopped) {
                    self.bound.insert(key, Arc::clone(&found));
                }
                found
            }
        };
        // What the module reports by itself, computed only when a finding lands in the module's
        // part (most bound modules report nothing there).
        let own = || {
            module.own.get_or_init(|| {
                let alone = SourceFile::new(
                    module.path.clone(),
                    String::new(),
                    module.text.clone(),
                    module.format,
                );
                run_rules(&alone, module.format, &module.doc, opts, None)
                    .0
                    .into_iter()
                    .map(|f| (f.rule.id, f.span, f.message))
                    .collect()
            })
        };
        for f in found.iter() {
            let mut f = f.clone();
            let (param, at, place) = if f.span.start >= shift {
                // A value the caller wrote, reported where it is written.
                let span = Span::new(f.span.start - shift, f.span.end - shift);
                let param = args
                    .iter()
                    .find(|(_, s)| s.contains(span))
                    .map(|(p, _)| p.clone());
                let place = param
                    .as_deref()
                    .and_then(|p| bound.params.iter().find(|q| q.name == *p))
                    .map(|q| module.place(q.name_span.start, &call.source))
                    .unwrap_or_else(|| module.place(0, &call.source));
                (param, span, place)
            } else {
                // A registry module read from the cache has no scan of its own: what it reports
                // with the caller's values is the caller's.
                if f.span.end > module.text.len()
                    || f.rule.family == Family::Input
                    || (is_local(&call.source, doc.dialect)
                        && own()
                            .iter()
                            .any(|(id, s, m)| *id == f.rule.id && *s == f.span && *m == f.message))
                {
                    continue;
                }
                let place = module.place(f.span.start, &call.source);
                let candidates = arguments_read_at(&bound, f.span, &args);
                // A registry module's finding that no single argument decides is the call's; so
                // is one that what the call leaves out (null) may decide.
                let registry = !is_local(&call.source, doc.dialect);
                let fallback = !registry && !omitted;
                match deciding_argument(&combined, &bound, opts, &f, &candidates, fallback) {
                    Some((p, s)) => (Some(p), s, place),
                    None => (None, call.source_span, place),
                }
            };
            let what = match &param {
                Some(p) => format!("`{}` is passed to", clean(p)),
                None => "values are passed to".to_string(),
            };
            f.message = format!(
                "{what} module `{}` ({}), where: {}",
                clean(&call.name),
                clean(&place),
                f.message
            );
            f.secret_span = f
                .secret_span
                .filter(|s| s.start >= shift)
                .map(|s| Span::new(s.start - shift, s.end - shift));
            f.span = at;
            f.fix = None;
            f.merged.clear();
            out.push(f);
        }
        out
    }
}

/// Traces the Terraform module outputs `doc` reads (`module.sa.conn`) into the modules the scan
/// can read (local, or in the `terraform init` cache): an output whose value is a secret attribute
/// of one of the module's resources (`azurerm_storage_account.x.primary_connection_string`,
/// `azuread_application_password.p.value`, through locals) is recorded in
/// [`Document::module_outputs`] as that attribute, addressed from the caller
/// (`module.sa.azurerm_storage_account.x.primary_connection_string`), so the rules judge it by what
/// it is, not by the output's name. An output that is not traced keeps being judged by its name.
/// Modules are read through the scan's module cache; one that cannot be read adds nothing (the
/// call's own following says why). `text` is the file's (a module whose outputs it never names is
/// not read).
pub fn trace_outputs(path: &Path, text: &str, doc: &mut Document, opts: &Scope<'_>) {
    if doc.dialect != Dialect::Terraform || doc.modules.is_empty() {
        return;
    }
    let Some(dir) = path.parent() else {
        return;
    };
    let mut traced = Vec::new();
    for call in &doc.modules {
        let address = format!("module.{}", call.name);
        // Only a module whose outputs the file reads is worth reading here.
        if !text.contains(&format!("{address}."))
            || traced
                .iter()
                .any(|t: &crate::ir::TracedOutput| t.module == address)
        {
            continue;
        }
        let target = if is_local(&call.source, doc.dialect) {
            dir.join(&call.source)
        } else {
            match crate::module_cache::locate(
                dir,
                &call.name,
                &call.source,
                doc.dialect,
                opts.max_file_size,
            ) {
                crate::module_cache::Located::Found(p) => p,
                _ => continue,
            }
        };
        let canonical = opts.files.canonical(&target);
        let Ok(module) = opts.modules.load(
            &canonical,
            &call.source,
            doc.dialect,
            opts.max_file_size,
            opts.files,
        ) else {
            continue;
        };
        for out in module.doc.outputs.iter().filter(|o| o.template == 0) {
            if let Some(value) = secret_attribute(&module.doc, &out.value, &address) {
                traced.push(crate::ir::TracedOutput {
                    module: address.clone(),
                    output: out.name.clone(),
                    value,
                });
            }
        }
    }
    doc.module_outputs = traced;
}

/// The first secret resource attribute a module's output returns (followed through locals and
/// string building), addressed from the caller (`module.sa.` before the resource's address).
fn secret_attribute(
    module: &Document,
    value: &crate::ir::Node,
    prefix: &str,
) -> Option<crate::ir::Expr> {
    use crate::analysis::resolve::{Piece, Value};
    use crate::ir::{Expr, Node, NodeKind};
    let rs = Resolver::new(module, 0).without_defaults();
    let probe = Document {
        dialect: Dialect::Terraform,
        ..Document::default()
    };
    let secret = |e: &Expr, members: &[String]| -> Option<Expr> {
        let Expr::Resource { address, path } = e else {
            return None;
        };
        let candidate = Expr::Resource {
            address: format!("{prefix}.{address}"),
            path: path.iter().chain(members).cloned().collect(),
        };
        let node = Node::new(Span::default(), NodeKind::Expr(candidate.clone()));
        crate::analysis::exposure::secret_source(&probe, 0, &node).map(|_| candidate)
    };
    rs.node(value).iter().find_map(|p| match &p.value {
        Value::Unknown(e, members) => secret(e, members),
        Value::Text(pieces) => pieces.iter().find_map(|piece| match piece {
            Piece::Unknown(e) => rs.expr(e).iter().find_map(|q| match &q.value {
                Value::Unknown(e, members) => secret(e, members),
                _ => None,
            }),
            Piece::Text(_) => None,
        }),
        _ => None,
    })
}

/// A hash of a caller's text (part of a bound module's cache key).
fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Of the arguments a finding's place reads, the one it depends on: the only one, else the first
/// without which the finding's rule no longer reports it (`name` in `a=${name};key=${key}`), else
/// the first.
fn deciding_argument(
    file: &SourceFile,
    bound: &Document,
    opts: &Scope<'_>,
    f: &Finding,
    candidates: &[(String, Span)],
    fallback: bool,
) -> Option<(String, Span)> {
    if candidates.len() < 2 && fallback {
        return candidates.first().cloned();
    }
    let rule = opts
        .config
        .enabled_rules()
        .find(|r| r.meta().id == f.rule.id)?;
    for c in candidates {
        let mut without = bound.clone();
        for p in without.params.iter_mut().filter(|p| p.name == c.0) {
            p.argument = None;
        }
        let cx = Context::new(
            file,
            file.format_by_name,
            &without,
            opts.config.rule_settings(),
        );
        let mut found = Vec::new();
        if catch_unwind(AssertUnwindSafe(|| rule.run(&cx, &mut found))).is_err() {
            continue;
        }
        if !found
            .iter()
            .any(|g| g.span == f.span && g.message == f.message)
        {
            return Some(c.clone());
        }
    }
    candidates.first().filter(|_| fallback).cloned()
}

/// The arguments a finding's place reads, in order: the parameters with an argument that the
/// expressions inside `span` name (directly or through a variable), else those of the resource
/// around it.
fn arguments_read_at(doc: &Document, span: Span, args: &[(String, Span)]) -> Vec<(String, Span)> {
    let mut names: Vec<String> = Vec::new();
    let collect = |node: &crate::ir::Node, names: &mut Vec<String>| {
        node.walk(&mut |_, n| {
            if let Some(e) = n.as_expr() {
                names.extend(e.parameter_refs().into_iter().map(str::to_string));
                for v in e.variable_refs() {
                    if let Some(var) = doc.var(0, v) {
                        var.value.walk(&mut |_, m| {
                            if let Some(e) = m.as_expr() {
                                names.extend(e.parameter_refs().into_iter().map(str::to_string));
                            }
                        });
                    }
                }
            }
        });
    };
    if let Some(root) = &doc.root {
        root.walk(&mut |_, n| {
            if span.contains(n.span) && n.as_expr().is_some() {
                collect(n, &mut names);
            }
        });
    }
    let pick = |names: &[String]| {
        let mut out: Vec<(String, Span)> = Vec::new();
        for n in names {
            if let Some(a) = args.iter().find(|(p, _)| p.eq_ignore_ascii_case(n)) {
                if !out.iter().any(|(p, _)| p == &a.0) {
                    out.push(a.clone());
                }
            }
        }
        out
    };
    let found = pick(&names);
    if !found.is_empty() {
        return found;
    }
    names.clear();
    let Some(around) = doc
        .resources
        .iter()
        .filter(|r| r.span.contains(span))
        .min_by_key(|r| r.span.len())
    else {
        return Vec::new();
    };
    collect(&around.body, &mut names);
    pick(&names)
}

/// True when one of a call's arguments reads a parameter that has an argument (directly or
/// through a variable).
fn passes_arguments(doc: &Document, call: &ModuleCall) -> bool {
    let bound = |name: &str| {
        doc.param(call.template, name)
            .is_some_and(|p| p.argument.is_some())
    };
    let mut found = false;
    for a in &call.args {
        a.value.walk(&mut |_, n| {
            let Some(e) = n.as_expr() else { return };
            if e.parameter_refs().into_iter().any(bound) {
                found = true;
            }
            for v in e.variable_refs() {
                if let Some(var) = doc.var(call.template, v) {
                    var.value.walk(&mut |_, m| {
                        if m.as_expr()
                            .is_some_and(|e| e.parameter_refs().into_iter().any(bound))
                        {
                            found = true;
                        }
                    });
                }
            }
        });
    }
    found
}

/// A name or path for a message ([`crate::finding::shown_name`]).
fn clean(s: &str) -> String {
    crate::finding::shown_name(s)
}

/// The deployment script (a `Microsoft.Resources/deploymentScripts` resource, or a call of a
/// deployment-script module) whose body or arguments name an output of module `symbol`: the
/// module's account is that script's storage.
fn deployment_script_using(doc: &Document, symbol: &str) -> Option<String> {
    let names = |n: &crate::ir::Node| {
        let mut found = false;
        n.walk(&mut |_, v| {
            if let Some(e) = v.as_expr() {
                e.walk(&mut |x| {
                    if let crate::ir::Expr::Module { address, .. } = x {
                        found |= address == symbol;
                    }
                })
            }
        });
        found
    };
    for m in &doc.modules {
        let src = m.source.to_ascii_lowercase();
        if m.name != symbol
            && (src.contains("deployment-script") || src.contains("deploymentscript"))
            && m.args.iter().any(|a| names(&a.value))
        {
            return Some(m.name.clone());
        }
    }
    doc.resources
        .iter()
        .find(|r| r.is_type("Microsoft.Resources/deploymentScripts") && names(&r.body))
        .map(|r| r.symbol.clone().unwrap_or_else(|| r.name.clone()))
}

#[cfg(test)]
mod tests {
    use crate::testing::scan_fixture;

    fn found(path: &str) -> Vec<(usize, usize, &'static str, String)> {
        scan_fixture(path)
            .findings
            .into_iter()
            .map(|f| (f.start.line, f.start.column, f.rule.id, f.message))
            .collect()
    }

    /// A module that cannot be read or parsed is a note at the call's source; the scan goes on.
    #[test]
    fn missing_and_broken_modules_are_notes() {
        let f = found("testdata/modules/broken/main.bicep");
        let at: Vec<_> = f.iter().map(|(l, c, id, _)| (*l, *c, *id)).collect();
        assert_eq!(at, [(1, 15, "INPUT001"), (8, 16, "INPUT005")], "{f:?}");
        assert!(f[0].3.contains("syntax error") && f[1].3.contains("does not exist"));
    }

    /// A module whose own scan came first (its parse and its own findings then come from that
    /// scan, through the module cache) gives its caller the findings it gives when the caller is
    /// scanned alone (the module read and checked for the call).
    #[test]
    fn a_module_scanned_first_gives_its_caller_the_same_findings() {
        use crate::scan::{scan_path, ScanOptions};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let shown = |r: crate::scan::FileReport| {
            r.findings
                .into_iter()
                .map(|f| (f.start.line, f.start.column, f.rule.id, f.message))
                .collect::<Vec<_>>()
        };
        for (dir, module) in [
            ("testdata/KEY003/fire/bicep-module", "sql.bicep"),
            ("testdata/KEY007/fire/bicep-module", "app.bicep"),
            ("testdata/MI003/fire/bicep-module", "storage.bicep"),
            ("testdata/RBAC002/fire/bicep-module", "role.bicep"),
        ] {
            let caller = root.join(dir).join("main.bicep");
            let alone = shown(scan_path(&caller, root, &ScanOptions::default(), true));
            assert!(
                alone.iter().any(|f| f.3.contains("module")),
                "{dir}: {alone:?}"
            );
            let opts = ScanOptions::default();
            scan_path(&root.join(dir).join(module), root, &opts, false);
            let after = shown(scan_path(&caller, root, &opts, false));
            assert_eq!(after, alone, "{dir}");
            // and the other way round: the module's own scan after its caller's
            let opts = ScanOptions::default();
            scan_path(&caller, root, &opts, false);
            let own = shown(scan_path(&root.join(dir).join(module), root, &opts, false));
            let fresh = shown(scan_path(
                &root.join(dir).join(module),
                root,
                &ScanOptions::default(),
                false,
            ));
            assert_eq!(own, fresh, "{dir}");
        }
    }

    /// `--no-follow-modules`: the caller's findings through its module calls are not reported.
    #[test]
    fn nothing_is_followed_when_following_is_off() {
        use crate::scan::{scan_path, ScanOptions};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let caller = root.join("testdata/KEY003/fire/bicep-module/main.bicep");
        let through = |opts: &ScanOptions| {
            scan_path(&caller, root, opts, true)
                .findings
                .iter()
                .filter(|f| f.message.contains("passed to module"))
                .count()
        };
        assert!(through(&ScanOptions::default()) > 0);
        let off = ScanOptions {
            follow_modules: false,
            ..ScanOptions::default()
        };
        assert_eq!(through(&off), 0);
    }

    /// A module that calls itself is read once, not around the cycle.
    #[test]
    fn a_cycle_ends() {
        assert!(found("testdata/modules/cycle/main.bicep").is_empty());
    }

    /// The cache drops the modules read longest ago once their texts pass [`super::CACHE_BYTES`],
    /// keeps the newest even when it alone is larger, and counts a re-read module once.
    #[test]
    fn the_cache_is_bounded_and_drops_the_oldest() {
        use super::*;
        let entry = |len: usize| {
            Arc::new(CacheEntry {
                stamp: Vec::new(),
                source: String::new(),
                module: Ok(Arc::new(Module {
                    path: PathBuf::new(),
                    format: Format::Bicep,
                    dialect: Dialect::Bicep,
                    text: "x".repeat(len),
                    doc: Document::default(),
                    files: Vec::new(),
                    own: OnceLock::new(),
                })),
            })
        };
        let third = CACHE_BYTES / 3;
        let mut e = Entries::default();
        for name in ["a", "b", "c"] {
            e.insert(PathBuf::from(name), entry(third));
        }
        assert_eq!(e.map.len(), 3);
        e.insert(PathBuf::from("b"), entry(third));
        assert_eq!(
            (e.map.len(), e.bytes),
            (3, 3 * third),
            "a re-read replaces its entry"
        );
        e.insert(PathBuf::from("d"), entry(third));
        assert!(!e.map.contains_key(Path::new("a")), "the oldest goes first");
        assert!(e.bytes <= CACHE_BYTES);
        e.insert(PathBuf::from("big"), entry(CACHE_BYTES * 2));
        assert_eq!(e.map.len(), 1, "only the newest stays");
        assert_eq!(e.bytes, CACHE_BYTES * 2);
    }

    /// Bicep paths are relative to the file with or without `./`; Terraform's local sources
    /// start with `./` or `../` (its rule); registry, template-spec, git and URL sources are not
    /// local in either.
    #[test]
    fn local_sources_by_dialect() {
        use super::is_local;
        use crate::ir::Dialect::{Bicep, Terraform};
        for s in [
            "./x.bicep",
            "../m/x.bicep",
            "modules/x.bicep",
            "x.json",
            "modules\\x.bicep",
        ] {
            assert!(is_local(s, Bicep), "{s}");
        }
        for s in [
            "br:contoso.azurecr.io/bicep/x:1.0",
            "br/public:avm/res/x:0.1.0",
            "ts:sub/rg/spec:1.0",
            "ts/alias:spec:1.0",
            "/abs/x.bicep",
            "",
        ] {
            assert!(!is_local(s, Bicep), "{s}");
        }
        for s in ["./modules/x", "../x"] {
            assert!(is_local(s, Terraform), "{s}");
        }
        for s in [
            "modules/x",
            "Azure/aks/azurerm",
            "git::https://example.com/x.git",
            "github.com/x/y",
        ] {
            assert!(!is_local(s, Terraform), "{s}");
        }
    }
}
