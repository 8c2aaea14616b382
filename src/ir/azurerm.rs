//! The Azure Resource Manager type each Terraform azurerm type manages (`rules/azurerm-types.tsv`):
//! the Terraform lowering gives resources their canonical type from it, and analyses map a
//! reference to a resource the document does not declare.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The ARM type and kind an azurerm type manages, from `rules/azurerm-types.tsv`.
pub fn azurerm_type(tf_type: &str) -> Option<(&'static str, Option<&'static str>)> {
    static TABLE: OnceLock<HashMap<&'static str, (&'static str, Option<&'static str>)>> =
        OnceLock::new();
    TABLE
        .get_or_init(|| {
            include_str!("../../rules/azurerm-types.tsv")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .filter_map(|l| {
                    let mut cols = l.split('\t');
                    let tf = cols.next()?.trim();
                    let arm = cols.next()?.trim();
                    let kind = cols
                        .next()
                        .map(str::trim)
                        .filter(|k| *k != "-" && !k.is_empty());
                    Some((tf, (arm, kind)))
                })
                .collect()
        })
        .get(tf_type)
        .copied()
}
