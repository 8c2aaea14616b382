//! Helpers for rule tests (oxlint/tflint style): scan a fixture file or an inline text and list a
//! rule's hits as `(line, column)`, so tests assert exact locations, not counts.

use std::path::{Path, PathBuf};

use crate::discover;
use crate::finding::Finding;
use crate::scan::{self, FileReport, ScanOptions};
use crate::source::SourceFile;

/// Scans a fixture given relative to the crate root (`testdata/KEY001/fire/appsettings.json`).
pub fn scan_fixture(rel: &str) -> FileReport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(rel);
    assert!(path.exists(), "fixture {rel} does not exist");
    scan::scan_path(&path, root, &ScanOptions::default(), true)
}

/// Scans an in-memory text as if it were a file with this name (the name decides the format).
pub fn scan_text(name: &str, text: &str) -> FileReport {
    let path = PathBuf::from(name);
    let format = discover::format_for_explicit(&path, text.as_bytes());
    let file = SourceFile::new(path, name.to_string(), text.to_string(), format);
    let parsed = crate::parse::parse(&file);
    scan::check(&file, parsed.format, &parsed.doc, &ScanOptions::default())
}

/// `(line, column)` of each finding of `rule` in a report.
pub fn positions(report: &FileReport, rule: &str) -> Vec<(usize, usize)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule.id == rule)
        .map(|f| (f.start.line, f.start.column))
        .collect()
}

/// `(line, column)` of each finding of `rule` in a fixture file.
pub fn hits(rel: &str, rule: &str) -> Vec<(usize, usize)> {
    positions(&scan_fixture(rel), rule)
}

/// `(line, column)` of each finding of `rule` in an inline text.
pub fn text_hits(name: &str, text: &str, rule: &str) -> Vec<(usize, usize)> {
    positions(&scan_text(name, text), rule)
}

/// The findings of `rule` in an inline text (for asserting messages, evidence and fixes).
pub fn text_findings(name: &str, text: &str, rule: &str) -> Vec<Finding> {
    scan_text(name, text)
        .findings
        .into_iter()
        .filter(|f| f.rule.id == rule)
        .collect()
}
