//! Parts of the JSON Schema of `.keyless.toml`, which [`crate::config::schema`] generates from the
//! configuration types in `config.rs` (schemars) and `keyless config-schema` prints. The committed
//! `keyless.schema.json` is that output; a test fails when they differ. Editors that read JSON
//! Schemas for TOML (taplo, Even Better TOML) use it through a `#:schema` first line.
//!
//! The functions here give the schema of the fields whose Rust type keeps source positions
//! (`toml::Spanned`) or accepts several TOML types (sizes and durations).

use schemars::{json_schema, Schema, SchemaGenerator};

use crate::finding::Family;
use crate::rules;

const FAMILIES: [Family; 5] = [
    Family::Key,
    Family::Conn,
    Family::Mi,
    Family::Rbac,
    Family::Input,
];

/// A rule selector: a rule id or a family prefix, in any case (as `rules::select::check_selector`
/// accepts them). The `enum` branch gives editors the canonical spellings to complete; the
/// `pattern` branch accepts the same names in any case.
fn selector_schema() -> Schema {
    let mut names: Vec<String> = FAMILIES.iter().map(|f| f.prefix().to_string()).collect();
    names.extend(rules::all().iter().map(|r| r.meta().id.to_string()));
    let any_case = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                } else {
                    c.to_string()
                }
            })
            .collect()
    };
    let pattern = format!(
        "^\\s*(?:{})\\s*$",
        names
            .iter()
            .map(|n| any_case(n))
            .collect::<Vec<_>>()
            .join("|")
    );
    json_schema!({
        "description": "A rule id (`keyless rules` lists them) or a family prefix (KEY, CONN, MI, RBAC, INPUT); any case.",
        "type": "string",
        "anyOf": [
            { "enum": names },
            { "pattern": pattern }
        ]
    })
}

pub(crate) fn selector_list(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": selector_schema() })
}

pub(crate) fn severity_map(_: &mut SchemaGenerator) -> Schema {
    let mut properties = serde_json::Map::new();
    for f in FAMILIES {
        properties.insert(f.prefix().to_string(), severity_schema().into());
    }
    for r in rules::all() {
        properties.insert(r.meta().id.to_string(), severity_schema().into());
    }
    json_schema!({
        "type": "object",
        "properties": properties,
        "propertyNames": selector_schema(),
        "additionalProperties": severity_schema()
    })
}

fn severity_schema() -> Schema {
    json_schema!({ "type": "string", "enum": ["error", "warning", "note"] })
}

pub(crate) fn per_file_ignores(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "propertyNames": { "type": "string", "minLength": 1 },
        "additionalProperties": { "type": "array", "items": selector_schema() }
    })
}

pub(crate) fn size(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*[0-9]+\\s*[KkMmGgBb]?\\s*$" }
        ]
    })
}

pub(crate) fn duration(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "number", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|min)?\\s*$" }
        ]
    })
}

pub(crate) fn pattern_id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^\\s*[A-Za-z0-9_-]+\\s*$" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schema as generate;

    /// The committed `keyless.schema.json` is what `keyless config-schema` prints.
    #[test]
    fn committed_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keyless.schema.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generate(),
            "keyless.schema.json is out of date: run `cargo run -- config-schema > keyless.schema.json`"
        );
    }

    #[test]
    fn schema_names_every_rule_and_section() {
        let v: serde_json::Value = serde_json::from_str(&generate()).unwrap();
        let props = &v["properties"];
        for section in ["rules", "paths", "limits", "patterns", "per-file-ignores"] {
            assert!(props.get(section).is_some(), "{section}");
        }
        assert_eq!(v["additionalProperties"], serde_json::Value::Bool(false));
        let text = generate();
        for r in rules::all() {
            assert!(
                text.contains(&format!("\"{}\"", r.meta().id)),
                "{}",
                r.meta().id
            );
        }
    }
}
