//! Baselines: record today's findings (`--write-baseline FILE`) and report only new ones later
//! (`--baseline FILE`). Findings are matched by fingerprint (rule, path, the flagged text without
//! whitespace, occurrence number; see [`crate::finding::assign_fingerprints`]), so a baseline
//! survives lines moving and the file being re-indented. Paths are as reports show them (relative
//! to the current directory): write and use a baseline from the same folder, usually the
//! repository root.
//!
//! A finding that holds a secret is also tied to the secret itself: its entry carries `value`, a
//! keyed hash of the secret ([`crate::finding::value_digest`]) under the baseline's random `key`,
//! so rotating the secret to another (even one with the same first characters and length) makes
//! the finding new again. The key is written into the baseline, which lives beside the secrets it
//! covers; no report prints the digest.
//!
//! ```json
//! { "version": 2, "tool": "keyless", "key": "3f9c…(32 hex digits)",
//!   "entries": [ { "rule_id": "KEY001", "path": "appsettings.json", "fingerprint": "9f2c41d07a6be135",
//!                  "value": "41c2…(32 hex digits)" } ] }
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::results::ScanResult;

pub const VERSION: u32 = 2;

/// The largest baseline read (a baseline of a million findings is about 200 MB).
pub const MAX_SIZE: u64 = 256 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    #[serde(default)]
    pub tool: Option<String>,
    /// The key of the entries' `value` digests: 32 hex digits, random per baseline.
    #[serde(default)]
    pub key: String,
    pub entries: Vec<BaselineEntry>,
    /// The entries as a set, built on first use.
    #[serde(skip)]
    known: std::sync::OnceLock<HashSet<Key>>,
}

type Key = (String, String, String, Option<String>);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub rule_id: String,
    pub path: String,
    pub fingerprint: String,
    /// Keyed hash of the secret, for findings that hold one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Why a baseline file cannot be used ([`Baseline::read`]); each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("could not read the baseline `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: crate::io::read::ReadTextError,
    },
    #[error("`{}` is not a keyless baseline ({reason}); write one with --write-baseline", path.display())]
    NotABaseline { path: PathBuf, reason: String },
    #[error("`{}` is a version {found} baseline; this keyless reads version {VERSION}: write it again with --write-baseline", path.display())]
    Version { path: PathBuf, found: u32 },
    #[error("`{}` has no valid `key` (32 hex digits); write it again with --write-baseline", path.display())]
    NoKey { path: PathBuf },
}

impl Baseline {
    /// A fresh random key for a new baseline (the scan that writes it must use it).
    pub fn new_key() -> [u64; 2] {
        use std::hash::{BuildHasher, RandomState};
        // std seeds RandomState from the operating system's random source
        let a = RandomState::new().hash_one(std::process::id());
        let b = RandomState::new().hash_one(std::time::SystemTime::now());
        [a, b]
    }

    /// The key as the scan uses it; `None` when the file's key is not 32 hex digits.
    pub fn key(&self) -> Option<[u64; 2]> {
        if self.key.len() != 32 || !self.key.is_ascii() {
            return None;
        }
        let a = u64::from_str_radix(&self.key[..16], 16).ok()?;
        let b = u64::from_str_radix(&self.key[16..], 16).ok()?;
        Some([a, b])
    }

    /// The baseline of a scan's reported findings (suppressed ones are not recorded); `key` is
    /// the one the scan ran with.
    pub fn of(result: &ScanResult, key: [u64; 2]) -> Baseline {
        Baseline {
            version: VERSION,
            tool: Some("keyless".to_string()),
            key: format!("{:016x}{:016x}", key[0], key[1]),
            // A merged finding is recorded under each rule it stands for, so the baseline still
            // holds it when the more specific rule is later turned off.
            entries: result
                .findings()
                .flat_map(|(file, f)| {
                    f.fingerprints()
                        .map(|(rule, fingerprint, value)| BaselineEntry {
                            rule_id: rule.to_string(),
                            path: file.display.clone(),
                            fingerprint: fingerprint.to_string(),
                            value: value.map(str::to_string),
                        })
                })
                .collect(),
            known: Default::default(),
        }
    }

    pub fn to_json(&self) -> String {
        // paths written with invisible and bidirectional characters escaped (`\u202e`)
        let mut s = crate::report::json_safe(
            serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()),
        );
        s.push('\n');
        s
    }

    /// Reads a baseline file; the error says what is wrong, for a one-line message.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let path_buf = || path.to_path_buf();
        let text = crate::io::read::read_text(path, MAX_SIZE, crate::io::read::Named::Yes)
            .map_err(|source| BaselineError::Read {
                path: path_buf(),
                source,
            })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::NotABaseline {
            path: path_buf(),
            reason: e.to_string(),
        })?;
        if b.version != VERSION {
            return Err(BaselineError::Version {
                path: path_buf(),
                found: b.version,
            });
        }
        if b.key().is_none() {
            return Err(BaselineError::NoKey { path: path_buf() });
        }
        Ok(b)
    }

    /// Removes the findings the baseline holds from one file's findings (shown as `display`);
    /// returns how many were removed. An entry for a secret matches only the same secret: its
    /// value digest must agree.
    pub fn filter_findings(&self, display: &str, findings: &mut Vec<Finding>) -> usize {
        let known = self.known.get_or_init(|| {
            self.entries
                .iter()
                .map(|e| {
                    (
                        e.rule_id.clone(),
                        e.path.clone(),
                        e.fingerprint.clone(),
                        e.value.clone(),
                    )
                })
                .collect()
        });
        let before = findings.len();
        findings.retain(|f| {
            !f.fingerprints().any(|(rule, fp, value)| {
                known.contains(&(
                    rule.to_string(),
                    display.to_string(),
                    fp.to_string(),
                    value.map(str::to_string),
                ))
            })
        });
        before - findings.len()
    }

    /// Removes the findings the baseline holds from a scan result (the scan applies the baseline
    /// itself when it is in [`crate::scan::ScanOptions::baseline`]); returns how many were removed.
    pub fn filter(&self, result: &mut ScanResult) -> usize {
        let mut removed = 0;
        for file in &mut result.files {
            removed += self.filter_findings(&file.display, &mut file.findings);
        }
        result
            .files
            .retain(|f| !f.findings.is_empty() || !f.suppressed.is_empty());
        removed
    }
}
