//! KEY005 secret-in-output: a template or Terraform output that returns a key, a password or a
//! connection string.

use crate::analysis::exposure::{secret_source, SecretSource};
use crate::analysis::names::secret_key_kind;
use crate::analysis::secret_value::literal_secret;
use crate::finding::{Finding, Severity};
use crate::ir::Dialect;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct SecretInOutput;
    id: "KEY005",
    name: "secret-in-output",
    family: Key,
    severity: Error,
    security_severity: 7.5,
    summary: "An output returns a secret (listKeys(), a key or connection-string attribute, a \
              secure parameter), handing the key to every reader of the deployment or state.",
    absorbs: ["CONN002"],
}

impl Rule for SecretInOutput {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // `marked`: how the dialect marks a secret output, and whether that keeps the value out of
        // the record the output is kept in. ARM and Bicep do not record secure outputs in the
        // deployment history; Terraform keeps `sensitive` outputs in the state in clear text.
        let (kept, marked, marking_hides) = match cx.doc.dialect {
            Dialect::Arm => (
                "in the deployment history",
                "typed `securestring`/`secureObject`",
                true,
            ),
            Dialect::Bicep => ("in the deployment history", "marked `@secure()`", true),
            Dialect::Terraform => ("in the state file", "marked `sensitive = true`", false),
            Dialect::AppConfig => return,
        };
        for o in &cx.doc.outputs {
            if let Some(f) = literal_output(o, kept) {
                out.push(f);
                continue;
            }
            let Some(source) = secret_source(cx.doc, o.template, &o.value) else {
                continue;
            };
            // A host name built on the cloud's DNS suffixes (`environment().suffixes`) is a
            // public name: a parameter spliced into it is a name part, not a secret handed on.
            if matches!(source, SecretSource::Parameter(_)) && is_host_name(&o.value) {
                continue;
            }
            let name = crate::finding::shown_name(&o.name);
            // Show a Terraform attribute as written, indexes kept (`kube_config.0.client_key`):
            // the IR's reference path leaves index steps out.
            let source = match source {
                SecretSource::Attribute(a) => {
                    let raw = cx
                        .file
                        .text
                        .get(o.value.span.start..o.value.span.end)
                        .unwrap_or("")
                        .trim();
                    SecretSource::Attribute(as_written(&a, raw).unwrap_or(a))
                }
                other => other,
            };
            let why = source.describe();
            let f = if o.secure && marking_hides {
                // A secure ARM/Bicep output is not recorded anywhere: no warning. A note only
                // where a service's key is handed to the caller, which could use its own identity;
                // a secure parameter passed on is the caller's own value.
                if matches!(source, SecretSource::Parameter(_)) {
                    continue;
                }
                Finding::new(
                    &META,
                    o.value.span,
                    format!(
                        "output `{name}` {why}: it is {marked}, so it is not kept {kept}, but it \
                         hands a key to the caller, which could use its own managed identity \
                         and a data-plane role assignment instead"
                    ),
                )
                .severity(Severity::Note)
            } else if o.secure {
                Finding::new(
                    &META,
                    o.value.span,
                    format!(
                        "output `{name}` {why}: it is {marked}, which hides it from logs and plan \
                         output, but the secret is still kept {kept} in clear text and handed to \
                         every consumer; give the consumer a managed identity and a role \
                         assignment instead"
                    ),
                )
                .severity(Severity::Warning)
            } else {
                Finding::new(
                    &META,
                    o.value.span,
                    format!(
                        "output `{name}` {why}: the secret is kept {kept} in clear text for anyone \
                         who can read it; give the consumer a managed identity and a role \
                         assignment instead, or let it read the secret from Key Vault"
                    ),
                )
            };
            // App Service deployment credentials (the SCM / basic publishing user): no consumer
            // identity takes their place; deployments sign in with Microsoft Entra instead.
            let lower_why = why.to_ascii_lowercase();
            if [
                "site_credential",
                "publishingcredentials",
                "publishingpassword",
                "publishprofile",
            ]
            .iter()
            .any(|w| lower_why.contains(w))
            {
                let mut f = f;
                f.message = format!(
                    "output `{name}` {why}: an App Service deployment (SCM / basic publishing) \
                     credential, kept {kept}{}; deploy with Microsoft Entra instead and turn basic \
                     publishing credentials off",
                    if o.secure && marking_hides {
                        " only as a secure output"
                    } else {
                        " in clear text"
                    }
                );
                out.push(f.help(
                    "Deployment credentials are not needed once deployments sign in with Microsoft \
                     Entra ID: deploy from a pipeline with a service principal or workload identity \
                     federation holding Website Contributor on the app (`az webapp deploy`, the \
                     Azure Web Apps deploy action), then disable basic publishing credentials \
                     (`Microsoft.Web/sites/basicPublishingCredentialsPolicies` `scm` and `ftp` with \
                     `allow: false`; Terraform `webdeploy_publish_basic_authentication_enabled = \
                     false` and `ftp_publish_basic_authentication_enabled = false`) and remove the \
                     output.",
                ));
                continue;
            }
            out.push(f.help(
                "Do not pass keys between deployments or modules. Output the resource's id or \
                 endpoint instead, give the consuming app or module a managed identity with a \
                 data-plane role on the resource, and connect with identity-based settings. Where a \
                 key is unavoidable, write it to Key Vault inside the deployment (a \
                 `Microsoft.KeyVault/vaults/secrets` resource, `azurerm_key_vault_secret`) and \
                 output the secret's URI.",
            ));
        }
    }
}

/// An output named as a secret (`adminPassword`, `apiKey`) whose value is a literal secret: the
/// password is written in the template and kept, again, with the deployment.
fn literal_output(o: &crate::ir::Output, kept: &str) -> Option<Finding> {
    let kind = secret_key_kind(&o.name)?;
    let value = literal_secret(&o.value, &o.name, kind)?;
    let name = crate::finding::shown_name(&o.name);
    Some(
        Finding::new(
            &META,
            o.value.span,
            format!(
                "output `{name}` returns a secret written as a literal value: it is in the \
                 template for everyone who can read it, and kept {kept} as well; remove the \
                 output and let the consumer authenticate with a managed identity, or read the \
                 secret from Key Vault"
            ),
        )
        .secret(value, o.value.span)
        .help(
            "A literal secret in a template is exposed to everyone who can read the file and is \
             kept in every deployment's record. Rotate it, remove it from the template, and hand \
             consumers an identity-based connection (or a Key Vault secret URI) instead.",
        ),
    )
}

/// True when the value is built on `environment().suffixes` (`sqlServerHostname`,
/// `storage`, `keyvaultDns`): a fully qualified host name.
fn is_host_name(value: &crate::ir::Node) -> bool {
    let Some(e) = value.as_expr() else {
        return false;
    };
    let mut found = false;
    e.walk(&mut |x| {
        if let crate::ir::Expr::Member { base, name } = x {
            found |= name.eq_ignore_ascii_case("suffixes")
                && matches!(&**base, crate::ir::Expr::Call { name, .. } if name.eq_ignore_ascii_case("environment"));
        }
    });
    found
}

/// `raw` (the output's value as written) when it is the reference `attr` with index steps
/// (`.0`, `[0]`, `["k"]`) that the IR's path leaves out; `None` when it is anything else.
fn as_written(attr: &str, raw: &str) -> Option<String> {
    if raw.len() > 200 || raw.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    for seg in raw.split('.') {
        // `kube_config[0]` → `kube_config`; a bare `0` is an index step
        let name = seg.split('[').next().unwrap_or("");
        if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        names.push(name);
    }
    (names.join(".") == attr && raw != attr).then(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    /// App Service deployment credentials get the deployment advice (Entra-based deployment,
    /// basic publishing credentials off), not "give the consumer a managed identity".
    #[test]
    fn deployment_credentials_get_deployment_advice() {
        for (rel, at) in [
            ("testdata/KEY005/fire/scm-credentials.tf", (9, 11)),
            ("testdata/KEY005/fire/scm-credentials.json", (10, 9)),
        ] {
            let f: Vec<_> = crate::testing::scan_fixture(rel)
                .findings
                .into_iter()
                .filter(|f| f.rule.id == "KEY005")
                .collect();
            assert_eq!(f.len(), 1, "{rel}");
            assert_eq!((f[0].start.line, f[0].start.column), at, "{rel}");
            assert!(f[0]
                .message
                .contains("deployment (SCM / basic publishing) credential"));
            assert!(
                !f[0].message.contains("managed identity"),
                "{}",
                f[0].message
            );
            assert!(f[0]
                .help
                .as_deref()
                .unwrap()
                .contains("basicPublishingCredentialsPolicies"));
        }
    }

    use crate::finding::Severity;
    use crate::testing::text_findings;

    const HEAD: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0","#;

    fn arm(body: &str) -> String {
        format!("{HEAD}\n{body}\n}}")
    }

    #[test]
    fn arm_outputs() {
        let t = arm(
            r#"  "parameters": { "adminPassword": { "type": "securestring" }, "name": { "type": "string" } },
  "variables": { "keys": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', parameters('name')), '2023-01-01')]" },
  "resources": [],
  "outputs": {
    "storageKey": { "type": "string", "value": "[variables('keys').keys[0].value]" },
    "conn": { "type": "securestring", "value": "[concat('AccountKey=', listKeys(parameters('name'), '2023-01-01').keys[0].value)]" },
    "pw": { "type": "string", "value": "[parameters('adminPassword')]" },
    "nested": { "type": "string", "value": "[reference('inner').outputs.storageAccountKey.value]" },
    "endpoint": { "type": "string", "value": "[reference(parameters('name')).primaryEndpoints.blob]" },
    "id": { "type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" },
    "insights": { "type": "string", "value": "[reference('ai').InstrumentationKey]" }
  }"#,
        );
        let f = text_findings("t.json", &t, "KEY005");
        let got: Vec<_> = f
            .iter()
            .map(|x| (x.start.line, x.start.column, x.severity))
            .collect();
        assert_eq!(
            got,
            vec![
                (8, 48, Severity::Error),
                (9, 48, Severity::Note),
                (10, 40, Severity::Error),
                (11, 44, Severity::Error),
            ]
        );
        assert!(f[0].message.contains("calls `listKeys()`"));
        assert!(f[1].message.contains("`securestring`"));
        assert!(f[1].message.contains("not kept in the deployment history"));
        assert!(!f[1].message.contains("still kept"));
        assert!(f[2].message.contains("secret parameter `adminPassword`"));
        assert!(f[3].message.contains("reads `storageAccountKey`"));
    }

    #[test]
    fn members_of_variables_and_inputs_to_functions_are_followed_precisely() {
        let t = arm(
            r#"  "parameters": { "adminPassword": { "type": "securestring" }, "settings": { "type": "secureObject" } },
  "variables": { "vm": { "adminUsername": "azureuser", "adminPassword": "[parameters('adminPassword')]" } },
  "resources": [],
  "outputs": {
    "user": { "type": "string", "value": "[variables('vm').adminUsername]" },
    "fqdn": { "type": "string", "value": "[reference(parameters('settings').pipName).dnsSettings.fqdn]" },
    "hash": { "type": "string", "value": "[uniqueString(parameters('adminPassword'))]" },
    "pw": { "type": "string", "value": "[variables('vm').adminPassword]" }
  }"#,
        );
        assert_eq!(
            crate::testing::text_hits("t.json", &t, "KEY005"),
            vec![(11, 40)]
        );
    }

    /// ARM and Bicep do not record secure outputs in the deployment history: no warning, a note
    /// where a service's key is handed to the caller, nothing for a secure parameter passed on.
    #[test]
    fn secure_arm_and_bicep_outputs_are_a_note_at_most() {
        let f: Vec<_> = crate::testing::scan_fixture("testdata/KEY005/fire/main.bicep")
            .findings
            .into_iter()
            .filter(|x| x.rule.id == "KEY005")
            .collect();
        let got: Vec<_> = f
            .iter()
            .map(|x| (x.start.line, x.start.column, x.severity))
            .collect();
        assert_eq!(
            got,
            vec![(8, 28, Severity::Error), (12, 41, Severity::Note)]
        );
        assert!(f[1].message.starts_with(
            "output `storageConnectionString` calls `listKeys()` (also CONN002: Azure Storage \
             connection string takes its `AccountKey` from `listKeys()`): it is marked \
             `@secure()`, so it is not kept in the deployment history, but it hands a key to the \
             caller"
        ));
        let fire = crate::testing::scan_fixture("testdata/KEY005/fire/azuredeploy.json");
        let sev: Vec<_> = fire
            .findings
            .iter()
            .filter(|x| x.rule.id == "KEY005")
            .map(|x| x.severity)
            .collect();
        assert_eq!(sev, vec![Severity::Error, Severity::Note]);
    }

    #[test]
    fn terraform_paths_keep_their_indexes() {
        use super::as_written;
        assert_eq!(
            as_written("aks.kube_config.client_key", "aks.kube_config.0.client_key").as_deref(),
            Some("aks.kube_config.0.client_key")
        );
        assert_eq!(
            as_written(
                "aks.kube_config.client_key",
                "aks.kube_config[0].client_key"
            )
            .as_deref(),
            Some("aks.kube_config[0].client_key")
        );
        assert_eq!(as_written("a.b", "a.b"), None);
        assert_eq!(as_written("a.b", "local.x"), None);
        let report = crate::testing::scan_fixture("testdata/KEY005/fire/aks.tf");
        let msgs: Vec<(usize, usize, &str)> = report
            .findings
            .iter()
            .filter(|f| f.rule.id == "KEY005")
            .map(|f| (f.start.line, f.start.column, f.message.as_str()))
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!((msgs[0].0, msgs[0].1), (6, 11));
        assert!(
            msgs[0]
                .2
                .starts_with("output `client_key` reads `azurerm_kubernetes_cluster.aks.kube_config.0.client_key`"),
            "{}",
            msgs[0].2
        );
        assert_eq!((msgs[1].0, msgs[1].1), (10, 11));
        assert!(
            msgs[1].2.starts_with(
                "output `admin_key` reads `azurerm_kubernetes_cluster.aks.kube_admin_config[0].client_key`"
            ),
            "{}",
            msgs[1].2
        );
    }

    #[test]
    fn terraform_fixtures() {
        let f: Vec<_> = crate::testing::scan_fixture("testdata/KEY005/fire/outputs.tf")
            .findings
            .into_iter()
            .filter(|x| x.rule.id == "KEY005")
            .collect();
        let got: Vec<_> = f
            .iter()
            .map(|x| (x.start.line, x.start.column, x.severity))
            .collect();
        assert_eq!(
            got,
            vec![
                (14, 11, Severity::Error),
                (18, 15, Severity::Warning),
                (23, 11, Severity::Error),
            ]
        );
        // followed through `local.storage_conn`
        assert!(f[1].message.contains("primary_connection_string"));
        assert!(f[1].message.contains("sensitive = true"));
    }
}
