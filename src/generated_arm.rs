//! ARM JSON that Bicep generated, beside its `.bicep` source (see [`crate::scan::bicep_source`]).
//! Its structure is the source's, reported there; but the file is committed and deployed as it
//! is, so a secret written into it (by hand, or planted) must not pass. It is checked by the cheap
//! literal-secret rules only ([`LITERAL_RULES`]), and a secret its source also holds is left to
//! the source's findings: each secret is reported once.

use std::path::Path;

use crate::finding::Family;
use crate::results::FileReport;

/// The rules a generated template is checked with: literal keys, passwords, secure parameter
/// defaults and connection strings written as values (and the INPUT diagnostics).
pub const LITERAL_RULES: [&str; 4] = ["KEY001", "KEY002", "KEY003", "CONN001"];

/// Keeps, of a generated template's report, the findings of [`LITERAL_RULES`] (and INPUT) whose
/// secret its Bicep `source` does not hold: those the source's own scan reports are left to it.
/// `text` is the generated file's text.
pub fn keep_literal_findings(
    report: &mut FileReport,
    text: &str,
    source: &Path,
    files: &dyn crate::io::files::Files,
) {
    // A source that cannot be read holds nothing: every literal finding stays.
    let source_text = files
        .read_decoded(source, 16 * 1024 * 1024)
        .map(|(t, _, _)| t)
        .unwrap_or_default();
    let in_source = |f: &crate::finding::Finding| {
        crate::finding::secret_text(text, f)
            .filter(|v| v.len() >= 4)
            .is_some_and(|v| source_text.contains(v) || source_text.contains(&unescape_json(v)))
    };
    // A literal: a secret written as a value, not an ARM expression (`[uniqueString(…)]` is
    // derived from the source's expression, which the source's findings report).
    let literal = |f: &crate::finding::Finding| {
        crate::finding::secret_text(text, f).is_some_and(|v| !v.trim_start().starts_with('['))
    };
    let keep = |f: &crate::finding::Finding| {
        f.rule.family == Family::Input
            || (LITERAL_RULES.contains(&f.rule.id) && literal(f) && !in_source(f))
    };
    report.findings.retain(|f| keep(f));
    report.suppressed.retain(|s| keep(&s.finding));
    for f in &mut report.findings {
        f.fix = None;
    }
}

/// The common JSON escapes decoded (`\"`, `\\`, `\/`, `\'` as Bicep writes it is `'`).
fn unescape_json(v: &str) -> String {
    v.replace("\\\"", "\"")
        .replace("\\\\", "\\")
        .replace("\\/", "/")
}
