//! The MI family.

use super::Rule;

pub mod mi001_missing_managed_identity;
pub mod mi002_ambiguous_managed_identity;
pub mod mi003_key_auth_enabled;
pub mod mi004_sql_entra_only_disabled;
pub mod mi005_api_connection_key_auth;
pub mod mi006_vm_password_login;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &mi001_missing_managed_identity::RULE,
        &mi002_ambiguous_managed_identity::RULE,
        &mi003_key_auth_enabled::RULE,
        &mi004_sql_entra_only_disabled::RULE,
        &mi005_api_connection_key_auth::RULE,
        &mi006_vm_password_login::RULE,
    ]
}
