//! KEY003 secure-parameter-default: an ARM `securestring`/`secureObject` or Bicep `@secure()`
//! parameter (or a secret-named parameter) whose default is a literal secret.

use crate::analysis::params::{secret_defaults, stand_in_default, DefaultSecret};
use crate::finding::{Finding, Severity};
use crate::fix::offer::remove_secret_default;
use crate::ir::Dialect;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct SecureParameterDefault;
    id: "KEY003",
    name: "secure-parameter-default",
    family: Key,
    severity: Error,
    security_severity: 8.0,
    summary: "A secure (or password-named) template parameter has a literal default value, so the \
              secret is written in the template.",
    reads: [Arm, Bicep] in Both,
    absorbs: ["KEY001"],
}

impl Rule for SecureParameterDefault {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // ARM or Bicep (`reads` above)
        let bicep = cx.doc.dialect == Dialect::Bicep;
        let (secure_word, fix) = if bicep {
            (
                "`@secure()`",
                "remove the default and pass the value with `getSecret()` from Key Vault",
            )
        } else {
            (
                "`securestring`",
                "remove the default and pass the value from a Key Vault reference in the parameter file",
            )
        };
        // A module bound to a caller's arguments: the parameters without one report what the
        // module's own scan reports (module following keeps only what differs), so they are not
        // checked again.
        let bound = cx
            .doc
            .params
            .iter()
            .any(|p| p.argument.as_ref().is_some_and(|a| a.caller.is_none()));
        for p in &cx.doc.params {
            // A module's secure parameter given a literal by its caller: the secret is written in
            // the caller (the scan reports it there, at the argument).
            if let Some(a) = p.argument.as_ref().filter(|a| a.caller.is_none()) {
                let given = crate::ir::Param {
                    default: Some(a.value.clone()),
                    argument: None,
                    ..p.clone()
                };
                let name = crate::finding::shown_name(&p.name);
                for d in secret_defaults(&given) {
                    if let DefaultSecret::Literal { node, value } = d {
                        out.push(
                            Finding::new(
                                &META,
                                node.span,
                                format!(
                                    "a literal secret is given to secure parameter `{name}`, so \
                                     the secret is written in the template that passes it: pass \
                                     a secure parameter of its own (from Key Vault) instead"
                                ),
                            )
                            .secret(value, node.span),
                        );
                    }
                }
                continue;
            }
            if bound {
                continue;
            }
            let name = crate::finding::shown_name(&p.name);
            // What the name says it holds: a storage key is not a "password".
            let lower = p.name.to_ascii_lowercase();
            let what = if lower.contains("password") || lower.contains("pwd") {
                "a password"
            } else if lower.contains("key") {
                "a key"
            } else if lower.contains("token") {
                "a token"
            } else if lower.contains("secret") {
                "a secret"
            } else {
                "a password"
            };
            if let Some((node, value)) = stand_in_default(p) {
                let declared = if p.secure {
                    "secure parameter"
                } else {
                    "parameter"
                };
                out.push(
                    Finding::new(
                        &META,
                        node.span,
                        format!(
                            "{declared} `{name}` defaults to a stand-in value: whenever the \
                             parameter is omitted, this text is deployed as the password; {fix}"
                        ),
                    )
                    .severity(Severity::Warning)
                    .secret(value, node.span)
                    .with_fix(remove_secret_default(&cx.file.text, cx.format, p))
                    .help(
                        "A default is used whenever the deployment does not pass the parameter, \
                         so a sample value becomes the real password of every such deployment. \
                         Declare the parameter secure without a default, so the deployment must \
                         supply it (from Key Vault), or better, use a managed identity or \
                         Microsoft Entra-only authentication so no password is needed.",
                    ),
                );
                continue;
            }
            for d in secret_defaults(p) {
                let f = match d {
                    DefaultSecret::Literal { node, value } => {
                        let msg = if p.secure {
                            format!(
                                "secure parameter `{name}` has a literal default, so the secret is \
                                 written in the template: {fix}"
                            )
                        } else {
                            format!(
                                "parameter `{name}` holds {what} but is neither {secure_word} \
                                 nor without a literal default: make it {secure_word}, {fix}"
                            )
                        };
                        Finding::new(&META, node.span, msg)
                            .secret(value, node.span)
                            .with_fix(remove_secret_default(&cx.file.text, cx.format, p))
                    }
                    DefaultSecret::Constant { node, text } => Finding::new(
                        &META,
                        node.span,
                        format!(
                            "parameter `{name}` defaults to an expression of constants, so the \
                             secret is written in the template: {fix}"
                        ),
                    )
                    .secret(text, node.span)
                    .with_fix(remove_secret_default(&cx.file.text, cx.format, p)),
                    DefaultSecret::Derived { node, function } => Finding::new(
                        &META,
                        node.span,
                        format!(
                            "parameter `{name}` defaults to {what} derived with `{function}()` \
                             from values that are not secret, so anyone who can read them can \
                             recompute it: use `newGuid()` in the default, or better, no password \
                             (managed identity, Microsoft Entra-only authentication)"
                        ),
                    )
                    .severity(Severity::Note),
                };
                out.push(f.help(
                    "Prefer a managed identity (or Microsoft Entra-only authentication) so that no \
                     password is needed. Where one is unavoidable, declare the parameter secure \
                     without a default and supply it at deployment from Key Vault: an ARM parameter \
                     file `reference` to the secret, or Bicep `getSecret()`.",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::testing::{text_findings, text_hits};

    const HEAD: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"#;

    fn arm(params: &str) -> String {
        format!("{HEAD}\n{params}\n  }},\n  \"resources\": []\n}}")
    }

    /// The message says what the name says the parameter holds: a storage key is a key, not a
    /// password.
    #[test]
    fn a_key_is_called_a_key() {
        let f = crate::testing::text_findings(
            "main.bicep",
            "param storageAccountKey string = 'abc123XYZ987secretvalue'\n",
            "KEY003",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (1, 34));
        assert!(
            f[0].message.contains("holds a key") && !f[0].message.contains("password"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn literal_defaults_of_secure_and_password_named_parameters() {
        let t = arm(
            r#"    "adminPassword": { "type": "securestring", "defaultValue": "Fake-Pa55word-1" },
    "apiToken": { "type": "secureString", "defaultValue": "Tk9!x2Qz" },
    "sqlPassword": { "type": "string", "defaultValue": "Fake-Pa55word-2" },
    "settings": { "type": "secureObject", "defaultValue": { "clientSecret": "Fake~8Q~cl1ent.s3cret-value", "region": "westeurope" } }"#,
        );
        assert_eq!(
            text_hits("t.json", &t, "KEY003"),
            vec![(5, 64), (6, 59), (7, 56), (8, 77)]
        );
        let f = text_findings("t.json", &t, "KEY003");
        assert!(f[0].message.starts_with("secure parameter `adminPassword`"));
        assert!(f[2].message.contains("neither `securestring`"));
        assert_eq!(f[0].evidence.as_deref(), Some("********"));
        assert!(f.iter().all(|x| !x.message.contains("Fake")));
    }

    #[test]
    fn generated_and_referenced_defaults() {
        let t = arm(
            r#"    "a": { "type": "securestring", "defaultValue": "[concat('P', uniqueString(resourceGroup().id), 'x!')]" },
    "b": { "type": "securestring", "defaultValue": "[newGuid()]" },
    "c": { "type": "securestring", "defaultValue": "[concat('Fake-', 'Pa55word')]" },
    "d": { "type": "securestring", "defaultValue": "[parameters('a')]" },
    "e": { "type": "securestring", "defaultValue": "" },
    "f": { "type": "securestring" },
    "g": { "type": "securestring", "defaultValue": "<your-password>" },
    "passwordLength": { "type": "int", "defaultValue": 16 },
    "adminPasswordSecretName": { "type": "string", "defaultValue": "vm-admin-password" }"#,
        );
        let f = text_findings("t.json", &t, "KEY003");
        let got: Vec<_> = f
            .iter()
            .map(|x| (x.start.line, x.start.column, x.severity))
            .collect();
        assert_eq!(got, vec![(5, 52, Severity::Note), (7, 52, Severity::Error)]);
        assert!(f[0].message.contains("`uniqueString()`"));
    }

    #[test]
    fn not_for_other_formats() {
        let text = r#"{ "adminPassword": "Fake-Pa55word-1" }"#;
        assert!(text_hits("appsettings.json", text, "KEY003").is_empty());
    }
}
