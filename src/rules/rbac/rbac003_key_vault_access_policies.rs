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

    #[test]
    fn fires_on_arm_bicep_and_terraform_fixtures() {
        assert_eq!(
            hits("testdata/RBAC003/fire/azuredeploy.json", "RBAC003"),
            vec![(6, 15), (15, 50)]
        );
        assert_eq!(
            hits("testdata/RBAC003/fire/main.bicep", "RBAC003"),
            vec![(1, 1), (14, 30)]
        );
        assert_eq!(
            hits("testdata/RBAC003/fire/main.tf", "RBAC003"),
            vec![(1, 1), (11, 31), (17, 32)]
        );
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
