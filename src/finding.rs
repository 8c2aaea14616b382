//! Findings: what rules report, with the location, redacted evidence and fix.

use std::fmt;

use crate::source::{SourceFile, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rule families; ids start with the family's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Embedded secrets and keys.
    Key,
    /// Connection strings with credentials.
    Conn,
    /// Managed identity missing, ambiguous, or key-based auth left enabled.
    Mi,
    /// Over-broad role assignments and definitions.
    Rbac,
    /// Problems with the input itself.
    Input,
}

impl Family {
    pub fn prefix(&self) -> &'static str {
        match self {
            Family::Key => "KEY",
            Family::Conn => "CONN",
            Family::Mi => "MI",
            Family::Rbac => "RBAC",
            Family::Input => "INPUT",
        }
    }
}

/// A rule's fixed metadata. The long description lives in `rules/<ID>.md`.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: family prefix and three digits, `KEY001`.
    pub id: &'static str,
    /// Kebab-case name, `literal-connection-string-password`.
    pub name: &'static str,
    pub family: Family,
    pub default_severity: Severity,
    /// One sentence, shown by `keyless rules` and as SARIF `shortDescription`.
    pub summary: &'static str,
    /// GitHub code scanning's 0.0–10.0 security severity.
    pub security_severity: f32,
    /// The rule's page (Markdown), embedded from `rules/<ID>.md`.
    pub doc: &'static str,
}

pub use crate::fix::{Edit, Fix, Safety};

pub use crate::source::Position;

/// A finding. Rules create it with [`Finding::new`] and the builder methods; the scan fills in the
/// location and fingerprint from the file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// Redacted evidence, never the secret itself.
    pub evidence: Option<String>,
    /// Bytes that hold a secret: masked in every code frame that shows them.
    pub secret_span: Option<Span>,
    /// What to do instead.
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub start: Position,
    pub end: Position,
    /// Stable across runs, line moves and reformatting.
    pub fingerprint: String,
    /// For a finding that holds a secret, when the scan has a baseline key: a keyed hash of the
    /// secret value (never the value), so a baseline entry stops matching once the secret is
    /// rotated, even to one with the same first characters and length. See [`value_digest`].
    pub value_digest: Option<String>,
    /// Findings of less specific rules at the same place, folded into this one by the merge step
    /// ([`crate::rules::merge`]): one problem, one finding. Suppressions and baselines that name
    /// one of them still apply to this finding.
    pub merged: Vec<Merged>,
}

/// A finding folded into a more specific one (see [`Finding::merged`]).
#[derive(Debug, Clone)]
pub struct Merged {
    pub rule: &'static RuleMeta,
    pub span: Span,
    pub start: Position,
    /// Its own bytes that hold a secret, still masked in code frames.
    pub secret_span: Option<Span>,
    /// Its own fingerprint, so that a baseline written before the merge still matches.
    pub fingerprint: String,
    /// Its own keyed value digest, when the scan has a baseline key ([`value_digest`]).
    pub value_digest: Option<String>,
}

/// The longest name, key or path a message shows ([`shown_name`]).
pub const SHOWN_NAME_MAX: usize = 80;

/// A name, key or path as a message shows it: control characters left out, at most
/// [`SHOWN_NAME_MAX`] characters, `…` after a cut. Every rule and analysis that puts a name from
/// the file into a message goes through this.
pub fn shown_name(name: &str) -> String {
    let mut kept = name.chars().filter(|c| !c.is_control());
    let mut out: String = kept.by_ref().take(SHOWN_NAME_MAX).collect();
    if kept.next().is_some() {
        out.push('…');
    }
    out
}

impl Finding {
    /// The message as every text output shows it (the report formats and the language server):
    /// control, bidirectional and invisible characters escaped
    /// ([`crate::redact::escape_control`]), then the redacted evidence, if any, as
    /// ` (evidence: …)`.
    pub fn shown_message(&self) -> String {
        let esc = crate::redact::escape_control;
        let mut message = esc(&self.message).into_owned();
        if let Some(e) = &self.evidence {
            message.push_str(" (evidence: ");
            message.push_str(&esc(e));
            message.push(')');
        }
        message
    }

    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.default_severity,
            span,
            message: message.into(),
            evidence: None,
            secret_span: None,
            help: None,
            fix: None,
            start: Position::default(),
            end: Position::default(),
            fingerprint: String::new(),
            value_digest: None,
            merged: Vec::new(),
        }
    }

    /// The rule ids this finding stands for: its own, then those merged into it.
    pub fn rule_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.rule.id).chain(self.merged.iter().map(|m| m.rule.id))
    }

    /// Its fingerprints with their rule ids and value digests: its own, then those of the findings
    /// merged into it.
    pub fn fingerprints(&self) -> impl Iterator<Item = (&'static str, &str, Option<&str>)> + '_ {
        std::iter::once((
            self.rule.id,
            self.fingerprint.as_str(),
            self.value_digest.as_deref(),
        ))
        .chain(
            self.merged
                .iter()
                .map(|m| (m.rule.id, m.fingerprint.as_str(), m.value_digest.as_deref())),
        )
    }

    /// Every span of this finding that holds a secret, merged findings' included.
    pub fn secret_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.secret_span
            .into_iter()
            .chain(self.merged.iter().filter_map(|m| m.secret_span))
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    /// Records the secret's location (masked in code frames) and its redacted form as evidence.
    pub fn secret(mut self, value: &str, span: Span) -> Self {
        self.evidence = Some(crate::redact::redact(value));
        self.secret_span = Some(span);
        self
    }

    /// Evidence that is not secret (a role name, a setting name).
    pub fn evidence(mut self, e: impl Into<String>) -> Self {
        self.evidence = Some(e.into());
        self
    }

    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Attaches a fix when there is one.
    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix.or(self.fix);
        self
    }

    /// Fills in line/column from the file.
    pub fn locate(&mut self, file: &SourceFile) {
        let (l, c) = file.line_col(self.span.start);
        self.start = Position { line: l, column: c };
        let (l, c) = file.line_col(self.span.end);
        self.end = Position { line: l, column: c };
        if let Some(fix) = &mut self.fix {
            fix.locate(file);
        }
    }
}

/// Masks secret bytes with `*` after the first characters, keeping the text's length: the input
/// of a fingerprint (which must not change between releases), never printed.
fn fingerprint_mask(text: &str, spans: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for s in spans {
        let (mut start, mut end) = (s.start.min(bytes.len()), s.end.min(bytes.len()));
        // A span over a quoted string value: mask what is inside the quotes.
        if end >= start + 2 {
            let (first, last) = (bytes[start], bytes[end - 1]);
            if first == last && matches!(first, b'"' | b'\'') {
                start += 1;
                end -= 1;
            }
        }
        // keep the first characters (as the evidence showed when fingerprints were defined), mask the rest
        let shown = text
            .get(start..end)
            .map(|t| {
                t.chars()
                    .take((t.chars().count() / 4).min(4))
                    .map(char::len_utf8)
                    .sum::<usize>()
            })
            .unwrap_or(0);
        // newlines stay, so a masked multi-line secret (a PEM body) does not shift later lines
        for b in &mut bytes[(start + shown).min(end)..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b'*';
            }
        }
    }
    // Replacing whole UTF-8 sequences byte by byte with '*' leaves valid UTF-8 only when a span
    // covers whole characters, which parser spans always do; fall back to lossy otherwise.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

pub use crate::digest::fnv1a;

/// A keyed hash (SipHash-2-4 under a 128-bit key) of a finding's secret: rule, path and value.
/// The key is random and lives in the baseline file, next to the secrets it covers; without the
/// key the digest cannot be brute-forced back to a short password, and nothing else prints it.
pub fn value_digest(key: [u64; 2], rule: &str, path: &str, value: &str) -> String {
    use std::hash::Hasher;
    let mut out = String::with_capacity(32);
    // two halves under related keys: 128 bits, so collisions across a repository are moot
    for (i, k1) in [key[1], key[1] ^ 0x5bd1_e995_5bd1_e995]
        .into_iter()
        .enumerate()
    {
        let mut h = siphasher::sip::SipHasher24::new_with_keys(key[0], k1);
        h.write(&[i as u8]);
        for part in [rule, path, value] {
            h.write(part.as_bytes());
            h.write_u8(0xff);
        }
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// The secret text a finding located, without surrounding quotes (the input of [`value_digest`]).
pub fn secret_text<'a>(text: &'a str, f: &Finding) -> Option<&'a str> {
    secret_text_at(text, f.secret_span?)
}

/// The text of a secret span without surrounding quotes ([`secret_text`], for merged findings).
pub fn secret_text_at(text: &str, s: Span) -> Option<&str> {
    let raw = text.get(s.start..s.end)?;
    let b = raw.as_bytes();
    Some(
        if b.len() >= 2 && b[0] == b[b.len() - 1] && matches!(b[0], b'"' | b'\'') {
            &raw[1..raw.len() - 1]
        } else {
            raw
        },
    )
}

/// Computes fingerprints for a file's findings: rule, path, the flagged text with all whitespace
/// removed (so re-indenting and moving lines keep it), and the occurrence number among identical
/// ones.
///
/// A finding that holds a secret is never fingerprinted on the secret: a hash of a short password
/// could be brute-forced back out of a SARIF file. Its input is instead the whole line(s) around it
/// with the secret masked as the code frames mask it (the key name and the redacted evidence).
pub fn assign_fingerprints(file_display: &str, text: &str, findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for f in findings.iter_mut() {
        let flagged = fingerprint_input(text, f);
        let base = fnv1a(&[
            f.rule.id.as_bytes(),
            file_display.as_bytes(),
            flagged.as_bytes(),
        ]);
        let n = seen.entry(base).or_insert(0);
        *n += 1;
        let h = fnv1a(&[&base.to_le_bytes(), &n.to_le_bytes()]);
        f.fingerprint = format!("{h:016x}");
    }
}

/// The text a finding's fingerprint is computed from (see [`assign_fingerprints`]).
fn fingerprint_input(text: &str, f: &Finding) -> String {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .take(4096)
            .collect()
    };
    let Some(secret) = f.secret_span else {
        return squash(text.get(f.span.start..f.span.end).unwrap_or(""));
    };
    let covered = f.span.join(secret);
    let start = text
        .get(..covered.start.min(text.len()))
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(covered.end.min(text.len())..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| covered.end + i);
    let Some(lines) = text.get(start..end) else {
        return String::new();
    };
    let local = Span::new(secret.start - start, secret.end.min(end) - start);
    let masked = fingerprint_mask(lines, &[local]);
    // The masked bytes are all `*`; keep only the characters the evidence shows.
    squash(&masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: RuleMeta = RuleMeta {
        id: "KEY999",
        name: "test-rule",
        family: Family::Key,
        default_severity: Severity::Error,
        summary: "",
        security_severity: 0.0,
        doc: "",
    };

    #[test]
    fn names_are_shown_without_control_characters_and_cut_with_an_ellipsis() {
        assert_eq!(shown_name("db\u{1b}[31mPassword"), "db[31mPassword");
        let exact = "k".repeat(SHOWN_NAME_MAX);
        assert_eq!(shown_name(&exact), exact);
        let long = format!("{exact}tail");
        assert_eq!(shown_name(&long), format!("{exact}…"));
        // characters, not bytes
        assert_eq!(
            shown_name(&"é".repeat(90)).chars().count(),
            SHOWN_NAME_MAX + 1
        );
    }

    #[test]
    fn the_shown_message_escapes_and_appends_the_evidence() {
        let f = Finding::new(&META, Span::new(0, 1), "key `a\nb` set");
        assert_eq!(f.shown_message(), "key `a\\nb` set");
        let f = f.evidence("****+x\u{202e}****");
        assert_eq!(
            f.shown_message(),
            "key `a\\nb` set (evidence: ****+x\\u{202e}****)"
        );
    }

    #[test]
    fn fingerprints_never_hash_the_secret() {
        let text = "a = 1\n  password = \"Tr0ub4dor&3x\"\n";
        let start = text.find("Tr0").unwrap();
        let span = Span::new(start, start + 12);
        let f = Finding::new(&META, span, "m").secret("Tr0ub4dor&3x", span);
        let input = fingerprint_input(text, &f);
        assert!(!input.contains("ub4dor"), "{input}");
        assert_eq!(input, "password=\"Tr0*********\"");
        // the same key moved and re-indented keeps its fingerprint
        let moved = "\n\n\tpassword   =   \"Tr0ub4dor&3x\"";
        let s2 = moved.find("Tr0").unwrap();
        let mut a = vec![f];
        let mut b = vec![Finding::new(&META, Span::new(s2, s2 + 12), "m")
            .secret("Tr0ub4dor&3x", Span::new(s2, s2 + 12))];
        assign_fingerprints("x.tf", text, &mut a);
        assign_fingerprints("x.tf", moved, &mut b);
        assert_eq!(a[0].fingerprint, b[0].fingerprint);
    }

    #[test]
    fn fingerprint_mask_keeps_length() {
        let t = "a=Secret123456;b";
        let m = fingerprint_mask(t, &[Span::new(2, 14)]);
        assert_eq!(m.len(), t.len());
        assert_eq!(m, "a=Sec*********;b");
        let t = "k = \"Secret123456\"";
        assert_eq!(
            fingerprint_mask(t, &[Span::new(4, 18)]),
            "k = \"Sec*********\""
        );
    }
}

#[cfg(test)]
mod digest_tests {
    /// Baselines written by earlier releases hold these digests: the hash must never change.
    #[test]
    fn value_digest_is_stable_across_releases() {
        let d = super::value_digest(
            [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210],
            "KEY002",
            "app/appsettings.json",
            "not-a-real-secret",
        );
        assert_eq!(d, "6795aabe332f14cc1e009393c22a5972");
    }
}
