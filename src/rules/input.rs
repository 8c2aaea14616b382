//! INPUT…: problems with the input itself. A CI gate must never skip a file silently: a file that
//! cannot be read or parsed is a finding of its own, at the position of the problem, and the rest of
//! the scan goes on (a file that fails to parse is still scanned as text by the other rules).
//! A problem that leaves a file or part of it unchecked (unparseable, too large, binary,
//! unreadable, too deep, not walked, out of time) is an error by default, so that a security gate
//! at `--fail-on error` fails on what it did not check; `[rules.severity]` lowers it per rule.

use super::{Context, Declared, Rule};
use crate::finding::{Finding, RuleMeta};
use crate::ir::InputProblemKind;

struct InputRule {
    meta: &'static RuleMeta,
    kind: InputProblemKind,
}

impl Declared for InputRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
}

impl Rule for InputRule {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for p in cx.doc.problems.iter().filter(|p| p.kind == self.kind) {
            out.push(Finding::new(self.meta(), p.span, p.message.clone()));
        }
    }
}

super::declare_rule! {
    static UNPARSEABLE_FILE: InputRule { kind: InputProblemKind::Syntax };
    id: "INPUT001",
    name: "unparseable-file",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "The file has a syntax error; it was scanned as plain text instead.",
}

super::declare_rule! {
    static FILE_TOO_LARGE: InputRule { kind: InputProblemKind::TooLarge };
    id: "INPUT002",
    name: "file-too-large",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "The file is larger than the size cap and was not read.",
}

super::declare_rule! {
    static BINARY_FILE: InputRule { kind: InputProblemKind::Binary };
    id: "INPUT003",
    name: "binary-file",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "The file has the name of a configuration file but holds binary data; it was not scanned.",
}

super::declare_rule! {
    static INVALID_UTF8: InputRule { kind: InputProblemKind::InvalidUtf8 };
    id: "INPUT004",
    name: "invalid-utf8",
    family: Input,
    severity: Warning,
    security_severity: 0.0,
    summary: "The file is not valid UTF-8; it was scanned with the invalid bytes replaced.",
}

super::declare_rule! {
    static UNREADABLE_FILE: InputRule { kind: InputProblemKind::Unreadable };
    id: "INPUT005",
    name: "unreadable-file",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "The file could not be read.",
}

super::declare_rule! {
    static NESTING_TOO_DEEP: InputRule { kind: InputProblemKind::TooDeep };
    id: "INPUT006",
    name: "nesting-too-deep",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "The file nests deeper than the parser's limit; it was scanned as plain text.",
}

super::declare_rule! {
    static WALK_ERROR: InputRule { kind: InputProblemKind::Walk };
    id: "INPUT007",
    name: "walk-error",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "A path could not be walked (symlink loop, missing or inaccessible folder).",
}

super::declare_rule! {
    static FILE_TIME_LIMIT: InputRule { kind: InputProblemKind::TimedOut };
    id: "INPUT011",
    name: "file-time-limit",
    family: Input,
    severity: Error,
    security_severity: 0.0,
    summary: "The file took longer than the per-file time bound; the rules not yet run on it were skipped.",
}

super::declare_rule! {
    static DUPLICATE_KEY: InputRule { kind: InputProblemKind::DuplicateKey };
    id: "INPUT012",
    name: "duplicate-key",
    family: Input,
    severity: Warning,
    security_severity: 0.0,
    summary: "A JSON object writes the same key twice; the last value is the one Azure reads and the one checked.",
}

static RULES: [&InputRule; 9] = [
    &UNPARSEABLE_FILE,
    &FILE_TOO_LARGE,
    &BINARY_FILE,
    &INVALID_UTF8,
    &UNREADABLE_FILE,
    &NESTING_TOO_DEEP,
    &WALK_ERROR,
    &FILE_TIME_LIMIT,
    &DUPLICATE_KEY,
];

/// Diagnostics about inline suppressions (`keyless:ignore`). They need the other rules' findings,
/// so the scan's filter stage ([`crate::suppress::apply`]) reports them after every rule has run;
/// their `check` adds nothing.
pub struct SuppressionRule {
    pub meta: &'static RuleMeta,
}

impl Declared for SuppressionRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
}

impl Rule for SuppressionRule {
    fn check(&self, _cx: &Context, _out: &mut Vec<Finding>) {}
}

super::declare_rule! {
    /// A `keyless:ignore` comment without a reason, naming an unknown rule, or with a bad date.
    pub static INVALID_SUPPRESSION: SuppressionRule {};
    id: "INPUT008",
    name: "invalid-suppression",
    family: Input,
    severity: Warning,
    security_severity: 0.0,
    summary: "A `keyless:ignore` comment gives no reason, names an unknown rule or has a malformed date.",
}

super::declare_rule! {
    /// A `keyless:ignore` comment that matches no finding.
    pub static UNUSED_SUPPRESSION: SuppressionRule {};
    id: "INPUT009",
    name: "unused-suppression",
    family: Input,
    severity: Warning,
    security_severity: 0.0,
    summary: "A `keyless:ignore` comment suppresses nothing.",
}

super::declare_rule! {
    /// A `keyless:ignore ... until=DATE` comment past its date.
    pub static EXPIRED_SUPPRESSION: SuppressionRule {};
    id: "INPUT010",
    name: "expired-suppression",
    family: Input,
    severity: Warning,
    security_severity: 0.0,
    summary: "A `keyless:ignore` comment is past its `until=` date and no longer suppresses anything.",
}

static SUPPRESSION_RULES: [&SuppressionRule; 3] = [
    &INVALID_SUPPRESSION,
    &UNUSED_SUPPRESSION,
    &EXPIRED_SUPPRESSION,
];

/// True for the suppression diagnostics, which no suppression can hide.
pub fn is_suppression_diagnostic(id: &str) -> bool {
    SUPPRESSION_RULES.iter().any(|r| r.meta.id == id)
}

/// The INPUT rules.
pub fn rules() -> Vec<&'static dyn Rule> {
    RULES
        .iter()
        .map(|&r| r as &'static dyn Rule)
        .chain(SUPPRESSION_RULES.iter().map(|&r| r as &'static dyn Rule))
        .collect()
}

/// The rule that reports a kind of input problem (used where problems arise outside a document,
/// such as walk errors).
pub fn meta_for(kind: InputProblemKind) -> &'static RuleMeta {
    RULES
        .iter()
        .find(|r| r.kind == kind)
        .map(|r| r.meta)
        .unwrap_or(RULES[0].meta)
}
