//! KEY004 parameter-file-literal-secret: an ARM parameter file, `.tfvars` or `.bicepparam` value for
//! a secret-named parameter given as a literal instead of a Key Vault reference.

use std::collections::HashSet;

use crate::analysis::names::{secret_key_kind, SecretKind};
use crate::analysis::secret_value::literal_secret;
use crate::finding::Finding;
use crate::ir::{Dialect, Node, NodeKind};
use crate::rules::{Context, Rule};
use crate::source::Span;

crate::rules::declare_rule! {
    pub struct ParameterFileLiteralSecret;
    id: "KEY004",
    name: "parameter-file-literal-secret",
    family: Key,
    severity: Error,
    security_severity: 8.0,
    summary: "A parameter file (ARM parameters, .tfvars, .bicepparam) gives a password-named \
              parameter a literal value instead of a Key Vault reference.",
    reads_parameters: false,
    reads: [Arm, Bicep, Terraform, AppConfig] in Values,
    absorbs: ["KEY001"],
}

impl Rule for ParameterFileLiteralSecret {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // (parameter name, value) pairs as each format lowers them.
        let mut pairs: Vec<(&str, &Node)> = Vec::new();
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
            // A parameter the template declares secure is a secret whatever its name.
            let secure = cx
                .doc
                .secure_in_template
                .iter()
                .any(|p| p.eq_ignore_ascii_case(name));
            let mut report = |key: &str, node: &Node| {
                let by_template = secure && key == name;
                let Some(kind) =
                    secret_key_kind(key).or_else(|| by_template.then_some(SecretKind::Password))
                else {
                    return;
                };
                // Under a name that says nothing, the value must look like a secret on its own
                // (a key's randomness, not a user name or a word).
                let (judged_as, kind) = match secret_key_kind(key) {
                    Some(_) => (key, kind),
                    None => ("secret", SecretKind::Secret),
                };
                let Some(secret) = literal_secret(node, judged_as, kind) else {
                    return;
                };
                // ... and, by the template alone, carry a digit and not be a quickstart
                // `GET-PREREQ-…` stand-in (user names and words are declared secure too).
                if judged_as == "secret"
                    && (!secret.bytes().any(|b| b.is_ascii_digit())
                        || secret.starts_with("GET-PREREQ"))
                {
                    return;
                }
                if !seen.insert(node.span) {
                    return;
                }
                let key = crate::finding::shown_name(key);
                out.push(
                    Finding::new(
                        &META,
                        node.span,
                        if by_template && secret_key_kind(&key).is_none() {
                            format!(
                                "`{key}` is declared secure in the template but given a literal \
                                 value in {what}: {fix}"
                            )
                        } else {
                            format!("`{key}` is given a literal secret in {what}: {fix}")
                        },
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
        assert_eq!(f[0].evidence.as_deref(), Some("********"));
    }

    /// A parameter the template beside the values file declares secure is a secret whatever its
    /// name: the sibling ARM template, the `.bicepparam` file's `using` target, the `.tf` files.
    #[test]
    fn parameters_the_template_declares_secure() {
        let dir = "testdata/KEY004/fire/secure-sibling";
        assert_eq!(
            hits(&format!("{dir}/azuredeploy.parameters.json"), "KEY004"),
            vec![(5, 31)]
        );
        assert_eq!(
            hits(&format!("{dir}/main.bicepparam"), "KEY004"),
            vec![(3, 20)]
        );
        assert_eq!(
            hits(&format!("{dir}/terraform.tfvars"), "KEY004"),
            vec![(1, 19)]
        );
        for t in ["azuredeploy.json", "main.bicep", "variables.tf"] {
            assert!(hits(&format!("{dir}/{t}"), "KEY004").is_empty(), "{t}");
        }
        let dir = "testdata/KEY004/silent/secure-sibling";
        for f in [
            "azuredeploy.parameters.json",
            "main.bicepparam",
            "terraform.tfvars",
        ] {
            assert!(hits(&format!("{dir}/{f}"), "KEY004").is_empty(), "{f}");
        }
    }
}
