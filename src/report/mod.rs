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

/// Test-only fault injection at the start of a format's rendering ([`crate::fault`]); the panic
/// message would carry every path and message of the report.
fn fault(format: &str, result: &ScanResult) {
    crate::fault::inject("report", &[format], || {
        let lines: Vec<String> = result
            .findings()
            .map(|(file, f)| format!("{}: {}", file.display, f.message))
            .collect();
        lines.join("\n")
    });
}

/// JSON text (serde_json's output) with every character of [`crate::redact::is_unsafe_char`] that
/// serde_json leaves raw (DEL, C1 controls, bidirectional and invisible format characters) written
/// as a `\uXXXX` escape: the values read back the same, but a reader of the raw file (a CI log, a
/// diff, a terminal) sees the escape, not a line reordered or a name with a hidden character.
/// Such characters can only stand inside JSON strings, where the escape means the same character;
/// the C0 controls serde_json already escapes, and its layout newlines stay.
pub fn json_safe(s: String) -> String {
    let unsafe_raw = |c: char| c >= '\u{7f}' && crate::redact::is_unsafe_char(c);
    if !s.chars().any(unsafe_raw) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_raw(c) {
            // every such character is in the Basic Multilingual Plane: one escape each
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

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
    sentence(result, None)
}

/// [`summary_sentence`], with the scan's time after "scanned" when `elapsed` is given (the human
/// report's last line).
pub fn sentence(result: &ScanResult, elapsed: Option<std::time::Duration>) -> String {
    let c = Counts::of(result);
    let files_with = result
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let time = elapsed.map_or(String::new(), |d| format!(" in {:.2}s", d.as_secs_f64()));
    let mut s = format!(
        "{} file{} scanned{time}, {} finding{} ({} error{}, {} warning{}, {} note{}) in {} file{}",
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
    // the human report's last line names the configuration in force
    if let Some(c) = configuration(result).filter(|_| elapsed.is_some()) {
        s.push_str(&format!(
            "; configuration {}",
            crate::redact::escape_control(&c)
        ));
    }
    s
}

/// The configuration file in force, as reports name it (relative to the current folder).
pub fn configuration(result: &ScanResult) -> Option<String> {
    let cwd = std::env::current_dir().unwrap_or_default();
    result
        .config
        .as_ref()
        .map(|p| crate::discover::display_path(&crate::config::absolute(p, &cwd), &cwd))
}

#[cfg(test)]
mod tests {
    use super::json_safe;

    #[test]
    fn json_text_escapes_what_serde_json_leaves_raw() {
        let value = serde_json::json!({
            "path": "a\u{202e}b\u{7f}c\u{85}d\u{200b}e\u{feff}f\u{2066}g\u{2028}h",
            "plain": "Pässwörd_密码\n\t",
        });
        let raw = serde_json::to_string_pretty(&value).unwrap_or_default();
        let safe = json_safe(raw);
        assert!(!safe
            .chars()
            .any(|c| c >= '\u{7f}' && crate::redact::is_unsafe_char(c)));
        assert!(
            safe.contains(r#"a\u202eb\u007fc\u0085d\u200be\ufefff\u2066g\u2028h"#),
            "{safe}"
        );
        // the same values read back
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, value);
    }
}
