//! The KEY family.

mod key002_hardcoded_password_setting;
mod key003_secure_parameter_default;

use super::Rule;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &key002_hardcoded_password_setting::RULE,
        &key003_secure_parameter_default::RULE,
    ]
}
