//! Identity-capable resource types (`rules/identity-capable.tsv`) and what a resource's settings say
//! about how it authenticates: settings that carry keys or passwords, settings that name which of
//! several identities to use.

use std::sync::OnceLock;

use crate::ir::{
    Dialect, Document, Expr, Node, NodeKind, Resource, Setting, SettingSource, StrClass,
};

/// A row of the identity-capable catalog.
#[derive(Debug)]
pub struct Capable {
    pub arm_type: &'static str,
    /// `None` for any kind, else a substring the resource's kind must contain.
    pub kind: Option<&'static str>,
    pub azurerm: Vec<&'static str>,
    pub identity_at: &'static str,
    /// Flag only when the resource or its extensions show a key in use.
    pub needs_key_evidence: bool,
    /// The running code picks its identity through settings (MI002 applies).
    pub selects_in_app: bool,
    pub label: &'static str,
}

pub fn catalog() -> &'static [Capable] {
    static CAT: OnceLock<Vec<Capable>> = OnceLock::new();
    CAT.get_or_init(|| {
        let text: &'static str = include_str!("../../rules/identity-capable.tsv");
        let mut out = Vec::new();
        for line in text.lines().skip_while(|l| l.starts_with('#')).skip(1) {
            let c: Vec<&'static str> = line.split('\t').collect();
            if c.len() < 7 {
                continue;
            }
            out.push(Capable {
                arm_type: c[0],
                kind: (c[1] != "*").then_some(c[1]),
                azurerm: if c[2] == "-" {
                    Vec::new()
                } else {
                    c[2].split(',').map(str::trim).collect()
                },
                identity_at: c[3],
                needs_key_evidence: c[4] == "keys",
                selects_in_app: c[5] == "app",
                label: c[6],
            });
        }
        out
    })
}

/// The catalog row for a resource: by azurerm type for Terraform, else by ARM type and kind.
pub fn capable(r: &Resource) -> Option<&'static Capable> {
    let cat = catalog();
    if r.dialect == Dialect::Terraform {
        return cat
            .iter()
            .find(|c| c.azurerm.iter().any(|t| *t == r.source_type));
    }
    let kind = r.kind.as_deref().unwrap_or("").to_ascii_lowercase();
    cat.iter().find(|c| {
        r.azure_type.eq_ignore_ascii_case(c.arm_type)
            && match c.kind {
                None => true,
                Some(k) => kind.contains(&k.to_ascii_lowercase()),
            }
    })
}

/// Follows a path of keys through a resource body; a step that lands on a list (a Terraform block
/// in JSON syntax or a plan: `"authentication": [ { ... } ]`) continues into its first item.
pub fn body_path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    let mut cur = node;
    for k in keys {
        if let NodeKind::List(items) = &cur.kind {
            cur = items.first()?;
        }
        cur = cur.get(k)?;
    }
    Some(cur)
}

/// The settings that belong to a resource: its own app settings and connection strings, and those
/// of its `config` child resources (nested, or top-level with a name starting with the site's name).
pub fn resource_settings(doc: &Document, index: usize) -> Vec<&Setting> {
    let owners = owning_indexes(doc, index);
    doc.settings
        .iter()
        .filter(|s| match s.source {
            SettingSource::ResourceAppSetting(i) | SettingSource::ResourceConnectionString(i) => {
                owners.contains(&i)
            }
            _ => false,
        })
        .collect()
}

/// The resource and its config children.
fn owning_indexes(doc: &Document, index: usize) -> Vec<usize> {
    let mut out = vec![index];
    let Some(site) = doc.resources.get(index) else {
        return out;
    };
    let site_key = name_key(&site.body);
    for (i, r) in doc.resources.iter().enumerate() {
        if i == index || !r.azure_type.to_ascii_lowercase().ends_with("/config") {
            continue;
        }
        if r.parent == Some(index) {
            out.push(i);
            continue;
        }
        if r.parent.is_none() && r.template == site.template {
            if let (Some(a), Some(b)) = (&site_key, name_key(&r.body)) {
                if b.len() > 1 && b.first() == a.first() && !a.is_empty() {
                    out.push(i);
                }
            }
        }
    }
    out
}

/// The name's parts for linking `site` with `site/appsettings`: literal segments, and
/// `parameters('x')`/`variables('x')` references, in order.
fn name_key(body: &Node) -> Option<Vec<String>> {
    let n = body.get("name")?;
    match &n.kind {
        NodeKind::Str(s) => match &s.class {
            StrClass::Literal => Some(s.value.split('/').map(str::to_ascii_lowercase).collect()),
            StrClass::Expression(e) => {
                let mut parts = Vec::new();
                e.walk(&mut |x| match x {
                    Expr::Param(a) => parts.push(format!("parameters:{a}")),
                    Expr::Var(a) => parts.push(format!("variables:{a}")),
                    _ => {}
                });
                // `[concat(parameters('site'), '/appsettings')]` has one more part than the site.
                if let Some(tail) = s.value.rsplit('/').next() {
                    if s.value.contains('/') {
                        parts.push(tail.trim_end_matches([']', ')', '\'']).to_ascii_lowercase());
                    }
                }
                Some(parts)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Why a setting shows key-based access, if it does: a literal with `AccountKey=`, `SharedAccessKey=`,
/// `Password=`, a `listKeys()`-style call, a Terraform reference to an access key or connection
/// string, or a literal under a password-like name.
pub fn credential_setting(s: &Setting) -> Option<&'static str> {
    let name = s.name.to_ascii_lowercase();
    match &s.value.kind {
        NodeKind::Str(v) => match &v.class {
            StrClass::Literal => {
                let l = v.value.to_ascii_lowercase();
                if l.contains("accountkey=") || l.contains("sharedaccesskey=") {
                    return Some("a connection string with a key");
                }
                if l.contains("password=") || l.contains("pwd=") {
                    return Some("a connection string with a password");
                }
                let secretish = [
                    "password",
                    "secret",
                    "accountkey",
                    "apikey",
                    "api_key",
                    "accesskey",
                ];
                if secretish.iter().any(|w| name.contains(w)) && v.value.trim().len() >= 8 {
                    return Some("a password-like literal");
                }
                None
            }
            StrClass::Expression(e) => expr_credential(e),
            _ => None,
        },
        NodeKind::Expr(e) => expr_credential(e),
        _ => None,
    }
}

fn expr_credential(e: &Expr) -> Option<&'static str> {
    for c in e.calls() {
        let c = c.to_ascii_lowercase();
        if c.starts_with("listkeys")
            || c == "listconnectionstrings"
            || c == "listcredentials"
            || c == "listaccountsas"
            || c == "listsecrets"
        {
            return Some("a key read with a list*() call");
        }
    }
    for last in e.reference_leaves() {
        {
            let l = last.to_ascii_lowercase();
            if l.contains("access_key")
                || l.ends_with("connection_string")
                || l == "primary_key"
                || l == "secondary_key"
                || l == "primary_connection_string"
                || l == "instrumentation_key_secret"
            {
                return Some("a key or connection string of another resource");
            }
        }
    }
    None
}

/// A key in use in a resource or in its extensions (ARM child `extensions` resources, nested or
/// top-level with the parent's name; Terraform resources that reference it): a `listKeys()`-style
/// call, a Terraform reference to an access key or connection string, or a literal under a
/// key-like name (`storageAccountKey`). Returns the key name or call where it was seen.
pub fn key_evidence(doc: &Document, index: usize) -> Option<String> {
    let r = doc.resources.get(index)?;
    let mut bodies: Vec<&Node> = vec![&r.body];
    let site_key = name_key(&r.body);
    let symbol = r.symbol.as_deref().unwrap_or("");
    for (i, c) in doc.resources.iter().enumerate() {
        if i == index {
            continue;
        }
        let lower = c.azure_type.to_ascii_lowercase();
        let arm_child = lower.ends_with("/extensions")
            && (c.parent == Some(index)
                || (c.parent.is_none()
                    && c.template == r.template
                    && matches!((&site_key, name_key(&c.body)), (Some(a), Some(b)) if !a.is_empty() && b.len() > 1 && b.first() == a.first())));
        let tf_ref = r.dialect == Dialect::Terraform && !symbol.is_empty() && {
            let mut hit = false;
            c.body.walk(&mut |_, n| {
                if let Some(e) = n.as_expr() {
                    if e.resource_refs().iter().any(|(a, _)| *a == symbol) {
                        hit = true;
                    }
                }
            });
            hit
        };
        if arm_child || tf_ref {
            bodies.push(&c.body);
        }
    }
    for b in bodies {
        let mut found = None;
        b.walk(&mut |path, n| {
            if found.is_some() {
                return;
            }
            if let Some(e) = n.as_expr() {
                if expr_credential(e).is_some() {
                    found = Some(path.last_key().unwrap_or("a value").to_string());
                    return;
                }
            }
            if let (Some(k), Some(v)) = (path.last_key(), n.as_literal()) {
                let k = k.to_ascii_lowercase();
                if (k.contains("accountkey")
                    || k.contains("sastoken")
                    || k.ends_with("connectionstring"))
                    && v.trim().len() >= 8
                {
                    found = Some(path.last_key().unwrap_or("a value").to_string());
                }
            }
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// True when a setting or property name tells the code which identity to use. The identity the
/// platform pulls images with (`acrUserManagedIdentityID`,
/// `container_registry_managed_identity_client_id`) is not one the code reads: naming it leaves
/// the code's choice open.
pub fn is_identity_selector(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.starts_with("acr") || n.starts_with("container_registry") {
        return false;
    }
    const EXACT: [&str; 9] = [
        "azure_client_id",
        "managedidentityclientid",
        "managed_identity_client_id",
        "keyvaultreferenceidentity",
        "key_vault_reference_identity_id",
        "userassignedidentityid",
        "user_assigned_identity_id",
        "primaryuserassignedidentityid",
        "primary_user_assigned_identity_id",
    ];
    if EXACT.contains(&n.as_str()) {
        return true;
    }
    n.ends_with("__clientid")
        || n.ends_with("__managedidentityresourceid")
        || (n.contains("identity") && (n.ends_with("clientid") || n.ends_with("client_id")))
}

/// Where the resource (body or settings) names which identity to use, if anywhere: a map key or
/// an `{ "name": ... }` entry (environment variables) matching [`is_identity_selector`].
pub fn identity_selector(doc: &Document, index: usize) -> Option<String> {
    for s in resource_settings(doc, index) {
        if is_identity_selector(&s.name) {
            return Some(s.name.clone());
        }
    }
    let r = doc.resources.get(index)?;
    let mut found = None;
    r.body.walk(&mut |path, node| {
        if found.is_some() {
            return;
        }
        if let Some(k) = path.last_key() {
            if is_identity_selector(k) && !matches!(node.kind, NodeKind::Null) {
                found = Some(k.to_string());
                return;
            }
            if k.eq_ignore_ascii_case("name") {
                if let Some(v) = node.as_literal() {
                    if is_identity_selector(v) {
                        found = Some(v.to_string());
                    }
                }
            }
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_covers_required_types() {
        let cat = catalog();
        for t in [
            "azurerm_linux_web_app",
            "azurerm_windows_web_app",
            "azurerm_linux_function_app",
            "azurerm_windows_function_app",
            "azurerm_app_service",
            "azurerm_function_app",
            "azurerm_logic_app_standard",
            "azurerm_linux_web_app_slot",
            "azurerm_logic_app_workflow",
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine_scale_set",
            "azurerm_kubernetes_cluster",
            "azurerm_container_app",
            "azurerm_container_group",
            "azurerm_data_factory",
            "azurerm_synapse_workspace",
            "azurerm_api_management",
            "azurerm_automation_account",
            "azurerm_stream_analytics_job",
            "azurerm_eventgrid_topic",
            "azurerm_eventgrid_system_topic",
            "azurerm_cognitive_account",
            "azurerm_search_service",
            "azurerm_machine_learning_workspace",
            "azurerm_batch_account",
            "azurerm_spring_cloud_service",
            "azurerm_mssql_server",
        ] {
            assert!(
                cat.iter().any(|c| c.azurerm.contains(&t)),
                "{t} missing from identity-capable.tsv"
            );
        }
        assert!(cat.len() >= 25);
    }

    #[test]
    fn selectors() {
        assert!(is_identity_selector("AZURE_CLIENT_ID"));
        assert!(is_identity_selector("AzureWebJobsStorage__clientId"));
        assert!(is_identity_selector(
            "ServiceBus__managedIdentityResourceId"
        ));
        assert!(is_identity_selector("keyVaultReferenceIdentity"));
        assert!(is_identity_selector("ManagedIdentityClientId"));
        assert!(!is_identity_selector("AZURE_TENANT_ID"));
        assert!(!is_identity_selector("clientId"));
        // Image pull identities: the platform's, not the code's.
        assert!(!is_identity_selector("acrUserManagedIdentityID"));
        assert!(!is_identity_selector(
            "container_registry_managed_identity_client_id"
        ));
    }
}
