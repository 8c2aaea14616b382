//! Every document in the repository that is generated from the code: the book's rule list
//! (`docs/src/rules.md`), its page per rule (`docs/src/rules/<ID>.md`, which includes the rule's
//! page `rules/<ID>.md`) and their entries in `docs/src/SUMMARY.md`, the configuration reference
//! (`docs/src/configuration.md`, from the JSON Schema), the catalog tables in rule pages,
//! `keyless.schema.json`, and what follows from the format descriptors (`crate::formats`): the
//! book's table of formats, the pre-commit hook's file filter and the VS Code extension's globs,
//! languages and activation events. `cargo xtask generate` writes them, `cargo xtask generate --check` (CI)
//! and the test below fail when one would change.

use std::path::Path;

use crate::rules;

/// One generated document: its path relative to the repository root and the text it should have.
#[derive(Debug)]
pub struct GeneratedFile {
    pub path: String,
    pub text: String,
}

/// The table of input formats in the book ([`crate::formats::markdown_table`]).
pub const FORMATS_PAGE: &str = "docs/src/reading.md";
pub const FORMATS_START: &str = "<!-- formats:start -->";
pub const FORMATS_END: &str = "<!-- formats:end -->";

/// The pre-commit hook's file filter ([`crate::formats::pre_commit_regex`]).
pub const HOOKS: &str = ".pre-commit-hooks.yaml";
pub const HOOKS_START: &str =
    "# formats:start: generated from src/formats.rs by `cargo xtask generate`";
pub const HOOKS_END: &str = "# formats:end";

/// The VS Code extension's formats and activation events ([`crate::formats`]).
pub const VSCODE_FORMATS: &str = "editors/vscode/formats.json";
pub const VSCODE_PACKAGE: &str = "editors/vscode/package.json";

/// The documents whose Neovim `FileType` autocommands list the filetypes keyless reads
/// ([`crate::formats::nvim_pattern`]).
pub const NVIM_SNIPPETS: &[&str] = &["README.md", "docs/src/editors.md"];
/// The line of such an autocommand after which its `pattern` line stands.
pub const NVIM_AUTOCMD: &str = "vim.api.nvim_create_autocmd(\"FileType\", {";

/// `text` with the `pattern` line after each Neovim `FileType` autocommand replaced by
/// `pattern`; an error when there is no such autocommand, or one is not followed by a
/// `pattern` line.
pub fn replace_nvim_patterns(text: &str, pattern: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut found = 0;
    let mut after_autocmd = false;
    for line in text.split_inclusive('\n') {
        if after_autocmd {
            if !line.trim_start().starts_with("pattern = {") {
                return Err(format!(
                    "no `pattern = {{ … }}` line after `{NVIM_AUTOCMD}`"
                ));
            }
            out.push_str(pattern);
            out.push('\n');
            after_autocmd = false;
            found += 1;
            continue;
        }
        after_autocmd = line.trim_end() == NVIM_AUTOCMD;
        out.push_str(line);
    }
    if found == 0 {
        return Err(format!("no `{NVIM_AUTOCMD}` line"));
    }
    Ok(out)
}

/// The book's rule list, and the markers around its table.
pub const RULES_PAGE: &str = "docs/src/rules.md";
pub const RULES_START: &str = "<!-- rules:start -->";
pub const RULES_END: &str = "<!-- rules:end -->";

/// The markers around the "Report once" table of the rule list ([`precedence_table`]).
pub const MERGE_START: &str = "<!-- report-once:start -->";
pub const MERGE_END: &str = "<!-- report-once:end -->";

/// The "Report once" table: which rule reports when two find the same problem, from
/// [`rules::merge::PRECEDENCE`].
pub fn precedence_table() -> String {
    use rules::merge::{SeverityRule, PRECEDENCE};
    let mut out = String::from("| reports | folds in | severity | where |\n|---|---|---|---|\n");
    for p in PRECEDENCE {
        let severity = match p.severity {
            SeverityRule::Higher => "the higher of the two".to_string(),
            SeverityRule::Reporting => format!("{}'s", p.reports),
        };
        out.push_str(&format!(
            "| {} | {} | {severity} | {} |\n",
            p.reports,
            p.folds,
            p.why.replace('|', "\\|")
        ));
    }
    out
}

/// The book's table of contents, and the markers around the entries of the rule pages.
pub const SUMMARY: &str = "docs/src/SUMMARY.md";
pub const SUMMARY_START: &str = "<!-- rule-pages:start -->";
pub const SUMMARY_END: &str = "<!-- rule-pages:end -->";

/// The book's configuration page, and the markers around the reference generated from the schema.
pub const CONFIG_PAGE: &str = "docs/src/configuration.md";
pub const CONFIG_START: &str = "<!-- config-reference:start -->";
pub const CONFIG_END: &str = "<!-- config-reference:end -->";

/// The book's page of a rule: the rule's page `rules/<ID>.md`, included when the book is built
/// (mdBook's `{{#include}}`), so the text is written once.
pub fn rule_book_page(id: &str) -> (String, String) {
    (
        format!("docs/src/rules/{id}.md"),
        format!(
            "<!-- generated by `cargo xtask generate`: the page is rules/{id}.md -->\n\
             {{{{#include ../../../rules/{id}.md}}}}\n"
        ),
    )
}

/// The entries of the rule pages in the book's table of contents, under the rule list.
pub fn summary_entries() -> String {
    rules::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            format!("  - [{} {}](rules/{}.md)\n", m.id, m.name, m.id)
        })
        .collect()
}

/// The configuration reference: each table of `.keyless.toml` with its keys, their types,
/// defaults and descriptions, read from the JSON Schema (`keyless config-schema`).
pub fn config_reference(schema: &serde_json::Value) -> String {
    use serde_json::Value;
    let resolve = |v: &'_ Value| -> Value {
        match v["$ref"].as_str() {
            Some(r) => schema["definitions"][r.trim_start_matches("#/definitions/")].clone(),
            None => v.clone(),
        }
    };
    // one line of Markdown, a table cell when `cell`
    let text = |v: &Value, cell: bool| -> String {
        let s = v
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if cell {
            s.replace('|', "\\|")
        } else {
            s
        }
    };
    fn kind(v: &Value) -> String {
        if let Some(alts) = v["anyOf"].as_array() {
            let mut kinds: Vec<String> = alts.iter().map(kind).filter(|k| !k.is_empty()).collect();
            kinds.dedup();
            return kinds.join(" or ");
        }
        match v["type"].as_str() {
            Some("array") => match kind(&v["items"]).as_str() {
                "" => "array".to_string(),
                item => format!("array of {item}s"),
            },
            Some("object") => "table".to_string(),
            Some("integer") | Some("number") => "number".to_string(),
            Some(t) => t.to_string(),
            None if v.get("enum").is_some() => "string".to_string(),
            None => String::new(),
        }
    }
    let table = |out: &mut String, owner: &Value| {
        let Some(props) = owner["properties"].as_object() else {
            return;
        };
        let required: Vec<&str> = owner["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        out.push_str("\n| key | type | default | meaning |\n|---|---|---|---|\n");
        for (key, p) in props {
            let p = resolve(p);
            let default = match &p["default"] {
                Value::Null if required.contains(&key.as_str()) => "required".to_string(),
                Value::Null => String::new(),
                d => format!("`{d}`"),
            };
            out.push_str(&format!(
                "| `{key}` | {} | {default} | {} |\n",
                kind(&p),
                text(&p["description"], true)
            ));
        }
    };
    let mut out = String::new();
    let Some(tables) = schema["properties"].as_object() else {
        return out;
    };
    for (name, prop) in tables {
        let prop = resolve(prop);
        let (heading, body) = if prop["type"] == "array" {
            (format!("[[{name}]]"), resolve(&prop["items"]))
        } else {
            (format!("[{name}]"), prop.clone())
        };
        let mut about = text(&prop["description"], false);
        if about.is_empty() {
            about = text(&body["description"], false);
        }
        out.push_str(&format!("\n### `{heading}`\n\n{about}\n"));
        table(&mut out, &body);
    }
    out.trim_start().to_string()
}

/// `text` with what stands between `start` and `end` replaced by `body` (a newline after the
/// start marker, then `body`, which ends with a newline). An error when a marker is missing.
pub fn replace_between(text: &str, start: &str, end: &str, body: &str) -> Result<String, String> {
    let s = text
        .find(start)
        .ok_or_else(|| format!("no `{start}` marker"))?
        + start.len();
    let e = text[s..]
        .find(end)
        .ok_or_else(|| format!("no `{end}` after `{start}`"))?
        + s;
    Ok(format!("{}\n{body}{}", &text[..s], &text[e..]))
}

/// Why the generated documents could not be computed ([`documents`]): a file to rewrite that
/// cannot be read, or lacks what marks the generated part.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {problem}")]
    Markers { path: String, problem: String },
    #[error("the configuration schema: {0}")]
    Schema(#[from] serde_json::Error),
}

/// Every generated document as it should be, read from and relative to the repository `root`.
/// An error names a file that cannot be read or lacks its markers.
pub fn documents(root: &Path) -> Result<Vec<GeneratedFile>, GenerateError> {
    let read = |rel: &str| {
        std::fs::read_to_string(root.join(rel)).map_err(|source| GenerateError::Read {
            path: rel.into(),
            source,
        })
    };
    let markers = |rel: &str| {
        let path = rel.to_string();
        move |problem: String| GenerateError::Markers { path, problem }
    };
    let mut out = Vec::new();
    let replaced =
        |rel: &str, start: &str, end: &str, body: &str| -> Result<GeneratedFile, GenerateError> {
            Ok(GeneratedFile {
                path: rel.into(),
                text: replace_between(&read(rel)?, start, end, body).map_err(markers(rel))?,
            })
        };
    let rules_page = replace_between(
        &read(RULES_PAGE)?,
        RULES_START,
        RULES_END,
        &rules::markdown_table(),
    )
    .and_then(|page| replace_between(&page, MERGE_START, MERGE_END, &precedence_table()))
    .map_err(markers(RULES_PAGE))?;
    out.push(GeneratedFile {
        path: RULES_PAGE.into(),
        text: rules_page,
    });
    out.push(replaced(
        SUMMARY,
        SUMMARY_START,
        SUMMARY_END,
        &summary_entries(),
    )?);
    for r in rules::all() {
        let (path, text) = rule_book_page(r.meta().id);
        out.push(GeneratedFile { path, text });
    }
    out.push(replaced(
        FORMATS_PAGE,
        FORMATS_START,
        FORMATS_END,
        &crate::formats::markdown_table(),
    )?);
    out.push(replaced(
        HOOKS,
        HOOKS_START,
        HOOKS_END,
        &format!("  files: '{}'\n", crate::formats::pre_commit_regex()),
    )?);
    out.push(GeneratedFile {
        path: VSCODE_FORMATS.into(),
        text: crate::formats::vscode_formats_json(),
    });
    let events: Vec<String> = crate::formats::vscode_activation_events()
        .iter()
        .map(|e| format!("    \"{e}\""))
        .collect();
    out.push(replaced(
        VSCODE_PACKAGE,
        "\"activationEvents\": [",
        "]",
        &format!("{}\n  ", events.join(",\n")),
    )?);
    for rel in NVIM_SNIPPETS {
        out.push(GeneratedFile {
            path: (*rel).into(),
            text: replace_nvim_patterns(&read(rel)?, &crate::formats::nvim_pattern())
                .map_err(markers(rel))?,
        });
    }
    let schema = crate::config::schema();
    let parsed: serde_json::Value = serde_json::from_str(&schema)?;
    out.push(replaced(
        CONFIG_PAGE,
        CONFIG_START,
        CONFIG_END,
        &config_reference(&parsed),
    )?);
    for (rule, sections) in rules::page_tables() {
        let rel = format!("rules/{rule}.md");
        let mut page = read(&rel)?;
        for t in sections {
            page = replace_between(&page, t.start, t.end, &t.table).map_err(markers(&rel))?;
        }
        out.push(GeneratedFile {
            path: rel,
            text: page,
        });
    }
    out.push(GeneratedFile {
        path: "keyless.schema.json".into(),
        text: schema,
    });
    Ok(out)
}

/// The generated documents whose text differs from what is on disk under `root`.
pub fn stale(root: &Path) -> Result<Vec<GeneratedFile>, GenerateError> {
    Ok(documents(root)?
        .into_iter()
        .filter(|d| std::fs::read_to_string(root.join(&d.path)).ok().as_deref() != Some(&d.text))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed generated documents are current: `cargo xtask generate` rewrites them.
    #[test]
    fn every_generated_document_is_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs = documents(root).unwrap();
        for want in [
            RULES_PAGE,
            SUMMARY,
            CONFIG_PAGE,
            "docs/src/rules/KEY001.md",
            FORMATS_PAGE,
            HOOKS,
            VSCODE_FORMATS,
            VSCODE_PACKAGE,
            "README.md",
            "docs/src/editors.md",
            "rules/MI003.md",
            "rules/MI004.md",
            "rules/KEY007.md",
            "keyless.schema.json",
        ] {
            assert!(
                docs.iter().any(|d| d.path == want),
                "{want} is not generated"
            );
        }
        let stale: Vec<String> = stale(root).unwrap().into_iter().map(|d| d.path).collect();
        assert!(
            stale.is_empty(),
            "{stale:?} are stale: regenerate them with `cargo xtask generate`"
        );
    }

    /// The configuration reference has every table of `.keyless.toml` and every key of each.
    #[test]
    fn the_configuration_reference_names_every_table_and_key() {
        let schema: serde_json::Value = serde_json::from_str(&crate::config::schema()).unwrap();
        let text = config_reference(&schema);
        for table in [
            "[rules]",
            "[paths]",
            "[limits]",
            "[per-file-ignores]",
            "[[patterns]]",
        ] {
            assert!(text.contains(&format!("### `{table}`\n")), "{table}");
        }
        for key in [
            "select",
            "ignore",
            "severity",
            "exclude",
            "include-generated",
            "max-file-size",
            "file-timeout",
            "id",
            "regex",
            "description",
        ] {
            assert!(text.contains(&format!("\n| `{key}` | ")), "{key}");
        }
    }

    #[test]
    fn nvim_patterns_are_replaced_after_each_autocommand_only() {
        let text =
            format!("a\n{NVIM_AUTOCMD}\n  pattern = {{ \"x\" }},\n  pattern = {{ \"y\" }},\n");
        assert_eq!(
            replace_nvim_patterns(&text, "  pattern = { \"z\" },").unwrap(),
            format!("a\n{NVIM_AUTOCMD}\n  pattern = {{ \"z\" }},\n  pattern = {{ \"y\" }},\n")
        );
        assert!(replace_nvim_patterns("no autocommand\n", "p").is_err());
        assert!(replace_nvim_patterns(&format!("{NVIM_AUTOCMD}\n  callback = f,\n"), "p").is_err());
    }

    #[test]
    fn replace_between_keeps_the_markers_and_fails_without_them() {
        let t = "a\n<!-- s -->\nold\n<!-- e -->\nb\n";
        assert_eq!(
            replace_between(t, "<!-- s -->", "<!-- e -->", "new\n").unwrap(),
            "a\n<!-- s -->\nnew\n<!-- e -->\nb\n"
        );
        assert!(replace_between(t, "<!-- x -->", "<!-- e -->", "").is_err());
        assert!(replace_between("<!-- e --><!-- s -->", "<!-- s -->", "<!-- e -->", "").is_err());
    }
}
