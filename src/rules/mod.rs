//! Rules: one file per rule (or per small family of input diagnostics), each holding its metadata,
//! its check and its tests. The registry below is the one list every consumer reads: the scan,
//! `keyless rules`, `keyless explain`, SARIF `tool.driver.rules` and the book's rule list
//! (`docs/src/rules.md`).

pub mod conn;
#[cfg(test)]
mod fixture_tests;
pub mod input;
pub mod key;
pub mod merge;
pub mod mi;
pub mod props;
pub mod rbac;
/// `cargo xtask new-rule`'s output for KEY001 (xtask tests that it is current): compiled here so a
/// scaffolded rule is known to compile with `declare_rule!`; not registered.
#[cfg(test)]
#[path = "../../xtask/sample/key001_literal_secret.rs"]
mod scaffold_sample;
pub mod select;

use std::sync::OnceLock;

use crate::analysis::secrets::SecretPattern;
use crate::finding::{Finding, RuleMeta};
use crate::ir::Document;
use crate::source::{Format, SourceFile};

/// What a rule sees: the file (for its text and line index) and the IR. Rules never see a
/// format-specific parse tree.
pub struct Context<'a> {
    pub file: &'a SourceFile,
    pub format: Format,
    pub doc: &'a Document,
    /// What the user's configuration says to the rules themselves (rule selection and severity
    /// overrides are applied by the scan, not by rules).
    pub settings: Settings<'a>,
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
        settings: Settings<'a>,
    ) -> Self {
        Context {
            file,
            format,
            doc,
            settings,
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
        if n.is_multiple_of(64) && std::time::Instant::now() >= deadline {
            self.late.set(true);
        }
        self.late.get()
    }

    /// True when a rule has seen the deadline pass (see [`Context::out_of_time`]).
    pub fn was_late(&self) -> bool {
        self.late.get()
    }

    /// Every connection string of the document ([`crate::analysis::connstr::find_in_doc`]),
    /// found once and shared by CONN001 and CONN002; the search stops at the per-file deadline
    /// ([`Context::out_of_time`]).
    pub fn connection_strings(&self) -> &[crate::analysis::connstr::Found<'a>] {
        self.connection_strings.get_or_init(|| {
            crate::analysis::connstr::find_in_doc_until(self.doc, &|| self.out_of_time())
        })
    }
}

/// The part of the configuration rules read: a view, built per file without copying.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings<'a> {
    /// `[[patterns]]`: extra secret patterns (KEY001).
    pub patterns: &'a [SecretPattern],
}

/// What a rule is: its metadata. [`declare_rule!`] writes it for a unit-struct rule; a type that
/// several rules share (the INPUT rules) implements it once, returning its `meta` field.
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;

    /// The documents the rule checks ([`Inputs`]); the others are never given to its `check`.
    /// Every document unless the declaration says `reads: [...]`.
    fn reads(&self) -> Inputs {
        Inputs::ALL
    }

    /// The rules whose finding this rule's finding absorbs when both report the same place (the
    /// pairs of [`merge::PRECEDENCE`], which says how). Declared with `absorbs: [...]`.
    fn absorbs(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether the rule's result can depend on parameter values (a default, or a caller's
    /// argument bound to the parameter, [`crate::ir::Param::argument`]). A module bound to a
    /// caller's arguments is checked by these rules only: the others report the same in the
    /// module's own scan. True unless the declaration says `reads_parameters: false`.
    fn reads_parameters(&self) -> bool {
        true
    }
}

pub trait Rule: Declared + Sync + Send {
    /// Appends this rule's findings for one document, one of those it [reads](Declared::reads).
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);

    /// Runs [`Rule::check`] on a document the rule reads; nothing on the others. What every
    /// caller runs a rule through.
    fn run(&self, cx: &Context, out: &mut Vec<Finding>) {
        if self.reads().accepts(cx.doc) {
            self.check(cx, out);
        }
    }
}

/// Which documents a rule reads: their dialects, and whether values files (ARM parameter files,
/// `.bicepparam`, `.tfvars`: [`Document::values_file`]), the other documents, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    pub dialects: &'static [crate::ir::Dialect],
    pub files: FileKinds,
}

/// Values files, the other documents (templates, configurations, app settings), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKinds {
    Both,
    /// Templates, modules and app configurations, not values files.
    Definitions,
    /// Values files only.
    Values,
}

impl Inputs {
    /// Every document.
    pub const ALL: Inputs = Inputs {
        dialects: &[
            crate::ir::Dialect::Arm,
            crate::ir::Dialect::Bicep,
            crate::ir::Dialect::Terraform,
            crate::ir::Dialect::AppConfig,
        ],
        files: FileKinds::Both,
    };

    /// Whether a rule reading these inputs checks `doc`.
    pub fn accepts(&self, doc: &Document) -> bool {
        self.dialects.contains(&doc.dialect)
            && match self.files {
                FileKinds::Both => true,
                FileKinds::Definitions => !doc.values_file,
                FileKinds::Values => doc.values_file,
            }
    }
}

/// Declares a rule: its metadata (`RuleMeta`, with the page `rules/<ID>.md` embedded) and the
/// static the registry lists. The one way to declare a rule; `cargo xtask new-rule` writes it.
///
/// A rule that is a unit struct (most rules) gets `pub static META`, the struct, `pub static RULE`
/// and its [`Declared`] impl; the file then writes `impl Rule for X { fn check(..) }`:
///
/// ```ignore
/// declare_rule! {
///     pub struct LiteralSecret;
///     id: "KEY001",
///     name: "literal-secret",
///     family: Key,
///     severity: Error,
///     security_severity: 9.0,
///     summary: "A key, token or private key is written as a literal value.",
/// }
/// ```
///
/// A rule whose findings cannot change when a module's parameters are bound to a caller's
/// arguments (it never reads a parameter's value, through the value resolver or otherwise) adds
/// `reads_parameters: false,` after `summary`; module following then skips it.
///
/// Then, in this order and each optional: `reads: [Arm, Bicep] in Definitions,` (the dialects
/// and file kinds it checks, [`Inputs`]: `Both`, `Definitions` or `Values`; every document when
/// absent; its `check` is never called on the others) and `absorbs: ["KEY001"],` (the rules
/// whose finding at the same place folds into this rule's, [`merge::PRECEDENCE`]).
///
/// A rule that is a value of a shared type (the INPUT rules: one type, one problem kind per rule)
/// names the static and the type's other fields; the type has a `meta: &'static RuleMeta` field
/// and implements [`Declared`] once:
///
/// ```ignore
/// declare_rule! {
///     static UNPARSEABLE_FILE: InputRule { kind: InputProblemKind::Syntax };
///     id: "INPUT001",
///     ...
/// }
/// ```
macro_rules! declare_rule {
    (@meta $id:literal, $name:literal, $family:ident, $sev:ident, $ss:literal, $summary:expr) => {
        $crate::finding::RuleMeta {
            id: $id,
            name: $name,
            family: $crate::finding::Family::$family,
            default_severity: $crate::finding::Severity::$sev,
            summary: $summary,
            security_severity: $ss,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".md")),
        }
    };
    (
        $(#[$attr:meta])*
        $vis:vis struct $ty:ident;
        id: $id:literal,
        name: $name:literal,
        family: $family:ident,
        severity: $sev:ident,
        security_severity: $ss:literal,
        summary: $summary:expr
        $(, reads_parameters: $reads:literal)?
        $(, reads: [$($dialect:ident),+ $(,)?] in $files:ident)?
        $(, absorbs: [$($absorbed:literal),+ $(,)?])? $(,)?
    ) => {
        pub static META: $crate::finding::RuleMeta =
            $crate::rules::declare_rule!(@meta $id, $name, $family, $sev, $ss, $summary);

        $(#[$attr])*
        $vis struct $ty;

        pub static RULE: $ty = $ty;

        impl $crate::rules::Declared for $ty {
            fn meta(&self) -> &'static $crate::finding::RuleMeta {
                &META
            }
            $(
                fn reads_parameters(&self) -> bool {
                    $reads
                }
            )?
            $(
                fn reads(&self) -> $crate::rules::Inputs {
                    $crate::rules::Inputs {
                        dialects: &[$($crate::ir::Dialect::$dialect),+],
                        files: $crate::rules::FileKinds::$files,
                    }
                }
            )?
            $(
                fn absorbs(&self) -> &'static [&'static str] {
                    &[$($absorbed),+]
                }
            )?
        }
    };
    (
        $(#[$attr:meta])*
        $vis:vis static $static:ident: $ty:ident { $($field:ident: $value:expr),* $(,)? };
        id: $id:literal,
        name: $name:literal,
        family: $family:ident,
        severity: $sev:ident,
        security_severity: $ss:literal,
        summary: $summary:expr $(,)?
    ) => {
        $(#[$attr])*
        $vis static $static: $ty = $ty {
            meta: &$crate::rules::declare_rule!(@meta $id, $name, $family, $sev, $ss, $summary),
            $($field: $value),*
        };
    };
}
pub(crate) use declare_rule;

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

/// The book's rule list (`docs/src/rules.md`), generated from the registry and the rule pages.
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

/// A generated table in a rule page: the markers around it and the table.
pub struct PageTable {
    pub start: &'static str,
    pub end: &'static str,
    pub table: String,
}

/// The generated tables of rule pages, per page (rule id) ([`crate::generated`] writes and
/// checks them).
pub fn page_tables() -> Vec<(&'static str, Vec<PageTable>)> {
    use key::key007_key_handed_on as key007;
    let mut pages: Vec<(&'static str, Vec<PageTable>)> = vec![(
        "KEY007",
        vec![PageTable {
            start: key007::TABLE_START,
            end: key007::TABLE_END,
            table: key007::markdown_table(),
        }],
    )];
    let mut add =
        |rule: &'static str, table: PageTable| match pages.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, tables)) => tables.push(table),
            None => pages.push((rule, vec![table])),
        };
    for rule in props::rules() {
        add(
            rule,
            PageTable {
                start: props::TABLE_START,
                end: props::TABLE_END,
                table: props::markdown_table(rule),
            },
        );
    }
    // The service catalog: what each service accepts and what to do, on the pages of the rules
    // whose advice comes from it; the documented-required roles on RBAC001's.
    use crate::analysis::services;
    for rule in SERVICE_PAGES {
        add(
            rule,
            PageTable {
                start: services::TABLE_START,
                end: services::TABLE_END,
                table: services::markdown_table(),
            },
        );
    }
    use crate::analysis::{identity, key_users};
    add(
        "MI003",
        PageTable {
            start: key_users::TABLE_START,
            end: key_users::TABLE_END,
            table: key_users::markdown_table(),
        },
    );
    add(
        "MI001",
        PageTable {
            start: identity::TABLE_START,
            end: identity::TABLE_END,
            table: identity::markdown_table(),
        },
    );
    add(
        "RBAC001",
        PageTable {
            start: services::REQUIRED_START,
            end: services::REQUIRED_END,
            table: services::required_roles_table(),
        },
    );
    pages
}

/// The rule pages that show the service catalog's table.
pub const SERVICE_PAGES: &[&str] = &["MI003", "CONN001", "CONN002"];

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
                "## Fix",
            ] {
                assert!(
                    m.doc.contains(section),
                    "rules/{}.md lacks `{section}`",
                    m.id
                );
            }
            assert!((0.0..=10.0).contains(&m.security_severity));
            assert!(
                !m.doc.contains(SCAFFOLD) && !m.summary.contains(SCAFFOLD),
                "{}: the page or summary still has `cargo xtask new-rule`'s `{SCAFFOLD}` text",
                m.id
            );
        }
    }

    /// What `cargo xtask new-rule` marks scaffolded text with; refused in rule files, pages,
    /// summaries and fixtures.
    pub(super) const SCAFFOLD: &str = "keyless-scaffold";

    /// A scaffolded rule compiles with the macro and runs: the sample declares KEY001's metadata
    /// (its page exists) and finds nothing until its check is written.
    #[test]
    fn scaffolded_rule_compiles_and_runs() {
        let rule: &dyn Rule = &scaffold_sample::RULE;
        assert_eq!(rule.meta().id, "KEY001");
        assert_eq!(rule.meta().family, crate::finding::Family::Key);
        assert!(rule.meta().summary.contains(SCAFFOLD));
        let text = r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "a"}]}"#;
        let path = std::path::PathBuf::from("t.json");
        let format = crate::discover::format_for_explicit(&path, text.as_bytes());
        let file = crate::source::SourceFile::new(path, "t.json".into(), text.into(), format);
        let parsed = crate::parse::parse(&file);
        let cx = Context::new(&file, parsed.format, &parsed.doc, Settings::default());
        let mut out = Vec::new();
        rule.run(&cx, &mut out);
        assert!(out.is_empty());
    }

    /// What a rule declares it reads decides which documents reach its `check`: values files
    /// or definitions, and dialects.
    #[test]
    fn declared_inputs_decide_which_documents_a_rule_checks() {
        let reads = |id: &str| {
            all()
                .iter()
                .find(|r| r.meta().id == id)
                .map(|r| r.reads())
                .unwrap()
        };
        let tf = crate::testing::parse_text("main.tf", "variable \"a\" {}\n");
        let tfvars = crate::testing::parse_text("prod.tfvars", "a = 1\n");
        let bicep = crate::testing::parse_text("main.bicep", "param a string\n");
        let app = crate::testing::parse_text("appsettings.json", "{}");
        assert!(tfvars.values_file && !tf.values_file);
        // KEY004: values files only
        assert!(reads("KEY004").accepts(&tfvars) && !reads("KEY004").accepts(&tf));
        // KEY006: Terraform definitions only
        assert!(reads("KEY006").accepts(&tf));
        assert!(!reads("KEY006").accepts(&tfvars) && !reads("KEY006").accepts(&bicep));
        // KEY003: ARM and Bicep; KEY007: no app configuration
        assert!(reads("KEY003").accepts(&bicep) && !reads("KEY003").accepts(&tf));
        assert!(!reads("KEY007").accepts(&app) && reads("KEY007").accepts(&tf));
        // undeclared: everything
        assert_eq!(reads("KEY001"), Inputs::ALL);
        assert!(Inputs::ALL.accepts(&app) && Inputs::ALL.accepts(&tfvars));
    }

    /// The layers stay apart: rules and analyses read the IR, the source and their own settings
    /// ([`Settings`]), never the configuration or a parser; rule selection lives here and is not
    /// re-exported through the configuration (which would make `config` the way in again).
    #[test]
    fn rules_and_analyses_import_neither_config_nor_parsers() {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    // code before the unit tests (tests may parse a text to get a document)
                    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
                    out.push((p.display().to_string(), code.to_string()));
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src.join("rules"), &mut files);
        walk(&src.join("analysis"), &mut files);
        files.retain(|(p, _)| !p.ends_with("fixture_tests.rs"));
        assert!(files.len() > 30);
        for (path, code) in &files {
            for banned in ["crate::config", "crate::parse", "crate::scan"] {
                assert!(!code.contains(banned), "{path} uses {banned}");
            }
        }
        let config = std::fs::read_to_string(src.join("config.rs")).unwrap();
        assert!(!config.contains("pub use crate::rules"));
    }

    /// Every rule is declared with `declare_rule!`: no rule file writes a `RuleMeta` or a `meta()`
    /// by hand, and each rule file declares exactly one rule.
    #[test]
    fn every_rule_is_declared_with_the_macro() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules");
        let mut files = 0;
        for family in std::fs::read_dir(root).unwrap() {
            let dir = family.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&dir).unwrap() {
                let path = f.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name == "mod.rs" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                files += 1;
                assert_eq!(
                    code.matches("declare_rule! {").count(),
                    1,
                    "{name}: one `declare_rule!` per rule file"
                );
                assert!(
                    !text.contains(SCAFFOLD),
                    "{name}: still has `cargo xtask new-rule`'s `{SCAFFOLD}` text"
                );
                assert!(
                    !code.contains("RuleMeta {") && !code.contains("fn meta("),
                    "{name}: declare the rule with `declare_rule!`, not by hand"
                );
                let id = name.split('_').next().unwrap().to_ascii_uppercase();
                assert!(
                    code.contains(&format!("id: \"{id}\"")),
                    "{name}: the file name starts with the rule id"
                );
            }
        }
        let input = include_str!("input.rs");
        let input_rules = all()
            .iter()
            .filter(|r| r.meta().family == crate::finding::Family::Input)
            .count();
        assert_eq!(input.matches("declare_rule! {").count(), input_rules);
        assert_eq!(files + input_rules, all().len());
    }
}
