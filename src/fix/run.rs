//! The `--fix` / `--diff` driver. For each file with fixable findings: read it again from the path
//! the scan read (checked to be the same file), check it as the scan does (so the edits fit the
//! exact text being changed; inline suppressions and the baseline hold), apply the fixes of the
//! allowed safety classes, re-parse the result (a fix that would break the file is never written),
//! and repeat until no fix applies; then write it through the one writer ([`crate::io::write`]) in
//! the encoding it was read in (UTF-8, or UTF-16/UTF-32 by its mark). Standard input is fixed the
//! same way ([`fix_text`]) and printed, never written to a file.

use std::path::{Path, PathBuf};

use crate::io::read::Named;
use crate::ir::InputProblemKind;
use crate::scan::{self, FileReport, ScanOptions, ScanResult};
use crate::source::{Format, SourceFile};

use super::{apply, diff, Safety};

/// What to do with the fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// Write the fixed files (`--fix`); otherwise only compute diffs (`--diff`).
    pub write: bool,
    /// Also apply fixes that need a follow-up (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

/// A fix that was applied (or, with `--diff`, would be).
#[derive(Debug, Clone)]
pub struct Applied {
    pub rule: &'static str,
    pub line: usize,
    pub column: usize,
    pub description: String,
    /// For unsafe fixes: what a person must do next.
    pub follow_up: Option<String>,
}

/// One file's outcome.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub display: String,
    pub applied: Vec<Applied>,
    /// The unified diff of the change (empty when nothing changed).
    pub diff: String,
    /// The diff is withheld because it would show a secret (the fixes are still applied by `--fix`).
    pub diff_withheld: bool,
    /// Fixes left for a re-run because they touch bytes another fix changed.
    pub conflicts: usize,
    /// Unsafe fixes not applied (no `--unsafe-fixes`).
    pub unsafe_skipped: usize,
    /// Why the file was not changed, when something went wrong.
    pub error: Option<String>,
}

/// Every file's outcome.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<FileOutcome>,
}

impl Outcome {
    pub fn fixed(&self) -> usize {
        self.files.iter().map(|f| f.applied.len()).sum()
    }

    pub fn files_changed(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !f.diff.is_empty() || f.diff_withheld)
            .count()
    }

    pub fn conflicts(&self) -> usize {
        self.files.iter().map(|f| f.conflicts).sum()
    }

    pub fn unsafe_skipped(&self) -> usize {
        self.files.iter().map(|f| f.unsafe_skipped).sum()
    }

    /// Files whose diff is withheld because it would show a secret.
    pub fn withheld(&self) -> impl Iterator<Item = &FileOutcome> {
        self.files.iter().filter(|f| f.diff_withheld)
    }

    pub fn diff(&self) -> String {
        self.files.iter().map(|f| f.diff.as_str()).collect()
    }

    pub fn errors(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter_map(|f| f.error.as_deref().map(|e| (f.display.as_str(), e)))
    }
}

/// At most this many rounds of fixes per file: a fix can expose a finding another fix then fixes
/// (an identity added for MI003 lets MI001 offer its fix); each round applies what the last
/// check offered, until none is offered.
pub const MAX_ROUNDS: usize = 8;

/// Applies (or, without `mode.write`, previews) the fixes of a scan's reported findings. With
/// `mode.write`, each fixed file's report in `result` is replaced by the check of its new text, so
/// the report shows what the fixes left (no second walk).
pub fn fix_files(result: &mut ScanResult, opts: &ScanOptions, mode: Mode) -> Outcome {
    let mut out = Outcome::default();
    let mut fixed_reports = Vec::new();
    for (i, report) in result.files.iter().enumerate() {
        if !report.findings.iter().any(|f| f.fix.is_some()) {
            continue;
        }
        let Some(format) = report.format.filter(|f| *f != Format::Text) else {
            continue;
        };
        let (outcome, after) = fix_file(report, format, opts, mode);
        if mode.write && outcome.error.is_none() {
            if let Some(after) = after {
                fixed_reports.push((i, after));
            }
        }
        out.files.push(outcome);
    }
    for (i, after) in fixed_reports.into_iter().rev() {
        result.baselined += after.baselined;
        result.baselined -= result.files[i].baselined.min(result.baselined);
        if after.findings.is_empty() && after.suppressed.is_empty() {
            result.files.remove(i);
        } else {
            result.files[i] = after;
        }
    }
    out
}

/// Fixes one file of a scan: the file read at `report.path` (never the displayed name), checked to
/// be the same file the scan read, fixed to a fixed point ([`fix_text`]) and written back through
/// [`crate::io::write::write_fixed`] in the encoding it was read in. Returns the outcome and, when
/// the text changed, the report of the new text.
pub fn fix_file(
    report: &FileReport,
    format: Format,
    opts: &ScanOptions,
    mode: Mode,
) -> (FileOutcome, Option<FileReport>) {
    let fail = |e: String| {
        (
            FileOutcome {
                display: report.display.clone(),
                error: Some(e),
                ..FileOutcome::default()
            },
            None,
        )
    };
    if format == Format::TerraformPlan {
        return fail(
            "a Terraform plan is generated: fix the configuration it was made from".into(),
        );
    }
    let Some(id) = report.id else {
        return fail("it was not read from a file; not fixed".into());
    };
    let read = match crate::io::read::read_bytes(&report.path, opts.max_file_size, Named::No) {
        Ok(r) => r,
        Err(p) => {
            return fail(format!(
                "could not read the file again to fix it: {}",
                p.message
            ))
        }
    };
    if !read.id.is_some_and(|now| now.same_file(&id)) {
        return fail(
            "the path names another file than the one scanned (it was replaced); not fixed".into(),
        );
    }
    let (text, wide) = match read_text(read.bytes) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let fixed = fix_text(&report.path, &report.display, text, opts, mode);
    let mut outcome = fixed.outcome;
    let Some(new_text) = fixed.text.filter(|_| outcome.error.is_none()) else {
        return (outcome, None);
    };
    if mode.write {
        let bytes = match wide {
            // the text keeps the mark as U+FEFF; `encode` writes it first
            Some(enc) => {
                let body = new_text.strip_prefix('\u{feff}').unwrap_or(&new_text);
                crate::encoding::encode(body, enc)
            }
            None => new_text.into_bytes(),
        };
        let root = trusted_root(&report.path, &opts.paths);
        if let Err(e) = crate::io::write::write_fixed(&report.path, root, &id, &bytes) {
            outcome.applied.clear();
            outcome.diff.clear();
            outcome.diff_withheld = false;
            outcome.error = Some(format!("the fixed file was not written: {e}"));
            return (outcome, None);
        }
    }
    (outcome, fixed.report)
}

/// The scan root a path was found under (the longest that holds it), else the path itself.
fn trusted_root<'a>(path: &'a Path, roots: &'a [PathBuf]) -> &'a Path {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())
        .map_or(path, PathBuf::as_path)
}

/// What [`fix_text`] made of a text.
#[derive(Debug)]
pub struct FixedText {
    pub outcome: FileOutcome,
    /// The fixed text, when it differs from the one given.
    pub text: Option<String>,
    /// The report of the fixed text (what the fixes left), when it changed.
    pub report: Option<FileReport>,
}

/// Fixes a document to a fixed point: check it as the scan does (suppressions, `[per-file-ignores]`,
/// the baseline), apply the fixes of the reported findings of the allowed safety classes, check
/// the result again, and so on until no fix applies (at most [`MAX_ROUNDS`] rounds). A round that
/// would leave the text unparseable (or with more syntax problems) stops everything: nothing is
/// changed. `path` names the document for its format and configuration (it need not exist).
pub fn fix_text(
    path: &Path,
    display: &str,
    text: String,
    opts: &ScanOptions,
    mode: Mode,
) -> FixedText {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut outcome = FileOutcome {
        display: display.to_string(),
        ..FileOutcome::default()
    };
    let check = |t: &str| scan::scan_text(path, &cwd, t.as_bytes(), opts);
    let Some(before) = syntax_problems(path, &text) else {
        outcome.error = Some("the file does not parse; not fixed".into());
        return FixedText {
            outcome,
            text: None,
            report: None,
        };
    };
    let original = text;
    let mut current = original.clone();
    let mut report = check(&current);
    // Never print a secret: a diff whose hunks would show one (removed or as context) is withheld.
    let secrets: Vec<crate::source::Span> = report.secret_spans.clone();
    let mut first_edits: Vec<super::Edit> = Vec::new();
    let mut rounds = 0;
    loop {
        let mut chosen = Vec::new();
        let mut unsafe_skipped = 0;
        for f in &report.findings {
            let Some(fix) = &f.fix else { continue };
            if !fix.safety.is_safe() && !mode.unsafe_fixes {
                unsafe_skipped += 1;
                continue;
            }
            chosen.push((f, fix));
        }
        outcome.unsafe_skipped = unsafe_skipped;
        outcome.conflicts = 0;
        if chosen.is_empty() {
            break;
        }
        if rounds == MAX_ROUNDS {
            outcome.conflicts = chosen.len();
            break;
        }
        let fixes: Vec<&super::Fix> = chosen.iter().map(|(_, x)| *x).collect();
        let result = apply(&current, &fixes);
        outcome.conflicts = result.conflicts.len();
        if !result.invalid.is_empty() {
            outcome.error = Some(format!(
                "{} fix{} did not fit the file's text and {} left out (please report it)",
                result.invalid.len(),
                if result.invalid.len() == 1 { "" } else { "es" },
                if result.invalid.len() == 1 {
                    "was"
                } else {
                    "were"
                },
            ));
        }
        if result.text == current {
            break;
        }
        // A fix must leave the file parseable: re-parse before going on.
        if syntax_problems(path, &result.text).is_none_or(|n| n > before) {
            outcome.applied.clear();
            outcome.error = Some(
                "the fixes would leave the file unparseable, so it was not changed (please report it)"
                    .into(),
            );
            return FixedText {
                outcome,
                text: None,
                report: None,
            };
        }
        for &i in &result.applied {
            let (f, fix) = chosen[i];
            outcome.applied.push(Applied {
                rule: f.rule.id,
                line: f.start.line,
                column: f.start.column,
                description: fix.description.clone(),
                follow_up: match &fix.safety {
                    Safety::Safe => None,
                    Safety::Unsafe { follow_up } => Some(follow_up.clone()),
                },
            });
        }
        if rounds == 0 {
            for &i in &result.applied {
                for e in &chosen[i].1.edits {
                    if !first_edits.contains(e) {
                        first_edits.push(e.clone());
                    }
                }
            }
        }
        rounds += 1;
        current = result.text;
        report = check(&current);
    }
    if current == original {
        return FixedText {
            outcome,
            text: None,
            report: None,
        };
    }
    // One round: its edits are on the original text. More: the change as one edit from the
    // first changed byte to the last.
    let edits = if rounds == 1 {
        first_edits
    } else {
        vec![whole_change(&original, &current)]
    };
    let edits: Vec<&super::Edit> = edits.iter().collect();
    match diff::unified_hiding(display, &original, &edits, &secrets) {
        Some(d) => outcome.diff = d,
        None => outcome.diff_withheld = true,
    }
    FixedText {
        outcome,
        text: Some(current),
        report: Some(report),
    }
}

/// The edit that turns `old` into `new`: the bytes between their common prefix and suffix, on
/// character boundaries.
fn whole_change(old: &str, new: &str) -> super::Edit {
    let mut p = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(p) || !new.is_char_boundary(p) {
        p -= 1;
    }
    let max_s = old.len().min(new.len()) - p;
    let mut s = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - s) || !new.is_char_boundary(new.len() - s) {
        s -= 1;
    }
    super::Edit::new(
        crate::source::Span::new(p, old.len() - s),
        &new[p..new.len() - s],
    )
}

/// Syntax problems (INPUT001) of a text parsed as `path` would be: a file whose structure did not
/// parse (`None`) is never fixed; one with a broken template expression inside valid JSON is, and
/// must not gain problems.
fn syntax_problems(path: &Path, text: &str) -> Option<usize> {
    let format = crate::discover::format_for_explicit(path, text.as_bytes());
    let file = SourceFile::new(path.to_path_buf(), String::new(), text.to_string(), format);
    let parsed = crate::parse::parse(&file);
    parsed.doc.root.as_ref()?;
    Some(
        parsed
            .doc
            .problems
            .iter()
            .filter(|p| matches!(p.kind, InputProblemKind::Syntax | InputProblemKind::TooDeep))
            .count(),
    )
}

/// The file's text as the scan read it: UTF-8, or UTF-16/UTF-32 by its byte order mark (decoded
/// with the mark kept as U+FEFF, so the findings' offsets fit, and written back in the same
/// encoding). A file the scan had to repair (bytes that are not valid UTF-8, or units that are not
/// characters) is not fixed: writing it back would change more than the fix.
pub(crate) fn read_text(bytes: Vec<u8>) -> Result<(String, Option<crate::encoding::Wide>), String> {
    if let Some(enc) = crate::encoding::detect(&bytes) {
        let (text, bad) = crate::encoding::decode(&bytes, enc);
        if bad.is_some() {
            return Err(format!(
                "the file has units that are not valid {}; not fixed",
                enc.name()
            ));
        }
        return Ok((text, Some(enc)));
    }
    String::from_utf8(bytes)
        .map(|t| (t, None))
        .map_err(|_| "the file is not valid UTF-8; not fixed".to_string())
}
