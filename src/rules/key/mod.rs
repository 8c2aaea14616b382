//! The KEY family.

pub mod key001_literal_secret;
mod key002_hardcoded_password_setting;
mod key003_secure_parameter_default;
mod key004_parameter_file_literal_secret;
mod key005_secret_in_output;
mod key006_terraform_variable_secret_default;
pub mod key007_key_handed_on;
mod key008_secret_on_command_line;

use super::Rule;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &key001_literal_secret::RULE,
        &key002_hardcoded_password_setting::RULE,
        &key003_secure_parameter_default::RULE,
        &key004_parameter_file_literal_secret::RULE,
        &key005_secret_in_output::RULE,
        &key006_terraform_variable_secret_default::RULE,
        &key007_key_handed_on::RULE,
        &key008_secret_on_command_line::RULE,
    ]
}
