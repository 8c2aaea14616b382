//! The CONN family.

pub mod conn001_literal_secret;
pub mod conn002_key_from_expression;

use super::Rule;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &conn001_literal_secret::RULE,
        &conn002_key_from_expression::RULE,
    ]
}
