//! The Azure Resource Manager type each Terraform azurerm type manages (`rules/azurerm-types.tsv`):
//! the Terraform lowering gives resources their canonical type from it, and analyses map a
//! reference to a resource the document does not declare.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::table::Table;

/// The ARM type and kind an azurerm type manages, from `rules/azurerm-types.tsv`.
pub fn azurerm_type(tf_type: &str) -> Option<(&'static str, Option<&'static str>)> {
    type Map = HashMap<&'static str, (&'static str, Option<&'static str>)>;
    static TABLE: OnceLock<Map> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            Table::embedded(
                "rules/azurerm-types.tsv",
                include_str!("../../rules/azurerm-types.tsv"),
            )
            .map_embedded(|c| {
                Ok((
                    c.get("terraform_type")?,
                    (c.get("arm_type")?, c.opt("kind")?),
                ))
            })
            .into_iter()
            .collect()
        })
        .get(tf_type)
        .copied()
}
