//! The KEY family.

pub mod key001_literal_secret;

use super::Rule;

/// The rules of this family.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&key001_literal_secret::RULE]
}
