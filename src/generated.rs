//! Every document in the repository that is generated from the code: the README's rule table,
//! the catalog tables in rule pages, and `keyless.schema.json`. `cargo xtask generate` writes
//! them, `cargo xtask generate --check` (CI) and the test below fail when one would change.

use std::path::Path;

use crate::rules;

/// One generated document: its path relative to the repository root and the text it should have.
#[derive(Debug)]
pub struct Document {
    pub path: String,
    pub text: String,
}

/// The markers around the README's rule table.
pub const README_START: &str = "<!-- rules:start -->";
pub const README_END: &str = "<!-- rules:end -->";

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

/// Every generated document as it should be, read from and relative to the repository `root`.
/// An error names a file that cannot be read or lacks its markers.
pub fn documents(root: &Path) -> Result<Vec<Document>, String> {
    let read = |rel: &str| {
        std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: cannot read: {e}"))
    };
    let mut out = Vec::new();
    let readme = read("README.md")?;
    out.push(Document {
        path: "README.md".into(),
        text: replace_between(&readme, README_START, README_END, &rules::markdown_table())
            .map_err(|e| format!("README.md: {e}"))?,
    });
    for (rule, sections) in rules::page_tables() {
        let rel = format!("rules/{rule}.md");
        let mut page = read(&rel)?;
        for t in sections {
            page = replace_between(&page, t.start, t.end, &t.table)
                .map_err(|e| format!("{rel}: {e}"))?;
        }
        out.push(Document {
            path: rel,
            text: page,
        });
    }
    out.push(Document {
        path: "keyless.schema.json".into(),
        text: crate::config::schema(),
    });
    Ok(out)
}

/// The generated documents whose text differs from what is on disk under `root`.
pub fn stale(root: &Path) -> Result<Vec<Document>, String> {
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
            "README.md",
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
