//! Rules: one file per rule (or per small family of input diagnostics), each holding its metadata,
//! its check and its tests. The registry below is the one list every consumer reads: the scan,
//! `keyless rules`, `keyless explain`, SARIF `tool.driver.rules` and the README's rule table.

pub mod conn;
#[cfg(test)]
mod fixture_tests;
pub mod input;
pub mod key;
pub mod merge;
pub mod mi;
pub mod props;
pub mod rbac;

use std::sync::OnceLock;

use crate::config::Config;
use crate::finding::{Finding, RuleMeta};
use crate::ir::Document;
use crate::source::{Format, SourceFile};

/// What a rule sees: the file (for its text and line index) and the IR. Rules never see a
/// format-specific parse tree.
pub struct Context<'a> {
    pub file: &'a SourceFile,
    pub format: Format,
    pub doc: &'a Document,
    /// The user's configuration (`.keyless.toml`). Rule selection and severity overrides are
    /// applied by the scan, not by rules; a rule reads only what is meant for it, such as the extra
    /// secret patterns in `config.patterns` (for KEY001).
    pub config: &'a Config,
    /// Analyses more than one rule needs, computed on first use (see [`Context::new`]).
    pub(crate) connection_strings: std::cell::OnceCell<Vec<crate::analysis::connstr::Found<'a>>>,
    /// The per-file time bound (`--file-timeout`), checked by long rules while they run.
    deadline: Option<std::time::Instant>,
    /// Calls of [`Context::out_of_time`] since the clock was last read.
    clock_calls: std::cell::Cell<u32>,
    /// Set once a rule has seen the deadline pass.
    late: std::cell::Cell<bool>,
}

impl<'a> Context<'a> {
    pub fn new(
        file: &'a SourceFile,
        format: Format,
        doc: &'a Document,
        config: &'a Config,
    ) -> Self {
        Context {
            file,
            format,
            doc,
            config,
            connection_strings: std::cell::OnceCell::new(),
            deadline: None,
            clock_calls: std::cell::Cell::new(0),
            late: std::cell::Cell::new(false),
        }
    }

    /// The same context with a per-file deadline that long rules check while they run.
    pub fn with_deadline(mut self, deadline: std::time::Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// True once the per-file deadline has passed. A rule that loops over resources, settings or
    /// tree nodes calls it as it goes and stops when it says so; the scan then names the rule as
    /// stopped early (INPUT011). The clock is read on every 64th call, so calling it per node
    /// costs next to nothing.
    pub fn out_of_time(&self) -> bool {
        if self.late.get() {
            return true;
        }
        let Some(deadline) = self.deadline else {
            return false;
        };
        let n = self.clock_calls.get();
        self.clock_calls.set(n.wrapping_add(1));
        if n % 64 == 0 && std::time::Instant::now() >= deadline {
            self.late.set(true);
        }
        self.late.get()
    }

    /// True when a rule has seen the deadline pass (see [`Context::out_of_time`]).
    pub fn was_late(&self) -> bool {
        self.late.get()
    }

    /// Every connection string of the document ([`crate::analysis::connstr::find_in_doc`]),
    /// found once and shared by CONN001 and CONN002.
    pub fn connection_strings(&self) -> &[crate::analysis::connstr::Found<'a>] {
        self.connection_strings
            .get_or_init(|| crate::analysis::connstr::find_in_doc(self.doc))
    }
}

pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    /// Appends this rule's findings for one document.
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

/// Every rule, in id order.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static dyn Rule> = Vec::new();
        v.extend(input::rules());
        v.extend(key::rules());
        v.extend(conn::rules());
        v.extend(mi::rules());
        v.extend(rbac::rules());
        v.sort_by_key(|r| r.meta().id);
        v
    })
}

/// Looks a rule up by id (`KEY001`) or name (`literal-secret`), case-insensitively.
pub fn find(id_or_name: &str) -> Option<&'static dyn Rule> {
    all().iter().copied().find(|r| {
        r.meta().id.eq_ignore_ascii_case(id_or_name)
            || r.meta().name.eq_ignore_ascii_case(id_or_name)
    })
}

/// The README's rule table, generated from the registry and the rule pages.
pub fn markdown_table() -> String {
    let mut s = String::from("| id | name | default | what it finds |\n|---|---|---|---|\n");
    for r in all() {
        let m = r.meta();
        s.push_str(&format!(
            "| [{id}](rules/{id}.md) | `{name}` | {sev} | {summary} |\n",
            id = m.id,
            name = m.name,
            sev = m.default_severity,
            summary = m.summary.replace('|', "\\|")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code table is stable: ids are unique, well-formed, in their family, and documented by
    /// a page whose heading names the id and the name.
    #[test]
    fn rule_codes_are_unique_well_formed_and_documented() {
        let mut ids = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for r in all() {
            let m = r.meta();
            assert!(ids.insert(m.id), "duplicate id {}", m.id);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            let prefix = m.family.prefix();
            assert!(m.id.starts_with(prefix), "{} not in family {prefix}", m.id);
            let digits = &m.id[prefix.len()..];
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                m.id
            );
            assert!(
                m.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                m.name
            );
            let heading = format!("# {} {}", m.id, m.name);
            assert!(
                m.doc.starts_with(&heading),
                "rules/{}.md must start with `{heading}`",
                m.id
            );
            for section in [
                "## What it does",
                "## Why is this bad",
                "## Example",
                "## Use instead",
            ] {
                assert!(
                    m.doc.contains(section),
                    "rules/{}.md lacks `{section}`",
                    m.id
                );
            }
            assert!((0.0..=10.0).contains(&m.security_severity));
        }
    }

    /// The README's rule table is generated (`keyless rules --markdown`); this fails when it drifts
    /// from the registry.
    #[test]
    fn readme_rule_table_is_current() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("<!-- rules:start -->")
            .expect("README has the rules:start marker");
        let end = readme
            .find("<!-- rules:end -->")
            .expect("README has the rules:end marker");
        let table = readme[start + "<!-- rules:start -->".len()..end].trim();
        assert_eq!(
            table,
            markdown_table().trim(),
            "README rule table is stale: regenerate it with `cargo run -- rules --markdown`"
        );
    }
}
