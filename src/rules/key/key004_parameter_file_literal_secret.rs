//! KEY004 parameter-file-literal-secret: an ARM parameter file, `.tfvars` or `.bicepparam` value for
//! a secret-named parameter given as a literal instead of a Key Vault reference.

use std::collections::HashSet;

use crate::analysis::names::secret_key_kind;
use crate::analysis::secret_value::literal_secret;
use crate::finding::{Family, Finding, RuleMeta, Severity};
use crate::ir::{Dialect, Node, NodeKind};
use crate::rules::{Context, Rule};
use crate::source::Span;

static META: RuleMeta = RuleMeta {
    id: "KEY004",
    name: "parameter-file-literal-secret",
    family: Family::Key,
    default_severity: Severity::Error,
    summary: "A parameter file (ARM parameters, .tfvars, .bicepparam) gives a password-named \
              parameter a literal value instead of a Key Vault reference.",
    security_severity: 8.0,
    doc: include_str!("../../../rules/KEY004.md"),
};

pub struct ParameterFileLiteralSecret;

pub static RULE: ParameterFileLiteralSecret = ParameterFileLiteralSecret;

impl Rule for ParameterFileLiteralSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // (parameter name, value) pairs as each format lowers them.
        let mut pairs: Vec<(&str, &Node)> = Vec::new();
        if !cx.doc.values_file {
            return;
        }
        match cx.doc.dialect {
            Dialect::Arm => {
                for s in &cx.doc.settings {
                    if s.key.starts_with("parameters:") {
                        pairs.push((&s.name, &s.value));
                    }
                }
            }
            Dialect::Bicep | Dialect::Terraform => {
                for s in &cx.doc.settings {
                    pairs.push((&s.name, &s.value));
                }
                for p in &cx.doc.params {
                    if let Some(d) = &p.default {
                        pairs.push((&p.name, d));
                    }
                }
                if cx.doc.dialect == Dialect::Terraform {
                    if let Some(root) = &cx.doc.root {
                        for e in root.entries() {
                            pairs.push((&e.key, &e.value));
                        }
                    }
                }
            }
            Dialect::AppConfig => return,
        }
        let (what, fix) = match cx.doc.dialect {
            Dialect::Arm => (
                "the parameter file",
                "reference the secret in Key Vault instead (`\"reference\": { \"keyVault\": { \"id\": ... }, \"secretName\": ... }`)",
            ),
            Dialect::Bicep => (
                "the parameter file",
                "read it from Key Vault instead (`az.getSecret(...)`)",
            ),
            _ => (
                "the variables file",
                "supply it at run time instead (`TF_VAR_...` from a secret store) or read it with a `data \"azurerm_key_vault_secret\"` block",
            ),
        };
        let mut seen: HashSet<Span> = HashSet::new();
        for (name, value) in pairs {
            let mut report = |key: &str, node: &Node| {
                let Some(kind) = secret_key_kind(key) else {
                    return;
                };
                let Some(secret) = literal_secret(node, key, kind) else {
                    return;
                };
                if !seen.insert(node.span) {
                    return;
                }
                let key: String = key.chars().filter(|c| !c.is_control()).take(80).collect();
                out.push(
                    Finding::new(
                        &META,
                        node.span,
                        format!("`{key}` is given a literal secret in {what}: {fix}"),
                    )
                    .secret(secret, node.span)
                    .help(
                        "Keep secrets out of parameter files: reference them in Key Vault, so the \
                         value is read at deployment by the deploying identity and never written \
                         down. Better, remove the need for the secret with a managed identity.",
                    ),
                );
            };
            match &value.kind {
                NodeKind::Str(_) => report(name, value),
                // Object values (secureObject parameters, Terraform maps): the literal leaves under
                // secret-named keys.
                NodeKind::Map(_) | NodeKind::List(_) => value.walk(&mut |path, node| {
                    if let Some(key) = path.last_key() {
                        report(key, node);
                    }
                }),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings, text_hits};

    const HEAD: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"#;

    fn params(body: &str) -> String {
        format!("{HEAD}\n{body}\n  }}\n}}")
    }

    #[test]
    fn literal_values_of_secret_named_parameters() {
        let t = params(
            r#"    "adminPassword": { "value": "Fake-Pa55word-1" },
    "adminUsername": { "value": "azureuser" },
    "sqlPassword": { "reference": { "keyVault": { "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv" }, "secretName": "sql" } },
    "config": { "value": { "clientSecret": "Fake~8Q~cl1ent.s3cret-value", "passwordLength": 16 } },
    "apiKey": { "value": "" }"#,
        );
        assert_eq!(
            text_hits("azuredeploy.parameters.json", &t, "KEY004"),
            vec![(5, 33), (8, 44)]
        );
        let f = text_findings("azuredeploy.parameters.json", &t, "KEY004");
        assert!(f[0]
            .message
            .starts_with("`adminPassword` is given a literal secret"));
        assert!(f[0].message.contains("keyVault"));
        assert_eq!(f[0].evidence.as_deref(), Some("Fak****"));
    }

    #[test]
    fn fixtures() {
        assert_eq!(
            hits("testdata/KEY004/fire/azuredeploy.parameters.json", "KEY004"),
            vec![(6, 16), (9, 16)]
        );
        assert!(hits(
            "testdata/KEY004/silent/azuredeploy.parameters.json",
            "KEY004"
        )
        .is_empty());
    }

    #[test]
    fn tfvars_fixtures() {
        // a top-level variable and a key inside an object value
        assert_eq!(
            hits("testdata/KEY004/fire/terraform.tfvars", "KEY004"),
            vec![(3, 18), (7, 34)]
        );
        assert!(hits("testdata/KEY004/silent/terraform.tfvars", "KEY004").is_empty());
        // KEY002 leaves variable files to this rule.
        assert!(hits("testdata/KEY004/fire/terraform.tfvars", "KEY002").is_empty());
    }
}
