//! The KEY family.

mod key002_hardcoded_password_setting;

use super::Rule;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&key002_hardcoded_password_setting::RULE]
}
