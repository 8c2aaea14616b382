//! KEY002 hardcoded-password-setting: a password-like property, attribute, setting or variable whose
//! value is written in the file.

use std::collections::HashSet;

use crate::analysis::names::{names_password_list, secret_key_kind, SecretKind};
use crate::analysis::remedy::{self, Place};
use crate::analysis::secret_value::{is_plausible_secret, literal_secret, literal_secret_parts};
use crate::analysis::secrets::{value_sub_span, value_sub_span_nth};
use crate::finding::Finding;
use crate::ir::{Dialect, Expr, Node, NodeKind, SettingSource, Str, StrClass};
use crate::rules::{Context, Rule};
use crate::source::Span;

crate::rules::declare_rule! {
    pub struct HardcodedPasswordSetting;
    id: "KEY002",
    name: "hardcoded-password-setting",
    family: Key,
    severity: Error,
    security_severity: 8.5,
    summary: "A password, client secret, key or token is written as a literal value under a \
              secret-named property, attribute or setting.",
    reads_parameters: false,
    reads: [Arm, Bicep, Terraform, AppConfig] in Definitions,
    absorbs: ["KEY001"],
}

impl Rule for HardcodedPasswordSetting {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // (Parameter files and variable files are KEY004's: `reads` above.) Parameter defaults
        // are KEY003's/KEY006's.
        let defaults: Vec<Span> = cx
            .doc
            .params
            .iter()
            .filter_map(|p| p.default.as_ref().map(|d| d.span))
            .collect();
        // VPN connections: their `sharedKey` is an IPsec pre-shared key, which no identity replaces.
        // A `sharedKey` outside every resource (a variable or local a connection reads) is one too
        // when the document deploys a VPN connection.
        let vpn: Vec<Span> = cx
            .doc
            .resources
            .iter()
            .filter(|r| remedy::is_vpn_connection(r))
            .map(|r| r.span)
            .collect();
        let others: Vec<Span> = if vpn.is_empty() {
            Vec::new()
        } else {
            cx.doc
                .resources
                .iter()
                .filter(|r| !remedy::is_vpn_connection(r))
                .map(|r| r.span)
                .collect()
        };
        let mut report = Reporter {
            cx,
            app_place: remedy::app_config_place(cx.doc),
            defaults,
            vpn,
            others,
            seen: HashSet::new(),
            out,
        };
        // Settings first: they know where a value sits (an app setting of a site); Key Vault secret
        // resources and then the tree walk find the rest; the same value is never reported twice.
        for s in &cx.doc.settings {
            if cx.out_of_time() {
                return;
            }
            let place = match s.source {
                SettingSource::ResourceAppSetting(_)
                | SettingSource::ResourceConnectionString(_) => Place::ResourceAppSetting,
                SettingSource::Environment => Place::Environment,
                _ => report.app_place,
            };
            if let Some(kind) = secret_key_kind(&s.name) {
                report.candidate(&s.name, &s.value, kind, place);
            }
        }
        for r in &cx.doc.resources {
            let value = if r.existing {
                None
            } else if r.is_type("Microsoft.KeyVault/vaults/secrets") {
                match r.dialect {
                    Dialect::Terraform => r.body.get("value"),
                    _ => r.body.path(&["properties", "value"]),
                }
            } else {
                None
            };
            if let Some(v) = value {
                report.key_vault_secret(v);
            }
        }
        for tree in cx.doc.trees().chain(cx.doc.call_data.iter()) {
            tree.walk(&mut |path, node| {
                if !cx.out_of_time() {
                    report.map(node);
                    report.embedded_json(node);
                    report.container_app_secret(path, node);
                    report.function_call_data(node);
                }
            });
        }
    }
}

/// The literal strings a conditional can produce, in source order: its branches, and the
/// branches of conditionals nested in them (never the condition).
fn collect_branches<'e>(e: &'e Expr, out: &mut Vec<&'e str>) {
    let (then, otherwise) = match e {
        Expr::Cond {
            then, otherwise, ..
        } => (&**then, &**otherwise),
        Expr::Call { name, args } if name.eq_ignore_ascii_case("if") && args.len() == 3 => {
            (&args[1], &args[2])
        }
        _ => return,
    };
    for b in [then, otherwise] {
        match b {
            Expr::Str(s) => out.push(s),
            other => collect_branches(other, out),
        }
    }
}

struct Reporter<'a, 'c, 'o> {
    cx: &'a Context<'c>,
    /// Where an app configuration's values sit: a BOSH manifest or any other (worked out once).
    app_place: Place,
    defaults: Vec<Span>,
    /// The spans of VPN connection resources ([`remedy::is_vpn_connection`]).
    vpn: Vec<Span>,
    /// The spans of the other resources, when the document has a VPN connection.
    others: Vec<Span>,
    seen: HashSet<Span>,
    out: &'o mut Vec<Finding>,
}

impl Reporter<'_, '_, '_> {
    fn template_place(&self) -> Place {
        match self.cx.doc.dialect {
            Dialect::Arm | Dialect::Bicep | Dialect::Terraform => Place::Template,
            Dialect::AppConfig => self.app_place,
        }
    }

    /// The secret-named entries of a map, and its `name`/`value` (or `key`/`value`) pair.
    fn map(&mut self, node: &Node) {
        let NodeKind::Map(entries) = &node.kind else {
            return;
        };
        let place = self.template_place();
        for e in entries.iter() {
            let Some(kind) = secret_key_kind(&e.key) else {
                // `"Passwords": ["…", "…"]`: a list of literal passwords under a lone plural
                if names_password_list(&e.key) && matches!(e.value.kind, NodeKind::List(_)) {
                    self.candidate(&e.key, &e.value, SecretKind::Password, place);
                }
                continue;
            };
            let place = if place == Place::Template && remedy::is_vm_admin_password(&e.key) {
                Place::VmAdminPassword
            } else if place == Place::Template
                && remedy::is_pre_shared_key(&e.key)
                && (self.vpn.iter().any(|v| v.contains(e.value.span))
                    || (!self.vpn.is_empty()
                        && !self.others.iter().any(|o| o.contains(e.value.span))))
            {
                Place::PreSharedKey
            } else {
                place
            };
            // `"adminPassword": { "value": "..." }`: a nested deployment's parameter value.
            let value = if e.value.is_map() {
                match e.value.get("value") {
                    Some(v) if e.value.entries().len() == 1 => v,
                    _ => continue,
                }
            } else {
                &e.value
            };
            self.candidate(&e.key, value, kind, place);
        }
        // A value the file itself marks secret: Data Factory's `{ "type": "SecureString",
        // "value": "..." }`, API Management named values with `secret: true`.
        let marked = if node
            .get("type")
            .and_then(Node::as_literal)
            .is_some_and(|t| t.eq_ignore_ascii_case("SecureString"))
        {
            Some("`type: SecureString`")
        } else if node.get("secret").and_then(Node::as_bool) == Some(true) {
            Some("`secret: true`")
        } else {
            None
        };
        if let (Some(marked), Some(v)) = (marked, node.get("value")) {
            self.marked_secret(v, marked);
        }
        // `{ "name": "DB_PASSWORD", "value": "..." }`: container environment variables, app
        // settings, pipeline variables, Kubernetes `env`.
        for name_key in ["name", "key"] {
            let Some(name) = node.get(name_key).and_then(Node::as_literal) else {
                continue;
            };
            let Some(kind) = secret_key_kind(name) else {
                continue;
            };
            for value_key in ["value", "secureValue"] {
                if let Some(v) = node.get(value_key) {
                    self.candidate(name, v, kind, place);
                }
            }
        }
    }

    /// Data written inside an ARM function call: the pairs of `createObject()` and the JSON text
    /// of `json()` (Terraform and Bicep object literals in calls are the document's
    /// [`call_data`](crate::ir::Document::call_data)). A secret-named member's literal there is as
    /// much a literal as anywhere else.
    fn function_call_data(&mut self, node: &Node) {
        if !matches!(self.cx.doc.dialect, Dialect::Arm | Dialect::Bicep) {
            return;
        }
        let Some(e) = node.as_expr() else {
            return;
        };
        let text = &self.cx.file.text;
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        let mut json_texts: Vec<&str> = Vec::new();
        e.walk(&mut |x| {
            let Expr::Call { name, args } = x else {
                return;
            };
            if name.eq_ignore_ascii_case("createobject") {
                let mut named: (Option<&str>, Option<&str>) = (None, None);
                for pair in args.chunks(2) {
                    if let [Expr::Str(k), Expr::Str(v)] = pair {
                        pairs.push((k, v));
                        if k.eq_ignore_ascii_case("name") || k.eq_ignore_ascii_case("key") {
                            named.0 = Some(v);
                        } else if k.eq_ignore_ascii_case("value") {
                            named.1 = Some(v);
                        }
                    }
                }
                // `createObject('name', 'DB_PASSWORD', 'value', '…')`: an app setting or
                // environment variable pair, judged by its name as `{ "name", "value" }` is.
                if let (Some(k), Some(v)) = named {
                    pairs.push((k, v));
                }
            }
            if name.eq_ignore_ascii_case("json") {
                if let [Expr::Str(s)] = args.as_slice() {
                    json_texts.push(s);
                }
            }
        });
        let place = self.template_place();
        let mut met: Vec<&str> = Vec::new();
        for (key, value) in pairs {
            let Some(kind) = secret_key_kind(key) else {
                continue;
            };
            let nth = met.iter().filter(|m| **m == value).count();
            met.push(value);
            let span = value_sub_span_nth(text, node.span, value, 0..value.len(), nth);
            if span == node.span {
                continue;
            }
            self.candidate(key, &Node::literal(span, value), kind, place);
        }
        for json in json_texts {
            self.embedded_json(&Node::literal(node.span, json));
        }
    }

    /// A Container Apps secret written in the file: an item of `configuration.secrets` (ARM,
    /// Bicep, the `az containerapp create --yaml` spec) or a Terraform `secret` block, with a
    /// `name` and a literal `value`. Whatever the secret is called (`acr-creds`, `orders-db`), the
    /// value is one; `keyVaultUrl` items hold none.
    fn container_app_secret(&mut self, path: &crate::ir::KeyPath<'_>, node: &Node) {
        if !matches!(node.kind, NodeKind::Map(_)) {
            return;
        }
        let (Some(_), Some(value)) = (node.get("name"), node.get("value")) else {
            return;
        };
        let keys: Vec<&str> = path
            .0
            .iter()
            .rev()
            .filter_map(|s| match s {
                crate::ir::PathStep::Key(e) => Some(e.key.as_str()),
                crate::ir::PathStep::Index(_) => None,
            })
            .take(2)
            .collect();
        let listed = match keys.as_slice() {
            [secrets, configuration, ..] => {
                secrets.eq_ignore_ascii_case("secrets")
                    && configuration.eq_ignore_ascii_case("configuration")
            }
            _ => false,
        };
        let block = self.cx.doc.dialect == Dialect::Terraform
            && keys.first().is_some_and(|k| *k == "secret");
        if listed || block {
            self.marked_secret(value, "a Container Apps secret");
        }
    }

    /// A value under a secret name: a literal, each item of a list (`"adminPasswords": […]`),
    /// each part of a literal listing several (`StorageKeys = "k1;k2"`), each at its own span.
    fn candidate(&mut self, key: &str, value: &Node, kind: SecretKind, place: Place) {
        if self.defaults.iter().any(|d| d.contains(value.span)) || self.seen.contains(&value.span) {
            return;
        }
        if let NodeKind::List(items) = &value.kind {
            for item in items.iter() {
                self.candidate(key, item, kind, place);
            }
            return;
        }
        if let NodeKind::Str(Str {
            class: StrClass::Expression(e),
            ..
        })
        | NodeKind::Expr(e) = &value.kind
        {
            self.branches(key, value, e, kind, place);
            return;
        }
        let parts = literal_secret_parts(value, key, kind);
        if parts.is_empty() {
            self.example(key, value, kind, place);
            return;
        }
        self.seen.insert(value.span);
        let what = match kind {
            SecretKind::Password => "a password",
            SecretKind::Secret => "a secret",
        };
        let shown = crate::finding::shown_name(key);
        let text = value.as_literal().unwrap_or("");
        for (range, secret) in parts {
            // the whole value keeps the value's span; a part of it, its own
            let span = if range.len() == text.len() {
                value.span
            } else {
                value_sub_span(&self.cx.file.text, value.span, text, range)
            };
            self.out.push(
                Finding::new(
                    &META,
                    span,
                    format!(
                        "`{shown}` holds {what} written as a literal value: {}",
                        remedy::instead(self.cx.doc.dialect, place)
                    ),
                )
                .secret(secret, span)
                .help(remedy::help(self.cx.doc.dialect, place)),
            );
        }
    }

    /// A documentation example value deployed as the secret (`client_secret = "aadsecret"`): a
    /// warning that names it a well-known example ([`example_secret`]), in templates only.
    fn example(&mut self, key: &str, value: &Node, kind: SecretKind, place: Place) {
        // Deployed: a template's value (an app config's stand-in is a local developer's).
        if !matches!(
            self.cx.doc.dialect,
            Dialect::Arm | Dialect::Bicep | Dialect::Terraform
        ) {
            return;
        }
        let Some(text) = crate::analysis::secret_value::example_secret(value, key) else {
            return;
        };
        self.seen.insert(value.span);
        let what = match kind {
            SecretKind::Password => "a password",
            SecretKind::Secret => "a secret",
        };
        self.out.push(
            Finding::new(
                &META,
                value.span,
                format!(
                    "`{}` holds {what} that is a well-known example value, deployed as it is: \
                     anyone who read the sample knows it; {}",
                    crate::finding::shown_name(key),
                    remedy::instead(self.cx.doc.dialect, place)
                ),
            )
            .severity(crate::finding::Severity::Warning)
            .secret(text, value.span)
            .help(remedy::help(self.cx.doc.dialect, place)),
        );
    }

    /// The literal branches of a conditional under a secret name (`prod ? 'P1' : 'P2'`, ARM
    /// `if(c, 'P1', 'P2')`), each judged alone and reported where it is written.
    fn branches(&mut self, key: &str, value: &Node, e: &Expr, kind: SecretKind, place: Place) {
        let mut literals: Vec<&str> = Vec::new();
        collect_branches(e, &mut literals);
        let mut met: Vec<&str> = Vec::new();
        for lit in literals {
            let nth = met.iter().filter(|m| **m == lit).count();
            met.push(lit);
            if !is_plausible_secret(lit, key, kind) {
                continue;
            }
            let span = value_sub_span_nth(&self.cx.file.text, value.span, lit, 0..lit.len(), nth);
            if span == value.span || !self.seen.insert(span) {
                continue;
            }
            let shown = crate::finding::shown_name(key);
            let what = match kind {
                SecretKind::Password => "a password",
                SecretKind::Secret => "a secret",
            };
            self.out.push(
                Finding::new(
                    &META,
                    span,
                    format!(
                        "`{shown}` holds {what} written as a literal value (one branch of a condition): {}",
                        remedy::instead(self.cx.doc.dialect, place)
                    ),
                )
                .secret(lit, span)
                .help(remedy::help(self.cx.doc.dialect, place)),
            );
        }
    }

    /// JSON written inside a string (a YAML block scalar, an app setting): the `azure/login`
    /// `creds` object, a service principal's JSON. Its secret-named members are candidates; the
    /// finding points at the member's value where the source holds it once, else at the string.
    fn embedded_json(&mut self, node: &Node) {
        let NodeKind::Str(s) = &node.kind else {
            return;
        };
        let t = s.value.trim();
        if s.class != StrClass::Literal
            || !t.starts_with('{')
            || !t.ends_with('}')
            || t.len() > 65_536
        {
            return;
        }
        // (a pure function of the string: `keyless history` keeps it across a file's versions)
        thread_local! {
            static MEMO: crate::history_memo::Memo<Option<SecretMembers>> = Default::default();
        }
        let Some(members) = MEMO.with(|m| m.get_or(t, secret_members)) else {
            return;
        };
        let place = self.template_place();
        for (key, kind, v) in &members {
            let span = self.value_span(node, v);
            let inner = Node::literal(span, v);
            self.candidate(key, &inner, *kind, place);
        }
    }

    /// The span of `v` inside a string node when the source holds it exactly once.
    fn value_span(&self, node: &Node, v: &str) -> Span {
        let Some(src) = self.cx.file.text.get(node.span.start..node.span.end) else {
            return node.span;
        };
        let mut found = src.match_indices(v);
        match (found.next(), found.next()) {
            (Some((i, _)), None) if !v.is_empty() => {
                Span::new(node.span.start + i, node.span.start + i + v.len())
            }
            _ => node.span,
        }
    }

    /// A literal value under a wrapper that marks it secret. Connection strings are CONN001's.
    fn marked_secret(&mut self, value: &Node, marked: &str) {
        if self.seen.contains(&value.span)
            || self
                .cx
                .connection_strings()
                .iter()
                .any(|f| f.node.span == value.span)
        {
            return;
        }
        let Some(secret) = literal_secret(value, "value", SecretKind::Secret) else {
            return;
        };
        self.seen.insert(value.span);
        let place = self.template_place();
        self.out.push(
            Finding::new(
                &META,
                value.span,
                format!(
                    "a value marked secret ({marked}) is written as a literal: the marking hides it in the portal and in logs, not in source control; {}",
                    remedy::instead(self.cx.doc.dialect, place)
                ),
            )
            .secret(secret, value.span)
            .help(remedy::help(self.cx.doc.dialect, place)),
        );
    }

    fn key_vault_secret(&mut self, value: &Node) {
        if self.seen.contains(&value.span) {
            return;
        }
        let Some(secret) = literal_secret(value, "value", SecretKind::Password) else {
            return;
        };
        self.seen.insert(value.span);
        self.out.push(
            Finding::new(
                &META,
                value.span,
                format!(
                    "the Key Vault secret's value is written in the file, so it also lives in \
                     source control and {}: {}",
                    if self.cx.doc.dialect == Dialect::Terraform {
                        "the Terraform state"
                    } else {
                        "the deployment history"
                    },
                    remedy::instead(self.cx.doc.dialect, Place::Template)
                ),
            )
            .secret(secret, value.span)
            .help(
                "Set the secret's value out of band (the service that issues it, a pipeline \
                 secret, `random_password`), or pass it through a secure parameter without a \
                 default; better, let the consumer use a managed identity so no secret is needed.",
            ),
        );
    }
}

/// The secret-named members of JSON written inside a string that hold strings: name, kind and
/// value, in the object's order; `None` when the text is not a JSON object.
type SecretMembers = Vec<(String, SecretKind, String)>;

fn secret_members(t: &str) -> Option<SecretMembers> {
    let Ok(serde_json::Value::Object(members)) = serde_json::from_str::<serde_json::Value>(t)
    else {
        return None;
    };
    Some(
        members
            .into_iter()
            .filter_map(|(key, value)| match (secret_key_kind(&key), value) {
                (Some(kind), serde_json::Value::String(v)) => Some((key, kind, v)),
                _ => None,
            })
            .collect(),
    )
}
#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings, text_hits};

    const ARM_HEAD: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0","#;

    fn arm(body: &str) -> String {
        format!("{ARM_HEAD}\n{body}\n}}")
    }

    #[test]
    fn arm_property_and_app_setting() {
        let t = arm(r#"  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "name": "vm",
      "properties": { "osProfile": { "adminUsername": "azureuser", "adminPassword": "Fake-Pa55word-1" } }
    },
    {
      "type": "Microsoft.Web/sites",
      "name": "app",
      "properties": { "siteConfig": { "appSettings": [
        { "name": "DB_PASSWORD", "value": "Fake-Db-Pa55!" },
        { "name": "API_KEY", "value": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/k/)" },
        { "name": "passwordLength", "value": "16" }
      ] } }
    }
  ]"#);
        assert_eq!(text_hits("t.json", &t, "KEY002"), vec![(8, 85), (14, 43)]);
        let f = text_findings("t.json", &t, "KEY002");
        assert!(f[0].message.contains("`adminPassword`"));
        assert!(f[0].message.contains("securestring"));
        assert_eq!(f[0].evidence.as_deref(), Some("********"));
        assert!(f[1].message.contains("`DB_PASSWORD`"));
        assert!(f[1].message.contains("@Microsoft.KeyVault"));
        for x in &f {
            assert!(!x.message.contains("Fake-"), "{}", x.message);
        }
    }

    #[test]
    fn nested_deployment_parameter_value_and_key_vault_secret() {
        let t = arm(r#"  "resources": [
    { "type": "Microsoft.Resources/deployments", "name": "n",
      "properties": { "parameters": { "sqlAdminPassword": { "value": "Fake-Pa55word-2" } } } },
    { "type": "Microsoft.KeyVault/vaults/secrets", "name": "kv/s",
      "properties": { "value": "Fake-S3cret-Value-3" } },
    { "type": "Microsoft.KeyVault/vaults/secrets", "name": "kv/t",
      "properties": { "value": "[parameters('secretValue')]" } }
  ]"#);
        assert_eq!(text_hits("t.json", &t, "KEY002"), vec![(6, 70), (8, 32)]);
    }

    #[test]
    fn parameters_defaults_and_expressions_are_not_this_rule() {
        let t = arm(r#"  "parameters": {
    "adminPassword": { "type": "securestring", "defaultValue": "Fake-Pa55word-4" },
    "passwordLength": { "type": "int", "defaultValue": 16 }
  },
  "resources": [
    { "type": "Microsoft.Compute/virtualMachines", "name": "vm",
      "properties": { "osProfile": { "adminPassword": "[parameters('adminPassword')]",
        "secretName": "sqlAdminPassword", "disablePasswordAuthentication": "false" } } }
  ]"#);
        assert!(text_hits("t.json", &t, "KEY002").is_empty());
    }

    #[test]
    fn app_settings_json() {
        let text = r#"{
  "AzureAd": {
    "ClientId": "00000000-0000-0000-0000-000000000000",
    "ClientSecret": "Fake~8Q~cl1ent.s3cret-value",
    "TokenValidationParameters": { "ValidateIssuer": true }
  },
  "Smtp": { "Password": "<your-password>", "PasswordLength": 12 },
  "Storage": { "AccountKey": "FAKEb3JhZ2VrZXlmYWtlZmFrZWtleWZha2U0MTI0NTY3ODk=" }
}"#;
        assert_eq!(
            text_hits("appsettings.json", text, "KEY002"),
            vec![(4, 21), (8, 30)]
        );
        let f = text_findings("appsettings.json", text, "KEY002");
        assert!(f[0].message.contains("DefaultAzureCredential"));
    }

    /// A BOSH deployment manifest gets BOSH advice (a `((variable))` kept by CredHub), not an
    /// application's managed identity or Key Vault reference; a placeholder is silent.
    #[test]
    fn bosh_manifests_get_bosh_advice() {
        let rel = "testdata/KEY002/fire/bosh-manifest.yml";
        assert_eq!(crate::testing::hits(rel, "KEY002"), vec![(19, 19)]);
        let report = crate::testing::scan_fixture(rel);
        let f = report
            .findings
            .iter()
            .find(|f| f.rule.id == "KEY002")
            .unwrap();
        assert!(f.message.contains("((variable))"), "{}", f.message);
        assert!(
            !f.message.contains("DefaultAzureCredential"),
            "{}",
            f.message
        );
        let help = f.help.as_deref().unwrap_or("");
        assert!(
            help.contains("CredHub") && help.contains("bosh int"),
            "{help}"
        );
        assert!(!help.contains("@Microsoft.KeyVault"), "{help}");
    }

    #[test]
    fn parameter_files_are_left_to_key004() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "adminPassword": { "value": "Fake-Pa55word-5" } }
}"#;
        assert!(text_hits("azuredeploy.parameters.json", text, "KEY002").is_empty());
    }

    #[test]
    fn fixtures() {
        assert_eq!(
            hits("testdata/KEY002/fire/azuredeploy.json", "KEY002"),
            vec![(17, 28), (33, 63)]
        );
        assert_eq!(
            hits("testdata/KEY002/fire/appsettings.json", "KEY002"),
            vec![(4, 21), (7, 17)]
        );
        assert!(hits("testdata/KEY002/silent/azuredeploy.json", "KEY002").is_empty());
        assert!(hits("testdata/KEY002/silent/appsettings.json", "KEY002").is_empty());
    }

    /// A VPN connection's IPsec pre-shared key (in the connection, or in a variable a connection
    /// reads): the remedy is a secure parameter from Key Vault and rotation, never a managed
    /// identity; an app's password beside it keeps the identity remedy (ARM, Bicep, Terraform).
    #[test]
    fn vpn_pre_shared_key_remedy_has_no_identity() {
        for (rel, psk) in [
            ("testdata/KEY002/fire/vpn.json", vec![(7, 20), (20, 22)]),
            ("testdata/KEY002/fire/vpn.bicep", vec![(8, 16)]),
            ("testdata/KEY002/fire/vpn.tf", vec![(8, 32)]),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == "KEY002")
                .collect();
            for (i, at) in psk.iter().enumerate() {
                assert_eq!((f[i].start.line, f[i].start.column), *at, "{rel}");
                let help = f[i].help.as_deref().unwrap_or("");
                assert!(
                    f[i].message.contains("rotate it")
                        && !f[i].message.contains("use a managed identity")
                        && help.contains("pre-shared key")
                        && !help.contains("Give the app a managed identity"),
                    "{rel}: {} / {help}",
                    f[i].message
                );
            }
            assert_eq!(
                f.len(),
                psk.len() + usize::from(rel.ends_with(".json")),
                "{rel}"
            );
        }
        let report = crate::testing::scan_fixture("testdata/KEY002/fire/vpn.json");
        let app = report
            .findings
            .iter()
            .find(|f| f.rule.id == "KEY002" && f.start.line == 42)
            .expect("the app password");
        assert!(
            app.message.contains("use a managed identity"),
            "{}",
            app.message
        );
    }

    /// A VM's administrator password: the remedy is SSH keys or Entra login and a Key Vault
    /// reference for the value, not a managed identity; in every dialect.
    #[test]
    fn vm_admin_password_remedy_is_ssh_keys_or_entra_login() {
        for (rel, at, vault) in [
            (
                "testdata/KEY002/fire/azuredeploy.json",
                (17, 28),
                "Key Vault reference",
            ),
            ("testdata/KEY002/fire/vm.bicep", (8, 22), "`getSecret()`"),
            (
                "testdata/KEY002/fire/vm.tf",
                (7, 37),
                "`azurerm_key_vault_secret`",
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule.id == "KEY002" && (f.start.line, f.start.column) == at)
                .unwrap_or_else(|| panic!("{rel}: no KEY002 at {at:?}"));
            let m = &f.message;
            assert!(
                m.contains("SSH keys (Linux) or Microsoft Entra login for VMs"),
                "{m}"
            );
            assert!(m.contains(vault), "{rel}: {m}");
            assert!(!m.contains("use a managed identity"), "{m}");
        }
        // other secrets keep the identity remedy
        let report = crate::testing::scan_fixture("testdata/KEY002/fire/azuredeploy.json");
        let f = report
            .findings
            .iter()
            .find(|f| f.rule.id == "KEY002" && f.start.line == 33);
        assert!(f.is_some_and(|f| f.message.contains("use a managed identity")));
    }

    #[test]
    fn terraform_fixtures() {
        let f: Vec<_> = crate::testing::scan_fixture("testdata/KEY002/fire/main.tf")
            .findings
            .into_iter()
            .filter(|f| f.rule.id == "KEY002")
            .collect();
        assert!(f[0].message.contains("azurerm_key_vault_secret"));
        assert!(f[2].message.contains("Terraform state"));
    }

    /// Values the file marks secret (Data Factory `SecureString`, API Management `secret: true`)
    /// and JSON inside strings (the `azure/login` `creds` object).
    #[test]
    fn marked_secrets_and_embedded_json() {
        // the inline `creds` JSON: one finding, at the secret; the one on `creds` folds into it
        let report = crate::testing::scan_fixture("testdata/KEY002/fire/workflows/deploy.yml");
        let reported: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.id == "KEY002")
            .map(|f| (f.start.line, f.start.column, f.merged.len()))
            .collect();
        assert_eq!(reported, vec![(12, 32, 0), (18, 86, 1)]);
    }

    /// A documentation example deployed as the secret is a warning that says so; true
    /// placeholders, references and setting names stay silent.
    #[test]
    fn example_values_deployed_as_is() {
        assert_eq!(
            hits("testdata/KEY002/fire/example-values.tf", "KEY002"),
            vec![(16, 23), (20, 23)]
        );
        assert!(hits("testdata/KEY002/silent/example-values.tf", "KEY002").is_empty());
        let f = crate::testing::scan_fixture("testdata/KEY002/fire/example-values.tf");
        let f: Vec<_> = f
            .findings
            .iter()
            .filter(|f| f.rule.id == "KEY002")
            .collect();
        assert!(
            f[0].message.contains("well-known example value"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].severity, crate::finding::Severity::Warning);
    }

    /// Spring Boot properties and YAML, Container Apps and Container Instances specs, Terraform
    /// backends, object literals inside function calls and password lists, each at its value.
    #[test]
    fn new_places_of_literal_secrets() {
        for (f, want) in [
            ("application.properties", vec![(5, 28), (7, 45)]),
            ("application-prod.yml", vec![(5, 15)]),
            ("containerapp.yaml", vec![(10, 16), (12, 16)]),
            ("containergroup.yaml", vec![(11, 17)]),
            ("backend.tf", vec![(6, 28), (16, 28), (26, 28)]),
            ("function-data.tf", vec![(6, 20), (8, 45), (22, 23)]),
            ("function-data.bicep", vec![(6, 18), (10, 18)]),
            ("function-data.json", vec![(5, 63), (6, 64)]),
            ("create-object-pairs.json", vec![(13, 133)]),
            ("appsettings.Passwords.json", vec![(3, 20), (3, 44)]),
        ] {
            assert_eq!(
                hits(&format!("testdata/KEY002/fire/{f}"), "KEY002"),
                want,
                "{f}"
            );
            assert_eq!(
                hits(
                    &format!("testdata/KEY002/silent/{f}")
                        .replace("containergroup", "containerapp"),
                    "KEY002"
                ),
                vec![],
                "{f}"
            );
        }
        let f = text_findings(
            "containerapp.yaml",
            "properties:\n  configuration:\n    secrets:\n      - name: orders\n        value: Zq7x-Orders-9943-Value\n",
            "KEY002",
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("Container Apps secret"),
            "{}",
            f[0].message
        );
        assert_eq!((f[0].start.line, f[0].start.column), (5, 16));
    }
}
