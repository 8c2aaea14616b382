//! MI004 sql-entra-only-auth-disabled: an Azure SQL logical server that still accepts SQL logins
//! (passwords) because Entra-only authentication is not turned on.

use crate::analysis::identity::body_path;
use crate::finding::Finding;
use crate::fix::offer::sql_entra_only;
use crate::ir::{Dialect, Document, Resource};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct SqlEntraOnlyDisabled;
    id: "MI004",
    name: "sql-entra-only-auth-disabled",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "An Azure SQL server accepts SQL logins with passwords: Entra-only authentication is not enabled.",
}

/// A `Microsoft.Sql/servers/azureADOnlyAuthentications` resource enabling it for this server
/// (a nested child, or a top-level one in the same template).
fn has_entra_only_child(doc: &Document, index: usize, server: &Resource) -> bool {
    doc.resources.iter().any(|c| {
        c.is_type("Microsoft.Sql/servers/azureADOnlyAuthentications")
            && (c.parent == Some(index) || (c.parent.is_none() && c.template == server.template))
            && c.body
                .path(&["properties", "azureADOnlyAuthentication"])
                .and_then(|n| n.as_bool())
                == Some(true)
    })
}

impl Rule for SqlEntraOnlyDisabled {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for (i, r) in cx.doc.resources.iter().enumerate() {
            if r.existing {
                continue;
            }
            if r.dialect == Dialect::Terraform {
                if !r.is_type("Microsoft.Sql/servers") {
                    continue;
                }
                let admin = r.body.get("azuread_administrator");
                let only = body_path(
                    &r.body,
                    &["azuread_administrator", "azuread_authentication_only"],
                );
                match only.map(|n| (n, n.as_bool())) {
                    Some((_, Some(true))) => {}
                    Some((_, None)) => {}
                    Some((n, Some(false))) => out.push(
                        Finding::new(
                            &META,
                            n.span,
                            "SQL server accepts SQL logins: `azuread_authentication_only` is false",
                        )
                        .help("set `azuread_authentication_only = true` in `azuread_administrator` and connect with a managed identity (`Authentication=Active Directory Default`)")
                        .with_fix(sql_entra_only(&cx.file.text, cx.format, r)),
                    ),
                    None => {
                        let at = r
                            .body
                            .entry("administrator_login_password")
                            .map(|e| e.key_span)
                            .unwrap_or(r.head_span);
                        out.push(
                            Finding::new(
                                &META,
                                at,
                                if admin.is_some() {
                                    "SQL server accepts SQL logins: `azuread_administrator` lacks `azuread_authentication_only = true`"
                                } else {
                                    "SQL server accepts SQL logins: no `azuread_administrator` with `azuread_authentication_only = true`"
                                },
                            )
                            .help("add `azuread_administrator { ... azuread_authentication_only = true }`, drop `administrator_login_password`, and connect with a managed identity")
                            .with_fix(sql_entra_only(&cx.file.text, cx.format, r)),
                        );
                    }
                }
                continue;
            }
            if !r.is_type("Microsoft.Sql/servers") {
                continue;
            }
            let props = r.properties();
            let only = props.and_then(|p| p.path(&["administrators", "azureADOnlyAuthentication"]));
            match only.map(|n| (n, n.as_bool())) {
                Some((_, Some(true))) | Some((_, None)) => continue,
                _ => {}
            }
            if has_entra_only_child(cx.doc, i, r) {
                continue;
            }
            let at = only
                .map(|n| n.span)
                .or_else(|| {
                    props
                        .and_then(|p| p.entry("administratorLoginPassword"))
                        .map(|e| e.key_span)
                })
                .unwrap_or(r.head_span);
            out.push(
                Finding::new(
                    &META,
                    at,
                    "SQL server accepts SQL logins: `administrators.azureADOnlyAuthentication` is not true",
                )
                .help("set `\"administrators\": { \"administratorType\": \"ActiveDirectory\", \"azureADOnlyAuthentication\": true, ... }`, drop `administratorLoginPassword`, and connect with a managed identity")
                .with_fix(sql_entra_only(&cx.file.text, cx.format, r)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::hits;

    #[test]
    fn fires_on_arm_fixture() {
        assert_eq!(
            hits("testdata/MI004/fire/azuredeploy.json", "MI004"),
            vec![(10, 9), (17, 58)]
        );
    }

    #[test]
    fn silent_on_arm_fixture() {
        assert!(hits("testdata/MI004/silent/azuredeploy.json", "MI004").is_empty());
    }

    #[test]
    fn fires_on_terraform_fixture() {
        assert_eq!(
            hits("testdata/MI004/fire/main.tf", "MI004"),
            vec![(4, 3), (12, 35)]
        );
    }

    #[test]
    fn silent_on_terraform_fixture() {
        assert!(hits("testdata/MI004/silent/main.tf", "MI004").is_empty());
    }
}
