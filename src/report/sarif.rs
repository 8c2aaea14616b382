//! SARIF 2.1.0, written with small typed structs (serde-sarif does not build without serde's derive
//! feature and orders keys alphabetically). Validated against the OASIS schema in tests and CI.
//!
//! What code scanning reads: `tool.driver.rules` (help, default level, `security-severity`, tags),
//! `results` with `ruleIndex`, regions and `partialFingerprints`, URIs relative to `%SRCROOT%`, and
//! `invocations[0].toolExecutionNotifications` for files that could not be read or parsed.

use serde::Serialize;
use std::collections::HashMap;

use crate::finding::{Family, Finding, RuleMeta, Severity};
use crate::redact::escape_control;
use crate::results::ScanResult;
use crate::rules;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Where the rule pages are published; each rule's `helpUri` is this plus `<ID>.md`.
pub const HELP_BASE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/rules/");

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    original_uri_base_ids: HashMap<&'static str, ArtifactLocationBase>,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    /// Run properties: the configuration in force, the Bicep-generated JSON files checked for
    /// literal secrets only.
    properties: RunProperties<'a>,
}

/// The run's properties: the configuration file in force (`null`: the defaults) and the
/// Bicep-generated JSON files checked for literal secrets only (left out when there are none).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    configuration: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    generated_checked_for_literal_secrets_only: Vec<GeneratedFile<'a>>,
}

#[derive(Serialize)]
struct GeneratedFile<'a> {
    path: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: String,
}

#[derive(Serialize)]
struct ArtifactLocationBase {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    descriptor: Descriptor,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: HashMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

/// An inline suppression (`keyless:ignore`): code scanning shows the result as dismissed.
#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
    properties: FixProperties,
}

/// keyless's safety class of a fix (`safe` / `unsafe`) and, for unsafe ones, the follow-up.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FixProperties {
    safety: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    follow_up: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn family_tag(f: Family) -> &'static str {
    match f {
        Family::Key => "secrets",
        Family::Conn => "connection-strings",
        Family::Mi => "managed-identity",
        Family::Rbac => "rbac",
        Family::Input => "input",
    }
}

fn rule_entry(m: &'static RuleMeta) -> Rule {
    let mut tags = vec!["security", family_tag(m.family), m.family.prefix()];
    if m.family == Family::Input {
        tags.retain(|t| *t != "security");
    }
    Rule {
        id: m.id,
        name: m.name,
        short_description: Text {
            text: m.summary.to_string(),
        },
        full_description: Text {
            text: first_paragraph(m.doc, "## What it does")
                .unwrap_or_else(|| m.summary.to_string()),
        },
        help: Help {
            text: m.doc.to_string(),
            markdown: m.doc.to_string(),
        },
        help_uri: format!("{HELP_BASE}{}.md", m.id),
        default_configuration: Configuration {
            level: level(m.default_severity),
        },
        properties: RuleProperties {
            tags,
            precision: match m.family {
                Family::Key | Family::Conn | Family::Rbac => "high",
                Family::Mi => "medium",
                Family::Input => "very-high",
            },
            security_severity: format!("{:.1}", m.security_severity),
        },
    }
}

/// The first paragraph after a heading in a rule page.
fn first_paragraph(doc: &str, heading: &str) -> Option<String> {
    let rest = &doc[doc.find(heading)? + heading.len()..];
    let para: Vec<&str> = rest
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    (!para.is_empty()).then(|| para.join(" "))
}

fn region(f: &Finding) -> Region {
    Region {
        start_line: f.start.line.max(1),
        start_column: f.start.column.max(1),
        end_line: f.end.line.max(1),
        end_column: f.end.column.max(1),
    }
}

/// Percent-encodes a relative path for a URI reference (keeps `/`).
fn uri_of(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// An absolute path as a `file://` URI (RFC 8089), or `None` for a relative one.
fn file_uri(path: &str) -> Option<String> {
    file_uri_on(path, cfg!(windows))
}

/// [`file_uri`] for a platform: `/srv/app` is `file:///srv/app`; on Windows, where `\` separates
/// too, a drive path `C:\app` is `file:///C:/app` and a UNC path `\\server\share\app` is
/// `file://server/share/app`. Every other character is percent-encoded as in [`uri_of`].
fn file_uri_on(path: &str, windows: bool) -> Option<String> {
    if !windows {
        let rest = path.strip_prefix('/')?.trim_start_matches('/');
        return Some(format!("file:///{}", uri_of(rest)));
    }
    let p = path.replace('\\', "/");
    let b = p.as_bytes();
    if let Some(unc) = p.strip_prefix("//") {
        let (host, rest) = unc.split_once('/').unwrap_or((unc, ""));
        return Some(format!("file://{}/{}", uri_of(host), uri_of(rest)));
    }
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Some(format!("file:///{}:{}", &p[..1], uri_of(&p[2..])));
    }
    None
}

/// Where a scanned file is: a relative path is a URI reference under `%SRCROOT%`; an absolute one
/// (a path given as absolute on the command line) is a `file://` URI with no base id, since a
/// base id may only prefix a relative reference.
fn artifact_location(display: &str) -> ArtifactLocation {
    match file_uri(display) {
        Some(uri) => ArtifactLocation {
            uri,
            uri_base_id: None,
        },
        None => ArtifactLocation {
            uri: uri_of(display),
            uri_base_id: Some("%SRCROOT%"),
        },
    }
}

/// The current directory as a `file://` URI ending in `/`.
fn root_uri() -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut p = cwd.to_string_lossy().into_owned();
    if !p.ends_with(['/', '\\']) {
        p.push('/');
    }
    let uri = file_uri(&p);
    uri.unwrap_or_else(|| format!("file:///{}", uri_of(p.trim_start_matches('/'))))
}

pub fn render(result: &ScanResult) -> String {
    super::fault("sarif", result);
    let all = rules::all();
    let index: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().id, i))
        .collect();
    let rules_out: Vec<Rule> = all.iter().map(|r| rule_entry(r.meta())).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for file in &result.files {
        let artifact = artifact_location(&file.display);
        let all = file.findings.iter().map(|f| (f, None)).chain(
            file.suppressed
                .iter()
                .map(|s| (&s.finding, Some(s.justification.as_str()))),
        );
        for (f, justification) in all {
            let location = Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact.clone(),
                    region: region(f),
                },
            };
            if f.rule.family == Family::Input && justification.is_none() {
                notifications.push(Notification {
                    level: level(f.severity),
                    message: Text {
                        text: format!(
                            "{}: {}",
                            escape_control(&file.display),
                            escape_control(&f.message)
                        ),
                    },
                    locations: vec![location.clone()],
                    descriptor: Descriptor { id: f.rule.id },
                });
            }
            // Messages are shown by code scanning as text: control, bidirectional and invisible
            // characters in a key name or evidence are shown escaped (`\u{202e}`), not obeyed.
            let mut message = f.shown_message();
            if let Some(h) = &f.help {
                message.push_str(&format!(" {}", escape_control(h)));
            }
            let fixes = f
                .fix
                .iter()
                .map(|x| SarifFix {
                    description: Text {
                        text: escape_control(&x.description).into_owned(),
                    },
                    artifact_changes: vec![ArtifactChange {
                        artifact_location: artifact.clone(),
                        replacements: x
                            .edits
                            .iter()
                            .map(|e| Replacement {
                                deleted_region: Region {
                                    start_line: e.start.line.max(1),
                                    start_column: e.start.column.max(1),
                                    end_line: e.end.line.max(1),
                                    end_column: e.end.column.max(1),
                                },
                                inserted_content: Text {
                                    text: e.replacement.clone(),
                                },
                            })
                            .collect(),
                    }],
                    properties: FixProperties {
                        safety: x.safety.as_str(),
                        follow_up: x.safety.follow_up().map(str::to_string),
                    },
                })
                .collect();
            results.push(SarifResult {
                rule_id: f.rule.id,
                rule_index: index.get(f.rule.id).copied().unwrap_or(0),
                level: level(f.severity),
                message: Text { text: message },
                locations: vec![location],
                partial_fingerprints: HashMap::from([("keyless/v1", f.fingerprint.as_str())]),
                fixes,
                suppressions: justification
                    .map(|j| SarifSuppression {
                        kind: "inSource",
                        justification: escape_control(j).into_owned(),
                    })
                    .into_iter()
                    .collect(),
            });
        }
    }
    for (path, source) in &result.generated {
        notifications.push(Notification {
            level: "note",
            message: Text {
                text: format!(
                    "{}: Bicep-generated JSON checked for literal secrets only; the rest is reported at {} (--include-generated checks it fully)",
                    escape_control(path),
                    escape_control(source)
                ),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(path),
                    region: Region {
                        start_line: 1,
                        start_column: 1,
                        end_line: 1,
                        end_column: 1,
                    },
                },
            }],
            descriptor: Descriptor { id: "generated" },
        });
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "keyless",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules_out,
                },
            },
            original_uri_base_ids: HashMap::from([(
                "%SRCROOT%",
                ArtifactLocationBase { uri: root_uri() },
            )]),
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                generated_checked_for_literal_secrets_only: result
                    .generated
                    .iter()
                    .map(|(path, source)| GeneratedFile { path, source })
                    .collect(),
                configuration: super::configuration(result),
            },
        }],
    };
    let mut s =
        super::json_safe(serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into()));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::{artifact_location, file_uri_on};

    #[test]
    fn absolute_paths_are_file_uris_with_no_base_id() {
        let a = artifact_location("/srv/app 1/café#?.json");
        assert_eq!(a.uri, "file:///srv/app%201/caf%C3%A9%23%3F.json");
        assert_eq!(a.uri_base_id, None);
        assert_eq!(
            file_uri_on("//srv/x", false).as_deref(),
            Some("file:///srv/x")
        );
        assert_eq!(
            file_uri_on("C:\\Users\\me\\app settings.json", true).as_deref(),
            Some("file:///C:/Users/me/app%20settings.json")
        );
        assert_eq!(
            file_uri_on("\\\\server\\share\\a.json", true).as_deref(),
            Some("file://server/share/a.json")
        );
        assert_eq!(file_uri_on("C:\\x", false), None);
        assert_eq!(file_uri_on("dir\\a.json", true), None);
    }

    #[test]
    fn relative_paths_stay_under_srcroot() {
        let a = artifact_location("infra/app 1/main.bicep");
        assert_eq!(a.uri, "infra/app%201/main.bicep");
        assert_eq!(a.uri_base_id, Some("%SRCROOT%"));
    }
}
