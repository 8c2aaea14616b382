//! RBAC001 privileged-role-broad-scope: Owner, Contributor, User Access Administrator and other
//! roles that grant access or write everything, assigned at a management group, subscription or
//! resource group (error), or at a single resource where a data-plane role would do (warning).

use crate::analysis::roles::{
    copy_loop_roles, describe_principal, module_role_assignments, resolve_assignment_scope,
    resolve_role, suggestions_for, AtResource, Level, RoleClass, RoleRef,
};
use crate::analysis::services::required_role;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct PrivilegedRoleBroadScope;
    id: "RBAC001",
    name: "privileged-role-broad-scope",
    family: Rbac,
    severity: Error,
    security_severity: 8.0,
    summary: "A privileged role (Owner, Contributor, User Access Administrator, ...) is assigned at a management group, subscription or resource group, or where a data-plane role would do.",
}

impl Rule for PrivilegedRoleBroadScope {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // Role assignments the document declares, then those its module calls make through
        // their parameters (Azure Verified Module shapes).
        let modules = module_role_assignments(cx.doc);
        let declared = cx
            .doc
            .role_assignments
            .iter()
            .map(|ra| (ra, resolve_assignment_scope(cx.doc, ra)));
        let from_modules = modules.iter().map(|m| (&m.ra, Some(m.scope.clone())));
        for (ra, scope) in declared.chain(from_modules) {
            if cx.out_of_time() {
                break;
            }
            // A copy loop assigns every role of its list: the first privileged one is reported.
            let (role, looped) = match resolve_role(cx.doc, ra) {
                RoleRef::Known(role) => (role, false),
                _ => match copy_loop_roles(cx.doc, ra)
                    .into_iter()
                    .find(|r| r.class == RoleClass::Privileged)
                {
                    Some(role) => (role, true),
                    None => continue,
                },
            };
            if role.class != RoleClass::Privileged {
                continue;
            }
            let at = ra
                .role_id
                .as_ref()
                .or(ra.role_name.as_ref())
                .map(|n| n.span)
                .unwrap_or(ra.span);
            let who = describe_principal(cx.doc, ra)
                .map(|p| format!(" to {p}"))
                .unwrap_or_default();
            let mut why = if role.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", role.note)
            };
            if looped {
                why.push_str(" (an item of the list its copy loop assigns)");
            }
            let f = match &scope {
                Some(s) if s.level.is_broad() && deployment_script_identity(cx, ra) => {
                    Finding::new(
                        &META,
                        at,
                        format!(
                            "{}{why} is assigned{who} at {} scope ({}), the identity a deployment \
                             script runs as: it keeps the role after the script has run",
                            role.name,
                            s.level.name(),
                            s.evidence
                        ),
                    )
                    .evidence(role.name)
                    .help(format!(
                        "the script needs {} only while it runs: scope the assignment to the \
                         resources the script writes (or a role with only the actions it takes), \
                         or remove the assignment after the run (a separate identity per run, \
                         deleted with the script's resources: `cleanupPreference`, or a last step \
                         that deletes the role assignment); until then the script's identity keeps \
                         the role on the whole {}",
                        role.name,
                        s.level.name()
                    ))
                }
                Some(s) if s.level.is_broad() => Finding::new(
                    &META,
                    at,
                    format!(
                        "{}{why} is assigned{who} at {} scope ({})",
                        role.name,
                        s.level.name(),
                        s.evidence
                    ),
                )
                .evidence(role.name)
                .help("assign a data-plane or service-specific role on the single resource the principal needs (for example Storage Blob Data Contributor on one storage account)"),
                Some(s) => {
                    debug_assert_eq!(s.level, Level::Resource);
                    // On one resource: Contributor writes that resource (what deploying it
                    // needs); a role the service's documentation requires there is silent (the
                    // catalog row cites it); Owner and the access administrators can grant
                    // access to others: a note.
                    if role.at_resource == AtResource::Silent {
                        continue;
                    }
                    let principal = describe_principal(cx.doc, ra).unwrap_or_default();
                    if s.resource_type.as_deref().is_some_and(|t| {
                        required_role(t, role.name, &principal).is_some()
                    }) {
                        continue;
                    }
                    let target = s
                        .resource_type
                        .as_deref()
                        .map(|t| format!(" ({t})"))
                        .unwrap_or_default();
                    if role.at_resource == AtResource::Note {
                        out.push(
                            Finding::new(
                                &META,
                                at,
                                format!(
                                    "{}{why} is assigned{who} on a single resource{target}: it can grant \
                                     access to that resource to others",
                                    role.name
                                ),
                            )
                            .severity(Severity::Note)
                            .evidence(role.name)
                            .help(
                                "if the principal only deploys or runs the resource, assign a role that \
                                 cannot assign roles (Contributor, or a data-plane role); keep Owner, User \
                                 Access Administrator or Role Based Access Control Administrator (with a \
                                 condition on the roles it may assign) for principals that manage access",
                            ),
                        );
                        continue;
                    }
                    let suggestions: Vec<&str> = s
                        .resource_type
                        .as_deref()
                        .map(suggestions_for)
                        .unwrap_or_default()
                        .iter()
                        .map(|r| r.name)
                        .collect();
                    let writer = role.name.starts_with("Key Vault")
                        && deployment_script_identity(cx, ra);
                    let instead = if writer {
                        // A deployment script writes to the vault: the Officer role for what it
                        // writes, and a read role for whatever only reads.
                        "Key Vault Certificates Officer or Key Vault Secrets Officer (what the \
                         deployment script using this identity writes), and Key Vault Secrets \
                         User for an identity that only reads"
                            .to_string()
                    } else if suggestions.is_empty() {
                        "a service-specific role with only the actions needed".to_string()
                    } else {
                        suggestions.join(" or ")
                    };
                    Finding::new(
                        &META,
                        at,
                        format!(
                            "{}{why} is assigned{who} on a single resource{target}: use {instead}",
                            role.name
                        ),
                    )
                    .severity(Severity::Warning)
                    .evidence(role.name)
                    .help(format!("assign {instead} instead"))
                }
                None => Finding::new(
                    &META,
                    at,
                    format!(
                        "{}{why} is assigned{who}; its scope could not be resolved statically, check that it is a single resource",
                        role.name
                    ),
                )
                .severity(Severity::Warning)
                .evidence(role.name)
                .help("assign a data-plane or service-specific role on the single resource the principal needs"),
            };
            out.push(f);
        }
        indirect_grants(cx, out);
    }
}

/// PIM requests, Azure Lighthouse authorizations and policy remediation roles
/// ([`crate::analysis::grants`]) of a privileged role at subscription, management group or
/// resource group scope (the same roles plain assignments are reported for). An eligibility, a
/// Lighthouse eligible authorization and a policy's remediation roles are warnings: the role is
/// held once activated, or once the policy is assigned with an identity.
fn indirect_grants(cx: &Context, out: &mut Vec<Finding>) {
    use crate::analysis::grants::{indirect_grants, GrantKind};
    for g in indirect_grants(cx.doc, &cx.file.text) {
        if cx.out_of_time() {
            break;
        }
        let RoleRef::Known(role) = resolve_role(cx.doc, &g.ra) else {
            continue;
        };
        if role.class != RoleClass::Privileged {
            continue;
        }
        let scope = g
            .scope
            .clone()
            .or_else(|| resolve_assignment_scope(cx.doc, &g.ra));
        let Some(scope) = scope.filter(|s| s.level.is_broad()) else {
            continue;
        };
        let who = describe_principal(cx.doc, &g.ra)
            .map(|p| format!(" to {p}"))
            .unwrap_or_default();
        let why = if role.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", role.note)
        };
        let at = format!("at {} scope ({})", scope.level.name(), scope.evidence);
        let (message, severity, help) = match g.kind {
            GrantKind::PimActive => (
                format!("{}{why} is made active by a PIM request{who} {at}", role.name),
                Severity::Error,
                "request a data-plane or service-specific role on the resources the principal needs; keep broad roles eligible (activated on demand, with approval), not active",
            ),
            GrantKind::PimEligible => (
                format!(
                    "{}{why} is made eligible by a PIM request{who} {at}: the principal can activate it whenever it wants",
                    role.name
                ),
                Severity::Warning,
                "make the eligibility narrower (a resource group or resource, a role that cannot assign roles) and require approval for its activation",
            ),
            GrantKind::Lighthouse | GrantKind::LighthouseEligible => (
                format!(
                    "{}{why} is delegated through Azure Lighthouse{who} in the managing tenant{} {at}",
                    role.name,
                    if g.kind == GrantKind::LighthouseEligible {
                        " as an eligible authorization (activated on demand)"
                    } else {
                        ""
                    }
                ),
                if g.kind == GrantKind::Lighthouse {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                "delegate the service-specific roles the managing tenant needs (Virtual Machine Contributor, Monitoring Contributor, ...), or make the broad role an eligible authorization with approval",
            ),
            GrantKind::PolicyRemediation => (
                format!(
                    "{}{why} is in the policy definition's `roleDefinitionIds`: the remediation identity of each assignment of it gets the role {at}",
                    role.name
                ),
                Severity::Warning,
                "list the narrowest roles the remediation deployment needs (Monitoring Contributor, Log Analytics Contributor, Virtual Machine Contributor, ...)",
            ),
        };
        out.push(
            Finding::new(&META, g.ra.span, message)
                .severity(severity)
                .evidence(role.name)
                .help(help),
        );
    }
}

/// Is the assignee the identity of a deployment script in the same file (its principal written
/// as `<identity>.properties.principalId`, and that identity in the script's `identity`)?
fn deployment_script_identity(cx: &Context, ra: &crate::ir::RoleAssignment) -> bool {
    let Some(p) = ra.principal_id.as_ref() else {
        return false;
    };
    let text = cx.file.text.get(p.span.start..p.span.end).unwrap_or("");
    let Some(key) = identity_key(text) else {
        return false;
    };
    cx.doc.resources.iter().any(|r| {
        (r.is_type("Microsoft.Resources/deploymentScripts")
            || r.source_type
                .starts_with("azurerm_resource_deployment_script_"))
            && r.body.get("identity").is_some_and(|i| {
                cx.file.text.get(i.span.start..i.span.end).is_some_and(|t| {
                    let t = t.to_ascii_lowercase();
                    t.match_indices(key.as_str()).any(|(at, _)| {
                        let before = t[..at].chars().next_back();
                        let after = t[at + key.len()..].chars().next();
                        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                            && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                })
            })
    })
}

/// What names a user-assigned identity in a role assignment's principal, lower case, for finding
/// it in a deployment script's `identity`: the Bicep symbol (`scriptIdentity.properties.principalId`),
/// the Terraform address (`azurerm_user_assigned_identity.script.principal_id`), or the name
/// arguments of an ARM `resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', …)`.
fn identity_key(principal: &str) -> Option<String> {
    let lower = principal.to_ascii_lowercase();
    let marker = "userassignedidentities'";
    if let Some(i) = lower.find(marker) {
        let rest = lower[i + marker.len()..]
            .trim_start()
            .strip_prefix(',')?
            .trim_start();
        let mut depth = 0usize;
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = j;
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let key = rest[..end].trim();
        return (!key.is_empty()).then(|| key.to_string());
    }
    let text = lower.trim().trim_matches(|c| c == '\'' || c == '"');
    if let Some(rest) = text.strip_prefix("azurerm_user_assigned_identity.") {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        return (!name.is_empty()).then(|| format!("azurerm_user_assigned_identity.{name}"));
    }
    let ident: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!ident.is_empty() && text[ident.len()..].starts_with('.')).then_some(ident)
}

#[cfg(test)]
mod tests {
    /// Key Vault Administrator for a deployment script's identity: the Officer roles for what
    /// the script writes, not the read-only roles.
    #[test]
    fn deployment_script_identity_gets_officer_roles() {
        let rel = "testdata/RBAC001/fire/kv-script.bicep";
        let f: Vec<_> = crate::testing::scan_fixture(rel)
            .findings
            .into_iter()
            .filter(|f| f.rule.id == "RBAC001")
            .collect();
        let at: Vec<_> = f.iter().map(|f| (f.start.line, f.start.column)).collect();
        assert_eq!(at, vec![(28, 23), (38, 23)]);
        assert!(
            f[0].message.contains("Key Vault Certificates Officer"),
            "{}",
            f[0].message
        );
        assert!(
            f[1].message.contains("use Key Vault Secrets User"),
            "{}",
            f[1].message
        );
    }

    /// Contributor at resource-group scope for the user-assigned identity a deployment script
    /// runs as: the advice is to scope it to what the script writes or remove it after the run,
    /// and that the script identity keeps the role; another identity's assignment keeps the
    /// generic advice (Bicep, ARM, Terraform).
    #[test]
    fn deployment_script_identity_at_broad_scope() {
        for (rel, script, other) in [
            (
                "testdata/RBAC001/fire/script-identity.bicep",
                (16, 23),
                Some((25, 23)),
            ),
            ("testdata/RBAC001/fire/script-identity.json", (20, 29), None),
            ("testdata/RBAC001/fire/script-identity.tf", (13, 26), None),
        ] {
            let f: Vec<_> = crate::testing::scan_fixture(rel)
                .findings
                .into_iter()
                .filter(|f| f.rule.id == "RBAC001")
                .collect();
            let at: Vec<_> = f.iter().map(|f| (f.start.line, f.start.column)).collect();
            let mut expect = vec![script];
            expect.extend(other);
            assert_eq!(at, expect, "{rel}");
            let help = f[0].help.as_deref().unwrap_or("");
            assert!(
                f[0].message
                    .contains("the identity a deployment script runs as")
                    && help.contains("only while it runs")
                    && help.contains("cleanupPreference")
                    && !help.contains("single resource the principal needs"),
                "{rel}: {} / {help}",
                f[0].message
            );
            if other.is_some() {
                assert!(!f[1].message.contains("deployment script"), "{rel}");
            }
        }
    }

    use crate::finding::Severity;
    use crate::testing::{hits, scan_fixture};

    #[test]
    fn messages_name_role_scope_and_principal() {
        let rep = scan_fixture("testdata/RBAC001/fire/azuredeploy.json");
        let f: Vec<_> = rep
            .findings
            .iter()
            .filter(|f| f.rule.id == "RBAC001")
            .collect();
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].message.contains("Owner")
                && f[0].message.contains("resource group scope")
                && f[0]
                    .message
                    .contains("system-assigned identity of Microsoft.Web/sites 'app'"),
            "{}",
            f[0].message
        );
        assert!(
            f[1].message.contains("subscription scope"),
            "{}",
            f[1].message
        );
        assert!(
            f[1].message.contains(
                "user-assigned identity Microsoft.ManagedIdentity/userAssignedIdentities 'id-app'"
            ),
            "{}",
            f[1].message
        );
        assert_eq!(f[2].severity, Severity::Warning);
        assert!(
            f[2].message.contains("Storage Blob Data Reader"),
            "{}",
            f[2].message
        );
        assert!(
            f[3].message.contains("subscription scope")
                && f[3].message.contains("nested deployment"),
            "{}",
            f[3].message
        );
    }

    /// Local modules with their arguments: the role is reported at the argument in the caller
    /// (Bicep, Terraform); an ARM inner-scope nested template reads the values its deployment
    /// passes (reported at the assignment, in the same file).
    #[test]
    fn module_arguments_are_followed() {
        let rep = scan_fixture("testdata/RBAC001/fire/terraform-module/main.tf");
        assert!(
            rep.findings[0].message.starts_with(
                "`role` is passed to module `owner` (./modules/role/main.tf:3), where: Owner"
            ) && rep.findings[0].message.contains("subscription scope"),
            "{}",
            rep.findings[0].message
        );
        for silent in [
            "testdata/RBAC001/silent/bicep-module/main.bicep",
            "testdata/RBAC001/silent/terraform-module/main.tf",
            "testdata/RBAC001/silent/arm-inner-scope.json",
        ] {
            assert!(hits(silent, "RBAC001").is_empty(), "{silent}");
        }
    }

    /// Azure Verified Module shapes: the role-assignment modules (scope from their path and
    /// parameters) and `roleAssignments` on resource modules, also through a variable.
    #[test]
    fn module_parameters_assign_roles() {
        let rep = scan_fixture("testdata/RBAC001/fire/modules.bicep");
        let msgs: Vec<(&str, Severity)> = rep
            .findings
            .iter()
            .filter(|f| f.rule.id == "RBAC001")
            .map(|f| (f.message.as_str(), f.severity))
            .collect();
        assert!(msgs[0].0.contains("resource group scope"), "{}", msgs[0].0);
        assert!(msgs[0]
            .0
            .contains("avm/res/authorization/role-assignment/rg-scope"));
        assert_eq!(msgs[0].1, Severity::Error);
        assert!(msgs[1].0.contains("single resource"), "{}", msgs[1].0);
        assert!(msgs[1].0.contains("can grant access"), "{}", msgs[1].0);
        assert_eq!(msgs[1].1, Severity::Note);
        assert!(msgs[3].0.contains("subscription scope"), "{}", msgs[3].0);
    }

    #[test]
    fn terraform_messages_link_principals_and_suggest_roles() {
        let rep = scan_fixture("testdata/RBAC001/fire/main.tf");
        let m: Vec<&str> = rep
            .findings
            .iter()
            .filter(|f| f.rule.id == "RBAC001")
            .map(|f| f.message.as_str())
            .collect();
        assert!(
            m[0].contains(
                "system-assigned identity of azurerm_linux_web_app.app at subscription scope"
            ),
            "{}",
            m[0]
        );
        assert!(
            m[1].contains(
                "user-assigned identity azurerm_user_assigned_identity.app at resource group scope"
            ),
            "{}",
            m[1]
        );
        assert!(m[2].contains("use Key Vault Secrets User"), "{}", m[2]);
        assert!(m[3].starts_with("Owner"), "{}", m[3]);
    }

    /// On one resource: Contributor is not reported, Owner / User Access Administrator / RBAC
    /// Administrator are notes, other privileged roles warnings, and a role the catalog records
    /// as documented-required (Key Vault Administrator for the Backup Management Service) is
    /// silent.
    #[test]
    fn single_resource_assignments() {
        let sev = |rel: &str| -> Vec<(usize, usize, Severity)> {
            scan_fixture(rel)
                .findings
                .iter()
                .filter(|f| f.rule.id == "RBAC001")
                .map(|f| (f.start.line, f.start.column, f.severity))
                .collect()
        };
        assert_eq!(
            sev("testdata/RBAC001/fire/single-resource.bicep"),
            vec![
                (13, 23, Severity::Note),
                (22, 23, Severity::Note),
                (31, 23, Severity::Warning)
            ]
        );
        assert_eq!(
            sev("testdata/RBAC001/fire/single-resource.tf"),
            vec![(12, 26, Severity::Note)]
        );
        assert_eq!(
            sev("testdata/RBAC001/fire/single-resource.json"),
            vec![(14, 29, Severity::Note)]
        );
    }

    /// An older apiVersion's `properties.scope` is the scope written: the message says so, not
    /// "no `scope`".
    #[test]
    fn properties_scope_is_read() {
        let rep = scan_fixture("testdata/RBAC001/fire/properties-scope.json");
        let f: Vec<_> = rep
            .findings
            .iter()
            .filter(|f| f.rule.id == "RBAC001")
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (13, 29));
        assert!(
            f[0].message
                .contains("(`properties.scope`: scope `[resourceGroup().id]`)")
                && !f[0].message.contains("no `scope`"),
            "{}",
            f[0].message
        );
    }

    /// PIM requests, Azure Lighthouse authorizations and policy remediation roles, in every
    /// dialect: active grants are errors, eligible ones and remediation roles warnings; Reader
    /// and data-plane roles stay silent.
    #[test]
    fn privileged_access_that_is_not_a_role_assignment() {
        let sev = |rel: &str| -> Vec<(usize, usize, Severity)> {
            scan_fixture(rel)
                .findings
                .iter()
                .filter(|f| f.rule.id == "RBAC001")
                .map(|f| (f.start.line, f.start.column, f.severity))
                .collect()
        };
        use Severity::{Error, Warning};
        let fire = [
            (
                "pim-requests.json",
                vec![(14, 29, Warning), (25, 29, Error)],
            ),
            (
                "pim-requests.bicep",
                vec![(11, 23, Warning), (25, 23, Error)],
            ),
            ("pim.tf", vec![(9, 24, Warning), (21, 24, Error)]),
            ("lighthouse.json", vec![(28, 33, Error), (34, 33, Warning)]),
            ("lighthouse.bicep", vec![(18, 27, Error)]),
            ("lighthouse.tf", vec![(10, 30, Error), (16, 26, Warning)]),
            ("policy-remediation.json", vec![(21, 17, Warning)]),
            ("policy-remediation.bicep", vec![(19, 13, Warning)]),
            ("policy-remediation.tf", vec![(22, 63, Warning)]),
        ];
        for (f, want) in fire {
            assert_eq!(sev(&format!("testdata/RBAC001/fire/{f}")), want, "{f}");
            assert!(
                hits(&format!("testdata/RBAC001/silent/{f}"), "RBAC001").is_empty(),
                "{f}"
            );
        }
        let rep = scan_fixture("testdata/RBAC001/fire/lighthouse.tf");
        assert!(
            rep.findings[0].message.contains("Azure Lighthouse")
                && rep.findings[0].message.contains("managing tenant"),
            "{}",
            rep.findings[0].message
        );
        let rep = scan_fixture("testdata/RBAC001/fire/policy-remediation.json");
        assert!(
            rep.findings[0].message.contains("remediation identity")
                && rep.findings[0].message.contains("management group scope"),
            "{}",
            rep.findings[0].message
        );
    }

    /// An ARM linked template beside the caller (`templateLink.uri` from `_artifactsLocation` or
    /// `deployment()`, `templateLink.relativePath`) is followed like a module: the role chosen
    /// from a variables map is reported at the argument.
    #[test]
    fn linked_templates_are_followed() {
        let rep = scan_fixture("testdata/RBAC001/fire/linked-template-module/azuredeploy.json");
        assert!(
            rep.findings[0].message.starts_with(
                "`roleDefinitionId` is passed to module `ownerAssignment` (nested/role.json:14)"
            ),
            "{}",
            rep.findings[0].message
        );
    }

    #[test]
    fn bicep_scope_symbols_resolve() {
        let text = "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'kv'\n}\n\nresource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: guid('ra')\n  scope: kv\n  properties: {\n    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f25e0fa2-a7c8-4377-a976-54943a77a395')\n    principalId: 'p'\n  }\n}\n";
        let f = crate::testing::text_findings("main.bicep", text, "RBAC001");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (9, 23));
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("use Key Vault Secrets User"),
            "{}",
            f[0].message
        );
    }
}
