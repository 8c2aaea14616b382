//! The RBAC family.

use super::Rule;

pub mod rbac001_privileged_role_broad_scope;
pub mod rbac002_custom_role_wildcard;
pub mod rbac003_key_vault_access_policies;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &rbac001_privileged_role_broad_scope::RULE,
        &rbac002_custom_role_wildcard::RULE,
        &rbac003_key_vault_access_policies::RULE,
    ]
}
