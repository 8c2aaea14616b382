//! Inline suppressions, read from the comments every parser collects (`Document.comments`):
//!
//! ```text
//! # keyless:ignore KEY001 -- test fixture, not a real key
//! // keyless:ignore KEY001,CONN -- until=… is optional
//! /* keyless:ignore MI001 until=2027-03-31 -- migration tracked in #123 */
//! <!-- keyless:ignore CONN001 - XML comments cannot hold "--", so a single " - " also works -->
//! ```
//!
//! A comment on a line of its own covers findings that start on its last line or on the line
//! below it; a comment after code covers findings that start on its own line. Rules are named by
//! id or by family prefix (`KEY`). `until=YYYY-MM-DD` makes the suppression stop working after that
//! day (then INPUT010 says it expired). ARM JSON without comments can put
//! `"metadata": { "keyless:ignore": "MI001 -- reason" }` on a resource: it covers the findings
//! inside that resource.
//!
//! Problems with suppressions are findings of their own: INPUT008 (no reason, unknown rule, bad
//! date), INPUT009 (suppressed nothing), INPUT010 (expired). They are never suppressed themselves.

use crate::config::Config;
use crate::finding::Finding;
use crate::ir::{Document, NodeKind};
use crate::rules::input;
use crate::rules::select::{check_selector, selector_matches};
use crate::source::{SourceFile, Span};

/// The marker that starts a suppression.
pub const MARKER: &str = "keyless:ignore";

pub use crate::date::Date;

/// A suppression found in a file.
#[derive(Debug, Clone)]
struct Suppression {
    /// Where it is written (the comment, or the metadata string).
    span: Span,
    /// Rule ids or family prefixes.
    rules: Vec<String>,
    reason: String,
    scope: Scope,
    used: bool,
}

#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Findings starting on these lines (1-based, inclusive).
    Lines(usize, usize),
    /// Findings inside this span (an ARM resource).
    Within(Span),
}

/// A finding kept aside by a suppression, with the reason written beside it.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub justification: String,
}

/// Outcome of a spec like `KEY001,CONN until=2027-01-01 -- reason`.
enum Directive {
    Ok {
        rules: Vec<String>,
        reason: String,
        until: Option<Date>,
    },
    Invalid(String),
}

fn parse_spec(body: &str) -> Directive {
    let (spec, reason) = match body.find("--") {
        Some(i) => (&body[..i], Some(&body[i + 2..])),
        None => match body.find(" - ") {
            Some(i) => (&body[..i], Some(&body[i + 3..])),
            None => (body, None),
        },
    };
    let mut rules = Vec::new();
    let mut until = None;
    for tok in spec
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        if let Some(d) = tok.strip_prefix("until=") {
            match Date::parse(d) {
                Some(d) => until = Some(d),
                None => {
                    return Directive::Invalid(
                        "the `until=` value is not a date: write until=YYYY-MM-DD".to_string(),
                    )
                }
            }
            continue;
        }
        match check_selector(tok) {
            Ok(id) => rules.push(id),
            Err(_) => {
                // Only a name shaped like a rule id (`KEY999`, `FOO`) is quoted: INPUT messages
                // never carry other input text (a password pasted in the wrong place).
                let id_like = {
                    let letters = tok.bytes().take_while(u8::is_ascii_uppercase).count();
                    let digits = tok.len() - letters;
                    (2..=5).contains(&letters)
                        && (digits == 0 || digits == 3)
                        && tok[letters..].bytes().all(|b| b.is_ascii_digit())
                };
                let named = if id_like {
                    format!("`{tok}`")
                } else {
                    format!("(its {} name)", ordinal(rules.len() + 1))
                };
                return Directive::Invalid(format!(
                    "suppression names unknown rule {named}: use a rule id (`keyless rules` lists them) or a family prefix"
                ));
            }
        }
    }
    if rules.is_empty() {
        return Directive::Invalid(format!(
            "suppression names no rule: write `{MARKER} RULE -- reason`"
        ));
    }
    let reason = reason.map(str::trim).unwrap_or("");
    if reason.chars().all(invisible) {
        return Directive::Invalid(format!(
            "suppression of {} gives no reason: add ` -- why this is safe` after the rule ids",
            rules.join(",")
        ));
    }
    Directive::Ok {
        rules,
        reason: reason.to_string(),
        until,
    }
}

/// Characters that show nothing: a reason made only of them is no reason.
fn invisible(c: char) -> bool {
    c.is_whitespace() || c.is_control() || crate::source::is_invisible(c)
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// True when a comment's text (without delimiters) is a `keyless:ignore` suppression.
pub fn is_suppression(comment: &str) -> bool {
    marker_body(comment).is_some()
}

/// The text after the marker, when a comment is a suppression.
fn marker_body(comment: &str) -> Option<&str> {
    let t = comment.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '#');
    let rest = t.strip_prefix(MARKER)?;
    // `keyless:ignored` or `keyless:ignore-next` are not the marker
    if rest.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    Some(rest)
}

/// Applies a file's suppressions: returns the findings that stay, the findings kept aside, and
/// appends diagnostics about the suppressions (INPUT008/009/010) to the findings that stay.
/// Findings must be located already ([`Finding::locate`]).
pub fn apply(
    file: &SourceFile,
    doc: &Document,
    config: &Config,
    today: Date,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Suppressed>) {
    let mut sups = Vec::new();
    let mut diags = Vec::new();
    let diag = |meta: &'static crate::finding::RuleMeta, span: Span, msg: String| {
        let mut f = Finding::new(meta, span, msg);
        f.locate(file);
        f
    };

    for c in &doc.comments {
        let Some(body) = marker_body(&c.text) else {
            continue;
        };
        let (first, _) = file.line_col(c.span.start);
        let (last, _) = file.line_col(c.span.end.saturating_sub(1).max(c.span.start));
        let line_start = file.lines().line_start(first).unwrap_or(0);
        let own_line = file
            .text
            .get(line_start..c.span.start)
            .is_some_and(|t| t.trim().is_empty());
        let scope = if own_line {
            Scope::Lines(first, last + 1)
        } else {
            Scope::Lines(first, last)
        };
        push(&mut sups, &mut diags, &diag, c.span, body, scope, today);
    }
    for r in &doc.resources {
        let Some(NodeKind::Map(entries)) = r.body.get("metadata").map(|m| &m.kind) else {
            continue;
        };
        for e in entries.iter().filter(|e| e.key == MARKER) {
            match e.value.as_str() {
                Some(s) => push(
                    &mut sups,
                    &mut diags,
                    &diag,
                    e.value.span,
                    &s.value,
                    Scope::Within(r.span),
                    today,
                ),
                None => diags.push(diag(
                    input::INVALID_SUPPRESSION.meta,
                    e.value.span,
                    format!("`{MARKER}` in metadata must be a string: \"RULE -- reason\""),
                )),
            }
        }
    }

    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for f in findings {
        let is_meta = input::is_suppression_diagnostic(f.rule.id);
        let hit = (!is_meta)
            .then(|| {
                sups.iter_mut().find(|s| {
                    // A merged finding is suppressed by a suppression of any rule it stands
                    // for, written where that rule's own finding would have started.
                    std::iter::once((f.rule.id, f.start.line, f.span))
                        .chain(f.merged.iter().map(|m| (m.rule.id, m.start.line, m.span)))
                        .any(|(id, line, span)| {
                            s.rules.iter().any(|r| selector_matches(r, id))
                                && match s.scope {
                                    Scope::Lines(a, b) => (a..=b).contains(&line),
                                    Scope::Within(within) => within.contains(span),
                                }
                        })
                })
            })
            .flatten();
        match hit {
            Some(s) => {
                s.used = true;
                suppressed.push(Suppressed {
                    finding: f,
                    justification: s.reason.clone(),
                });
            }
            None => kept.push(f),
        }
    }
    for s in &sups {
        // A suppression of rules that did not run (not selected) cannot be judged unused.
        let any_ran = crate::rules::all().iter().any(|r| {
            config.enabled(r.meta().id) && s.rules.iter().any(|x| selector_matches(x, r.meta().id))
        });
        if !s.used && any_ran {
            diags.push(diag(
                input::UNUSED_SUPPRESSION.meta,
                s.span,
                format!(
                    "suppression of {} matches no finding here; remove it",
                    s.rules.join(",")
                ),
            ));
        }
    }
    kept.extend(diags.into_iter().filter(|d| config.enabled(d.rule.id)));
    (kept, suppressed)
}

#[allow(clippy::too_many_arguments)]
fn push(
    sups: &mut Vec<Suppression>,
    diags: &mut Vec<Finding>,
    diag: &dyn Fn(&'static crate::finding::RuleMeta, Span, String) -> Finding,
    span: Span,
    body: &str,
    scope: Scope,
    today: Date,
) {
    match parse_spec(body) {
        Directive::Invalid(msg) => diags.push(diag(input::INVALID_SUPPRESSION.meta, span, msg)),
        Directive::Ok {
            rules,
            reason,
            until,
        } => match until {
            Some(d) if today > d => diags.push(diag(
                input::EXPIRED_SUPPRESSION.meta,
                span,
                format!(
                    "suppression of {} expired on {d}; fix the findings or extend the date",
                    rules.join(",")
                ),
            )),
            _ => sups.push(Suppression {
                span,
                rules,
                reason,
                scope,
                used: false,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        match parse_spec(" INPUT001, INPUT until=2027-03-31 -- fixture") {
            Directive::Ok {
                rules,
                reason,
                until,
            } => {
                assert_eq!(rules, vec!["INPUT001", "INPUT"]);
                assert_eq!(reason, "fixture");
                assert_eq!(until.map(|d| d.to_string()).as_deref(), Some("2027-03-31"));
            }
            Directive::Invalid(m) => panic!("{m}"),
        }
        assert!(matches!(
            parse_spec(" INPUT001 - xml reason "),
            Directive::Ok { .. }
        ));
        for bad in [
            " INPUT001",
            " INPUT001 -- ",
            " NOPE001 -- r",
            " -- r",
            " INPUT001 until=2027-02-30 -- r",
            // a reason of only invisible characters: zero-width space, BOM, soft hyphen, bidi marks
            " INPUT001 -- \u{200b}\u{feff}",
            " INPUT001 -- \u{ad}\u{200e} \u{2060}",
        ] {
            assert!(matches!(parse_spec(bad), Directive::Invalid(_)), "{bad:?}");
        }
        // messages never quote the suppression's own text
        for (bad, leak) in [
            (" Hunter2pass -- r", "Hunter2pass"),
            (" INPUT001 until=Zq9-secret -- r", "Zq9-secret"),
        ] {
            match parse_spec(bad) {
                Directive::Invalid(m) => assert!(!m.contains(leak), "{m}"),
                Directive::Ok { .. } => panic!("{bad}"),
            }
        }
        assert!(marker_body(" keyless:ignore X").is_some());
        assert!(marker_body("* keyless:ignore X").is_some());
        assert!(marker_body(" keyless:ignored X").is_none());
        assert!(marker_body(" see keyless:ignore docs").is_none());
    }
}
