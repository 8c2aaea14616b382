//! RBAC002 custom-role-wildcard: a custom role definition whose actions include `*`, `*/write`, or
//! `Microsoft.Authorization/*`-style actions that can grant access, assignable at subscription scope
//! or wider.

use crate::analysis::resolve::{Resolver, Value};
use crate::analysis::roles::scope_of_node;
use crate::finding::Finding;
use crate::ir::{Dialect, Document, Node};
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

/// The broad actions of a role definition's action nodes: literals, and what the expressions
/// among them resolve to (a parameter's default or argument, a variable, a list of them): the
/// node to report at, the action, why it is broad, and where it came from for the message.
fn broad_actions<'a>(
    doc: &'a Document,
    template: usize,
    nodes: &'a [Node],
) -> Vec<(&'a Node, String, &'static str, String)> {
    let rs = Resolver::new(doc, template);
    let mut out = Vec::new();
    for n in nodes {
        let mut strings: Vec<(String, String)> = Vec::new();
        for p in rs.node(n) {
            let via = match p.param() {
                Some(name) => format!(
                    " (from {} {} `{}`)",
                    doc.param_value_source(p.template, name),
                    if doc.dialect == Dialect::Terraform {
                        "variable"
                    } else {
                        "parameter"
                    },
                    crate::finding::shown_name(name)
                ),
                None => String::new(),
            };
            match &p.value {
                Value::Node(list) if !list.items().is_empty() => {
                    for item in list.items() {
                        for q in rs.node_in(p.template, item) {
                            strings.extend(q.text().map(|t| (t, via.clone())));
                        }
                    }
                }
                _ => strings.extend(p.text().map(|t| (t, via))),
            }
        }
        for (s, via) in strings {
            if let Some(why) = broad_action(&s) {
                if !out
                    .iter()
                    .any(|(m, a, _, _): &(&Node, String, _, _)| std::ptr::eq(*m, n) && a == &s)
                {
                    out.push((n, s, why, via));
                }
            }
        }
    }
    out
}

/// The `actions` of `permissions` written as one expression (`[variables('roles').ops.permissions]`,
/// a copy loop's item): each permission's list, as the resolver finds it.
fn whole_permissions(doc: &Document, def: &crate::ir::RoleDefinition) -> Vec<Node> {
    let Some(perms) = doc
        .resources
        .get(def.resource)
        .and_then(|r| r.body.path(&["properties", "permissions"]))
        .filter(|p| p.as_expr().is_some())
    else {
        return Vec::new();
    };
    let rs = Resolver::new(doc, def.template);
    let mut out = Vec::new();
    for p in rs.node(perms) {
        let items = match p.value {
            Value::Node(list) => list
                .items()
                .iter()
                .flat_map(|i| rs.node_in(p.template, i))
                .collect(),
            _ => rs.member(&p, "0"),
        };
        for item in &items {
            for a in rs.member(item, "actions") {
                if let Value::Node(n) = a.value {
                    out.push(n.clone());
                }
            }
        }
    }
    out
}

/// `assignableScopes` written as one expression (`[createArray(variables('scope'))]`, a
/// variable's list): its items.
fn scope_items(doc: &Document, def: &crate::ir::RoleDefinition) -> Vec<Node> {
    let Some(scopes) = doc
        .resources
        .get(def.resource)
        .and_then(|r| r.body.path(&["properties", "assignableScopes"]))
        .filter(|s| s.as_expr().is_some())
    else {
        return Vec::new();
    };
    let rs = Resolver::new(doc, def.template);
    let mut out = Vec::new();
    for p in rs.node(scopes) {
        match &p.value {
            Value::Node(n) => out.extend(n.items().iter().cloned()),
            Value::Unknown(crate::ir::Expr::Call { name, args }, members)
                if members.is_empty()
                    && (name.eq_ignore_ascii_case("createArray")
                        || name.eq_ignore_ascii_case("array")) =>
            {
                out.extend(
                    args.iter()
                        .map(|a| Node::new(scopes.span, crate::ir::NodeKind::Expr(a.clone()))),
                );
            }
            _ => {}
        }
    }
    out
}

impl Rule for CustomRoleWildcard {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for def in &cx.doc.role_definitions {
            let permissions = whole_permissions(cx.doc, def);
            let actions = if def.actions.is_empty() {
                &permissions
            } else {
                &def.actions
            };
            let broad = broad_actions(cx.doc, def.template, actions);
            let Some((first, action, why, via)) = broad.first() else {
                continue;
            };
            let listed = scope_items(cx.doc, def);
            let scopes: Vec<&Node> = if !listed.is_empty() {
                listed.iter().collect()
            } else if def.assignable_scopes.is_empty() {
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
                        "custom role allows `{action}` ({why}){via}{more} and is assignable at {} scope ({})",
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

    /// Actions a parameter's default (or a module argument) gives, in every dialect.
    #[test]
    fn actions_from_parameters_and_module_arguments() {
        for silent in [
            "testdata/RBAC002/silent/param-default.json",
            "testdata/RBAC002/silent/param-default.bicep",
            "testdata/RBAC002/silent/param-default.tf",
            "testdata/RBAC002/silent/bicep-module/main.bicep",
        ] {
            assert!(hits(silent, "RBAC002").is_empty(), "{silent}");
        }
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
}
