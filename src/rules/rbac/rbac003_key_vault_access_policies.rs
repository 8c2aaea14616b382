//! RBAC003 key-vault-access-policies: a Key Vault authorizes data-plane access with access
//! policies instead of Azure RBAC. A property check: its rows are the RBAC003 rows of
//! `rules/property-checks.tsv`.

use crate::finding::Finding;
use crate::rules::{props, Context, Rule};

crate::rules::declare_rule! {
    pub struct KeyVaultAccessPolicies;
    id: "RBAC003",
    name: "key-vault-access-policies",
    family: Rbac,
    severity: Warning,
    security_severity: 4.0,
    summary: "A Key Vault authorizes data access with access policies instead of Azure RBAC.",
}

static MESSAGES: props::Messages = props::Messages {
    set: "{what} is governed by access policies, not Azure RBAC: `{path}` is not true",
    absent: "{what} is governed by access policies, not Azure RBAC: `{path}` is not set and defaults to false",
    help: "set {good} and grant each identity a data-plane role on the vault (Key Vault Secrets User, Key Vault Crypto User, ...) instead of an access policy",
    fix: Some(props::FixText {
        description: "switch {what} to Azure RBAC (`{path}`)",
        follow_up: "grant every identity that has an access policy on this vault the matching data-plane role \
                    (Key Vault Secrets User, Key Vault Crypto User, ...) first: access policies stop applying",
    }),
};

impl Rule for KeyVaultAccessPolicies {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        props::check(&META, &MESSAGES, cx, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings};

    /// A vault whose access policies the template still relies on gets the finding, saying so,
    /// and no fix: ARM `accessPolicies` that are not empty, a Bicep `accessPolicies` child,
    /// Terraform `access_policy` blocks and `azurerm_key_vault_access_policy`. An empty list
    /// gets the fix.
    #[test]
    fn access_policies_in_use_block_the_fix() {
        for (rel, expect) in [
            (
                "testdata/RBAC003/fire/policies.json",
                vec![(7, 15, false), (18, 15, true)],
            ),
            ("testdata/RBAC003/fire/policies.bicep", vec![(3, 1, false)]),
            (
                "testdata/RBAC003/fire/policies.tf",
                vec![(3, 1, false), (15, 1, false)],
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == "RBAC003")
                .collect();
            let got: Vec<(usize, usize, bool)> = f
                .iter()
                .map(|f| (f.start.line, f.start.column, f.fix.is_some()))
                .collect();
            assert_eq!(got, expect, "{rel}");
            for x in f.iter().filter(|x| x.fix.is_none()) {
                assert!(x.message.contains("access"), "{}", x.message);
                assert!(
                    x.help
                        .as_deref()
                        .unwrap_or("")
                        .contains("migrate each policy to a role assignment"),
                    "{rel}: {:?}",
                    x.help
                );
            }
        }
    }

    #[test]
    fn silent_on_fixtures() {
        for f in ["azuredeploy.json", "main.bicep", "main.tf"] {
            let rel = format!("testdata/RBAC003/silent/{f}");
            assert!(hits(&rel, "RBAC003").is_empty(), "{rel}");
        }
    }

    #[test]
    fn messages_name_the_property_and_the_fix() {
        let f = text_findings(
            "main.tf",
            "resource \"azurerm_key_vault\" \"kv\" {\n  enable_rbac_authorization = false\n}\n",
            "RBAC003",
        );
        assert_eq!(
            f[0].message,
            "Key Vault data access is governed by access policies, not Azure RBAC: \
             `enable_rbac_authorization` is not true"
        );
        assert!(f[0]
            .help
            .as_deref()
            .unwrap()
            .contains("rbac_authorization_enabled = true"));
    }
}
