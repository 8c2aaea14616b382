//! Identity-capable resource types (`rules/identity-capable.tsv`) and what a resource's settings say
//! about how it authenticates: settings that carry keys or passwords, settings that name which of
//! several identities to use.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::analysis::names::{is_secret_name, Tier};
use crate::table::Table;

use crate::ir::{
    Dialect, Document, Expr, Node, NodeKind, PathStep, Resource, Setting, SettingSource, StrClass,
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
    /// Flag only when the resource's definition calls a service that accepts an identity (a
    /// Logic App workflow: see [`workflow_calls_identity_service`]).
    pub needs_call_evidence: bool,
    /// Warn only when the deployment shows the resource calling an Azure service; a note
    /// otherwise (MI001's `calls_azure_service`).
    pub needs_seen_evidence: bool,
    /// The running code picks its identity through settings (MI002 applies).
    pub selects_in_app: bool,
    pub label: &'static str,
    /// The first ARM apiVersion that has `identity` for this type.
    pub min_api: &'static str,
}

pub fn catalog() -> &'static [Capable] {
    static CAT: OnceLock<Vec<Capable>> = OnceLock::new();
    CAT.get_or_init(|| {
        Table::embedded(
            "rules/identity-capable.tsv",
            include_str!("../../rules/identity-capable.tsv"),
        )
        .map_embedded(|c| {
            Ok(Capable {
                arm_type: c.get("arm_type")?,
                kind: Some(c.get("kind")?).filter(|k| *k != "*"),
                azurerm: c.list("azurerm")?,
                identity_at: c.get("identity_at")?,
                needs_key_evidence: match c.get("evidence")? {
                    "keys" => true,
                    "always" | "calls" | "seen" => false,
                    other => {
                        return Err(format!("evidence `{other}`: keys, calls, seen or always"))
                    }
                },
                needs_call_evidence: c.get("evidence")? == "calls",
                needs_seen_evidence: c.get("evidence")? == "seen",
                selects_in_app: match c.get("selects")? {
                    "app" => true,
                    "-" => false,
                    other => return Err(format!("selects `{other}`: app or -")),
                },
                label: c.get("label")?,
                min_api: c.get("min_api")?,
            })
        })
    })
}

/// The Markdown table of the catalog, for MI001's page.
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| resource | ARM type (kind) | Terraform (azurerm) | flagged | first apiVersion with `identity` |\n\
         |---|---|---|---|---|\n",
    );
    for c in catalog() {
        let kind = c.kind.map(|k| format!(" ({k})")).unwrap_or_default();
        let when = match (
            c.needs_key_evidence,
            c.needs_call_evidence,
            c.needs_seen_evidence,
        ) {
            (true, _, _) => "when a key is in use",
            (_, true, _) => "when it calls a service that accepts an identity",
            (_, _, true) => "warning when a call to an Azure service is seen, else a note",
            _ => "always",
        };
        let tf = c
            .azurerm
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(
            "| {} | `{}`{kind} | {} | {when} | {} |\n",
            c.label,
            c.arm_type,
            if tf.is_empty() { "-".to_string() } else { tf },
            c.min_api
        ));
    }
    s
}

/// The markers around the generated table in MI001's page.
pub const TABLE_START: &str = "<!-- identity-capable:start -->";
pub const TABLE_END: &str = "<!-- identity-capable:end -->";

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

/// Host name endings of services that accept Microsoft Entra tokens (a managed identity's):
/// Azure Resource Manager, Key Vault, Storage, Service Bus / Event Hubs, App Service and
/// Functions, API Management, Cosmos DB, Cognitive Services / Azure OpenAI, SQL, Microsoft Graph.
const IDENTITY_HOSTS: &[&str] = &[
    "management.azure.com",
    ".vault.azure.net",
    ".core.windows.net",
    ".servicebus.windows.net",
    ".azurewebsites.net",
    ".azure-api.net",
    ".documents.azure.com",
    ".cognitiveservices.azure.com",
    ".openai.azure.com",
    ".database.windows.net",
    ".azconfig.io",
    ".azurecr.io",
    "graph.microsoft.com",
];

/// True when a text names a host of a service that accepts Microsoft Entra tokens
/// ([`IDENTITY_HOSTS`]) or is a Key Vault reference (`@Microsoft.KeyVault(…)`).
pub fn names_identity_host(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("@microsoft.keyvault(") || IDENTITY_HOSTS.iter().any(|h| lower.contains(h))
}

/// True when a Logic App (Consumption) workflow calls a service that accepts an identity: an
/// action (at any depth: scopes, conditions, loops, switch cases) of type `Function`,
/// `ApiManagement`, or `Http` / `HttpWebhook` whose `authentication` is set or whose literal
/// `uri` is on a host that accepts Entra tokens; or a managed connector whose connections take a
/// managed identity ([`IDENTITY_CONNECTORS`], named by `managedApis/<name>` or `$connections`). A workflow with only a
/// request trigger, or HTTP calls to arbitrary URLs, calls nothing an identity would reach. A
/// definition written as an expression (`json(…)`, a file loaded elsewhere) is not known: false.
/// Terraform: an `azurerm_logic_app_action_http` or `_action_custom` for this workflow that does
/// the same.
pub fn workflow_calls_identity_service(doc: &Document, r: &Resource) -> bool {
    fn calls(node: &Node) -> bool {
        let mut found = false;
        node.walk(&mut |_, n| {
            if found {
                return;
            }
            let Some(ty) = n.get("type").and_then(Node::as_text) else {
                return;
            };
            let inputs = n.get("inputs");
            found = match ty.to_ascii_lowercase().as_str() {
                "function" | "apimanagement" => true,
                "http" | "httpwebhook" => inputs.is_some_and(|i| {
                    i.get("authentication").is_some()
                        || i.get("uri")
                            .and_then(Node::as_text)
                            .is_some_and(on_identity_host)
                }),
                _ => false,
            };
        });
        found
    }
    fn on_identity_host(uri: &str) -> bool {
        let lower = uri.to_ascii_lowercase();
        let host = lower
            .split("://")
            .nth(1)
            .unwrap_or(&lower)
            .split(['/', '?', ':'])
            .next()
            .unwrap_or("");
        IDENTITY_HOSTS
            .iter()
            .any(|h| host == h.trim_start_matches('.') || host.ends_with(h))
    }
    if r.dialect == Dialect::Terraform {
        let me = r.symbol.as_deref().unwrap_or("");
        return doc.resources.iter().any(|a| {
            let http = a.source_type == "azurerm_logic_app_action_http";
            if !(http || a.source_type == "azurerm_logic_app_action_custom") {
                return false;
            }
            let for_me = a.body.get("logic_app_id").is_some_and(|id| {
                id.as_expr()
                    .is_some_and(|e| e.to_string().contains(me) && !me.is_empty())
            });
            for_me
                && if http {
                    a.body
                        .get("uri")
                        .and_then(Node::as_text)
                        .is_some_and(on_identity_host)
                } else {
                    a.body.get("body").and_then(Node::as_text).is_some_and(|b| {
                        let lower = b.to_ascii_lowercase();
                        IDENTITY_CONNECTORS.iter().any(|c| {
                            lower.contains(&format!("managedapis/{c}"))
                                || lower.contains(&format!("$connections')['{c}']"))
                        }) || lower.contains("\"authentication\"")
                            || IDENTITY_HOSTS.iter().any(|h| lower.contains(h))
                    })
                }
        });
    }
    match body_path(&r.body, &["properties"]) {
        Some(props) => props.get("definition").is_some_and(calls) || uses_identity_connector(props),
        None => false,
    }
}

/// Managed connectors (the `managedApis/<name>` a workflow's `$connections` or actions name) whose
/// connections can authenticate with the workflow's managed identity: Azure Blob / Queues /
/// Tables / Files storage, Service Bus, Event Hubs, Event Grid, Key Vault, SQL Server, Cosmos DB,
/// Azure Resource Manager, Azure Monitor Logs, Azure Automation, Data Explorer, Data Factory.
/// Third-party connectors (SendGrid, Slack, Twilio, FTP, Office 365) sign in their own way.
const IDENTITY_CONNECTORS: &[&str] = &[
    "azureblob",
    "azurequeues",
    "azuretables",
    "servicebus",
    "eventhubs",
    "azureeventgrid",
    "keyvault",
    "sql",
    "documentdb",
    "arm",
    "azuremonitorlogs",
    "azureautomation",
    "kusto",
    "azuredatafactory",
];

/// True when the workflow's text names a managed connector of [`IDENTITY_CONNECTORS`]
/// (`…/managedApis/servicebus`, `parameters('$connections')['servicebus']`).
fn uses_identity_connector(props: &Node) -> bool {
    let mut found = false;
    props.walk(&mut |_, n| {
        if found {
            return;
        }
        let text = match &n.kind {
            NodeKind::Str(s) => s.value.to_ascii_lowercase(),
            NodeKind::Expr(e) => e.to_string().to_ascii_lowercase(),
            _ => return,
        };
        let names = text
            .match_indices("managedapis/")
            .map(|(i, m)| &text[i + m.len()..])
            .chain(
                text.match_indices("$connections')['")
                    .chain(text.match_indices("$connections']['"))
                    .map(|(i, m)| &text[i + m.len()..]),
            );
        for rest in names {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if IDENTITY_CONNECTORS.contains(&name.as_str()) {
                found = true;
            }
        }
    });
    found
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

/// How a document's resources are linked to each other, indexed once per document so that the
/// per-resource lookups of MI001 and MI002 (its settings, its `config` and `extensions` children,
/// the Terraform resources that reference it) cost what they find, not the number of resources:
/// asked for every resource, a scan of all resources each time was quadratic (40,000 resources
/// took minutes).
pub struct ResourceLinks<'d> {
    doc: &'d Document,
    /// Per resource: the indexes of the settings it declares (app settings, connection strings).
    settings_of: Vec<Vec<usize>>,
    /// Per resource: its nested `…/config` and `…/extensions` children.
    config_children: Vec<Vec<usize>>,
    extension_children: Vec<Vec<usize>>,
    /// Top-level `…/config` and `…/extensions` resources with a name of two parts or more, by
    /// template and the first part of their name (`site/appsettings` belongs to `site`).
    configs_by_name: HashMap<(usize, String), Vec<usize>>,
    extensions_by_name: HashMap<(usize, String), Vec<usize>>,
    /// Per resource: its name's parts ([`name_key`]).
    name_keys: Vec<Option<Vec<String>>>,
    /// `type.label` → the resources whose body refers to it (Terraform), built on first use.
    references: OnceCell<HashMap<String, Vec<usize>>>,
}

impl<'d> ResourceLinks<'d> {
    pub fn new(doc: &'d Document) -> Self {
        let n = doc.resources.len();
        let mut settings_of = vec![Vec::new(); n];
        for (si, s) in doc.settings.iter().enumerate() {
            if let SettingSource::ResourceAppSetting(i)
            | SettingSource::ResourceConnectionString(i) = s.source
            {
                if let Some(v) = settings_of.get_mut(i) {
                    v.push(si);
                }
            }
        }
        let name_keys: Vec<Option<Vec<String>>> =
            doc.resources.iter().map(|r| name_key(&r.body)).collect();
        let mut config_children = vec![Vec::new(); n];
        let mut extension_children = vec![Vec::new(); n];
        let mut configs_by_name: HashMap<(usize, String), Vec<usize>> = HashMap::new();
        let mut extensions_by_name: HashMap<(usize, String), Vec<usize>> = HashMap::new();
        for (i, r) in doc.resources.iter().enumerate() {
            let lower = r.azure_type.to_ascii_lowercase();
            let (children, by_name) = if lower.ends_with("/config") {
                (&mut config_children, &mut configs_by_name)
            } else if lower.ends_with("/extensions") {
                (&mut extension_children, &mut extensions_by_name)
            } else {
                continue;
            };
            match r.parent {
                Some(p) => {
                    if let Some(v) = children.get_mut(p) {
                        v.push(i);
                    }
                }
                None => {
                    if let Some(b) = name_keys[i].as_ref().filter(|b| b.len() > 1) {
                        by_name
                            .entry((r.template, b[0].clone()))
                            .or_default()
                            .push(i);
                    }
                }
            }
        }
        ResourceLinks {
            doc,
            settings_of,
            config_children,
            extension_children,
            configs_by_name,
            extensions_by_name,
            name_keys,
            references: OnceCell::new(),
        }
    }

    /// The children of `index` of one kind: nested ones, and top-level ones in the same template
    /// whose name's first part is the resource's, in document order.
    fn children(
        &self,
        index: usize,
        nested: &[Vec<usize>],
        by_name: &HashMap<(usize, String), Vec<usize>>,
    ) -> Vec<usize> {
        let mut out: Vec<usize> = nested.get(index).cloned().unwrap_or_default();
        let (Some(r), Some(Some(a))) = (self.doc.resources.get(index), self.name_keys.get(index))
        else {
            return out;
        };
        if let Some(first) = a.first() {
            if let Some(v) = by_name.get(&(r.template, first.clone())) {
                out.extend(v.iter().copied().filter(|&i| i != index));
            }
        }
        out.sort_unstable();
        out
    }

    /// The settings that belong to a resource: its own app settings and connection strings, and
    /// those of its `config` child resources (nested, or top-level with a name starting with the
    /// site's name), in document order.
    pub fn resource_settings(&self, index: usize) -> Vec<&'d Setting> {
        let mut owners = self.children(index, &self.config_children, &self.configs_by_name);
        owners.push(index);
        let mut ids: Vec<usize> = owners
            .iter()
            .filter_map(|&o| self.settings_of.get(o))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.iter().map(|&i| &self.doc.settings[i]).collect()
    }

    /// The resources whose body refers to the Terraform address `symbol`.
    pub(crate) fn referrers(&self, symbol: &str) -> &[usize] {
        let map = self.references.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, c) in self.doc.resources.iter().enumerate() {
                c.body.walk(&mut |_, n| {
                    if let Some(e) = n.as_expr() {
                        for (address, _) in e.resource_refs() {
                            let v = map.entry(address.to_string()).or_default();
                            if v.last() != Some(&i) {
                                v.push(i);
                            }
                        }
                    }
                });
            }
            map
        });
        map.get(symbol).map_or(&[], Vec::as_slice)
    }

    /// A key in use in a resource or in its extensions (ARM child `extensions` resources, nested
    /// or top-level with the parent's name; Terraform resources that reference it): a
    /// `listKeys()`-style call, a Terraform reference to an access key or connection string, or a
    /// literal under a key-like name (`storageAccountKey`). Returns the key name or call where it
    /// was seen, where it is, and which other resource holds it when it is not the resource
    /// itself.
    pub fn key_evidence(&self, index: usize) -> Option<KeyEvidence> {
        let r = self.doc.resources.get(index)?;
        let mut others = self.children(index, &self.extension_children, &self.extensions_by_name);
        let symbol = r.symbol.as_deref().unwrap_or("");
        if r.dialect == Dialect::Terraform && !symbol.is_empty() {
            others.extend(self.referrers(symbol).iter().filter(|&&i| i != index));
            others.sort_unstable();
            others.dedup();
        }
        let bodies = std::iter::once((None, &r.body)).chain(
            others
                .iter()
                .filter_map(|&i| self.doc.resources.get(i).map(|c| (Some(i), &c.body))),
        );
        for (other, b) in bodies {
            let mut found = None;
            b.walk(&mut |path, n| {
                if found.is_some() {
                    return;
                }
                let at = |n: &Node| KeyEvidence {
                    key: path.last_key().unwrap_or("a value").to_string(),
                    span: n.span,
                    other,
                };
                if let Some(e) = n.as_expr() {
                    if expr_credential(e).is_some() {
                        found = Some(at(n));
                        return;
                    }
                }
                if let (Some(k), Some(v)) = (path.last_key(), n.as_literal()) {
                    if is_secret_name(k, Tier::EvidenceKey) && v.trim().len() >= 8 {
                        found = Some(at(n));
                    }
                }
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Where the resource (body or settings) names which identity to use, if anywhere: a map key
    /// or an `{ "name": ... }` entry (environment variables) matching [`is_identity_selector`].
    pub fn identity_selector(&self, index: usize) -> Option<String> {
        for s in self.resource_settings(index) {
            if is_identity_selector(&s.name) {
                return Some(s.name.clone());
            }
        }
        let r = self.doc.resources.get(index)?;
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
}

impl ResourceLinks<'_> {
    /// How many distinct identities the resource (its body and its `config` children) names for
    /// the platform's own use ([`is_platform_identity_key`]): the image-pull identity, the Key
    /// Vault reference identity, a container registry's or a Key Vault secret's `identity`.
    pub fn platform_identities(&self, index: usize) -> usize {
        let mut owners = self.children(index, &self.config_children, &self.configs_by_name);
        owners.push(index);
        let mut named: Vec<String> = Vec::new();
        for o in owners {
            let Some(r) = self.doc.resources.get(o) else {
                continue;
            };
            r.body.walk(&mut |path, node| {
                let Some(k) = path.last_key() else {
                    return;
                };
                let under = |w: &str| {
                    path.0.iter().any(|s| {
                        matches!(s, PathStep::Key(e) if e.key.to_ascii_lowercase().starts_with(w))
                    })
                };
                let platform = is_platform_identity_key(k)
                    || (k.eq_ignore_ascii_case("identity")
                        && (under("registr") || under("secret")));
                let v = match &node.kind {
                    NodeKind::Str(s) => s.value.trim().to_ascii_lowercase(),
                    NodeKind::Expr(e) => e.to_string().to_ascii_lowercase(),
                    _ => return,
                };
                if platform && !v.is_empty() && !v.starts_with("system") && !named.contains(&v) {
                    named.push(v);
                }
            });
        }
        named.len()
    }
}

/// A property naming the identity the platform uses for itself, never the code: the one it pulls
/// container images with, the one it resolves Key Vault references with.
pub fn is_platform_identity_key(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "acrusermanagedidentityid"
            | "container_registry_managed_identity_client_id"
            | "keyvaultreferenceidentity"
            | "key_vault_reference_identity_id"
    )
}

/// The name's parts for linking `site` with `site/appsettings`: literal segments, and
/// `parameters('x')`/`variables('x')` references, in order.
pub(crate) fn name_key(body: &Node) -> Option<Vec<String>> {
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
                if is_secret_name(&s.name, Tier::CredentialSetting) && v.value.trim().len() >= 8 {
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
    if e.reference_leaves()
        .iter()
        .any(|l| is_secret_name(l, Tier::CredentialAttribute))
    {
        return Some("a key or connection string of another resource");
    }
    None
}

/// A key in use that makes MI001 an error ([`key_evidence`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEvidence {
    /// The property or setting name, or the call, where the key was seen.
    pub key: String,
    /// Where the key's value is.
    pub span: crate::source::Span,
    /// The other resource (index into `doc.resources`) that holds it: an extension, or a
    /// Terraform resource that references this one; `None` for the resource itself.
    pub other: Option<usize>,
}

/// True when a setting or property name tells the code which identity to use: the SDKs'
/// conventions (`AZURE_CLIENT_ID` for `DefaultAzureCredential` and `EnvironmentCredential`,
/// `ManagedIdentityClientId`, Spring Cloud Azure's `spring.cloud.azure.credential.client-id`),
/// identity-based connections (`<connection>__clientId`, `<connection>__managedIdentityResourceId`)
/// and the app's own named settings (`userAssignedIdentityId`, `*IdentityClientId`).
///
/// Identities the platform uses for itself are not the code's choice, so naming them leaves the
/// code's choice open: the one it pulls container images with (`acrUserManagedIdentityID`,
/// `container_registry_managed_identity_client_id`) and the one it resolves Key Vault references
/// with (`keyVaultReferenceIdentity`, `key_vault_reference_identity_id`).
pub fn is_identity_selector(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.starts_with("acr")
        || n.starts_with("container_registry")
        || n.contains("keyvaultreference")
        || n.contains("key_vault_reference")
    {
        return false;
    }
    const EXACT: [&str; 8] = [
        "azure_client_id",
        "managedidentityclientid",
        "managed_identity_client_id",
        "userassignedidentityid",
        "user_assigned_identity_id",
        "primaryuserassignedidentityid",
        "primary_user_assigned_identity_id",
        "spring_cloud_azure_credential_client_id",
    ];
    if EXACT.contains(&n.as_str()) {
        return true;
    }
    n.ends_with("__clientid")
        || n.ends_with("__managedidentityresourceid")
        || n.ends_with("credential.client-id")
        || (n.contains("identity") && (n.ends_with("clientid") || n.ends_with("client_id")))
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

    /// The index links a site with its nested and name-linked `config` children and its
    /// extensions, and nothing else in the template.
    #[test]
    fn links_children_by_parent_and_by_name() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "a": { "type": "string" }, "b": { "type": "string" } },
  "resources": [
    { "type": "Microsoft.Web/sites", "apiVersion": "2023-01-01", "name": "[parameters('a')]",
      "properties": { "siteConfig": { "appSettings": [ { "name": "A_OWN", "value": "1" } ] } },
      "resources": [
        { "type": "config", "apiVersion": "2023-01-01", "name": "appsettings",
          "properties": { "A_NESTED": "2" } } ] },
    { "type": "Microsoft.Web/sites", "apiVersion": "2023-01-01", "name": "[parameters('b')]" },
    { "type": "Microsoft.Web/sites/config", "apiVersion": "2023-01-01",
      "name": "[concat(parameters('b'), '/appsettings')]", "properties": { "B_LINKED": "3" } },
    { "type": "Microsoft.Web/sites/config", "apiVersion": "2023-01-01",
      "name": "[concat(parameters('a'), '/appsettings')]", "properties": { "A_LINKED": "4" } },
    { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2023-03-01",
      "name": "[concat(parameters('b'), '/diag')]",
      "properties": { "protectedSettings": { "storageAccountKey": "[listKeys('x', '1').key1]" } } }
  ]
}"#;
        let file = crate::source::SourceFile::new(
            "t.json".into(),
            "t.json".into(),
            text.into(),
            crate::source::Format::Json,
        );
        let doc = crate::parse::parse(&file).doc;
        let links = ResourceLinks::new(&doc);
        let site = |name: &str| {
            doc.resources
                .iter()
                .position(|r| {
                    r.is_type("Microsoft.Web/sites")
                        && r.body
                            .get("name")
                            .and_then(|n| n.as_str())
                            .map(|s| s.value.as_str())
                            == Some(name)
                })
                .unwrap()
        };
        let (a, b) = (site("[parameters('a')]"), site("[parameters('b')]"));
        let names = |i: usize| -> Vec<String> {
            links
                .resource_settings(i)
                .iter()
                .map(|s| s.name.clone())
                .collect()
        };
        assert_eq!(names(a), vec!["A_OWN", "A_NESTED", "A_LINKED"]);
        assert_eq!(names(b), vec!["B_LINKED"]);
        assert_eq!(links.key_evidence(a), None);
        assert_eq!(
            links.key_evidence(b).map(|e| e.key).as_deref(),
            Some("storageAccountKey")
        );
    }

    #[test]
    fn selectors() {
        assert!(is_identity_selector("AZURE_CLIENT_ID"));
        assert!(is_identity_selector("AzureWebJobsStorage__clientId"));
        assert!(is_identity_selector(
            "ServiceBus__managedIdentityResourceId"
        ));
        assert!(is_identity_selector("ManagedIdentityClientId"));
        assert!(is_identity_selector("AzureAd:ManagedIdentityClientId"));
        assert!(is_identity_selector(
            "spring.cloud.azure.credential.client-id"
        ));
        assert!(is_identity_selector(
            "SPRING_CLOUD_AZURE_CREDENTIAL_CLIENT_ID"
        ));
        assert!(is_identity_selector("user_assigned_identity_id"));
        // Key Vault references: the platform resolves them, the code's SDK never reads it.
        assert!(!is_identity_selector("keyVaultReferenceIdentity"));
        assert!(!is_identity_selector("key_vault_reference_identity_id"));
        for k in [
            "acrUserManagedIdentityID",
            "keyVaultReferenceIdentity",
            "key_vault_reference_identity_id",
            "container_registry_managed_identity_client_id",
        ] {
            assert!(is_platform_identity_key(k), "{k}");
        }
        assert!(!is_platform_identity_key("AZURE_CLIENT_ID"));
        assert!(!is_identity_selector("AZURE_TENANT_ID"));
        assert!(!is_identity_selector("clientId"));
        // Image pull identities: the platform's, not the code's.
        assert!(!is_identity_selector("acrUserManagedIdentityID"));
        assert!(!is_identity_selector(
            "container_registry_managed_identity_client_id"
        ));
    }
}
