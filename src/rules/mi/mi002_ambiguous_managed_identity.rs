//! MI002 ambiguous-managed-identity: an app with several managed identities and no setting naming
//! the one its code should use.

use crate::analysis::identity::{capable, ResourceLinks};
use crate::finding::Finding;
use crate::ir::{Dialect, Identity};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct AmbiguousManagedIdentity;
    id: "MI002",
    name: "ambiguous-managed-identity",
    family: Mi,
    severity: Warning,
    security_severity: 3.0,
    summary: "An app has several managed identities and no setting says which one its code should use.",
}

impl Rule for AmbiguousManagedIdentity {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let links = ResourceLinks::new(cx.doc);
        for (i, r) in cx.doc.resources.iter().enumerate() {
            if cx.out_of_time() {
                break;
            }
            if r.existing {
                continue;
            }
            let Some(cap) = capable(r) else {
                continue;
            };
            if !cap.selects_in_app {
                continue;
            }
            let Identity::Declared {
                span,
                system,
                user_assigned,
            } = &r.identity
            else {
                continue;
            };
            // Without a system-assigned identity the SDKs cannot choose among several
            // user-assigned ones, whatever the platform uses some of them for. With one, they
            // take it, and a user-assigned identity is left unexplained unless the platform
            // uses it (image pull, Key Vault references).
            let ambiguous = if *system {
                user_assigned.len() > links.platform_identities(i)
            } else {
                user_assigned.len() >= 2
            };
            if !ambiguous || links.identity_selector(i).is_some() {
                continue;
            }
            let which = if *system {
                format!(
                    "a system-assigned and {} user-assigned identit{}",
                    user_assigned.len(),
                    if user_assigned.len() == 1 { "y" } else { "ies" }
                )
            } else {
                format!("{} user-assigned identities", user_assigned.len())
            };
            let help = if r.dialect == Dialect::Terraform {
                "add `AZURE_CLIENT_ID` (or `<connection>__clientId`) to `app_settings` with the identity's `client_id`, and `key_vault_reference_identity_id` if Key Vault references are used; or keep one identity"
            } else {
                "add an `AZURE_CLIENT_ID` (or `<connection>__clientId`) app setting with the identity's `clientId`, and `keyVaultReferenceIdentity` if Key Vault references are used; or keep one identity"
            };
            out.push(
                Finding::new(
                    &META,
                    *span,
                    format!(
                        "{} has {which} but no setting names the one to use; SDKs and Key Vault references will pick the system-assigned one or fail",
                        cap.label
                    ),
                )
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {}
