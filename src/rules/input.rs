//! INPUT…: problems with the input itself. A CI gate must never skip a file silently: a file that
//! cannot be read or parsed is a finding of its own, at the position of the problem, and the rest of
//! the scan goes on (a file that fails to parse is still scanned as text by the other rules).

use super::{Context, Rule};
use crate::finding::{Family, Finding, RuleMeta, Severity};
use crate::ir::InputProblemKind;

struct InputRule {
    meta: &'static RuleMeta,
    kind: InputProblemKind,
}

impl Rule for InputRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for p in cx.doc.problems.iter().filter(|p| p.kind == self.kind) {
            out.push(Finding::new(self.meta(), p.span, p.message.clone()));
        }
    }
}

macro_rules! input_rule {
    ($id:literal, $name:literal, $kind:ident, $sev:ident, $summary:literal) => {
        InputRule {
            meta: &RuleMeta {
                id: $id,
                name: $name,
                family: Family::Input,
                default_severity: Severity::$sev,
                summary: $summary,
                security_severity: 0.0,
                doc: include_str!(concat!("../../rules/", $id, ".md")),
            },
            kind: InputProblemKind::$kind,
        }
    };
}

static RULES: [InputRule; 8] =
    [
        input_rule!(
            "INPUT001",
            "unparseable-file",
            Syntax,
            Warning,
            "The file has a syntax error; it was scanned as plain text instead."
        ),
        input_rule!(
            "INPUT002",
            "file-too-large",
            TooLarge,
            Warning,
            "The file is larger than the size cap and was not read."
        ),
        input_rule!("INPUT003", "binary-file", Binary, Warning,
        "The file has the name of a configuration file but holds binary data; it was not scanned."),
        input_rule!(
            "INPUT004",
            "invalid-utf8",
            InvalidUtf8,
            Warning,
            "The file is not valid UTF-8; it was scanned with the invalid bytes replaced."
        ),
        input_rule!(
            "INPUT005",
            "unreadable-file",
            Unreadable,
            Warning,
            "The file could not be read."
        ),
        input_rule!(
            "INPUT006",
            "nesting-too-deep",
            TooDeep,
            Warning,
            "The file nests deeper than the parser's limit; it was scanned as plain text."
        ),
        input_rule!(
            "INPUT007",
            "walk-error",
            Walk,
            Warning,
            "A path could not be walked (symlink loop, missing or inaccessible folder)."
        ),
        input_rule!(
            "INPUT011",
            "file-time-limit",
            TimedOut,
            Warning,
            "The file took longer than the per-file time bound; the rules not yet run on it were skipped."
        ),
    ];

/// Diagnostics about inline suppressions (`keyless:ignore`). They need the other rules' findings,
/// so the scan's filter stage ([`crate::suppress::apply`]) reports them after every rule has run;
/// their `check` adds nothing.
struct SuppressionRule(&'static RuleMeta);

impl Rule for SuppressionRule {
    fn meta(&self) -> &'static RuleMeta {
        self.0
    }

    fn check(&self, _cx: &Context, _out: &mut Vec<Finding>) {}
}

macro_rules! suppression_meta {
    ($id:literal, $name:literal, $summary:literal) => {
        RuleMeta {
            id: $id,
            name: $name,
            family: Family::Input,
            default_severity: Severity::Warning,
            summary: $summary,
            security_severity: 0.0,
            doc: include_str!(concat!("../../rules/", $id, ".md")),
        }
    };
}

/// A `keyless:ignore` comment without a reason, naming an unknown rule, or with a bad date.
pub static INVALID_SUPPRESSION: RuleMeta = suppression_meta!(
    "INPUT008",
    "invalid-suppression",
    "A `keyless:ignore` comment gives no reason, names an unknown rule or has a malformed date."
);
/// A `keyless:ignore` comment that matches no finding.
pub static UNUSED_SUPPRESSION: RuleMeta = suppression_meta!(
    "INPUT009",
    "unused-suppression",
    "A `keyless:ignore` comment suppresses nothing."
);
/// A `keyless:ignore ... until=DATE` comment past its date.
pub static EXPIRED_SUPPRESSION: RuleMeta = suppression_meta!(
    "INPUT010",
    "expired-suppression",
    "A `keyless:ignore` comment is past its `until=` date and no longer suppresses anything."
);

static SUPPRESSION_RULES: [SuppressionRule; 3] = [
    SuppressionRule(&INVALID_SUPPRESSION),
    SuppressionRule(&UNUSED_SUPPRESSION),
    SuppressionRule(&EXPIRED_SUPPRESSION),
];

/// True for the suppression diagnostics, which no suppression can hide.
pub fn is_suppression_diagnostic(id: &str) -> bool {
    SUPPRESSION_RULES.iter().any(|r| r.0.id == id)
}

/// The INPUT rules.
pub fn rules() -> Vec<&'static dyn Rule> {
    RULES
        .iter()
        .map(|r| r as &'static dyn Rule)
        .chain(SUPPRESSION_RULES.iter().map(|r| r as &'static dyn Rule))
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
