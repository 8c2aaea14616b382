//! Privileged access granted by something other than a plain role assignment:
//!
//! * PIM requests: `Microsoft.Authorization/roleEligibilityScheduleRequests` and
//!   `roleAssignmentScheduleRequests` (`azurerm_pim_eligible_role_assignment`,
//!   `azurerm_pim_active_role_assignment`), whose role, principal and scope are written as a role
//!   assignment's are;
//! * Azure Lighthouse: `Microsoft.ManagedServices/registrationDefinitions` (`authorizations`,
//!   `eligibleAuthorizations`) and `azurerm_lighthouse_definition` (`authorization`,
//!   `eligible_authorization` blocks) give roles to principals of the managing tenant, on the
//!   subscription or resource group the definition is assigned to;
//! * policy definitions whose `policyRule.then.details.roleDefinitionIds` list the roles the
//!   remediation identity of every assignment gets (`deployIfNotExists`, `modify`), at the scope
//!   the definition lives in.
//!
//! Each is returned as the [`RoleAssignment`] it amounts to, so role, scope and principal
//! resolution stay the ones plain role assignments use.

use crate::analysis::roles::{by_guid, guid_in, Level, Scope};
use crate::ir::{Dialect, Document, Node, RoleAssignment};
use crate::source::Span;

/// What grants the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    /// A PIM eligibility: the principal activates the role when it wants it.
    PimEligible,
    /// A PIM active assignment: the role is held, possibly for a bounded time.
    PimActive,
    /// An Azure Lighthouse authorization: a principal of the managing tenant holds the role.
    Lighthouse,
    /// An Azure Lighthouse eligible authorization: activated just in time.
    LighthouseEligible,
    /// A policy definition's `roleDefinitionIds`: its assignments' remediation identities get it.
    PolicyRemediation,
}

/// A role granted other than by a role assignment.
#[derive(Debug)]
pub struct Grant {
    pub kind: GrantKind,
    /// The grant as a role assignment (`resource` is the declaring resource).
    pub ra: RoleAssignment,
    /// The scope when it is not the assignment's own (`None`: resolve it as a role
    /// assignment's, from `ra.scope` or the deployment's target scope).
    pub scope: Option<Scope>,
}

/// Every PIM request, Lighthouse authorization and policy remediation role of a document.
/// `text` is the file's text: a Terraform policy rule is data inside `jsonencode(…)` or a
/// heredoc, whose role ids are read from the text under it.
pub fn indirect_grants(doc: &Document, text: &str) -> Vec<Grant> {
    let mut out = Vec::new();
    for (index, r) in doc.resources.iter().enumerate() {
        if r.existing {
            continue;
        }
        let lower = r.azure_type.to_ascii_lowercase();
        let source = r.source_type.as_str();
        let tf = r.dialect == Dialect::Terraform;
        let base = |span: Span, role: Option<Node>, principal: Option<Node>| RoleAssignment {
            template: r.template,
            resource: index,
            span,
            role_id: role,
            role_name: None,
            scope: r.body.get("scope").cloned(),
            principal_id: principal,
            principal_type: None,
        };
        if lower == "microsoft.authorization/roleeligibilityschedulerequests"
            || lower == "microsoft.authorization/roleassignmentschedulerequests"
        {
            let kind = if lower.contains("eligibility") {
                GrantKind::PimEligible
            } else {
                GrantKind::PimActive
            };
            let props = if tf { Some(&r.body) } else { r.properties() };
            let Some(props) = props else { continue };
            let (role, principal) = if tf {
                ("role_definition_id", "principal_id")
            } else {
                ("roleDefinitionId", "principalId")
            };
            let Some(role) = props.get(role) else {
                continue;
            };
            out.push(Grant {
                kind,
                ra: base(role.span, Some(role.clone()), props.get(principal).cloned()),
                scope: None,
            });
        } else if lower == "microsoft.managedservices/registrationdefinitions" && !tf {
            let Some(props) = r.properties() else {
                continue;
            };
            for (key, kind) in [
                ("authorizations", GrantKind::Lighthouse),
                ("eligibleAuthorizations", GrantKind::LighthouseEligible),
            ] {
                for a in props.get(key).map(Node::items).unwrap_or_default() {
                    let Some(role) = a.get("roleDefinitionId") else {
                        continue;
                    };
                    out.push(Grant {
                        kind,
                        ra: base(role.span, Some(role.clone()), a.get("principalId").cloned()),
                        scope: None,
                    });
                }
            }
        } else if source == "azurerm_lighthouse_definition" {
            for (key, kind) in [
                ("authorization", GrantKind::Lighthouse),
                ("eligible_authorization", GrantKind::LighthouseEligible),
            ] {
                for a in blocks(&r.body, key) {
                    let Some(role) = a.get("role_definition_id") else {
                        continue;
                    };
                    out.push(Grant {
                        kind,
                        ra: base(
                            role.span,
                            Some(role.clone()),
                            a.get("principal_id").cloned(),
                        ),
                        scope: None,
                    });
                }
            }
        } else if lower == "microsoft.authorization/policydefinitions" && !tf {
            let ids = r.body.path(&[
                "properties",
                "policyRule",
                "then",
                "details",
                "roleDefinitionIds",
            ]);
            for id in ids.map(Node::items_or_expr).unwrap_or_default() {
                out.push(Grant {
                    kind: GrantKind::PolicyRemediation,
                    ra: RoleAssignment {
                        scope: None,
                        ..base(id.span, Some(id.clone()), None)
                    },
                    scope: None,
                });
            }
        } else if matches!(
            source,
            "azurerm_policy_definition" | "azurerm_policy_set_definition"
        ) || lower == "microsoft.authorization/policydefinitions"
        {
            let Some(rule) = r.body.get("policy_rule") else {
                continue;
            };
            // The definition lives in its management group, else in the subscription.
            let mg = r.body.get("management_group_id").cloned();
            let scope = mg.is_none().then(|| Scope {
                level: Level::Subscription,
                resource_type: None,
                evidence: "no `management_group_id`: the subscription".into(),
            });
            for span in role_ids_in_text(text, rule.span) {
                let guid = text.get(span.start..span.end).unwrap_or("");
                if by_guid(guid).is_none() {
                    continue;
                }
                out.push(Grant {
                    kind: GrantKind::PolicyRemediation,
                    ra: RoleAssignment {
                        scope: mg.clone(),
                        ..base(span, Some(Node::literal(span, guid)), None)
                    },
                    scope: scope.clone(),
                });
            }
        }
    }
    out
}

/// Terraform nested blocks of a body: one map, or a list of maps when repeated.
fn blocks<'a>(body: &'a Node, key: &'a str) -> Vec<&'a Node> {
    body.get_all(key)
        .flat_map(|v| {
            if v.is_map() {
                vec![v]
            } else {
                v.items().iter().filter(|i| i.is_map()).collect()
            }
        })
        .collect()
}

/// The spans of the role GUIDs in the `roleDefinitionIds` of a policy rule written as text
/// (`jsonencode({…})`, a heredoc of JSON): each `/roleDefinitions/<guid>` after the key.
fn role_ids_in_text(text: &str, span: Span) -> Vec<Span> {
    const KEY: &str = "roledefinitionids";
    const ID: &str = "/roledefinitions/";
    let Some(rule) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let lower = rule.to_ascii_lowercase();
    let Some(from) = lower.find(KEY) else {
        return Vec::new();
    };
    // The list ends at its closing bracket.
    let list_end = lower[from..].find(']').map_or(lower.len(), |i| from + i);
    let mut out = Vec::new();
    let mut at = from + KEY.len();
    while let Some(i) = lower[at..list_end].find(ID) {
        let start = at + i + ID.len();
        let end = start + 36;
        if let Some(g) = rule.get(start..end) {
            if guid_in(g).is_some() {
                out.push(Span::new(span.start + start, span.start + end));
            }
        }
        at = start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_text;

    #[test]
    fn finds_each_kind() {
        let text = r#"
resource "azurerm_pim_active_role_assignment" "a" {
  scope              = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
  principal_id       = var.p
}
resource "azurerm_policy_definition" "p" {
  policy_rule = <<JSON
{"then": {"details": {"roleDefinitionIds": ["/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"]}}}
JSON
}
"#;
        let doc = parse_text("main.tf", text);
        let g = indirect_grants(&doc, text);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].kind, GrantKind::PimActive);
        assert_eq!(g[1].kind, GrantKind::PolicyRemediation);
        assert_eq!(
            &text[g[1].ra.span.start..g[1].ra.span.end],
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
        );
        assert_eq!(
            g[1].scope.as_ref().map(|s| s.level),
            Some(Level::Subscription)
        );
    }
}
