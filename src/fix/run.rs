//! The `--fix` / `--diff` driver. For each file with fixable findings: read it again, check it again
//! (so the edits fit the exact text being changed), keep the findings the scan reported (inline
//! suppressions and the baseline hold), apply the fixes of the allowed safety classes, re-parse the
//! result (a fix that would break the file is never written), and write it atomically in the encoding it was read in (UTF-8, or UTF-16/UTF-32 by its mark).

use std::collections::HashSet;
use std::path::PathBuf;

use crate::ir::InputProblemKind;
use crate::scan::{ScanOptions, ScanResult};
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
    /// The diff is withheld because it would show a secret, or cannot be shown (the fixes are
    /// still applied by `--fix`).
    pub diff_withheld: bool,
    /// The diff is withheld because the file is in this encoding (UTF-16 or UTF-32): a diff
    /// printed in UTF-8 would not apply to it.
    pub diff_encoding: Option<&'static str>,
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

/// Applies (or, without `mode.write`, previews) the fixes of a scan's reported findings.
pub fn fix_files(result: &ScanResult, opts: &ScanOptions, mode: Mode) -> Outcome {
    let mut out = Outcome::default();
    for report in &result.files {
        if !report.findings.iter().any(|f| f.fix.is_some()) {
            continue;
        }
        let Some(format) = report.format.filter(|f| *f != Format::Text) else {
            continue;
        };
        let wanted: HashSet<&str> = report
            .findings
            .iter()
            .filter(|f| f.fix.is_some())
            .map(|f| f.fingerprint.as_str())
            .collect();
        out.files
            .push(fix_file(&report.display, format, &wanted, opts, mode));
    }
    out
}

/// Fixes one file: `display` is the path as reported (relative to the current folder), `wanted`
/// the fingerprints of the findings to fix.
pub fn fix_file(
    display: &str,
    format: Format,
    wanted: &HashSet<&str>,
    opts: &ScanOptions,
    mode: Mode,
) -> FileOutcome {
    let mut outcome = FileOutcome {
        display: display.to_string(),
        ..FileOutcome::default()
    };
    if format == Format::TerraformPlan {
        outcome.error =
            Some("a Terraform plan is generated: fix the configuration it was made from".into());
        return outcome;
    }
    let path = PathBuf::from(display);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            outcome.error = Some(format!("could not read the file again to fix it: {e}"));
            return outcome;
        }
    };
    let (text, wide) = match read_text(bytes) {
        Ok(x) => x,
        Err(e) => {
            outcome.error = Some(e);
            return outcome;
        }
    };
    let file = SourceFile::new(path.clone(), display.to_string(), text, format);
    let parsed = crate::parse::parse(&file);
    // Syntax problems (INPUT001): a file whose structure did not parse is never fixed; one with a
    // broken template expression inside valid JSON is, and must not gain problems.
    let syntax = |doc: &crate::ir::Document| {
        doc.problems
            .iter()
            .filter(|p| matches!(p.kind, InputProblemKind::Syntax | InputProblemKind::TooDeep))
            .count()
    };
    let before = syntax(&parsed.doc);
    if parsed.doc.root.is_none() {
        outcome.error = Some("the file does not parse; not fixed".into());
        return outcome;
    }
    let report = crate::scan::check(&file, parsed.format, &parsed.doc, opts);
    let mut chosen = Vec::new();
    for f in &report.findings {
        let Some(fix) = &f.fix else { continue };
        if !wanted.contains(f.fingerprint.as_str()) {
            continue;
        }
        if !fix.safety.is_safe() && !mode.unsafe_fixes {
            outcome.unsafe_skipped += 1;
            continue;
        }
        chosen.push((f, fix));
    }
    if chosen.is_empty() {
        return outcome;
    }
    let fixes: Vec<&super::Fix> = chosen.iter().map(|(_, x)| *x).collect();
    let result = apply(&file.text, &fixes);
    outcome.conflicts = result.conflicts.len();
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
    if result.text == file.text {
        return outcome;
    }
    // A fix must leave the file parseable: re-parse before writing anything.
    let fixed = SourceFile::new(path.clone(), display.to_string(), result.text, format);
    let reparsed = crate::parse::parse(&fixed);
    if reparsed.doc.root.is_none() || syntax(&reparsed.doc) > before {
        outcome.applied.clear();
        outcome.error = Some(
            "the fixes would leave the file unparseable, so it was not changed (please report it)"
                .into(),
        );
        return outcome;
    }
    let edits: Vec<&super::Edit> = result
        .applied
        .iter()
        .flat_map(|&i| chosen[i].1.edits.iter())
        .collect();
    let mut edits_unique: Vec<&super::Edit> = Vec::new();
    for e in edits {
        if !edits_unique.contains(&e) {
            edits_unique.push(e);
        }
    }
    // Never print a secret: a diff whose hunks would show one (removed or as context) is withheld.
    // Every rule looks for them, whatever the selection, suppressions or per-file ignores.
    let every = ScanOptions {
        config: std::sync::Arc::new(opts.config.every_rule()),
        keep_sources: false,
        ..opts.clone()
    };
    let all = crate::scan::check(&file, parsed.format, &parsed.doc, &every);
    let secrets: Vec<crate::source::Span> = all
        .findings
        .iter()
        .chain(all.suppressed.iter().map(|s| &s.finding))
        .flat_map(|f| f.secret_spans())
        .collect();
    match diff::unified_hiding(display, &file.text, &edits_unique, &secrets) {
        None => outcome.diff_withheld = true,
        Some(d) if !d.is_empty() && wide.is_some() => {
            outcome.diff_withheld = true;
            outcome.diff_encoding = wide.map(crate::encoding::Wide::name);
        }
        Some(d) => outcome.diff = d,
    }
    if mode.write {
        let bytes = match wide {
            // the text keeps the mark as U+FEFF; `encode` writes it first
            Some(enc) => {
                let body = fixed.text.strip_prefix('\u{feff}').unwrap_or(&fixed.text);
                crate::encoding::encode(body, enc)
            }
            None => fixed.text.clone().into_bytes(),
        };
        if let Err(e) = super::write_atomically(&path, bytes) {
            outcome.applied.clear();
            outcome.diff.clear();
            outcome.diff_withheld = false;
            outcome.diff_encoding = None;
            outcome.error = Some(format!("could not write the fixed file: {e}"));
        }
    }
    outcome
}

/// The file's text as the scan read it: UTF-8, or UTF-16/UTF-32 by its byte order mark (decoded
/// with the mark kept as U+FEFF, so the findings' offsets fit, and written back in the same
/// encoding). A file the scan had to repair (bytes that are not valid UTF-8, or units that are not
/// characters) is not fixed: writing it back would change more than the fix.
fn read_text(bytes: Vec<u8>) -> Result<(String, Option<crate::encoding::Wide>), String> {
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
