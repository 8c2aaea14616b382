//! KEY006 terraform-variable-secret-default: a Terraform `variable` with a literal secret default.

use crate::analysis::params::{secret_defaults, DefaultSecret};
use crate::finding::Finding;
use crate::fix::offer::remove_secret_default;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct TerraformVariableSecretDefault;
    id: "KEY006",
    name: "terraform-variable-secret-default",
    family: Key,
    severity: Error,
    security_severity: 8.0,
    summary: "A sensitive or password-named Terraform variable has a literal default, so the \
              secret is written in the configuration.",
    reads: [Terraform] in Definitions,
    absorbs: ["KEY001"],
}

impl Rule for TerraformVariableSecretDefault {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for p in &cx.doc.params {
            let name = crate::finding::shown_name(&p.name);
            for d in secret_defaults(p) {
                // Terraform defaults are literal values; expressions are not allowed there.
                let DefaultSecret::Literal { node, value } = d else {
                    continue;
                };
                let msg = if p.secure {
                    format!(
                        "sensitive variable `{name}` has a literal default, so the secret is \
                         written in the configuration: remove the default and supply the value \
                         at run time (`TF_VAR_{name}` from a secret store) or read it from Key Vault"
                    )
                } else {
                    format!(
                        "variable `{name}` has a literal secret as its default: remove the default, \
                         mark it `sensitive = true` and supply the value at run time (`TF_VAR_{name}` \
                         from a secret store) or read it from Key Vault"
                    )
                };
                out.push(
                    Finding::new(&META, node.span, msg)
                        .secret(value, node.span)
                        .with_fix(remove_secret_default(&cx.file.text, cx.format, p))
                        .help(
                            "Prefer a managed identity so that no secret is needed (provider \
                             `use_msi = true` or OIDC, Microsoft Entra-only authentication for \
                             databases). Where a secret is unavoidable, read it with \
                             `data \"azurerm_key_vault_secret\"`, or generate it with \
                             `random_password` and store it in Key Vault.",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::ir::{Document, Node, NodeKind, Param};
    use crate::scan::{check, ScanOptions};
    use crate::source::{Format, SourceFile, Span};

    /// The IR the Terraform parser produces for `variable` blocks, built by hand so the rule is
    /// tested independently of the parser (fixtures below cover the parser's output).
    fn run(text: &str, vars: &[(&str, bool, &str)]) -> Vec<(usize, usize, String)> {
        let file = SourceFile::new(
            PathBuf::from("variables.tf"),
            "variables.tf".into(),
            text.into(),
            Format::Terraform,
        );
        let mut doc = Document {
            dialect: crate::ir::Dialect::Terraform,
            ..Document::default()
        };
        for (name, secure, default) in vars {
            let at = text.find(&format!("\"{default}\"")).unwrap();
            let span = Span::new(at, at + default.len() + 2);
            doc.params.push(Param {
                template: 0,
                name: name.to_string(),
                name_span: span,
                span,
                type_name: None,
                secure: *secure,
                default: Some(Node::new(
                    span,
                    NodeKind::Str(crate::ir::Str {
                        value: default.to_string(),
                        class: crate::ir::classify::classify_literal(default),
                    }),
                )),
                argument: None,
            });
        }
        check(&file, Format::Terraform, &doc, &ScanOptions::default())
            .findings
            .into_iter()
            .filter(|f| f.rule.id == "KEY006")
            .map(|f| (f.start.line, f.start.column, f.message))
            .collect()
    }

    #[test]
    fn sensitive_and_secret_named_defaults() {
        let text = "variable \"admin_password\" {\n  default = \"Fake-Pa55word-1\"\n}\n\
                    variable \"token\" {\n  sensitive = true\n  default   = \"Tk9!x2Qz\"\n}\n\
                    variable \"location\" {\n  default = \"westeurope\"\n}\n\
                    variable \"db_password\" {\n  default = \"<db-password>\"\n}\n";
        let got = run(
            text,
            &[
                ("admin_password", false, "Fake-Pa55word-1"),
                ("token", true, "Tk9!x2Qz"),
                ("location", false, "westeurope"),
                ("db_password", false, "<db-password>"),
            ],
        );
        let pos: Vec<_> = got.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(pos, vec![(2, 13), (6, 15)]);
        assert!(got[0].2.contains("mark it `sensitive = true`"));
        assert!(got[1].2.starts_with("sensitive variable `token`"));
        assert!(got.iter().all(|(_, _, m)| !m.contains("Fake")));
    }
}
