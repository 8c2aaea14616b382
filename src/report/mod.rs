//! Reports: the same findings as human text (miette code frames), JSON (a documented stable
//! schema), or SARIF 2.1.0 for code scanning. Every format shows redacted evidence only.

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
