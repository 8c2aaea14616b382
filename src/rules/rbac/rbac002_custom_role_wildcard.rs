//! RBAC002 custom-role-wildcard: a custom role definition whose actions include `*`, `*/write`, or
//! `Microsoft.Authorization/*`-style actions that can grant access, assignable at subscription scope
//! or wider.

use crate::analysis::roles::scope_of_node;
use crate::finding::Finding;
use crate::ir::Node;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct CustomRoleWildcard;
    id: "RBAC002",
    name: "custom-role-wildcard",
    family: Rbac,
    severity: Error,
    security_severity: 8.0,
    summary: "A custom role allows `*`, `*/write` or role-assignment writes and is assignable at subscription scope or wider.",
}

/// Why an action is too broad, if it is.
pub fn broad_action(action: &str) -> Option<&'static str> {
    let a = action.trim().to_ascii_lowercase();
    if a == "*" {
        return Some("every action");
    }
    if a == "*/write" || a == "*/delete" || a == "*/action" {
        return Some("that action on every resource type");
    }
    if let Some(rest) = a.strip_prefix("microsoft.authorization/") {
        if rest == "*"
            || rest.starts_with("*/")
            || rest.starts_with("roleassignments/")
            || rest.starts_with("roledefinitions/")
            || rest == "elevateaccess/action"
            || rest.starts_with("policyassignments/")
                && (rest.ends_with("/write") || rest.ends_with("/*"))
        {
            if rest.ends_with("/read") {
                return None;
            }
            return Some("can grant access");
        }
    }
    None
}

impl Rule for CustomRoleWildcard {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for def in &cx.doc.role_definitions {
            let broad: Vec<(&Node, &str, &'static str)> = def
                .actions
                .iter()
                .filter_map(|n| {
                    let s = n.as_literal()?;
                    broad_action(s).map(|why| (n, s, why))
                })
                .collect();
            let Some((first, action, why)) = broad.first() else {
                continue;
            };
            let scopes: Vec<&Node> = if def.assignable_scopes.is_empty() {
                def.scope.iter().collect()
            } else {
                def.assignable_scopes.iter().collect()
            };
            let widest = scopes
                .iter()
                .filter_map(|s| scope_of_node(cx.doc, def.template, s))
                .min_by_key(|s| s.level);
            let Some(widest) = widest.filter(|s| s.level.is_subscription_or_wider()) else {
                continue;
            };
            let more = if broad.len() > 1 {
                format!(
                    " (and {} more broad action{})",
                    broad.len() - 1,
                    if broad.len() > 2 { "s" } else { "" }
                )
            } else {
                String::new()
            };
            out.push(
                Finding::new(
                    &META,
                    first.span,
                    format!(
                        "custom role allows `{action}` ({why}){more} and is assignable at {} scope ({})",
                        widest.level.name(),
                        widest.evidence
                    ),
                )
                .evidence(action.to_string())
                .help("list only the actions the job needs, leave Microsoft.Authorization/* writes to built-in administrator roles, and make the role assignable at the resource group that needs it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::hits;

    #[test]
    fn fires_on_arm_fixture() {
        assert_eq!(
            hits("testdata/RBAC002/fire/azuredeploy.json", "RBAC002"),
            vec![(12, 25), (26, 25)]
        );
    }

    #[test]
    fn silent_on_arm_fixture() {
        assert!(hits("testdata/RBAC002/silent/azuredeploy.json", "RBAC002").is_empty());
    }

    #[test]
    fn broad_actions() {
        use super::broad_action;
        assert!(broad_action("*").is_some());
        assert!(broad_action("Microsoft.Authorization/roleAssignments/write").is_some());
        assert!(broad_action("Microsoft.Authorization/*").is_some());
        assert!(broad_action("*/write").is_some());
        assert!(broad_action("*/read").is_none());
        assert!(broad_action("Microsoft.Authorization/*/read").is_none());
        assert!(broad_action("Microsoft.Storage/storageAccounts/*").is_none());
    }

    #[test]
    fn fires_on_terraform_fixture() {
        assert_eq!(
            hits("testdata/RBAC002/fire/main.tf", "RBAC002"),
            vec![(7, 20), (16, 16)]
        );
    }

    #[test]
    fn silent_on_terraform_fixture() {
        assert!(hits("testdata/RBAC002/silent/main.tf", "RBAC002").is_empty());
    }
}
