//! KEY001 literal-secret: a key, token or private key written as a literal value, found by the
//! secret patterns (`rules/secret-patterns.tsv`): Azure identifiable keys with verified checksums,
//! keys identified by their context (`AccountKey=…`), SAS signatures, PEM private keys, JWTs.

use crate::analysis::connstr::{flatten, Fragment};
use crate::analysis::secrets::{
    find_secrets_in_setting, value_sub_span, value_sub_span_nth, Confidence,
};
use crate::finding::{Finding, Severity};
use crate::ir::{Expr, Node, NodeKind, PathStep, StrClass};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct LiteralSecret;
    id: "KEY001",
    name: "literal-secret",
    family: Key,
    severity: Error,
    security_severity: 9.0,
    summary: "A key, token or private key is written as a literal value.",
    reads_parameters: false,
}

impl Rule for LiteralSecret {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // A parameter's default sits under `defaultValue` (ARM) or under no key at all (Bicep,
        // Terraform): the parameter's name is the name it holds a value for
        // (`"StorageAccounts_Keys": { "defaultValue": "<key>" }`).
        let defaults: std::collections::HashMap<crate::source::Span, &str> = cx
            .doc
            .params
            .iter()
            .filter_map(|p| p.default.as_ref().map(|d| (d.span, p.name.as_str())))
            .collect();
        // A setting written as a name/value pair (ARM `appSettings: [{ name, value }]`) holds its
        // `value` for its name.
        let settings: std::collections::HashMap<crate::source::Span, &str> = cx
            .doc
            .settings
            .iter()
            .map(|s| (s.value.span, s.key.as_str()))
            .collect();
        for tree in cx.doc.trees() {
            tree.walk(&mut |path, node| {
                if cx.out_of_time() {
                    return;
                }
                let (value, name, expr) = match &node.kind {
                    NodeKind::Str(s) => match &s.class {
                        StrClass::Literal => {
                            let pair = path
                                .last_key()
                                .is_some_and(|k| k.eq_ignore_ascii_case("value"));
                            let name = defaults
                                .get(&node.span)
                                .or_else(|| pair.then(|| settings.get(&node.span)).flatten())
                                .copied()
                                .or_else(|| value_name(path));
                            (s.value.as_str(), name, None)
                        }
                        // the literal pieces of an expression: `concat('…;AccountKey=', 'KEY')`
                        StrClass::Expression(e) => ("", None, Some(e)),
                        // placeholders and secret references are not secrets
                        _ => return,
                    },
                    NodeKind::Expr(e) => ("", None, Some(e)),
                    _ => return,
                };
                if let Some(e) = expr {
                    // adjacent literal pieces joined (`concat('…;AccountKey=', 'KEY')`), then the
                    // literals inside the other sub-expressions (ternary branches, arguments,
                    // interpolation parts, items): met in source order, so the n-th piece
                    // holding a secret is reported at the secret's n-th place in the source
                    let mut met = Met::default();
                    for piece in flatten(e) {
                        match piece {
                            Fragment::Text(t) => report(cx, node, &t, None, Some(&mut met), out),
                            Fragment::Hole(h) => h.walk(&mut |x| {
                                if let Expr::Str(t) = x {
                                    report(cx, node, t, None, Some(&mut met), out);
                                }
                            }),
                        }
                    }
                } else {
                    report(cx, node, value, name, None, out);
                }
            });
        }
    }
}

/// How often each secret text was met in the pieces of one expression.
type Met = std::collections::HashMap<String, usize>;

/// The span of `value[range]`: for a piece of an expression, the secret's place in the source
/// counting the pieces already met with the same text.
fn span_of(
    cx: &Context,
    node: &Node,
    value: &str,
    range: std::ops::Range<usize>,
    met: Option<&mut Met>,
) -> crate::source::Span {
    match met {
        Some(met) => {
            let seen = met
                .entry(value.get(range.clone()).unwrap_or("").to_string())
                .or_default();
            let span = value_sub_span_nth(&cx.file.text, node.span, value, range, *seen);
            *seen += 1;
            span
        }
        None => value_sub_span(&cx.file.text, node.span, value, range),
    }
}

/// The name a literal sits under: its key, or for an item of a list (`"StorageKeys": ["…"]`)
/// the list's key.
fn value_name<'a>(path: &crate::ir::KeyPath<'a>) -> Option<&'a str> {
    path.last_key().or_else(|| {
        let list = path
            .0
            .iter()
            .rev()
            .take_while(|s| matches!(s, PathStep::Index(_)))
            .count();
        (list > 0).then(|| path.last_entry().map(|e| e.key.as_str()))?
    })
}

const HELP: &str = "remove the value, rotate it (it is exposed to everyone who can read this \
     file), and let the workload authenticate with a managed identity and a role assignment; where \
     a secret cannot be avoided, reference it from Key Vault";

/// Reports the secrets in one string (a literal value, or one literal piece of an expression):
/// the built-in patterns, then the extra `[[patterns]]` of `.keyless.toml`.
fn report(
    cx: &Context,
    node: &Node,
    value: &str,
    name: Option<&str>,
    mut met: Option<&mut Met>,
    out: &mut Vec<Finding>,
) {
    for p in cx.settings.patterns {
        for m in p.regex.find_iter(value.as_bytes()) {
            if m.is_empty() {
                continue;
            }
            let span = span_of(cx, node, value, m.range(), met.as_deref_mut());
            let secret = value.get(m.range()).unwrap_or("");
            out.push(
                Finding::new(
                    &META,
                    span,
                    format!(
                        "{} (pattern `{}` of the configuration) written as a literal value",
                        p.description, p.id
                    ),
                )
                .secret(secret, span)
                .help(HELP),
            );
        }
    }
    if value.len() < 16 {
        return;
    }
    for m in find_secrets_in_setting(name, value) {
        let span = span_of(cx, node, value, m.range.clone(), met.as_deref_mut());
        let severity = if m.confidence >= Confidence::Context {
            Severity::Error
        } else {
            Severity::Warning
        };
        let secret = value.get(m.range.clone()).unwrap_or("");
        out.push(
            Finding::new(
                &META,
                span,
                // "identifiable" only for keys with Microsoft's signature; nothing for a context
                format!(
                    "{}{}{} written as a literal value",
                    m.confidence.describe(),
                    if m.confidence.describe().is_empty() {
                        ""
                    } else {
                        " "
                    },
                    m.label
                ),
            )
            .severity(severity)
            .secret(secret, span)
            .help(HELP),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::secrets::testkeys::*;
    use crate::testing::{hits, text_findings, text_hits};

    #[test]
    fn silent_on_fixtures() {
        for f in [
            "testdata/KEY001/silent/azuredeploy.json",
            "testdata/KEY001/silent/appsettings.json",
            "testdata/KEY001/silent/package-lock.json",
            "testdata/KEY001/silent/main.tf",
            "testdata/KEY001/silent/.env",
            "testdata/KEY001/silent/cosmos-emulator.env",
        ] {
            assert_eq!(hits(f, "KEY001"), vec![], "{f}");
        }
    }

    /// A Cosmos DB key is labelled Cosmos DB, also behind a custom endpoint name where only
    /// `AccountEndpoint=` says so (a storage-key pattern must not call it "storage").
    #[test]
    fn cosmos_keys_are_not_labelled_storage() {
        let report = crate::testing::scan_fixture("testdata/KEY001/fire/cosmos.env");
        let f = &report.findings[0];
        assert!(
            f.message.contains("Azure Cosmos DB account key"),
            "{}",
            f.message
        );
        assert!(!f.message.contains("Storage"), "{}", f.message);
        // recognised by its context, not by Microsoft's identifiable signature: no "identifiable"
        assert!(
            f.message
                .contains("(also KEY001: Azure Cosmos DB account key written as a literal value)"),
            "{}",
            f.message
        );
        assert!(!f.message.contains("identifiable"), "{}", f.message);
    }

    #[test]
    fn message_names_confidence_and_never_the_secret() {
        let key = identifiable("msg", 64, "+ASt", 0x4465_6661_756c_7430, false);
        // (under a name that says nothing: under a secret name KEY002 reports, with this folded in)
        let text = format!("{{\n  \"Storage\": \"{key}\"\n}}\n");
        let f = text_findings("appsettings.json", &text, "KEY001");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "checksum-valid Azure Storage account key written as a literal value"
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!((f[0].start.line, f[0].start.column), (2, 15));
        assert_eq!(f[0].end.column, 15 + 88);
        assert!(!f[0].message.contains(&key[..8]));
        // only the key type's public signature shows
        assert_eq!(f[0].evidence.as_deref(), Some("****+ASt****"));
    }

    #[test]
    fn escaped_strings_fall_back_to_the_secret_or_the_value() {
        // An escape before the secret shifts offsets: the secret is still found verbatim.
        let s = aad("esc");
        let text = format!("{{ \"a\": \"x\\ty {s}\" }}");
        let col = text.find(&s).unwrap() + 1;
        assert_eq!(
            text_hits("appsettings.json", &text, "KEY001"),
            vec![(1, col)]
        );
    }

    #[test]
    fn jwt_is_a_warning() {
        let h = b64(br#"{"alg":"RS256","typ":"JWT"}"#, true).replace('=', "");
        let p = b64(br#"{"sub":"fake"}"#, true).replace('=', "");
        let sig = b64(&rand_bytes("jwt-rule", 64), true).replace('=', "");
        let text = format!("{{\n  \"Bearer\": \"{h}.{p}.{sig}\"\n}}\n");
        let f = text_findings("appsettings.json", &text, "KEY001");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!((f[0].start.line, f[0].start.column), (2, 14));
    }

    /// Checksum-valid keys in comments are found in every comment syntax, at the key, and the
    /// message says they are commented out.
    #[test]
    fn commented_out_keys_are_found() {
        let key = identifiable("comment", 64, "+ASt", 0x4465_6661_756c_7430, false);
        let pat = ado_pat("comment");
        let cases = [
            // (a neutral name: under `STORAGE_KEY` KEY002 reports, with this folded in)
            ("x.env", format!("# STORAGE={key}\n"), "# STORAGE="),
            (
                "web.config",
                format!("<configuration>\n<!-- <add key=\"Storage\" value=\"{key}\" /> -->\n</configuration>\n"),
                "<!-- <add key=\"Storage\" value=\"",
            ),
            (
                "appsettings.json",
                format!("{{\n  // \"Pat\": \"{pat}\"\n  \"a\": 1\n}}\n"),
                "  // \"Pat\": \"",
            ),
            ("main.tf", format!("/* key = \"{key}\" */\n"), "/* key = \""),
            ("a.yml", format!("a: 1 # key: {key}\n"), "a: 1 # key: "),
            ("main.bicep", format!("// var k = '{key}'\n"), "// var k = '"),
        ];
        for (name, text, before) in cases {
            let f = text_findings(name, &text, "KEY001");
            assert_eq!(f.len(), 1, "{name}: {f:?}");
            let line = if name == "x.env"
                || name == "main.tf"
                || name == "a.yml"
                || name == "main.bicep"
            {
                1
            } else {
                2
            };
            assert_eq!(
                (f[0].start.line, f[0].start.column),
                (line, before.chars().count() + 1),
                "{name}"
            );
            assert!(f[0].message.contains("in a comment"), "{}", f[0].message);
            assert_eq!(f[0].severity, Severity::Error, "{name}");
        }
    }

    /// A checksum-valid key given unquoted after a neutral name in a Bicep or Terraform comment
    /// (`// primary: <key>`, `# cosmos = <key>`, inside `/* */`) is found at the key, as it is
    /// alone in the comment.
    #[test]
    fn unquoted_keys_in_bicep_and_terraform_comments_are_found() {
        let key = identifiable("comment", 64, "+ASt", 0x4465_6661_756c_7430, false);
        for (name, text, line, before) in [
            (
                "main.bicep",
                format!("// primary: {key}\n"),
                1,
                "// primary: ",
            ),
            (
                "main.bicep",
                format!("/*\n  cosmos = {key}\n*/\n"),
                2,
                "  cosmos = ",
            ),
            ("main.bicep", format!("// old={key}\n"), 1, "// old="),
            ("main.tf", format!("# primary: {key}\n"), 1, "# primary: "),
            ("main.tf", format!("// cosmos = {key}\n"), 1, "// cosmos = "),
            ("main.tf", format!("/*\n  old: {key}\n*/\n"), 2, "  old: "),
        ] {
            let f = text_findings(name, &text, "KEY001");
            assert_eq!(f.len(), 1, "{name} {before}: {f:?}");
            assert_eq!(
                (f[0].start.line, f[0].start.column),
                (line, before.chars().count() + 1),
                "{name} {before}"
            );
        }
    }

    #[test]
    fn broken_files_are_scanned_as_lines() {
        let pat = ado_pat("broken");
        let text = format!("{{\n  \"pat\": \"{pat}\",,\n");
        assert_eq!(
            text_hits("appsettings.json", &text, "KEY001"),
            vec![(2, 11)]
        );
    }
}
