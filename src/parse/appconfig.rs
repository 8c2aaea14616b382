//! App configuration JSON (appsettings*.json, local.settings.json, secrets.json) and other JSON
//! (`config.json`, `launchSettings.json`, …) into the IR.
//!
//! The value tree is kept as `doc.root`; every string, number and boolean leaf also becomes a
//! [`Setting`] whose key is the .NET configuration path (`Logging:LogLevel:Default`, array items as
//! `Items:0`). Leaves under a top-level `ConnectionStrings` section are connection strings. In
//! `local.settings.json`, `Values:X` settings are named `X` (the whole entry key, even when it holds
//! `:` or `__`), and a `Values` entry named `ConnectionStrings:X` / `ConnectionStrings__X` is a
//! connection string too.

use crate::ir::{Document, Node, NodeKind, Setting, SettingSource};
use crate::source::{SourceFile, Span};

use crate::ir::classify::starts_with_ci;

/// Settings kept per file at most: memory stays bounded on huge generated JSON.
pub const MAX_SETTINGS: usize = 100_000;

pub fn parse_json(file: &SourceFile) -> Document {
    let lower = |p: super::json::JsonParse| {
        let mut settings = Vec::new();
        collect_settings(&p.root, &mut settings);
        Document {
            root: Some(p.root),
            comments: p.comments,
            problems: p.problems,
            settings,
            ..Document::default()
        }
    };
    match super::json::parse_plain(&file.text) {
        Ok(p) => lower(p),
        Err(e) => super::partial(file, e, lower),
    }
}

/// The settings of a JSON configuration tree (see the module documentation).
pub fn collect_settings(root: &Node, out: &mut Vec<Setting>) {
    let mut path = Vec::new();
    walk(root, root.span, &mut path, out);
}

fn walk(node: &Node, key_span: Span, path: &mut Vec<String>, out: &mut Vec<Setting>) {
    if out.len() >= MAX_SETTINGS {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries.iter() {
                path.push(e.key.clone());
                walk(&e.value, e.key_span, path, out);
                path.pop();
            }
        }
        NodeKind::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(item, item.span, path, out);
                path.pop();
            }
        }
        NodeKind::Str(_) | NodeKind::Number(_) | NodeKind::Bool(_) => {
            if !path.is_empty() {
                out.push(make_setting(path, key_span, node));
            }
        }
        NodeKind::Null | NodeKind::Expr(_) => {}
    }
}

fn make_setting(path: &[String], key_span: Span, value: &Node) -> Setting {
    let key = path.join(":");
    let local_value = path.len() == 2 && path[0].eq_ignore_ascii_case("Values");
    let name = if local_value {
        path[1].clone()
    } else {
        key.rsplit(':').next().unwrap_or("").to_string()
    };
    let source = source_of(path);
    Setting {
        key,
        name,
        key_span,
        value: value.clone(),
        source,
    }
}

fn source_of(path: &[String]) -> SettingSource {
    let Some(first) = path.first() else {
        return SettingSource::AppConfig;
    };
    if first.eq_ignore_ascii_case("ConnectionStrings") {
        return SettingSource::ConnectionString;
    }
    if first.eq_ignore_ascii_case("Values") {
        if let Some(second) = path.get(1) {
            if starts_with_ci(second, "ConnectionStrings:")
                || starts_with_ci(second, "ConnectionStrings__")
            {
                return SettingSource::ConnectionString;
            }
        }
    }
    SettingSource::AppConfig
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::StrClass;
    use crate::source::Format;
    use crate::testing::{at, setting};
    use std::path::PathBuf;

    fn load(rel: &str) -> SourceFile {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        SourceFile::new(path, name, text, Format::AppSettings)
    }

    #[test]
    fn appsettings_with_bom_and_comments() {
        let file = load("testdata/parse/appsettings/appsettings.json");
        let doc = parse_json(&file);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        let root = doc.root.as_ref().unwrap();
        // A section: the `ConnectionStrings` object starts on line 7, column 24.
        let cs = root.entry("ConnectionStrings").unwrap();
        assert_eq!(at(&file, cs.key_span), (7, 3));
        assert_eq!(at(&file, cs.value.span), (7, 24));
        // Comments keep their exact spans (the BOM does not shift columns).
        assert_eq!(doc.comments.len(), 2);
        assert_eq!(at(&file, doc.comments[0].span), (2, 3));
        assert_eq!(file.slice(doc.comments[0].span), "// Logging for the app");
        assert_eq!(at(&file, doc.comments[1].span), (6, 3));

        let keys: Vec<&str> = doc.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "Logging:LogLevel:Default",
                "ConnectionStrings:Default",
                "AllowedHosts:0",
                "AllowedHosts:1",
                "Retry:Count",
                "Retry:Enabled",
                "KeyVault"
            ]
        );
        let d = setting(&doc, "Logging:LogLevel:Default");
        assert_eq!(d.name, "Default");
        assert_eq!(d.source, SettingSource::AppConfig);
        assert_eq!(at(&file, d.key_span), (4, 19));
        assert_eq!(at(&file, d.value.span), (4, 30));
        assert_eq!(d.value.as_literal(), Some("Information"));

        let c = setting(&doc, "ConnectionStrings:Default");
        assert_eq!(c.source, SettingSource::ConnectionString);
        assert_eq!(at(&file, c.key_span), (8, 5));
        assert_eq!(at(&file, c.value.span), (8, 16));

        // Array items: the key span is the item's span.
        let h = setting(&doc, "AllowedHosts:1");
        assert_eq!(h.name, "1");
        assert_eq!(at(&file, h.key_span), (10, 38));
        assert_eq!(h.key_span, h.value.span);

        assert_eq!(
            setting(&doc, "Retry:Count").value.kind,
            NodeKind::Number("3".into())
        );
        assert_eq!(setting(&doc, "Retry:Enabled").value.as_bool(), Some(true));
        let kv = setting(&doc, "KeyVault").value.as_str().unwrap();
        assert_eq!(kv.class, StrClass::SecretRef);
    }

    #[test]
    fn local_settings_values_and_connection_strings() {
        let file = load("testdata/parse/appsettings/local.settings.json");
        let doc = parse_json(&file);
        assert!(doc.problems.is_empty());
        let s = setting(&doc, "Values:AzureWebJobsStorage");
        assert_eq!(s.name, "AzureWebJobsStorage");
        assert_eq!(s.source, SettingSource::AppConfig);
        assert_eq!(at(&file, s.key_span), (4, 5));
        assert_eq!(at(&file, s.value.span), (4, 28));
        let s = setting(&doc, "Values:ServiceBus__fullyQualifiedNamespace");
        assert_eq!(s.name, "ServiceBus__fullyQualifiedNamespace");
        let s = setting(&doc, "Values:ConnectionStrings:Sql");
        assert_eq!(s.name, "ConnectionStrings:Sql");
        assert_eq!(s.source, SettingSource::ConnectionString);
        let s = setting(&doc, "ConnectionStrings:Cosmos");
        assert_eq!(s.name, "Cosmos");
        assert_eq!(s.source, SettingSource::ConnectionString);
        assert_eq!(at(&file, s.value.span), (8, 36));
        assert_eq!(setting(&doc, "IsEncrypted").value.as_bool(), Some(false));
    }

    #[test]
    fn plain_json_yields_settings_and_broken_json_a_problem() {
        let text = "{\"profiles\": {\"web\": {\"environmentVariables\": {\"API_KEY\": \"k\"}}}}";
        let file = SourceFile::new(
            "launchSettings.json".into(),
            "l".into(),
            text.into(),
            Format::Json,
        );
        let doc = parse_json(&file);
        let s = setting(&doc, "profiles:web:environmentVariables:API_KEY");
        assert_eq!(s.name, "API_KEY");
        assert_eq!(at(&file, s.value.span), (1, 59));

        let file = SourceFile::new(
            "a.json".into(),
            "a".into(),
            "{\n \"a\": }".into(),
            Format::Json,
        );
        let doc = parse_json(&file);
        // what parsed before the error is kept (here an empty object), the rest read as text
        assert!(doc.partial);
        assert!(doc.settings.is_empty());
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(at(&file, doc.problems[0].span), (2, 7));
    }

    #[test]
    fn settings_are_capped() {
        let mut text = String::from("[");
        for i in 0..(MAX_SETTINGS + 10) {
            if i > 0 {
                text.push(',');
            }
            text.push('1');
        }
        text.push(']');
        let root = super::super::json::parse_plain(&text).unwrap().root;
        let mut out = Vec::new();
        // The root list is a path of its own: wrap it in a key.
        let wrapped = Node::new(
            root.span,
            NodeKind::Map(
                vec![crate::ir::Entry {
                    key: "a".into(),
                    key_span: root.span,
                    value: root,
                }]
                .into(),
            ),
        );
        collect_settings(&wrapped, &mut out);
        assert_eq!(out.len(), MAX_SETTINGS);
        assert_eq!(out[5].key, "a:5");
    }
}
