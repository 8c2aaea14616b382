//! What the server tells the editor about findings: diagnostics, the "apply fix" and "suppress
//! RULE here" code actions, and hover text.

use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Range, TextEdit, Uri,
};

use crate::finding::{Finding, Fix, RuleMeta, Severity};
use crate::ir::NodeKind;
use crate::scan::{self, ScanOptions};
use crate::source::{Format, SourceFile, Span};
use crate::suppress::MARKER;

use super::text::Lines;

/// The reason the suppress action writes, selected afterwards so that typing replaces it.
pub const REASON_PLACEHOLDER: &str = "<reason>";

/// A finding as the server keeps it for code actions and hover: its diagnostic, and where it
/// stands in the text it was found in.
#[derive(Debug, Clone)]
pub struct Item {
    pub diagnostic: Diagnostic,
    pub rule: &'static RuleMeta,
    pub span: Span,
    pub fix: Option<FixEdits>,
}

/// A finding's fix as editor edits.
#[derive(Debug, Clone)]
pub struct FixEdits {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// Safe in the CLI's sense: applying it keeps what the configuration does. Unsafe fixes are
    /// offered too, titled as such and never marked preferred.
    pub safe: bool,
}

/// The diagnostic of a finding: exact range (UTF-16), rule id as `code` with a link to the rule
/// page, `source: "keyless"`, the severity mapped. The message is the finding's (rules never put
/// a secret in it), with the redacted evidence and the help after it, as the reports show them.
pub fn diagnostic(f: &Finding, lines: &Lines) -> Diagnostic {
    // an editor shows the message as text: control, bidirectional and invisible characters of a
    // key name or evidence are shown escaped (`\u{202e}`), not obeyed
    let esc = crate::redact::escape_control;
    let mut message = f.shown_message();
    if let Some(h) = &f.help {
        message.push_str(&format!("\nhelp: {}", esc(h)));
    }
    Diagnostic {
        range: lines.range(f.span.start, f.span.end),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.rule.id.to_string())),
        code_description: rule_page_uri(f.rule.id).map(|href| CodeDescription { href }),
        source: Some("keyless".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The published page of a rule (the SARIF `helpUri`).
pub fn rule_page_uri(id: &str) -> Option<Uri> {
    format!("{}{id}.md", crate::report::sarif::HELP_BASE)
        .parse()
        .ok()
}

/// The items of a scanned document.
pub fn items(findings: &[Finding], lines: &Lines) -> Vec<Item> {
    findings
        .iter()
        .map(|f| Item {
            diagnostic: diagnostic(f, lines),
            rule: f.rule,
            span: f.span,
            fix: f.fix.as_ref().map(|fix| fix_edits(fix, lines)),
        })
        .collect()
}

/// A finding's fix as text edits: the one place where the fix model meets the editor. The edits
/// are the ones `keyless --fix` applies; a safe fix is offered as preferred, an unsafe one is
/// titled so, with its follow-up, and never preferred.
pub fn fix_edits(fix: &Fix, lines: &Lines) -> FixEdits {
    let title = match fix.safety.follow_up() {
        None => format!("Apply fix: {}", fix.description),
        Some(then) => format!(
            "Apply unsafe fix (review it): {}; then {then}",
            fix.description
        ),
    };
    FixEdits {
        title,
        edits: fix
            .edits
            .iter()
            .map(|e| TextEdit {
                range: lines.range(e.span.start, e.span.end),
                new_text: e.replacement.clone(),
            })
            .collect(),
        safe: fix.safety.follow_up().is_none(),
    }
}

/// The comment syntax a format's parser reads suppressions from: `(open, close)`, from the
/// format's descriptor ([`crate::formats::FORMATS`]). `None` for formats without comments:
/// Terraform JSON (`.tf.json`, which has no comments), plan JSON (generated: suppress in the
/// Terraform source), and files of unknown kind (read as text).
pub fn comment_syntax(format: Format) -> Option<(&'static str, &'static str)> {
    crate::formats::spec(format).comment
}

/// A "suppress RULE here" edit: the edit and the range of the reason placeholder after it is
/// applied (to select it).
#[derive(Debug, Clone)]
pub struct SuppressEdit {
    pub title: String,
    pub edit: TextEdit,
    pub reason: Range,
}

/// The ways to suppress `item` in `text`, best first, each checked by scanning the edited text
/// (for texts up to [`VERIFY_LIMIT`]): the finding must be gone and the edit must add no problem
/// (a syntax error, a bad suppression). Comment on the line above; else a comment at the end of the
/// finding's line (XML, where the line above can fall inside a tag); and for an ARM template
/// resource, `metadata` on the resource, which needs no comments at all.
pub fn suppress_edits(
    path: &Path,
    text: &str,
    format: Format,
    item: &Item,
    opts: &ScanOptions,
) -> Vec<SuppressEdit> {
    let lines = Lines::new(text);
    let rule = item.rule.id;
    // (title, offset, inserted text, is a comment)
    let mut candidates: Vec<(String, usize, String, bool)> = Vec::new();
    if let Some((open, close)) = comment_syntax(format) {
        let sep = if close.is_empty() { "--" } else { "-" };
        let comment = format!("{open} {MARKER} {rule} {sep} {REASON_PLACEHOLDER}{close}");
        let line = lines.line_of(item.span.start);
        let line_text = lines.line_text(line);
        let indent: String = line_text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let eol = if text[lines.line_start(line)..]
            .split('\n')
            .next()
            .is_some_and(|l| l.ends_with('\r'))
        {
            "\r\n"
        } else {
            "\n"
        };
        candidates.push((
            format!("Suppress {rule} here ({open} comment on the line above)"),
            lines.line_start(line),
            format!("{indent}{comment}{eol}"),
            true,
        ));
        candidates.push((
            format!("Suppress {rule} here ({open} comment at the end of the line)"),
            lines.line_start(line) + line_text.len(),
            format!(" {comment}"),
            true,
        ));
    }
    if matches!(format, Format::ArmTemplate(_)) {
        if let Some(c) = arm_metadata_candidate(path, text, format, item) {
            candidates.push((c.0, c.1, c.2, false));
        }
    }
    let verify = text.len() <= VERIFY_LIMIT;
    let before = if verify {
        count_rule(path, text, opts, rule)
    } else {
        Counts::default()
    };
    let mut out: Vec<SuppressEdit> = Vec::new();
    let mut line_comment_done = false;
    for (title, offset, inserted, is_comment) in candidates {
        if is_comment && line_comment_done {
            continue;
        }
        if verify {
            let mut edited = text.to_string();
            edited.insert_str(offset, &inserted);
            let after = count_rule(path, &edited, opts, rule);
            if !(after.rule < before.rule && after.problems <= before.problems) {
                continue;
            }
        }
        let Some(at) = inserted.find(REASON_PLACEHOLDER) else {
            continue;
        };
        let edited_lines_text = {
            let mut t = text[..offset].to_string();
            t.push_str(&inserted[..at]);
            t
        };
        let reason_start = Lines::new(&edited_lines_text).position(edited_lines_text.len());
        let reason_end = lsp_types::Position::new(
            reason_start.line,
            reason_start.character + REASON_PLACEHOLDER.len() as u32,
        );
        out.push(SuppressEdit {
            title,
            edit: TextEdit {
                range: lines.range(offset, offset),
                new_text: inserted,
            },
            reason: Range::new(reason_start, reason_end),
        });
        line_comment_done |= is_comment;
    }
    out
}

/// Above this size the suppress edits are offered without the check scan (which would take too
/// long on every code action request).
pub const VERIFY_LIMIT: usize = 512 * 1024;

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    rule: usize,
    problems: usize,
}

/// Unsuppressed findings of `rule`, and problems (parse errors, suppression diagnostics) in a text.
fn count_rule(path: &Path, text: &str, opts: &ScanOptions, rule: &str) -> Counts {
    let report = scan::scan_text(path, Path::new(""), text.as_bytes().to_vec(), opts);
    Counts {
        rule: report.findings.iter().filter(|f| f.rule.id == rule).count(),
        problems: report
            .findings
            .iter()
            .filter(|f| f.rule.family == crate::finding::Family::Input)
            .count(),
    }
}

/// `"metadata": { "keyless:ignore": "RULE -- <reason>" }` inserted into the innermost ARM
/// resource holding the finding (or the key inserted into its existing `metadata` object).
fn arm_metadata_candidate(
    path: &Path,
    text: &str,
    format: Format,
    item: &Item,
) -> Option<(String, usize, String)> {
    let file = SourceFile::new(path.to_path_buf(), String::new(), text.to_string(), format);
    let parsed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::parse::parse(&file)))
            .ok()?;
    let r = parsed
        .doc
        .resources
        .iter()
        .filter(|r| {
            r.span.contains(item.span) && text.get(r.span.start..r.span.start + 1) == Some("{")
        })
        .min_by_key(|r| r.span.len())?;
    let rule = item.rule.id;
    let value = format!("\"{MARKER}\": \"{rule} -- {REASON_PLACEHOLDER}\"");
    let title = format!("Suppress {rule} in this resource's metadata (no comment needed)");
    match r.body.get("metadata").map(|m| (&m.kind, m.span)) {
        Some((NodeKind::Map(entries), span)) => {
            if entries.iter().any(|e| e.key == MARKER)
                || text.get(span.start..span.start + 1) != Some("{")
            {
                return None;
            }
            let sep = if entries.is_empty() { " " } else { ", " };
            Some((title, span.start + 1, format!(" {value}{sep}")))
        }
        Some(_) => None,
        None => Some((
            title,
            r.span.start + 1,
            format!(" \"metadata\": {{ {value} }},"),
        )),
    }
}

/// Hover text for the items under a position: each rule's page, as `keyless explain` prints it.
pub fn hover_markdown(items: &[&Item]) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::new();
    for it in items {
        if seen.contains(&it.rule.id) {
            continue;
        }
        seen.push(it.rule.id);
        if !out.is_empty() {
            out.push_str("\n\n---\n\n");
        }
        out.push_str(it.rule.doc);
    }
    (!out.is_empty()).then_some(out)
}

/// True when two ranges overlap or touch (an empty request range at a diagnostic's edge counts).
pub fn touches(a: &Range, b: &Range) -> bool {
    !(a.end < b.start || b.end < a.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_item(path: &str, text: &str) -> (Format, Item) {
        let opts = ScanOptions::default();
        let report = scan::scan_text(Path::new(path), Path::new(""), text, &opts);
        let lines = Lines::new(text);
        let format = report.format.unwrap_or(Format::Text);
        let item = items(&report.findings, &lines).remove(0);
        (format, item)
    }

    /// A key name or value with bidirectional, invisible or control characters reaches the editor
    /// escaped (`\u{202e}`), as in the text reports.
    #[test]
    fn diagnostics_escape_spoofing_characters() {
        let text = "{ \"Db\u{202e}Password\": \"\u{2067}Xv9T-nM2k\u{200b}-4LyP-a77w\u{85}\" }\n";
        let opts = ScanOptions::default();
        let report = scan::scan_text(Path::new("appsettings.json"), Path::new(""), text, &opts);
        let lines = Lines::new(text);
        let f = report.findings.first().expect("a finding");
        let d = diagnostic(f, &lines);
        assert!(d.message.contains("`Db\\u{202e}Password`"), "{}", d.message);
        assert!(
            !d.message
                .chars()
                .any(|c| c != '\n' && crate::redact::is_unsafe_char(c)),
            "{}",
            d.message
        );
    }

    #[test]
    fn arm_metadata_suppression() {
        let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.Web/sites/config\",\n      \"apiVersion\": \"2022-03-01\",\n      \"name\": \"app/connectionstrings\",\n      \"properties\": { \"db\": { \"value\": \"Server=tcp:x.database.windows.net;Database=d;User ID=u;Password=Fake-Sql-Pa55word!\", \"type\": \"SQLAzure\" } }\n    }\n  ]\n}\n";
        let (format, item) = first_item("azuredeploy.json", text);
        assert!(matches!(format, Format::ArmTemplate(_)), "{format:?}");
        let c = arm_metadata_candidate(Path::new("azuredeploy.json"), text, format, &item);
        let (_, offset, inserted) = c.expect("a metadata edit");
        let mut edited = text.to_string();
        edited.insert_str(offset, &inserted);
        assert!(
            edited.contains(
                "{ \"metadata\": { \"keyless:ignore\": \"CONN001 -- <reason>\" },\n      \"type\""
            ),
            "{edited}"
        );
        let opts = ScanOptions::default();
        let edits = suppress_edits(Path::new("azuredeploy.json"), text, format, &item, &opts);
        let titles: Vec<&str> = edits.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(titles[1].contains("metadata"), "{titles:?}");
    }
}
