//! Baselines: record today's findings (`--write-baseline FILE`) and report only new ones later
//! (`--baseline FILE`). Findings are matched by fingerprint (rule, path, the flagged text without
//! whitespace, occurrence number; see [`crate::finding::assign_fingerprints`]), so a baseline
//! survives lines moving and the file being re-indented. Paths are as reports show them (relative
//! to the current directory): write and use a baseline from the same folder, usually the
//! repository root.
//!
//! ```json
//! { "version": 1, "tool": "keyless",
//!   "entries": [ { "rule_id": "KEY001", "path": "appsettings.json", "fingerprint": "9f2c41d07a6be135" } ] }
//! ```

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::scan::ScanResult;

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    #[serde(default)]
    pub tool: Option<String>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule_id: String,
    pub path: String,
    pub fingerprint: String,
}

impl Baseline {
    /// The baseline of a scan's reported findings (suppressed ones are not recorded).
    pub fn of(result: &ScanResult) -> Baseline {
        Baseline {
            version: VERSION,
            tool: Some("keyless".to_string()),
            // A merged finding is recorded under each rule it stands for, so the baseline still
            // holds it when the more specific rule is later turned off.
            entries: result
                .findings()
                .flat_map(|(file, f)| {
                    f.fingerprints().map(|(rule, fingerprint)| Entry {
                        rule_id: rule.to_string(),
                        path: file.display.clone(),
                        fingerprint: fingerprint.to_string(),
                    })
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }

    /// Reads a baseline file; the error says what is wrong, for a one-line message.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("could not read the baseline `{}`: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "`{}` is not a keyless baseline ({e}); write one with --write-baseline",
                path.display()
            )
        })?;
        if b.version != VERSION {
            return Err(format!(
                "`{}` is a version {} baseline; this keyless reads version {VERSION}: write it again with --write-baseline",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    /// Removes the findings the baseline holds from a scan result; returns how many were removed.
    pub fn filter(&self, result: &mut ScanResult) -> usize {
        let known: HashSet<(&str, &str, &str)> = self
            .entries
            .iter()
            .map(|e| (e.rule_id.as_str(), e.path.as_str(), e.fingerprint.as_str()))
            .collect();
        let mut removed = 0;
        for file in &mut result.files {
            let before = file.findings.len();
            let display = file.display.clone();
            file.findings.retain(|f| {
                !f.fingerprints()
                    .any(|(rule, fp)| known.contains(&(rule, display.as_str(), fp)))
            });
            removed += before - file.findings.len();
        }
        result
            .files
            .retain(|f| !f.findings.is_empty() || !f.suppressed.is_empty());
        removed
    }
}
