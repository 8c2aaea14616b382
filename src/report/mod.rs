//! Reports: the same findings as human text (miette code frames), JSON (a documented stable
//! schema), or SARIF 2.1.0 for code scanning. Every format shows redacted evidence only.

pub mod azure;
pub mod compact;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::finding::Severity;
use crate::scan::ScanResult;

/// Counts of findings by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Counts {
    pub fn of(result: &ScanResult) -> Counts {
        let mut c = Counts::default();
        for (_, f) in result.findings() {
            match f.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Note => c.note += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.note
    }
}

/// The scan in one sentence, for the summary lines of the CI formats (`github`, `azure`):
/// `N files scanned, M findings (E errors, W warnings, N notes) in F files[; S suppressed][; B in
/// the baseline]`. No timing, so the line is the same on every run.
pub fn summary_sentence(result: &ScanResult) -> String {
    let c = Counts::of(result);
    let files_with = result
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut s = format!(
        "{} file{} scanned, {} finding{} ({} error{}, {} warning{}, {} note{}) in {} file{}",
        result.files_scanned,
        plural(result.files_scanned),
        c.total(),
        plural(c.total()),
        c.error,
        plural(c.error),
        c.warning,
        plural(c.warning),
        c.note,
        plural(c.note),
        files_with,
        plural(files_with),
    );
    let suppressed = result.suppressed().count();
    if suppressed > 0 {
        s.push_str(&format!("; {suppressed} suppressed"));
    }
    if result.baselined > 0 {
        s.push_str(&format!("; {} in the baseline", result.baselined));
    }
    s
}
