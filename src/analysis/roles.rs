//! Role and scope resolution for role assignments and role definitions.
//!
//! * Roles: the built-in role table (`rules/roles.tsv`), and resolution of a role assignment's role
//!   from a GUID literal, a role name, `subscriptionResourceId('Microsoft.Authorization/
//!   roleDefinitions', '<guid>')` and its `resourceId`/`tenantResourceId`/`managementGroupResourceId`
//!   siblings, `/providers/Microsoft.Authorization/roleDefinitions/<guid>` paths, ARM parameters
//!   (literal `defaultValue`) and variables (also indexed: `variables('roles').owner`), Terraform
//!   `role_definition_id` / `role_definition_name`, `var.x` with a literal default, `local.x`, and
//!   `data.azurerm_role_definition.x.id` whose `name` is literal, and Bicep role definition
//!   resources (`existing`) referenced as `x.id` whose `name` is a GUID.
//! * Scopes: the level a scope value names (root, management group, subscription, resource group,
//!   resource, with the resource type where it shows), from literal ids, ARM functions
//!   (`resourceGroup().id`, `subscription().id`, `resourceId(...)`, `format('Microsoft.X/y/{0}')`)
//!   and Terraform references (`data.azurerm_subscription.x.id`, `azurerm_resource_group.x.id`,
//!   `azurerm_management_group.x.id`, other resources' ids); a role assignment without an explicit
//!   scope gets its template's deployment scope, or its parent resource for old-style
//!   `Microsoft.X/y/providers/roleAssignments` types.
//! * Principals: which identity a role assignment's `principalId` refers to, for messages.
//!
//! Nothing is guessed: what cannot be resolved comes back as unresolved.

use std::sync::OnceLock;

use crate::analysis::resolve::{Piece, Possible, Resolver, Value};
use crate::ir::azurerm::azurerm_type;
use crate::ir::classify::is_guid;
use crate::ir::{Address, Dialect, Document, Expr, Node, NodeKind, RoleAssignment, StrClass};
use crate::source::DeploymentScope;
use crate::table::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleClass {
    /// Can grant access or write everything in its scope.
    Privileged,
    /// A least-privilege data-plane role, suggested for the types it fits.
    Data,
    /// A Cosmos DB data-plane role (sqlRoleDefinitions, not Azure RBAC).
    Cosmos,
    /// Known, not flagged.
    Other,
}

#[derive(Debug, PartialEq)]
pub struct Role {
    pub guid: &'static str,
    pub name: &'static str,
    pub class: RoleClass,
    /// ARM resource types this role is the least-privilege choice for.
    pub fits: Vec<&'static str>,
    pub note: &'static str,
    /// What RBAC001 does with the role assigned on one resource (privileged roles only).
    pub at_resource: AtResource,
}

/// What RBAC001 does with a privileged role assigned on a single resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtResource {
    /// A warning naming the data-plane role to use instead.
    Report,
    /// A note: the role can grant access to others (Owner, User Access Administrator, RBAC
    /// Administrator).
    Note,
    /// Not reported: writing the one resource is what deploying it needs (Contributor).
    Silent,
}

/// The built-in role table.
pub fn roles() -> &'static [Role] {
    static ROLES: OnceLock<Vec<Role>> = OnceLock::new();
    ROLES.get_or_init(|| parse_roles(include_str!("../../rules/roles.tsv")))
}

fn parse_roles(text: &'static str) -> Vec<Role> {
    Table::embedded("rules/roles.tsv", text).map_embedded(|c| {
        let class = match c.get("class")? {
            "privileged" => RoleClass::Privileged,
            "data" => RoleClass::Data,
            "cosmos" => RoleClass::Cosmos,
            "other" => RoleClass::Other,
            other => return Err(format!("unknown class `{other}`")),
        };
        Ok(Role {
            guid: c.get("guid")?,
            name: c.get("name")?,
            class,
            fits: c.list("fits")?,
            note: c.opt("note")?.unwrap_or(""),
            at_resource: match (class, c.opt("at_resource")?) {
                (RoleClass::Privileged, Some("report")) => AtResource::Report,
                (RoleClass::Privileged, Some("note")) => AtResource::Note,
                (RoleClass::Privileged, Some("silent")) => AtResource::Silent,
                (RoleClass::Privileged, other) => {
                    return Err(format!(
                        "at_resource `{}`: report, note or silent",
                        other.unwrap_or("-")
                    ))
                }
                (_, None) => AtResource::Report,
                (_, Some(other)) => {
                    return Err(format!(
                        "at_resource `{other}` on a role that is not privileged"
                    ))
                }
            },
        })
    })
}

pub fn by_guid(guid: &str) -> Option<&'static Role> {
    roles().iter().find(|r| r.guid.eq_ignore_ascii_case(guid))
}

pub fn by_name(name: &str) -> Option<&'static Role> {
    let name = name.trim();
    roles().iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

/// The least-privilege data-plane roles for a resource type (ARM type; a child type matches its
/// top-level type: `Microsoft.Storage/storageAccounts/blobServices/containers` fits storage roles).
pub fn suggestions_for(resource_type: &str) -> Vec<&'static Role> {
    let t = resource_type.to_ascii_lowercase();
    roles()
        .iter()
        .filter(|r| matches!(r.class, RoleClass::Data | RoleClass::Cosmos))
        .filter(|r| {
            r.fits.iter().any(|f| {
                let f = f.to_ascii_lowercase();
                t == f || t.starts_with(&format!("{f}/"))
            })
        })
        .collect()
}

/// What a role reference resolved to.
#[derive(Debug, Clone, PartialEq)]
pub enum RoleRef {
    /// A built-in role from the table.
    Known(&'static Role),
    /// A GUID that is not in the table (a custom role or a built-in role keyless does not list).
    OtherGuid(String),
    /// A role name that is not in the table.
    OtherName(String),
    /// Could not be resolved statically (the text of the expression).
    Unresolved(String),
}

/// Resolves the role of a role assignment.
pub fn resolve_role(doc: &Document, ra: &RoleAssignment) -> RoleRef {
    let node = ra.role_id.as_ref().or(ra.role_name.as_ref());
    let Some(node) = node else {
        return RoleRef::Unresolved("no role definition".into());
    };
    match role_of_node(&Resolver::new(doc, ra.template), node) {
        Some(Found::Guid(g)) => by_guid(&g)
            .map(RoleRef::Known)
            .unwrap_or(RoleRef::OtherGuid(g)),
        Some(Found::Name(n)) => by_name(&n)
            .map(RoleRef::Known)
            .unwrap_or(RoleRef::OtherName(n)),
        None => RoleRef::Unresolved(node_text(node)),
    }
}

/// The roles an ARM copy loop assigns (`parameters('roleIds')[copyIndex()]`): one per item of
/// the list, those that resolve to a built-in role. Empty when the role is not a loop item.
pub fn copy_loop_roles(doc: &Document, ra: &RoleAssignment) -> Vec<&'static Role> {
    let Some(node) = ra.role_id.as_ref().or(ra.role_name.as_ref()) else {
        return Vec::new();
    };
    // The loop's item, wherever it stands (`subscriptionResourceId(…, x[copyIndex()])`).
    let mut item = None;
    if let Some(e) = node.as_expr() {
        e.walk(&mut |x| {
            if let Expr::Index { index, .. } = x {
                if index.calls_fn("copyIndex") && item.is_none() {
                    item = Some(x);
                }
            }
        });
    }
    let Some(item) = item else {
        return Vec::new();
    };
    let rs = Resolver::new(doc, ra.template);
    let mut out: Vec<&'static Role> = Vec::new();
    for p in rs.expr(item) {
        let role = match role_of_possible(&rs, &p) {
            Some(Found::Guid(g)) => by_guid(&g),
            Some(Found::Name(n)) => by_name(&n),
            None => None,
        };
        if let Some(r) = role.filter(|r| !out.iter().any(|o| o.guid == r.guid)) {
            out.push(r);
        }
    }
    out
}

#[derive(PartialEq)]
enum Found {
    Guid(String),
    Name(String),
}

fn node_text(node: &Node) -> String {
    match &node.kind {
        NodeKind::Str(s) => s.value.clone(),
        NodeKind::Expr(e) => e.to_string(),
        _ => String::from("a non-string value"),
    }
}

/// A GUID, or the GUID at the end of a `/roleDefinitions/<guid>` id.
pub fn guid_in(s: &str) -> Option<String> {
    let s = s.trim().trim_start_matches('{').trim_end_matches('}');
    if is_guid(s) {
        return Some(s.to_ascii_lowercase());
    }
    let lower = s.to_ascii_lowercase();
    let idx = lower.rfind("/roledefinitions/")?;
    let tail = &s[idx + "/roledefinitions/".len()..];
    is_guid(tail).then(|| tail.to_ascii_lowercase())
}

fn role_of_str(s: &str) -> Option<Found> {
    if let Some(g) = guid_in(s) {
        return Some(Found::Guid(g));
    }
    let t = s.trim();
    // A role name: words, no path.
    if !t.is_empty() && !t.contains('/') && t.len() < 120 {
        return Some(Found::Name(t.to_string()));
    }
    None
}

/// The one value every possibility agrees on; `None` when any is unknown or they differ.
fn agree<T: PartialEq>(values: impl IntoIterator<Item = Option<T>>) -> Option<T> {
    let mut out: Option<T> = None;
    for v in values {
        let v = v?;
        match &out {
            Some(o) if *o != v => return None,
            Some(_) => {}
            None => out = Some(v),
        }
    }
    out
}

fn role_of_node<'a>(rs: &Resolver<'a>, node: &'a Node) -> Option<Found> {
    agree(rs.node(node).iter().map(|p| role_of_possible(rs, p)))
}

fn role_of_possible<'a>(rs: &Resolver<'a>, p: &Possible<'a>) -> Option<Found> {
    match &p.value {
        Value::Node(n) => n.as_literal().and_then(role_of_str),
        Value::Const(Expr::Str(s)) => role_of_str(s),
        // `concat('/subscriptions/', ..., '/providers/Microsoft.Authorization/roleDefinitions/',
        // '<guid>')`, `format(...)`, `"${data.azurerm_subscription.p.id}/providers/.../<guid>"`:
        // the GUID ends the id.
        Value::Text(pieces) => match pieces.last()? {
            Piece::Text(t) => guid_in(t).map(Found::Guid),
            // `"${data.azurerm_subscription.p.id}${data.azurerm_role_definition.x.id}"`: the
            // data source's id ends the text, whatever names it.
            Piece::Unknown(e) => match role_of_unknown(rs, e)? {
                Found::Guid(g) => Some(Found::Guid(g)),
                Found::Name(n) if matches!(e, Expr::Resource { .. }) => Some(Found::Name(n)),
                Found::Name(_) => None,
            },
        },
        Value::Unknown(e, members) if members.is_empty() => role_of_unknown(rs, e),
        Value::Unknown(..) | Value::Const(_) | Value::Merge(_) => None,
    }
}

const ID_FUNCTIONS: [&str; 5] = [
    "resourceid",
    "subscriptionresourceid",
    "tenantresourceid",
    "managementgroupresourceid",
    "extensionresourceid",
];

/// What the resolver cannot know but role resolution can: an id function naming a role
/// definition, a role definition data source.
fn role_of_unknown<'a>(rs: &Resolver<'a>, e: &'a Expr) -> Option<Found> {
    match e {
        Expr::Call { name, args } if ID_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str()) => {
            let names_role_definitions = args.iter().any(|a| {
                a.as_str().is_some_and(|s| {
                    s.eq_ignore_ascii_case("Microsoft.Authorization/roleDefinitions")
                })
            });
            if !names_role_definitions {
                return None;
            }
            let last = args.last()?;
            match agree(rs.expr(last).iter().map(|p| role_of_possible(rs, p)))? {
                Found::Guid(g) => Some(Found::Guid(g)),
                Found::Name(_) => None,
            }
        }
        Expr::Resource { address, path } => {
            role_of_resource(rs, address).or_else(|| role_of_definition_symbol(rs, address, path))
        }
        _ => None,
    }
}

/// A Bicep role definition resource, usually `existing` (`resource contributor
/// 'Microsoft.Authorization/roleDefinitions@…' existing = { scope: subscription(), name: '<guid>' }`),
/// referenced as `contributor.id` or `contributor.name`: the GUID its `name` resolves to.
fn role_of_definition_symbol<'a>(
    rs: &Resolver<'a>,
    address: &str,
    path: &[String],
) -> Option<Found> {
    if !matches!(path, [p] if p == "id" || p == "name") {
        return None;
    }
    let r = rs
        .doc()
        .resources
        .iter()
        .filter(|r| r.dialect == Dialect::Bicep && r.template == rs.template())
        .find(|r| r.symbol.as_deref() == Some(address))?;
    if !r.is_type("Microsoft.Authorization/roleDefinitions") || !rs.hop() {
        return None;
    }
    match role_of_node(rs, r.body.get("name")?)? {
        Found::Guid(g) => Some(Found::Guid(g)),
        Found::Name(_) => None,
    }
}

/// Terraform types whose data source reads a role definition.
fn role_definition_source(ty: &str) -> bool {
    ty == "azurerm_role_definition"
}

/// A role definition data source (`data.azurerm_role_definition.x.id`): its `role_definition_id`,
/// or its `name`.
fn role_of_resource<'a>(rs: &Resolver<'a>, address: &str) -> Option<Found> {
    let a = Address::parse(address);
    match (a.data, a.ty) {
        (true, Some(ty)) if role_definition_source(ty) => {
            let r = tf_resource(rs.doc(), "data", ty, a.label)?;
            if !rs.hop() {
                return None;
            }
            if let Some(id) = r.body.get("role_definition_id") {
                if let Some(Found::Guid(g)) = role_of_node(rs, id) {
                    return Some(Found::Guid(g));
                }
            }
            role_of_node(rs, r.body.get("name")?)
        }
        _ => None,
    }
}

/// A Terraform resource or data source by address. Data sources may be registered by the parser
/// as `data.type.label` or as `type.label` marked existing.
fn tf_resource<'a>(
    doc: &'a Document,
    prefix: &str,
    ty: &str,
    label: &str,
) -> Option<&'a crate::ir::Resource> {
    let full = format!("{prefix}.{ty}.{label}");
    let short = format!("{ty}.{label}");
    if prefix == "data" {
        if let Some((_, r)) = doc.resource_by_symbol(&full) {
            return Some(r);
        }
        doc.resources
            .iter()
            .find(|r| r.existing && r.symbol.as_deref() == Some(short.as_str()))
    } else {
        doc.resources
            .iter()
            .find(|r| !r.existing && r.symbol.as_deref() == Some(short.as_str()))
    }
}

/// A role assignment a module call makes through its parameters, in the shapes of the Azure
/// Verified Modules: `roleAssignments: [{ roleDefinitionIdOrName: 'Owner', principalId: … }]` on
/// any module (an assignment on the module's resource), and `roleDefinitionIdOrName` given to the
/// role-assignment modules (`avm/res/authorization/role-assignment/{rg,sub,mg}-scope`,
/// `avm/ptn/authorization/role-assignment`), whose scope their path and parameters say.
#[derive(Debug)]
pub struct ModuleAssignment {
    /// The assignment as the module will make it (`resource` is not an index: there is none).
    pub ra: RoleAssignment,
    pub scope: Scope,
}

/// The role assignments module calls make (Bicep `module` declarations).
pub fn module_role_assignments(doc: &Document) -> Vec<ModuleAssignment> {
    let mut out = Vec::new();
    let Some(modules) = doc.root.as_ref().and_then(|r| r.get("modules")) else {
        return out;
    };
    if doc.dialect != Dialect::Bicep {
        return out;
    }
    for m in modules.entries() {
        let body = &m.value;
        let path = body.get("path").and_then(Node::as_literal).unwrap_or("");
        let Some(params) = body.get("params") else {
            continue;
        };
        let assignment = |item: &Node, scope: Scope| {
            let role = item.get("roleDefinitionIdOrName")?;
            Some(ModuleAssignment {
                ra: RoleAssignment {
                    template: 0,
                    resource: usize::MAX,
                    span: item.span,
                    role_id: Some(role.clone()),
                    role_name: None,
                    scope: None,
                    principal_id: item.get("principalId").cloned(),
                    principal_type: item
                        .get("principalType")
                        .and_then(Node::as_literal)
                        .map(str::to_string),
                },
                scope,
            })
        };
        let short = module_short(path);
        if let Some(level) = role_assignment_module_level(path, params) {
            let scope = Scope {
                level,
                resource_type: None,
                evidence: format!("the role-assignment module `{short}`"),
            };
            out.extend(assignment(params, scope));
        }
        if let Some(list) = params.get("roleAssignments") {
            // The list may come from a variable; its items too.
            let rs = Resolver::new(doc, 0);
            for l in rs.node(list) {
                let Value::Node(l) = l.value else { continue };
                for item in l.items().iter().flat_map(|i| rs.node(i)) {
                    let Value::Node(item) = item.value else {
                        continue;
                    };
                    let scope = Scope {
                        level: Level::Resource,
                        resource_type: None,
                        evidence: format!("`roleAssignments` of module `{short}`"),
                    };
                    out.extend(assignment(item, scope));
                }
            }
        }
    }
    out
}

/// A module path without its registry prefix and version, for messages.
fn module_short(path: &str) -> String {
    let p = path.rsplit_once(':').map_or(path, |(head, version)| {
        // `br/public:avm/res/x:0.1.0` → `avm/res/x`; a plain path keeps its text.
        if version.chars().all(|c| c.is_ascii_digit() || c == '.') {
            head
        } else {
            path
        }
    });
    let p = p.strip_prefix("br/public:").unwrap_or(p);
    crate::finding::shown_name(p)
}

/// The scope level of an AVM role-assignment module call, from its path and parameters.
fn role_assignment_module_level(path: &str, params: &Node) -> Option<Level> {
    let p = path.to_ascii_lowercase();
    if !p.contains("authorization/role-assignment") {
        return None;
    }
    if p.contains("rg-scope") {
        return Some(Level::ResourceGroup);
    }
    if p.contains("sub-scope") {
        return Some(Level::Subscription);
    }
    if p.contains("mg-scope") {
        return Some(Level::ManagementGroup);
    }
    // The pattern module: the narrowest scope its parameters name.
    if params.get("resourceGroupName").is_some() {
        Some(Level::ResourceGroup)
    } else if params.get("subscriptionId").is_some() {
        Some(Level::Subscription)
    } else {
        Some(Level::ManagementGroup)
    }
}

/// The level a scope names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The tenant root (`/`).
    Root,
    ManagementGroup,
    Subscription,
    ResourceGroup,
    /// A single resource (or something below a resource group).
    Resource,
}

impl Level {
    pub fn name(&self) -> &'static str {
        match self {
            Level::Root => "tenant root",
            Level::ManagementGroup => "management group",
            Level::Subscription => "subscription",
            Level::ResourceGroup => "resource group",
            Level::Resource => "resource",
        }
    }

    /// Management group, subscription or resource group (or the root).
    pub fn is_broad(&self) -> bool {
        *self != Level::Resource
    }

    /// Subscription or wider.
    pub fn is_subscription_or_wider(&self) -> bool {
        matches!(
            self,
            Level::Root | Level::ManagementGroup | Level::Subscription
        )
    }
}

/// A resolved scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub level: Level,
    /// The resource type at resource scope, when it shows (ARM type, or an azurerm type).
    pub resource_type: Option<String>,
    /// How it was resolved, for messages.
    pub evidence: String,
}

/// The scope of a role assignment; `None` when it cannot be resolved.
pub fn resolve_assignment_scope(doc: &Document, ra: &RoleAssignment) -> Option<Scope> {
    if let Some(scope) = &ra.scope {
        return scope_of_node(doc, ra.template, scope);
    }
    let res = doc.resources.get(ra.resource)?;
    // Old style extension resource: `Microsoft.Storage/storageAccounts/providers/roleAssignments`.
    let lower = res.source_type.to_ascii_lowercase();
    if let Some(idx) = lower.find("/providers/") {
        return Some(Scope {
            level: Level::Resource,
            resource_type: Some(res.source_type[..idx].to_string()),
            evidence: format!("type `{}`", res.source_type),
        });
    }
    // Older apiVersions take the scope as `properties.scope`: that is the scope written, not
    // "no scope".
    if let Some(inner) = res.body.path(&["properties", "scope"]) {
        let mut scope = scope_of_node(doc, ra.template, inner)?;
        scope.evidence = format!("`properties.scope`: {}", scope.evidence);
        return Some(scope);
    }
    let level = match doc.template_scope(ra.template)? {
        DeploymentScope::Tenant => Level::Root,
        DeploymentScope::ManagementGroup => Level::ManagementGroup,
        DeploymentScope::Subscription => Level::Subscription,
        DeploymentScope::ResourceGroup => Level::ResourceGroup,
    };
    Some(Scope {
        level,
        resource_type: None,
        evidence: format!(
            "no `scope`: the deployment's target {}",
            if ra.template == 0 {
                "scope"
            } else {
                "scope (nested deployment)"
            }
        ),
    })
}

/// The scope a value names (a role assignment's `scope`, an `assignableScopes` item).
pub fn scope_of_node(doc: &Document, template: usize, node: &Node) -> Option<Scope> {
    let text = node_text(node);
    // Azure Landing Zones library files write the management group they are deployed to as
    // this substitution.
    if text.trim() == "${current_scope_resource_id}" {
        return Some(Scope {
            level: Level::ManagementGroup,
            resource_type: None,
            evidence: format!("scope `{text}`, the management group of the library's archetype"),
        });
    }
    let loose = loose_node(&Resolver::new(doc, template), node)?;
    let (level, resource_type) = level_of_path(&loose)?;
    Some(Scope {
        level,
        resource_type,
        evidence: format!("scope `{}`", shorten(&text)),
    })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 90 {
        let mut t: String = s.chars().take(87).collect();
        t.push_str("...");
        t
    } else {
        s.to_string()
    }
}

/// Marker for a part of an id whose value is unknown.
const UNKNOWN: &str = "{?}";

/// Evaluates a value to a string, writing `{?}` for unknown parts; `None` when nothing is known.
fn loose_node<'a>(rs: &Resolver<'a>, node: &'a Node) -> Option<String> {
    agree(rs.node(node).iter().map(|p| loose_possible(rs, p)))
}

fn loose_expr<'a>(rs: &Resolver<'a>, e: &'a Expr) -> Option<String> {
    agree(rs.expr(e).iter().map(|p| loose_possible(rs, p)))
}

fn loose_possible<'a>(rs: &Resolver<'a>, p: &Possible<'a>) -> Option<String> {
    match &p.value {
        Value::Node(n) => n.as_literal().map(str::to_string),
        Value::Const(Expr::Str(s) | Expr::Number(s)) => Some(s.clone()),
        Value::Text(pieces) => Some(
            pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Text(t) => t.clone(),
                    Piece::Unknown(e) => loose_expr(rs, e).unwrap_or_else(|| UNKNOWN.into()),
                })
                .collect(),
        ),
        Value::Unknown(e, members) => loose_unknown(rs, e, members),
        Value::Const(_) | Value::Merge(_) => None,
    }
}

/// The ids ARM functions and Terraform references name, with unknown parts.
fn loose_unknown<'a>(rs: &Resolver<'a>, e: &'a Expr, members: &[String]) -> Option<String> {
    match (e, members) {
        (Expr::Call { name, args }, []) => {
            let lname = name.to_ascii_lowercase();
            match lname.as_str() {
                "resourcegroup" if args.is_empty() => {
                    Some("/subscriptions/{?}/resourceGroups/{?}".into())
                }
                "subscription" if args.is_empty() => Some("/subscriptions/{?}".into()),
                "managementgroup" if args.is_empty() => {
                    Some("/providers/Microsoft.Management/managementGroups/{?}".into())
                }
                "tenant" if args.is_empty() => Some("/".into()),
                "resourceid"
                | "subscriptionresourceid"
                | "tenantresourceid"
                | "managementgroupresourceid"
                | "extensionresourceid" => id_function(rs, &lname, args),
                _ => None,
            }
        }
        (Expr::Call { name: f, args }, [id]) => {
            if !args.is_empty() || !id.eq_ignore_ascii_case("id") {
                return None;
            }
            match f.to_ascii_lowercase().as_str() {
                "resourcegroup" => Some("/subscriptions/{?}/resourceGroups/{?}".into()),
                "subscription" => Some("/subscriptions/{?}".into()),
                "managementgroup" => {
                    Some("/providers/Microsoft.Management/managementGroups/{?}".into())
                }
                "tenant" => Some("/".into()),
                _ => None,
            }
        }
        (Expr::Resource { address, path }, []) => loose_resource(rs.doc(), address, path),
        _ => None,
    }
}

/// `resourceId('Microsoft.X/y', 'a')` and friends as an id with unknown parts.
fn id_function<'a>(rs: &Resolver<'a>, lname: &str, args: &'a [Expr]) -> Option<String> {
    let part = |x: &'a Expr| loose_expr(rs, x).unwrap_or_else(|| UNKNOWN.into());
    // The type is the first literal argument with a `/` in it (subscription and group ids may come
    // first); the names follow it.
    let ti = args.iter().position(|a| {
        a.as_str()
            .is_some_and(|s| s.contains('/') && !s.starts_with('/'))
    })?;
    let ty = args[ti].as_str()?;
    let names: Vec<String> = args[ti + 1..].iter().map(part).collect();
    let lty = ty.to_ascii_lowercase();
    if lty == "microsoft.resources/resourcegroups" {
        return Some("/subscriptions/{?}/resourceGroups/{?}".into());
    }
    if lty == "microsoft.resources/subscriptions" {
        return Some("/subscriptions/{?}".into());
    }
    if lty == "microsoft.management/managementgroups" {
        return Some("/providers/Microsoft.Management/managementGroups/{?}".into());
    }
    let prefix = match lname {
        "resourceid" => "/subscriptions/{?}/resourceGroups/{?}".to_string(),
        "subscriptionresourceid" => "/subscriptions/{?}".to_string(),
        "managementgroupresourceid" => {
            "/providers/Microsoft.Management/managementGroups/{?}".into()
        }
        "extensionresourceid" => {
            if ti == 0 {
                return None;
            }
            part(&args[0])
        }
        _ => String::new(),
    };
    let mut segs: Vec<&str> = ty.split('/').collect();
    let ns = segs.remove(0);
    let mut s = format!("{prefix}/providers/{ns}");
    for (i, t) in segs.iter().enumerate() {
        s.push('/');
        s.push_str(t);
        s.push('/');
        s.push_str(names.get(i).map(String::as_str).unwrap_or(UNKNOWN));
    }
    Some(s)
}

/// A Terraform resource id, or a Bicep resource symbol.
fn loose_resource(doc: &Document, address: &str, path: &[String]) -> Option<String> {
    let a = Address::parse(address);
    match (a.ty, path.first()) {
        (Some(ty), Some(attr)) => tf_id(doc, ty, a.label, attr, a.data),
        (Some(_), None) => None,
        // Bicep: `scope: keyVault` (a resource symbol), or `keyVault.id`.
        (None, None) => symbol_id(&doc.resource_by_symbol(address)?.1.azure_type),
        (None, Some(attr)) if attr == "id" && path.len() == 1 => {
            symbol_id(&doc.resource_by_symbol(address)?.1.azure_type)
        }
        (None, Some(_)) => None,
    }
}

/// An id with unknown names for a resource of this ARM type.
fn symbol_id(azure_type: &str) -> Option<String> {
    let lower = azure_type.to_ascii_lowercase();
    if lower == "microsoft.resources/resourcegroups" {
        return Some("/subscriptions/{?}/resourceGroups/{?}".into());
    }
    if lower == "microsoft.management/managementgroups" {
        return Some("/providers/Microsoft.Management/managementGroups/{?}".into());
    }
    if !azure_type.contains('/') {
        return None;
    }
    let mut segs: Vec<&str> = azure_type.split('/').collect();
    let ns = segs.remove(0);
    let mut s = format!("/subscriptions/{{?}}/resourceGroups/{{?}}/providers/{ns}");
    for t in segs {
        s.push('/');
        s.push_str(t);
        s.push_str("/{?}");
    }
    Some(s)
}

fn tf_id(doc: &Document, ty: &str, label: &str, attr: &str, data: bool) -> Option<String> {
    if attr != "id" {
        return None;
    }
    match ty {
        "azurerm_subscription" => Some("/subscriptions/{?}".into()),
        "azurerm_resource_group" => Some("/subscriptions/{?}/resourceGroups/{?}".into()),
        "azurerm_management_group" => {
            Some("/providers/Microsoft.Management/managementGroups/{?}".into())
        }
        "azurerm_client_config" | "azurerm_role_definition" => None,
        _ => {
            // The declared resource's type, else the type the azurerm table maps it to.
            let res = tf_resource(doc, if data { "data" } else { "resource" }, ty, label);
            let arm = res
                .map(|r| r.azure_type.clone())
                .or_else(|| azurerm_type(ty).map(|(t, _)| t.to_string()))
                .filter(|t| t.contains('/'));
            match arm {
                Some(t) => {
                    let mut segs: Vec<&str> = t.split('/').collect();
                    let ns = segs.remove(0);
                    let mut s = format!("/subscriptions/{{?}}/resourceGroups/{{?}}/providers/{ns}");
                    for t in segs {
                        s.push('/');
                        s.push_str(t);
                        s.push_str("/{?}");
                    }
                    Some(s)
                }
                None => Some(format!(
                    "/subscriptions/{{?}}/resourceGroups/{{?}}/providers/{ty}/{{?}}"
                )),
            }
        }
    }
}

/// The level of an id (`/`, `/subscriptions/x`, `/subscriptions/x/resourceGroups/y`, a resource
/// id, `/providers/Microsoft.Management/managementGroups/x`, or a relative
/// `Microsoft.X/y/name` as Bicep compiles resource scopes), and the resource type at resource level.
pub fn level_of_path(s: &str) -> Option<(Level, Option<String>)> {
    let s = s.trim();
    if s == "/" {
        return Some((Level::Root, None));
    }
    let segs: Vec<&str> = s.trim_matches('/').split('/').collect();
    let lower: Vec<String> = segs.iter().map(|x| x.to_ascii_lowercase()).collect();
    if !s.starts_with('/') && lower.first().is_some_and(|f| f.starts_with("microsoft.")) {
        return Some((Level::Resource, Some(type_from(&segs, 0))));
    }
    if let Some(p) = lower.iter().rposition(|x| x == "providers") {
        let is_mg = lower
            .get(p + 1)
            .is_some_and(|x| x == "microsoft.management")
            && lower.get(p + 2).is_some_and(|x| x == "managementgroups");
        if is_mg && segs.len() == p + 4 {
            return Some((Level::ManagementGroup, None));
        }
        if segs.len() > p + 2 {
            return Some((Level::Resource, Some(type_from(&segs, p + 1))));
        }
        return None;
    }
    if !s.starts_with('/') {
        return None;
    }
    match lower.as_slice() {
        [sub, _] if sub == "subscriptions" => Some((Level::Subscription, None)),
        [sub, _, rg, _] if sub == "subscriptions" && rg == "resourcegroups" => {
            Some((Level::ResourceGroup, None))
        }
        _ => None,
    }
}

/// `Microsoft.Storage/storageAccounts/a/blobServices/default` from index `ns` on:
/// `Microsoft.Storage/storageAccounts/blobServices`.
fn type_from(segs: &[&str], ns: usize) -> String {
    let mut t = segs[ns].to_string();
    let mut i = ns + 1;
    while i < segs.len() {
        t.push('/');
        t.push_str(segs[i]);
        i += 2;
    }
    t
}

/// Which identity a role assignment's principal is, when the document shows it:
/// `the system-assigned identity of Microsoft.Web/sites 'app'`,
/// `the user-assigned identity 'id1'`, `the identity of azurerm_linux_web_app.app`.
pub fn describe_principal(doc: &Document, ra: &RoleAssignment) -> Option<String> {
    let node = ra.principal_id.as_ref()?;
    match &node.kind {
        NodeKind::Str(s) => match &s.class {
            StrClass::Literal if is_guid(s.value.trim()) => {
                Some(format!("principal {}", s.value.trim()))
            }
            StrClass::Expression(e) => describe_principal_expr(doc, e),
            _ => None,
        },
        NodeKind::Expr(e) => describe_principal_expr(doc, e),
        _ => None,
    }
}

fn describe_principal_expr(doc: &Document, e: &Expr) -> Option<String> {
    match e {
        Expr::Resource { address, path } => {
            let a = Address::parse(address);
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            match (a.data, a.ty?, p.as_slice()) {
                (false, "azurerm_user_assigned_identity", ["principal_id"]) => Some(format!(
                    "the user-assigned identity azurerm_user_assigned_identity.{}",
                    a.label
                )),
                (true, "azurerm_user_assigned_identity", ["principal_id"]) => Some(format!(
                    "the existing user-assigned identity data.azurerm_user_assigned_identity.{}",
                    a.label
                )),
                (false, ty, ["identity", "principal_id"]) => {
                    Some(format!("the system-assigned identity of {ty}.{}", a.label))
                }
                (true, "azurerm_client_config", ["object_id"]) => {
                    Some("the principal running Terraform (azurerm_client_config)".into())
                }
                _ => None,
            }
        }
        Expr::Param(name) if doc.dialect == Dialect::Terraform => {
            Some(format!("the principal in variable `{name}`"))
        }
        Expr::Param(name) => Some(format!("the principal in parameter `{name}`")),
        Expr::Member { .. } if doc.dialect == Dialect::Terraform => match e.named_root()? {
            (Expr::Param(name), _) => Some(format!("the principal in variable `{name}`")),
            _ => None,
        },
        Expr::Member { base, name } if name.eq_ignore_ascii_case("principalId") => {
            match base.as_ref() {
                // reference(x, api, 'full').identity.principalId: the system identity of x
                Expr::Member {
                    base: inner,
                    name: id,
                } if id.eq_ignore_ascii_case("identity") => {
                    let target = reference_target(doc, inner)?;
                    Some(format!("the system-assigned identity of {target}"))
                }
                // reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', x)).principalId
                other => {
                    let target = reference_target(doc, other)?;
                    if target
                        .to_ascii_lowercase()
                        .starts_with("microsoft.managedidentity/userassignedidentities")
                    {
                        Some(format!("the user-assigned identity {target}"))
                    } else {
                        Some(format!("the identity of {target}"))
                    }
                }
            }
        }
        Expr::Interp(parts) if parts.len() == 1 => describe_principal_expr(doc, &parts[0]),
        _ => None,
    }
}

/// `reference(resourceId('Microsoft.Web/sites', parameters('app')), ...)` → `Microsoft.Web/sites
/// parameters('app')`; a symbolic name (`reference('site')`) → the resource's type and name.
fn reference_target(doc: &Document, e: &Expr) -> Option<String> {
    let Expr::Call { name, args } = e else {
        return None;
    };
    if !name.eq_ignore_ascii_case("reference") {
        return None;
    }
    match args.first()? {
        Expr::Call { name, args } if ID_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str()) => {
            let ti = args
                .iter()
                .position(|a| a.as_str().is_some_and(|s| s.contains('/')))?;
            let ty = args[ti].as_str()?;
            let names: Vec<String> = args[ti + 1..].iter().map(render_name).collect();
            let names = names.join("/");
            (names.len() <= 80).then(|| format!("{ty} {names}"))
        }
        Expr::Str(sym) => {
            let (_, r) = doc.resource_by_symbol(sym)?;
            (r.name.len() <= 80).then(|| format!("{} {}", r.source_type, r.name))
        }
        // `variables('x')`, `parameters('x')`: short enough to name; copy loops and the like are not.
        other => {
            let r = other.to_string();
            (r.len() <= 60 && !r.contains("copyIndex") && !r.contains("range(")).then_some(r)
        }
    }
}

fn render_name(e: &Expr) -> String {
    match e {
        Expr::Str(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_with_verified_privileged_roles() {
        let owner = by_guid("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635").unwrap();
        assert_eq!(owner.name, "Owner");
        assert_eq!(owner.class, RoleClass::Privileged);
        for (g, n) in [
            ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"),
            (
                "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
                "User Access Administrator",
            ),
            (
                "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
                "Role Based Access Control Administrator",
            ),
        ] {
            let r = by_guid(g).unwrap();
            assert_eq!(r.name, n);
            assert_eq!(r.class, RoleClass::Privileged);
        }
        assert_eq!(
            by_name("storage blob data reader").unwrap().class,
            RoleClass::Data
        );
        let names: Vec<&str> = suggestions_for("Microsoft.KeyVault/vaults")
            .iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names[0], "Key Vault Secrets User");
        assert!(
            suggestions_for("Microsoft.Storage/storageAccounts/blobServices/containers")
                .iter()
                .any(|r| r.name == "Storage Blob Data Reader")
        );
        // every GUID is well formed and unique
        let mut seen = std::collections::HashSet::new();
        for r in roles() {
            assert!(is_guid(r.guid), "{}", r.guid);
            assert!(seen.insert(r.guid), "duplicate {}", r.guid);
        }
    }

    #[test]
    fn levels_of_paths() {
        assert_eq!(level_of_path("/"), Some((Level::Root, None)));
        assert_eq!(
            level_of_path("/subscriptions/0000/"),
            Some((Level::Subscription, None))
        );
        assert_eq!(
            level_of_path("/subscriptions/x/resourceGroups/rg"),
            Some((Level::ResourceGroup, None))
        );
        assert_eq!(
            level_of_path("/providers/Microsoft.Management/managementGroups/mg"),
            Some((Level::ManagementGroup, None))
        );
        assert_eq!(
            level_of_path(
                "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/blobServices/default"
            ),
            Some((
                Level::Resource,
                Some("Microsoft.Storage/storageAccounts/blobServices".into())
            ))
        );
        assert_eq!(
            level_of_path("Microsoft.KeyVault/vaults/{?}"),
            Some((Level::Resource, Some("Microsoft.KeyVault/vaults".into())))
        );
        assert_eq!(level_of_path("{?}"), None);
        assert_eq!(level_of_path("rg-name"), None);
    }

    #[test]
    fn guids_in_ids() {
        assert_eq!(
            guid_in("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7").as_deref(),
            Some("acdd72a7-3385-48ef-bd42-f606fba81ae7")
        );
        assert_eq!(guid_in("not-a-guid"), None);
    }
}
