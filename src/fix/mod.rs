//! Fixes: text edits on exact source spans, one engine for every format.
//!
//! * A [`Fix`] is a set of [`Edit`]s (each replaces the bytes of one span of the file), a
//!   description, and a [`Safety`] class. Only the bytes of the spans change: indentation, comments
//!   and key order around them stay as they were.
//! * [`apply`] applies fixes to a text: edits in a file never overlap; when two fixes touch the same
//!   bytes the first (in file order) is applied and the other is left for a re-run.
//! * [`diff`] renders the change as a unified diff (`git apply` accepts it).
//! * [`edit`] builds edits per syntax (JSON, Bicep, HCL): add a member to a resource body, set a
//!   property, remove a parameter default; rules call them in a line or two.
//! * [`run`] is the `--fix` / `--diff` driver: re-checks each file, applies to a fixed point,
//!   re-parses, writes through [`crate::io::write`].

pub mod diff;
pub mod edit;
pub mod offer;
pub mod run;
pub mod settings;

use crate::source::{Position, SourceFile, Span};

/// One replacement of a span of the file's bytes (an insertion when the span is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
    /// 1-based line and column of the span; filled in by [`Fix::locate`].
    pub start: Position,
    pub end: Position,
}

impl Edit {
    pub fn new(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
            start: Position::default(),
            end: Position::default(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::new(Span::at(at), text)
    }

    pub fn delete(span: Span) -> Self {
        Edit::new(span, "")
    }

    /// True when the two edits touch the same bytes (or insert at the same point), so that the
    /// order of applying them would matter.
    pub fn overlaps(&self, other: &Edit) -> bool {
        (self.span.start < other.span.end && other.span.start < self.span.end)
            || self.span.start == other.span.start
    }
}

/// Whether a fix may be applied mechanically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Safety {
    /// The result deploys as is, or fails at deployment with a message that names what is missing;
    /// nothing that worked before silently loses access. Applied by `--fix`.
    Safe,
    /// The deployment succeeds, but something may stop working (or the change is of no use) until
    /// a person does the follow-up: a role assignment for the new identity, a database user, app
    /// code that reads the new settings. Applied only with `--unsafe-fixes`.
    Unsafe { follow_up: String },
}

impl Safety {
    pub fn is_safe(&self) -> bool {
        matches!(self, Safety::Safe)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe { .. } => "unsafe",
        }
    }

    pub fn follow_up(&self) -> Option<&str> {
        match self {
            Safety::Safe => None,
            Safety::Unsafe { follow_up } => Some(follow_up),
        }
    }
}

/// A fix offered with a finding: edits on the file's exact spans, applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    /// Non-overlapping, in file order.
    pub edits: Vec<Edit>,
    pub safety: Safety,
}

impl Fix {
    /// A safe fix of one replacement.
    pub fn new(span: Span, replacement: impl Into<String>, description: impl Into<String>) -> Self {
        Fix::edits(vec![Edit::new(span, replacement)], description)
    }

    /// A safe fix of several edits (sorted here; see [`Fix::is_valid`]).
    pub fn edits(mut edits: Vec<Edit>, description: impl Into<String>) -> Self {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            description: description.into(),
            edits,
            safety: Safety::Safe,
        }
    }

    /// Marks the fix unsafe: it needs this follow-up by a person.
    pub fn needs(mut self, follow_up: impl Into<String>) -> Self {
        self.safety = Safety::Unsafe {
            follow_up: follow_up.into(),
        };
        self
    }

    /// The covering span of all edits.
    pub fn span(&self) -> Span {
        self.edits
            .iter()
            .map(|e| e.span)
            .reduce(Span::join)
            .unwrap_or_default()
    }

    /// Edits inside the text, on char boundaries, and not overlapping one another.
    pub fn is_valid(&self, text: &str) -> bool {
        !self.edits.is_empty()
            && self.edits.iter().all(|e| {
                e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            })
            && self
                .edits
                .windows(2)
                .all(|w| w[0].span.end <= w[1].span.start && !w[0].overlaps(&w[1]))
    }

    /// Fills in the edits' lines and columns from the file.
    pub fn locate(&mut self, file: &SourceFile) {
        for e in &mut self.edits {
            let (l, c) = file.line_col(e.span.start);
            e.start = Position { line: l, column: c };
            let (l, c) = file.line_col(e.span.end);
            e.end = Position { line: l, column: c };
        }
    }
}

/// What [`apply`] did.
#[derive(Debug, Default)]
pub struct Applied {
    /// The new text.
    pub text: String,
    /// Indexes (into the input) of the fixes applied, duplicates of an applied fix included.
    pub applied: Vec<usize>,
    /// Indexes of the fixes left out because they touch bytes an applied fix changes.
    pub conflicts: Vec<usize>,
    /// Indexes of the fixes left out because their edits do not fit the text.
    pub invalid: Vec<usize>,
}

/// Applies fixes to a text, in file order of their first edit. A fix whose edits touch bytes that
/// an already accepted fix changes is left out (a re-run offers it again on the new text); a fix
/// whose edits are all identical to accepted ones (two findings with one fix) counts as applied.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        let s = fixes[i].span();
        (s.start, s.end)
    });
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut out = Applied::default();
    for i in order {
        let fix = fixes[i];
        if !fix.is_valid(text) {
            out.invalid.push(i);
            continue;
        }
        if fix.edits.iter().all(|e| accepted.contains(&e)) {
            out.applied.push(i);
            continue;
        }
        if fix
            .edits
            .iter()
            .any(|e| accepted.iter().any(|a| a.overlaps(e)))
        {
            out.conflicts.push(i);
            continue;
        }
        accepted.extend(fix.edits.iter());
        out.applied.push(i);
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    out.text = splice(text, &accepted);
    out.applied.sort_unstable();
    out.conflicts.sort_unstable();
    out
}

/// Applies sorted, non-overlapping edits.
pub fn splice(text: &str, edits: &[&Edit]) -> String {
    let mut s = String::with_capacity(
        text.len() + edits.iter().map(|e| e.replacement.len()).sum::<usize>(),
    );
    let mut at = 0;
    for e in edits {
        s.push_str(&text[at..e.span.start]);
        s.push_str(&e.replacement);
        at = e.span.end;
    }
    s.push_str(&text[at..]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix::edits(
            edits
                .iter()
                .map(|(s, e, r)| Edit::new(Span::new(*s, *e), *r))
                .collect(),
            "t",
        )
    }

    #[test]
    fn applies_in_file_order_and_leaves_conflicts() {
        let text = "abcdefgh";
        let a = fix(&[(6, 7, "G")]);
        let b = fix(&[(1, 3, "BC"), (4, 4, "+")]);
        let c = fix(&[(2, 5, "x")]); // overlaps b
        let d = fix(&[(6, 7, "G")]); // same as a
        let out = apply(text, &[&a, &b, &c, &d]);
        assert_eq!(out.text, "aBCd+efGh");
        assert_eq!(out.applied, vec![0, 1, 3]);
        assert_eq!(out.conflicts, vec![2]);
    }

    #[test]
    fn insertions_at_one_point_conflict() {
        let a = fix(&[(2, 2, "x")]);
        let b = fix(&[(2, 2, "y")]);
        let out = apply("abcd", &[&a, &b]);
        assert_eq!(out.text, "abxcd");
        assert_eq!(out.conflicts, vec![1]);
    }

    #[test]
    fn edits_outside_the_text_are_refused() {
        let a = fix(&[(2, 9, "x")]);
        let b = fix(&[(1, 1, "é")]);
        let out = apply("abcd", &[&a, &b]);
        assert_eq!(out.invalid, vec![0]);
        assert_eq!(out.text, "aébcd");
        // not on a char boundary
        let c = fix(&[(1, 2, "x")]);
        assert_eq!(apply("é", &[&c]).invalid, vec![0]);
    }
}
