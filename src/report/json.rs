//! JSON report. The schema is stable within a major `version`; see README "JSON output".
//!
//! ```json
//! { "version": 1, "tool": {"name": "keyless", "version": "0.1.0"},
//!   "summary": {"files_scanned": 3, "findings": 1, "error": 1, "warning": 0, "note": 0},
//!   "findings": [ { "rule_id": "KEY001", "rule_name": "…", "family": "KEY", "severity": "error",
//!     "message": "…", "path": "src/appsettings.json", "line": 4, "column": 17, "end_line": 4,
//!     "end_column": 40, "evidence": "Pass****", "help": "…",
//!     "fix": { "description": "…", "safety": "unsafe", "follow_up": "…",
//!              "edits": [ { "line": 4, "column": 17, "end_line": 4, "end_column": 40,
//!                           "replacement": "…" } ] },
//!     "fingerprint": "9f2c…" } ] }
//! ```

use serde::Serialize;

use super::Counts;
use crate::finding::Finding;
use crate::scan::ScanResult;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    /// Findings kept aside by inline suppressions, with the reason written beside them.
    suppressed: Vec<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    justification: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    findings: usize,
    error: usize,
    warning: usize,
    note: usize,
    suppressed: usize,
    baselined: usize,
    /// Bicep-generated JSON files skipped because their `.bicep` source stands beside them.
    generated_skipped: usize,
    /// The configuration file in force (`null`: the defaults).
    configuration: Option<String>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    family: &'static str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    evidence: Option<&'a str>,
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
    fingerprint: &'a str,
    /// Rules whose findings at this place were folded into this one (report once).
    also: Vec<&'static str>,
}

/// A fix: its edits (1-based lines and columns of the replaced range, the text written there) and
/// its safety class (`safe`, or `unsafe` with the follow-up a person must do).
#[derive(Serialize)]
struct JsonFix<'a> {
    description: &'a str,
    safety: &'static str,
    follow_up: Option<&'a str>,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

pub fn render(result: &ScanResult) -> String {
    super::fault("json", result);
    let counts = Counts::of(result);
    let findings = result
        .findings()
        .map(|(file, f)| json_finding(&file.display, f))
        .collect();
    let suppressed: Vec<JsonSuppressed> = result
        .suppressed()
        .map(|(file, s)| JsonSuppressed {
            finding: json_finding(&file.display, &s.finding),
            justification: &s.justification,
        })
        .collect();
    let report = Report {
        version: 1,
        tool: Tool {
            name: "keyless",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files_scanned: result.files_scanned,
            findings: counts.total(),
            error: counts.error,
            warning: counts.warning,
            note: counts.note,
            suppressed: suppressed.len(),
            baselined: result.baselined,
            generated_skipped: result.generated_skipped,
            configuration: super::configuration(result),
        },
        findings,
        suppressed,
    };
    let mut s =
        super::json_safe(serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()));
    s.push('\n');
    s
}

fn json_finding<'a>(path: &'a str, f: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        rule_id: f.rule.id,
        rule_name: f.rule.name,
        family: f.rule.family.prefix(),
        severity: f.severity.as_str(),
        message: &f.message,
        path,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        evidence: f.evidence.as_deref(),
        help: f.help.as_deref(),
        fix: f.fix.as_ref().map(|x| JsonFix {
            description: &x.description,
            safety: x.safety.as_str(),
            follow_up: x.safety.follow_up(),
            edits: x
                .edits
                .iter()
                .map(|e| JsonEdit {
                    line: e.start.line,
                    column: e.start.column,
                    end_line: e.end.line,
                    end_column: e.end.column,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        fingerprint: &f.fingerprint,
        also: f.merged.iter().map(|m| m.rule.id).collect(),
    }
}
