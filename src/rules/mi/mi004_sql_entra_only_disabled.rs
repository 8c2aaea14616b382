//! MI004 sql-entra-only-auth-disabled: an Azure SQL logical server that still accepts SQL logins
//! (passwords) because Entra-only authentication is not turned on.

use crate::finding::Finding;
use crate::fix::offer::sql_entra_only;
use crate::ir::{Dialect, Document, Resource};
use crate::rules::{props, Context, Rule};
use crate::source::Span;

crate::rules::declare_rule! {
    pub struct SqlEntraOnlyDisabled;
    id: "MI004",
    name: "sql-entra-only-auth-disabled",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "An Azure SQL server accepts SQL logins with passwords: Entra-only authentication is not enabled.",
    absorbs: ["MI001"],
}

/// A `Microsoft.Sql/servers/azureADOnlyAuthentications` resource enabling it for this server
/// (a nested child, or a top-level one in the same template).
fn has_entra_only_child(doc: &Document, index: usize, server: &Resource) -> bool {
    server.dialect != Dialect::Terraform
        && doc.resources.iter().any(|c| {
            c.is_type("Microsoft.Sql/servers/azureADOnlyAuthentications")
                && (c.parent == Some(index)
                    || (c.parent.is_none() && c.template == server.template))
                && c.body
                    .path(&["properties", "azureADOnlyAuthentication"])
                    .and_then(|n| n.as_bool())
                    == Some(true)
        })
}

/// The switch is a row of `rules/property-checks.tsv`; what is not of the row shape is here.
static MESSAGES: props::Messages = props::Messages {
    set: "SQL server accepts SQL logins: `{path}` is not true",
    absent: "SQL server accepts SQL logins: `{path}` is not set and SQL authentication stays on",
    help: "set {good}, drop the administrator password, and connect with a managed identity \
           (`Authentication=Active Directory Default`)",
    fix: None,
};

static HOOKS: props::Hooks = props::Hooks {
    exempt: has_entra_only_child,
    absent_at: password_at,
    fix: |cx, r| sql_entra_only(&cx.file.text, cx.format, r),
};

/// Where a server without the switch keeps SQL authentication's password, if it declares one.
fn password_at(r: &Resource) -> Option<Span> {
    match r.dialect {
        Dialect::Terraform => r.body.entry("administrator_login_password"),
        _ => r.properties()?.entry("administratorLoginPassword"),
    }
    .map(|e| e.key_span)
}

impl Rule for SqlEntraOnlyDisabled {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        props::check_with(&META, &MESSAGES, Some(&HOOKS), cx, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings, text_hits};

    /// As a catalog row, the switch is read through the resolver in every dialect: a parameter,
    /// variable or Terraform variable whose default is `false` keeps SQL logins on; one whose
    /// default is `true` does not. The old hand-written check read literals only.
    #[test]
    fn the_switch_is_resolved_through_parameters_and_variables() {
        let arm = |default: &str| {
            format!(
                r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {{ "entraOnly": {{ "type": "bool", "defaultValue": {default} }} }},
  "resources": [
    {{ "type": "Microsoft.Sql/servers", "apiVersion": "2023-05-01-preview", "name": "sql",
      "properties": {{ "administrators": {{ "azureADOnlyAuthentication": "[parameters('entraOnly')]" }} }} }}
  ]
}}"#
            )
        };
        assert_eq!(text_hits("t.json", &arm("false"), "MI004"), vec![(6, 72)]);
        assert!(text_hits("t.json", &arm("true"), "MI004").is_empty());
        let f = text_findings("t.json", &arm("false"), "MI004");
        assert!(
            f[0].message
                .contains("the default of parameter `entraOnly`"),
            "{}",
            f[0].message
        );
        let bicep = |v: &str| {
            format!(
                "var entraOnly = {v}\nresource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {{\n  name: 'sql'\n  properties: {{\n    administrators: {{\n      azureADOnlyAuthentication: entraOnly\n    }}\n  }}\n}}\n"
            )
        };
        assert_eq!(
            text_hits("main.bicep", &bicep("false"), "MI004"),
            vec![(6, 34)]
        );
        assert!(text_hits("main.bicep", &bicep("true"), "MI004").is_empty());
        let tf = |v: &str| {
            format!(
                "variable \"entra_only\" {{\n  default = {v}\n}}\nresource \"azurerm_mssql_server\" \"sql\" {{\n  azuread_administrator {{\n    azuread_authentication_only = var.entra_only\n  }}\n}}\n"
            )
        };
        assert_eq!(text_hits("main.tf", &tf("false"), "MI004"), vec![(6, 35)]);
        assert!(text_hits("main.tf", &tf("true"), "MI004").is_empty());
    }

    /// A server whose template deploys an RD Connection Broker (high availability signs in to
    /// its database with SQL authentication): still reported, no fix, and the help says the
    /// product needs SQL authentication (ARM and Bicep).
    #[test]
    fn rd_connection_broker_keeps_sql_authentication() {
        for (rel, at) in [
            ("testdata/MI004/fire/rds-broker.json", (16, 9)),
            ("testdata/MI004/fire/rds-broker.bicep", (10, 5)),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == "MI004")
                .collect();
            assert_eq!(f.len(), 1, "{rel}");
            assert_eq!((f[0].start.line, f[0].start.column), at, "{rel}");
            assert!(f[0].fix.is_none(), "{rel}");
            assert!(f[0].message.contains("RD Connection Broker"), "{rel}");
            assert!(
                f[0].help
                    .as_deref()
                    .unwrap_or("")
                    .contains("SQL authentication only"),
                "{rel}"
            );
        }
    }

    /// The same through the merge reusable modules write, `union({…}, administrators ?? {})`:
    /// left out, the merged object has no Entra-only switch; passed, it decides.
    #[test]
    fn through_a_merge_with_an_optional_administrator() {
        assert_eq!(
            hits("testdata/MI004/fire/union-module/main.bicep", "MI004"),
            vec![(6, 11)]
        );
        assert!(hits("testdata/MI004/silent/union-module/main.bicep", "MI004").is_empty());
    }

    /// A module's optional administrator object that the caller leaves out is null, not
    /// unknown: the server it creates keeps SQL logins, reported at the call.
    #[test]
    fn through_a_module_call_that_leaves_the_administrator_out() {
        assert_eq!(
            hits("testdata/MI004/fire/bicep-module/main.bicep", "MI004"),
            vec![(5, 11)]
        );
        assert!(hits("testdata/MI004/silent/bicep-module/main.bicep", "MI004").is_empty());
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
