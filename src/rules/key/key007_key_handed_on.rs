//! KEY007 key-handed-on: a key or credential read from one resource (`listKeys()`,
//! `listCredentials()`, `primary_access_key`, a registry's `admin_password`) is written into
//! another resource's configuration: an app setting, a Container Apps secret, a Function App's
//! `storage_account_access_key`, a Stream Analytics input, VM extension public settings. Outputs
//! are KEY005's, connection strings CONN002's. What receives the key and the identity-based
//! alternative per service are data (`rules/key-sinks.tsv`).

use std::cell::OnceCell;
use std::sync::OnceLock;

use crate::analysis::connstr::{connection_string_attribute, flatten, parse_pieces};
use crate::analysis::exposure::{
    key_vault_secret_values, name_value_pairs, resource_key_source, secret_source, SecretSource,
};
use crate::analysis::secrets::value_sub_span_nth;
use crate::finding::Finding;
use crate::ir::{Dialect, Node, NodeKind, Resource, Setting};
use crate::rules::{Context, Rule};
use crate::source::Span;
use crate::table::{Cells, Table, TableError};

crate::rules::declare_rule! {
    pub struct KeyHandedOn;
    id: "KEY007",
    name: "key-handed-on",
    family: Key,
    severity: Warning,
    security_severity: 6.0,
    summary: "A key read with list*() or a key attribute is written into another resource's \
              settings (app settings, container secrets, service properties, VM extension \
              settings) where a managed identity would do.",
    reads: [Arm, Bicep, Terraform] in Definitions,
}

/// One row of `rules/key-sinks.tsv`.
#[derive(Debug)]
struct Sink {
    arm_types: Vec<&'static str>,
    tf_types: Vec<&'static str>,
    /// Dotted path prefixes (lowercase); empty for "any path".
    paths: Vec<Vec<String>>,
    what: &'static str,
    /// `None` where keys are not reported (`-`).
    instead: Option<&'static str>,
    /// Any secret counts here, not only keys read from resources: secure and secret-named
    /// parameters and variables (public VM extension settings).
    all_secrets: bool,
}

/// Reads the table by its header ([`Table`]); an error names the line.
fn parse_sinks(table: &Table) -> Result<Vec<Sink>, TableError> {
    // `*` (any) and `-` (none) both leave a list empty: an empty list matches nothing of its own
    // and the row applies to any resource only when both type lists are empty.
    let list = |c: &Cells<'_>, column: &str| -> Result<Vec<&'static str>, String> {
        let v = c.list(column)?;
        Ok(if v == ["*"] { Vec::new() } else { v })
    };
    table.map(|c| {
        Ok(Sink {
            arm_types: list(c, "arm_types")?,
            tf_types: list(c, "tf_types")?,
            paths: list(c, "path")?
                .into_iter()
                .map(|p| p.split('.').map(str::to_ascii_lowercase).collect())
                .collect(),
            what: c.get("what")?,
            instead: c.opt("instead")?,
            all_secrets: match c.get("secrets")? {
                "all" => true,
                "keys" => false,
                other => return Err(format!("secrets `{other}`: `keys` or `all`")),
            },
        })
    })
}

fn sinks_table() -> Table {
    Table::embedded(
        "rules/key-sinks.tsv",
        include_str!("../../../rules/key-sinks.tsv"),
    )
}

fn sinks() -> &'static [Sink] {
    static S: OnceLock<Vec<Sink>> = OnceLock::new();
    // The table is embedded and checked by a test, so an error here is a build defect.
    S.get_or_init(|| parse_sinks(&sinks_table()).unwrap_or_else(|e| panic!("{e}")))
}

/// The markers around the page's table of `rules/key-sinks.tsv`.
pub const TABLE_START: &str = "<!-- key-sinks:start -->";
pub const TABLE_END: &str = "<!-- key-sinks:end -->";

/// The page's table: one line per row of `rules/key-sinks.tsv`, in its order (the first row
/// that matches decides).
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| receives the key | ARM / Bicep types | Terraform types | path | instead |\n\
         |---|---|---|---|---|\n",
    );
    // From the cells as written (the loaded rows keep lowercased paths).
    let code = |cell: &str| match cell {
        "*" => "any".to_string(),
        "-" => "-".to_string(),
        items => items
            .split(',')
            .map(|t| format!("`{}`", t.trim()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let rows = sinks_table().map_embedded(|c| {
        Ok(format!(
            "| {} | {} | {} | {} | {} |\n",
            c.get("what")?,
            code(c.get("arm_types")?),
            code(c.get("tf_types")?),
            code(c.get("path")?),
            c.opt("instead")?
                .unwrap_or("not reported")
                .replace('|', "\\|"),
        ))
    });
    for row in rows {
        s.push_str(&row);
    }
    s
}

impl Sink {
    fn matches(&self, r: &Resource, path: &[String]) -> bool {
        let type_ok = if r.dialect == Dialect::Terraform {
            let any = self.tf_types.is_empty() && self.arm_types.is_empty();
            any || self.tf_types.contains(&r.source_type.as_str())
        } else {
            let any = self.arm_types.is_empty() && self.tf_types.is_empty();
            any || self
                .arm_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&r.azure_type))
        };
        type_ok
            && (self.paths.is_empty()
                || self
                    .paths
                    .iter()
                    .any(|p| path.len() >= p.len() && path[..p.len()] == p[..]))
    }
}

/// Keys under which a value is never a handed-on key: encrypted extension settings, ARM child
/// resources (checked as resources of their own), dependencies and tags.
fn skipped_key(key: &str, depth: usize, dialect: Dialect) -> bool {
    let k = key.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "protectedsettings"
            | "protected_settings"
            | "protectedsettingsfromkeyvault"
            | "protected_settings_from_key_vault"
            | "dependson"
            | "depends_on"
            | "tags"
    ) || (depth == 0 && k == "resources" && dialect != Dialect::Terraform)
}

impl Rule for KeyHandedOn {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let places = Places {
            key_vault: key_vault_secret_values(cx.doc).collect(),
            ..Places::default()
        };
        for r in cx.doc.resources.iter().filter(|r| !r.existing) {
            if cx.out_of_time() {
                break;
            }
            let mut path = Path::default();
            visit(cx, &places, r, &r.body, &mut path, out);
        }
    }
}

/// What [`check_value`] looks values up in, collected once per document (a search of every
/// resource, setting or connection string for each value was quadratic in large templates).
#[derive(Default)]
struct Places {
    /// The values of Key Vault secrets.
    key_vault: Vec<Span>,
    /// The nodes that are connection strings, sorted (built on first use).
    connection_strings: OnceCell<Vec<Span>>,
    /// The settings' value spans with the setting's index, sorted (built on first use).
    settings: OnceCell<Vec<(Span, usize)>>,
}

impl Places {
    fn is_connection_string(&self, cx: &Context, span: Span) -> bool {
        self.connection_strings
            .get_or_init(|| {
                let mut v: Vec<Span> = cx
                    .connection_strings()
                    .iter()
                    .map(|f| f.node.span)
                    .collect();
                v.sort_unstable();
                v
            })
            .binary_search(&span)
            .is_ok()
    }

    /// The first setting whose value is at `span`.
    fn setting<'d>(&self, cx: &Context<'d>, span: Span) -> Option<&'d Setting> {
        let index = self.settings.get_or_init(|| {
            let mut v: Vec<(Span, usize)> = cx
                .doc
                .settings
                .iter()
                .enumerate()
                .map(|(i, s)| (s.value.span, i))
                .collect();
            v.sort_unstable();
            v
        });
        let at = index.partition_point(|(s, _)| *s < span);
        index
            .get(at)
            .filter(|(s, _)| *s == span)
            .and_then(|(_, i)| cx.doc.settings.get(*i))
    }
}

/// The keys from the resource body to a value: lower-cased for the table, as written for messages.
#[derive(Default)]
struct Path<'a> {
    lower: Vec<String>,
    written: Vec<&'a str>,
}

fn visit<'a>(
    cx: &Context<'a>,
    places: &Places,
    r: &'a Resource,
    node: &'a Node,
    path: &mut Path<'a>,
    out: &mut Vec<Finding>,
) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries.iter() {
                if skipped_key(&e.key, path.lower.len(), r.dialect) {
                    continue;
                }
                path.lower.push(e.key.to_ascii_lowercase());
                path.written.push(&e.key);
                visit(cx, places, r, &e.value, path, out);
                path.lower.pop();
                path.written.pop();
            }
        }
        NodeKind::List(items) => items
            .iter()
            .for_each(|i| visit(cx, places, r, i, path, out)),
        _ => {
            if node.as_expr().is_some() {
                check_value(cx, places, r, node, path, out);
            }
        }
    }
}

fn check_value(
    cx: &Context,
    places: &Places,
    r: &Resource,
    node: &Node,
    path: &Path,
    out: &mut Vec<Finding>,
) {
    if cx.out_of_time() {
        return;
    }
    if places.key_vault.iter().any(|v| v.contains(node.span)) {
        return;
    }
    let Some(sink) = sinks().iter().find(|s| s.matches(r, &path.lower)) else {
        return;
    };
    let Some(instead) = sink.instead else {
        return;
    };
    // ARM `createObject('name', 'X', 'value', <expr>)` settings: each pair judged as a
    // `{ "name", "value" }` item is, reported at its name.
    if r.dialect == Dialect::Arm && create_object_settings(cx, r, node, sink, instead, out) {
        return;
    }
    // Connection strings are CONN001/CONN002's: a string that parses as one, or a setting whose
    // whole value is a resource's connection string.
    if places.is_connection_string(cx, node.span) {
        return;
    }
    let setting = places.setting(cx, node.span);
    if setting.is_some()
        && node
            .as_expr()
            .map(|e| cx.doc.traced_output(e).unwrap_or(e))
            .and_then(connection_string_attribute)
            .is_some()
    {
        return;
    }
    let Some(source) = resource_key_source(cx.doc, r.template, node) else {
        // Public VM extension settings expose any secret, a secure parameter as much as a key.
        if sink.all_secrets && path.lower.iter().any(|k| k == "settings") {
            if let Some(source) = secret_source(cx.doc, r.template, node) {
                public_extension_secret(r, node, path, sink, &source, out);
            }
        } else if let (true, Some(s)) = (sink.all_secrets, setting) {
            // An app setting readable by anyone who can read the app's configuration: a secure or
            // password-named parameter written into it is shown in clear text there.
            if let Some(SecretSource::Parameter(p)) = secret_source(cx.doc, r.template, node) {
                app_setting_secret(&s.name, &p, node, out);
            }
        }
        return;
    };
    let shown = match setting {
        Some(s) => s.key.clone(),
        // a Bicep spread (`...expr`) is no key of its own: `properties (spread)`
        None => path.written.join(".").replace("....", " (spread)"),
    };
    // A key in one branch of a condition is handed on only when that branch is taken.
    let branch = match crate::analysis::remedy::branch_note(node) {
        "" if in_conditional_spread(&r.body, node.span) => " (in one branch of a condition)",
        note => note,
    };
    report(r, node, &shown, branch, &source, sink, instead, out);
}

/// The settings an ARM expression builds as `createObject('name', 'X', 'value', <expr>)` pairs
/// ([`name_value_pairs`]), each judged as a `{ "name": "X", "value": <expr> }` item is: a key
/// read from a resource is handed on (reported at the pair's name), a connection string is
/// CONN002's, a secret parameter written in as is an app setting's secret. False when the
/// expression builds no such pair (the caller judges it whole).
fn create_object_settings(
    cx: &Context,
    r: &Resource,
    node: &Node,
    sink: &Sink,
    instead: &str,
    out: &mut Vec<Finding>,
) -> bool {
    let Some(e) = node.as_expr() else {
        return false;
    };
    let pairs = name_value_pairs(e);
    if pairs.is_empty() {
        return false;
    }
    let text = &cx.file.text;
    let mut met: Vec<&str> = Vec::new();
    for (name, value) in pairs {
        let nth = met.iter().filter(|m| **m == name).count();
        met.push(name);
        if parse_pieces(&flatten(value)).is_some() || connection_string_attribute(value).is_some() {
            continue; // a connection string: CONN002's
        }
        let span = value_sub_span_nth(text, node.span, name, 0..name.len(), nth);
        let pair = Node {
            span,
            kind: NodeKind::Expr(value.clone()),
        };
        match resource_key_source(cx.doc, r.template, &pair) {
            Some(source) => report(r, &pair, name, "", &source, sink, instead, out),
            None if sink.all_secrets => {
                if let Some(SecretSource::Parameter(p)) = secret_source(cx.doc, r.template, &pair) {
                    app_setting_secret(name, &p, &pair, out);
                }
            }
            None => {}
        }
    }
    true
}

#[allow(clippy::too_many_arguments)]
fn report(
    r: &Resource,
    node: &Node,
    shown: &str,
    branch: &str,
    source: &SecretSource,
    sink: &Sink,
    instead: &str,
    out: &mut Vec<Finding>,
) {
    let described = source.describe();
    let shown = crate::finding::shown_name(shown);
    out.push(
        Finding::new(
            &META,
            node.span,
            format!(
                "`{shown}` of `{}` {described}{branch}: a key is handed on to {}; instead, {instead}",
                r.source_type, sink.what
            ),
        )
        .evidence(described.trim_matches('`').to_string())
        .help(
            if sink.what.contains("no identity form") || sink.what.contains("retired") {
                "This consumer has no identity-based form (or its service is retired): the key \
                 cannot be replaced by a role assignment here. Keep the key in Key Vault, rotate \
                 it, keep it out of outputs and parameter files, and move to the service the \
                 message names."
            } else {
                "A key copied into another resource's configuration can be read by everyone who \
                 can read that resource, survives key rotation only by redeployment, and keeps \
                 shared-key access switched on. Give the consuming resource a managed identity \
                 and a data-plane role on the service, then turn key access off."
            },
        ),
    );
}

/// Whether `span` lies in a branch of a Bicep conditional spread (`...(c ? { … } : {})`, lowered
/// as the list of the objects it can be).
fn in_conditional_spread(body: &Node, span: crate::source::Span) -> bool {
    let mut found = false;
    body.walk(&mut |path, n| {
        if !found
            && path.last_key() == Some("...")
            && matches!(n.kind, crate::ir::NodeKind::List(_))
            && n.span.start <= span.start
            && span.end <= n.span.end
        {
            found = true;
        }
    });
    found
}

/// A secure or secret-named parameter or member (`adminPassword`) built into a VM extension's
/// public settings (`commandToExecute`, `fileUris`, any setting).
fn public_extension_secret(
    r: &Resource,
    node: &Node,
    path: &Path,
    sink: &Sink,
    source: &SecretSource,
    out: &mut Vec<Finding>,
) {
    // The artifacts SAS token (`_artifactsLocationSasToken`, `artifactsSasToken`) in `fileUris`
    // or a download command is the script's own read-only download credential, the staging
    // convention of quickstart templates: not the secret this finding is about.
    let named = match source {
        SecretSource::Parameter(n) | SecretSource::Attribute(n) | SecretSource::Variable(n) => {
            Some(n.as_str())
        }
        _ => None,
    };
    // A public SSH key declared secure (`adminSSHKey`, `sshPublicKey`) is no secret either.
    let words = named.map(crate::analysis::names::words).unwrap_or_default();
    let has = |w: &str| words.iter().any(|x| x == w);
    // Only a value under the public `settings` says where the secret lands: a whole `properties`
    // built from a variable may put it in `protectedSettings`.
    let public = path.lower.iter().any(|k| k == "settings");
    if !public
        || matches!(source, SecretSource::KeyVault)
        || has("sas")
        || has("public")
        || (has("ssh") && !has("private"))
    {
        return;
    }
    let origin = match source {
        SecretSource::Attribute(n) => format!("the secret-named member `{n}`"),
        other => other.origin(),
    };
    out.push(
        Finding::new(
            &META,
            node.span,
            format!(
                "`{}` of `{}` is built from {origin}: {}, so the secret is shown to everyone who \
                 can read the VM; pass it in `protectedSettings` (encrypted, never returned), or \
                 better, give the VM a managed identity so the script needs no secret",
                crate::finding::shown_name(&path.written.join(".")),
                r.source_type,
                sink.what
            ),
        )
        .evidence(match source {
            SecretSource::Parameter(n)
            | SecretSource::Attribute(n)
            | SecretSource::Variable(n)
            | SecretSource::ListCall(n) => n.clone(),
            _ => origin.clone(),
        })
        .help(
            "A VM extension's `settings` are public: the API returns them, the portal shows \
             them and the VM keeps them in clear text. Secrets belong in `protectedSettings` \
             (`protected_settings` in Terraform), encrypted with the VM's certificate and never \
             returned; a script that reaches Azure services should sign in with the VM's managed \
             identity instead.",
        ),
    );
}

/// A secret parameter written as is into an app setting: the secret is in the app's
/// configuration in clear text, where a Key Vault reference would keep it in the vault.
fn app_setting_secret(setting: &str, param: &str, node: &Node, out: &mut Vec<Finding>) {
    let words = crate::analysis::names::words(param);
    // The staging SAS token and public keys are no secret handed on (as for extensions).
    if words.iter().any(|w| w == "sas" || w == "public") {
        return;
    }
    out.push(
        Finding::new(
            &META,
            node.span,
            format!(
                "app setting `{}` is the secret parameter `{}` written in as is: the secret is \
                 stored in the app's configuration in clear text, readable by anyone who can \
                 read the app's settings; use a Key Vault reference \
                 (`@Microsoft.KeyVault(SecretUri=...)`) or, better, an identity-based connection",
                crate::finding::shown_name(setting),
                crate::finding::shown_name(param)
            ),
        )
        .evidence(param.to_string())
        .help(
            "App settings are returned by the management API and shown in the portal to anyone \
             with read access to the app's configuration (Website Contributor, Contributor). Put \
             the secret in Key Vault (a `Microsoft.KeyVault/vaults/secrets` resource, \
             `azurerm_key_vault_secret`) and set the app setting to a Key Vault reference \
             (`@Microsoft.KeyVault(SecretUri=...)`) that the app's managed identity resolves \
             (Key Vault Secrets User); where the service accepts Microsoft Entra sign-in, drop the \
             secret and connect with the app's identity instead.",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{hits, text_findings};

    /// Consumers with no identity form get their own advice from the sinks table: Time Series
    /// Insights (retired), App Service Hybrid Connections (Relay SAS only), a Classic container
    /// registry's storage account (ARM and Bicep), a deployment script's own storage.
    #[test]
    fn consumers_without_identity_form_get_their_own_advice() {
        let rel = "testdata/KEY007/fire/no-identity-form.json";
        assert_eq!(
            hits(rel, "KEY007"),
            vec![(12, 28), (21, 25), (33, 24), (49, 32)]
        );
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
                .unwrap();
        let f = text_findings("no-identity-form.json", &text, "KEY007");
        assert!(
            f[0].message.contains("Time Series Insights"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("Azure Data Explorer"),
            "{}",
            f[0].message
        );
        assert!(f[1].message.contains("Relay SAS"), "{}", f[1].message);
        assert!(
            f[3].message
                .contains("deployment script's own storage account"),
            "{}",
            f[3].message
        );
        for f in [
            &f[2],
            &text_findings(
                "classic-registry.bicep",
                &std::fs::read_to_string(
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("testdata/KEY007/fire/classic-registry.bicep"),
                )
                .unwrap(),
                "KEY007",
            )[0],
        ] {
            assert!(f.message.contains("managed SKU"), "{}", f.message);
            assert!(!f.message.contains("managed identity"), "{}", f.message);
            assert!(f
                .help
                .as_deref()
                .unwrap()
                .contains("no identity-based form"));
        }
        assert!(f[1]
            .help
            .as_deref()
            .unwrap()
            .contains("no identity-based form"));
    }

    /// A secret parameter written as is into an app setting (ARM, Bicep, Terraform); a plain
    /// parameter and a Key Vault reference are not.
    #[test]
    fn secret_parameter_in_an_app_setting() {
        for (rel, at, param) in [
            (
                "testdata/KEY007/fire/app-setting-param.json",
                (16, 47),
                "dbPassword",
            ),
            (
                "testdata/KEY007/fire/app-setting-param.bicep",
                (11, 39),
                "dbPassword",
            ),
            (
                "testdata/KEY007/fire/app-setting-param.tf",
                (12, 19),
                "db_password",
            ),
        ] {
            assert_eq!(hits(rel, "KEY007"), vec![at], "{rel}");
            let text =
                std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
                    .unwrap();
            let f = text_findings(rel.rsplit('/').next().unwrap(), &text, "KEY007");
            assert!(
                f[0].message.starts_with(&format!(
                    "app setting `DB_PASSWORD` is the secret parameter `{param}` written in as is"
                )),
                "{}",
                f[0].message
            );
        }
    }

    /// A key in a Bicep spread inside a condition: the path says `(spread)`, not `....`, and
    /// the message says it is one branch.
    #[test]
    fn spread_in_a_condition_is_named() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/KEY007/fire/spread.bicep"
        ))
        .unwrap();
        let f = crate::testing::text_findings("spread.bicep", &text, "KEY007");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (12, 23));
        assert!(
            f[0].message
                .starts_with("`properties (spread).accessKey1` of")
                && f[0].message.contains("(in one branch of a condition)"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn table_parses_and_ends_with_the_fallback() {
        let rows = parse_sinks(&sinks_table()).unwrap();
        let last = rows.last().unwrap();
        assert!(last.arm_types.is_empty() && last.tf_types.is_empty() && last.paths.is_empty());
        assert!(last.instead.is_some());
        let app = rows.iter().find(|r| r.what == "an app setting").unwrap();
        assert!(app.tf_types.contains(&"azurerm_logic_app_standard"));
        let missing =
            Table::parse("t.tsv", "arm_types\ttf_types\tpath\tinstead\nx\ty\t*\t-\n").unwrap();
        assert_eq!(
            parse_sinks(&missing).unwrap_err().to_string(),
            "t.tsv line 2: no column `what`"
        );
    }

    #[test]
    fn message_names_service_and_alternative() {
        let f = text_findings(
            "main.tf",
            r#"resource "azurerm_linux_function_app" "f" {
  name                       = "f"
  storage_account_name       = azurerm_storage_account.sa.name
  storage_account_access_key = azurerm_storage_account.sa.primary_access_key
}
"#,
            "KEY007",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (4, 32));
        assert!(
            f[0].message
                .contains("storage_uses_managed_identity = true"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("host storage key"),
            "{}",
            f[0].message
        );
    }

    /// A key passed to a local module that hands it on is reported at the argument.
    #[test]
    fn keys_passed_to_modules() {
        use crate::testing::hits;
        for silent in [
            "testdata/KEY007/silent/bicep-module/main.bicep",
            "testdata/KEY007/silent/terraform-module/main.tf",
            "testdata/KEY007/silent/module-outputs-module/main.tf",
        ] {
            assert!(hits(silent, "KEY007").is_empty(), "{silent}");
        }
    }

    /// Any secret built into a VM extension's public settings, in every dialect, at the value;
    /// protectedSettings, the artifacts SAS token and a whole `properties` variable are silent.
    #[test]
    fn secrets_in_public_extension_settings() {
        let f = crate::testing::scan_fixture("testdata/KEY007/fire/extension-settings.bicep");
        let m = &f.findings[0].message;
        assert!(
            m.contains("protectedSettings") && m.contains("`adminPassword`"),
            "{m}"
        );
    }
}
