//! MI001 missing-managed-identity: an identity-capable resource that calls other services declares
//! no managed identity, so whatever it calls must be reached with keys or passwords.

use std::collections::HashMap;

use crate::analysis::identity::{
    capable, credential_setting, name_key, names_identity_host, workflow_calls_identity_service,
    ResourceLinks,
};
use crate::analysis::resolve::{Resolver, Value};
use crate::finding::{Finding, Severity};
use crate::fix::offer::add_system_identity;
use crate::ir::{
    Dialect, Document, Expr, Identity, Node, NodeKind, PathStep, Resource, SettingSource,
};
use crate::rules::props::api_date;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct MissingManagedIdentity;
    id: "MI001",
    name: "missing-managed-identity",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "An identity-capable resource declares no managed identity (an error when it also carries keys or passwords in its settings).",
}

/// An identity written as an expression or without a type, when every value it resolves to is no
/// identity: `"identity": {}`, a type whose every value (a parameter default, both sides of a
/// conditional) is `None`, or `null`. `None` when any value is unknown or declares an identity.
fn resolved_no_identity(doc: &Document, r: &Resource) -> Option<String> {
    let rs = Resolver::new(doc, r.template);
    let identities: Vec<_> = rs
        .node(&r.body)
        .iter()
        .flat_map(|b| rs.member(b, "identity"))
        .collect();
    if identities.is_empty() {
        return None;
    }
    let mut param = None;
    let mut empty = false;
    for id in &identities {
        match &id.value {
            Value::Const(Expr::Null) => continue,
            Value::Node(n) if matches!(n.kind, NodeKind::Null) => continue,
            Value::Node(n) if matches!(&n.kind, NodeKind::Map(e) if e.is_empty()) => {
                empty = true;
                continue;
            }
            _ => {}
        }
        let types = rs.member(id, "type");
        if types.is_empty() {
            return None;
        }
        for t in &types {
            // (`None` is a value here, although a bare `none` reads as a stand-in elsewhere.)
            let text = match &t.value {
                Value::Node(n) => n.as_text().map(str::to_string),
                _ => t.text(),
            }?;
            if !text
                .split(',')
                .all(|p| p.trim().is_empty() || p.trim().eq_ignore_ascii_case("none"))
            {
                return None;
            }
            param = param.or_else(|| t.param().map(str::to_string));
        }
    }
    Some(match (param, empty) {
        (Some(p), _) => {
            let source = doc.param_value_source(r.template, &p);
            format!("sets its identity type to `None` ({source} parameter `{p}`)")
        }
        (None, true) => "declares an empty identity (`{}`: no managed identity)".to_string(),
        (None, false) => "sets its identity to no identity".to_string(),
    })
}

impl Rule for MissingManagedIdentity {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let links = ResourceLinks::new(cx.doc);
        let mut callers: Option<Callers> = None;
        for (i, r) in cx.doc.resources.iter().enumerate() {
            if cx.out_of_time() {
                break;
            }
            if r.existing {
                continue;
            }
            let Some(cap) = capable(r) else {
                continue;
            };
            if cap.needs_call_evidence && !workflow_calls_identity_service(cx.doc, r) {
                continue;
            }
            // A later module deploys the same resource by name (the AVM pattern of a bare
            // resource configured afterwards): Azure ends with the module's configuration.
            let redeploy = crate::rules::props::later_redeploy(cx, r);
            if redeploy.is_some_and(|m| {
                m.args.iter().any(|a| {
                    a.key.eq_ignore_ascii_case("managedIdentities")
                        || a.key.eq_ignore_ascii_case("identity")
                })
            }) {
                continue;
            }
            let how = match &r.identity {
                Identity::Absent => "declares no managed identity".to_string(),
                Identity::None { .. } => "sets its identity type to `None`".to_string(),
                Identity::Dynamic { .. } => match resolved_no_identity(cx.doc, r) {
                    Some(how) => how,
                    None => continue,
                },
                Identity::Declared { .. } => continue,
            };
            let tf = r.dialect == Dialect::Terraform;
            let fix = if tf {
                "add `identity { type = \"SystemAssigned\" }` (or a user-assigned identity) and grant it a data-plane role on what it calls"
            } else {
                "add `\"identity\": { \"type\": \"SystemAssigned\" }` (or a user-assigned identity) and grant it a data-plane role on what it calls"
            };
            let settings = links.resource_settings(i);
            let mut creds: Vec<(String, &str)> = settings
                .iter()
                .filter_map(|s| credential_setting(s).map(|why| (s.name.clone(), why)))
                .collect();
            // Name a setting that has an identity-based form first: `AzureWebJobsDashboard`
            // (legacy) and the Azure Files content share have none.
            creds.sort_by_key(|(name, _)| no_identity_form(name).is_some());
            let what = if tf {
                format!("{} `{}`", cap.label, r.symbol.as_deref().unwrap_or(&r.name))
            } else {
                cap.label.to_string()
            };
            let evidence = if cap.needs_key_evidence {
                match links.key_evidence(i) {
                    Some(e) => Some(e),
                    // Nothing shows it calling another service with a key: not flagged.
                    None if creds.is_empty() => continue,
                    None => None,
                }
            } else {
                None
            };
            let mut f = Finding::new(&META, r.head_span, format!("{what} {how}"));
            let mut quiet = false;
            if cap.needs_seen_evidence && evidence.is_none() && creds.is_empty() {
                let callers = callers.get_or_insert_with(|| Callers::new(cx.doc));
                if !callers.calls_azure_service(&links, i, &settings) {
                    f.message = format!(
                        "{what} {how}; no call to an Azure service was seen in the deployment: \
                         an identity is hygiene for when it starts calling one"
                    );
                    f = f.severity(Severity::Note);
                    quiet = true;
                }
            }
            if let (Some(e), true) = (&evidence, creds.is_empty()) {
                // Name and locate the resource that holds the key when it is another one (an
                // extension, a Terraform resource referencing this one).
                let holder = match e.other.and_then(|j| cx.doc.resources.get(j)) {
                    Some(o) => {
                        let (line, col) = cx.file.line_col(e.span.start);
                        let name =
                            crate::finding::shown_name(o.symbol.as_deref().unwrap_or(&o.name));
                        // Terraform symbols carry their type (`azurerm_x.name`)
                        if o.dialect == Dialect::Terraform {
                            format!("in `{name}` at line {line}, column {col}")
                        } else {
                            format!("in {} `{name}` at line {line}, column {col}", o.azure_type)
                        }
                    }
                    None => "in its own properties".to_string(),
                };
                f.message = format!("{what} {how} and uses a key instead: `{}` {holder}", e.key);
                f = f.severity(Severity::Error).evidence(e.key.clone());
            }
            if let Some((name, why)) = creds.first() {
                f.message = format!(
                    "{what} {how} and authenticates with keys instead: setting `{name}` holds {why}{}",
                    if creds.len() > 1 {
                        format!(" (and {} more)", creds.len() - 1)
                    } else {
                        String::new()
                    }
                );
                f = f.severity(Severity::Error).evidence(name.clone());
            }
            // A resource whose name comes from an `existing…` parameter or variable is one the
            // template updates, not creates: an identity belongs where it is created.
            let updates_existing = r.body.get("name").is_some_and(|n| {
                n.as_expr().is_some_and(|e| {
                    e.parameter_refs()
                        .into_iter()
                        .chain(e.variable_refs())
                        .any(|p| p.to_ascii_lowercase().starts_with("existing"))
                })
            });
            // An apiVersion older than the first one with `identity` (the catalog's `min_api`):
            // raise it first; no fix adds a property that version does not have.
            let old_api = r
                .body
                .get("apiVersion")
                .filter(|_| !tf)
                .and_then(|n| n.as_text())
                .filter(|v| api_date(v) < api_date(cap.min_api));
            // A container group in a virtual network through a network profile (the older way):
            // managed identity was not supported there.
            let vnet_profile = r.is_type("Microsoft.ContainerInstance/containerGroups")
                && r.body.path(&["properties", "networkProfile"]).is_some();
            let mut help = if quiet {
                format!(
                    "no setting, connection string, environment variable, named value, backend, \
                     mount, key or Key Vault reference in the deployment names an Azure service \
                     (a note, not a gate failure); before it calls one, {fix}"
                )
            } else {
                fix.to_string()
            };
            for (name, _) in &creds {
                if let Some(why) = no_identity_form(name) {
                    help.push_str(&format!("; `{name}` {why}"));
                }
            }
            if let Some(v) = old_functions_runtime(&settings) {
                help.push_str(&format!(
                    "; the app runs Functions `{v}`, and identity-based connections \
                     (`AzureWebJobsStorage__accountName`, `<Connection>__fullyQualifiedNamespace`) \
                     need runtime `~4`: upgrade `FUNCTIONS_EXTENSION_VERSION` to `~4` first"
                ));
            }
            if let Some(v) = old_api {
                help = format!(
                    "`identity` needs apiVersion {} or later ({}) and this resource uses {v}: \
                     raise the apiVersion first (check the properties the newer version expects), \
                     then {help}",
                    cap.min_api, cap.label
                );
            }
            if vnet_profile {
                help.push_str(
                    "; a container group joined to a virtual network through `networkProfile` \
                     cannot have a managed identity: move it to `subnetIds` at a recent apiVersion \
                     first",
                );
            }
            if let Some(m) = redeploy {
                help.push_str(&format!(
                    "; `module {}` deploys this resource again by name and Azure ends with its \
                     configuration: give the identity in that module's arguments",
                    m.name
                ));
            }
            let identity_fix =
                if updates_existing || old_api.is_some() || vnet_profile || redeploy.is_some() {
                    None
                } else {
                    add_system_identity(&cx.file.text, cx.format, r)
                };
            out.push(f.help(help).with_fix(identity_fix));
        }
    }
}

/// Resource-type namespaces (ARM) and azurerm type prefixes (Terraform) of services a caller
/// reaches over their data plane (and that accept Microsoft Entra tokens): a reference to one from
/// a setting, environment variable, named value or backend is a call.
const CALLED_ARM: &[&str] = &[
    "microsoft.storage/",
    "microsoft.keyvault/",
    "microsoft.servicebus/",
    "microsoft.eventhub/",
    "microsoft.documentdb/",
    "microsoft.sql/",
    "microsoft.cache/",
    "microsoft.cognitiveservices/",
    "microsoft.containerregistry/",
    "microsoft.appconfiguration/",
    "microsoft.insights/components",
    "microsoft.dbforpostgresql/",
    "microsoft.dbformysql/",
    "microsoft.signalrservice/",
    "microsoft.eventgrid/",
    "microsoft.search/",
    "microsoft.kusto/",
    "microsoft.datalakestore/",
    "microsoft.operationalinsights/",
];
const CALLED_AZURERM: &[&str] = &[
    "azurerm_storage_",
    "azurerm_key_vault",
    "azurerm_servicebus_",
    "azurerm_eventhub",
    "azurerm_cosmosdb_",
    "azurerm_mssql_",
    "azurerm_sql_",
    "azurerm_redis_",
    "azurerm_cognitive_",
    "azurerm_ai_services",
    "azurerm_container_registry",
    "azurerm_app_configuration",
    "azurerm_application_insights",
    "azurerm_postgresql_",
    "azurerm_mysql_",
    "azurerm_signalr",
    "azurerm_eventgrid_",
    "azurerm_search_",
    "azurerm_kusto_",
    "azurerm_log_analytics_",
];
/// Member or attribute names that carry a service's address or credential (`primaryEndpoints`,
/// `vaultUri`, `InstrumentationKey`, `primary_connection_string`, `login_server`), lowercased
/// without `_`.
const CALLED_MEMBERS: &[&str] = &[
    "endpoint",
    "connectionstring",
    "instrumentationkey",
    "vaulturi",
    "fullyqualifieddomainname",
    "loginserver",
    "accesskey",
];
/// Setting names (lowercased) that name a service: the Functions identity-based forms, the host
/// storage, Application Insights.
const CALLED_SETTINGS: &[&str] = &[
    "__accountname",
    "__fullyqualifiednamespace",
    "__serviceuri",
    "__blobserviceuri",
    "__queueserviceuri",
    "__tableserviceuri",
    "__credential",
    "__clientid",
    "azurewebjobsstorage",
    "applicationinsights_connection_string",
    "appinsights_instrumentationkey",
];
/// Property names (lowercased, without `_`) that hand a resource a service to call: a Key Vault
/// (certificates, named values, secrets), an Azure Files or Storage mount.
const CALLED_KEYS: &[&str] = &[
    "keyvault",
    "secretidentifier",
    "azurefile",
    "azurestorageaccounts",
    "storageaccount",
    "storageaccountname",
];
/// Paths that name the resource's own host or only order the deployment.
const NOT_CALLS: &[&str] = &[
    "hostNameSslStates",
    "hostNames",
    "dependsOn",
    "depends_on",
    "tags",
];

/// The evidence that a resource calls an Azure service, in one place (MI001's page lists it):
/// its settings (app settings, connection strings) and, in its body, its child resources (ARM
/// `type/child` by parent or name: named values, backends, APIs, linked services, inputs,
/// outputs) and, in Terraform, the resources of its family that reference it
/// (`azurerm_api_management_named_value`, `azurerm_app_service_connection`):
/// - any connection string; a setting named for a service (`AzureWebJobsStorage`,
///   `…__accountName`, `…__fullyQualifiedNamespace`, Application Insights);
/// - a value naming an Azure data-plane host (`.vault.azure.net`, `.core.windows.net`,
///   `.servicebus.windows.net`…), a Key Vault reference (`@Microsoft.KeyVault(…)`), a `list*()`
///   call, `environment().suffixes`, a reference to a storage account, key vault, Service Bus,
///   Event Hubs, Cosmos DB, SQL, Redis, Cognitive Services, registry, App Configuration,
///   Application Insights… resource or to its endpoint, key or connection string;
/// - a property handing it a Key Vault (`keyVaultId`, `secretIdentifier`) or a storage mount
///   (`azureFile`, `azureStorageAccounts`, `storage_account_name`);
/// - an Automation runbook (ARM child `runbooks`, `azurerm_automation_runbook`).
struct Callers<'d> {
    doc: &'d Document,
    /// Per resource: its child resources (ARM `parent`, and top-level `type/child` resources of
    /// the same template whose name starts with its name).
    children: Vec<Vec<usize>>,
    /// Bicep symbol → lowercased ARM type.
    symbols: HashMap<&'d str, String>,
}

impl<'d> Callers<'d> {
    fn new(doc: &'d Document) -> Self {
        let n = doc.resources.len();
        let mut children = vec![Vec::new(); n];
        let mut by_name: HashMap<(usize, String), Vec<usize>> = HashMap::new();
        let mut keys = Vec::with_capacity(n);
        let mut symbols = HashMap::new();
        for (i, r) in doc.resources.iter().enumerate() {
            if let Some(s) = r.symbol.as_deref() {
                symbols.insert(s, r.azure_type.to_ascii_lowercase());
            }
            let key = name_key(&r.body);
            match r.parent {
                Some(p) => {
                    if let Some(v) = children.get_mut(p) {
                        v.push(i);
                    }
                }
                None => {
                    if let Some(k) = key.as_ref().filter(|k| k.len() > 1) {
                        by_name
                            .entry((r.template, k[0].clone()))
                            .or_default()
                            .push(i);
                    }
                }
            }
            keys.push(key);
        }
        for (i, r) in doc.resources.iter().enumerate() {
            let Some(first) = keys[i].as_ref().and_then(|k| k.first()) else {
                continue;
            };
            let prefix = format!("{}/", r.azure_type.to_ascii_lowercase());
            if let Some(v) = by_name.get(&(r.template, first.clone())) {
                children[i].extend(v.iter().copied().filter(|&c| {
                    c != i
                        && doc.resources[c]
                            .azure_type
                            .to_ascii_lowercase()
                            .starts_with(&prefix)
                }));
            }
        }
        Callers {
            doc,
            children,
            symbols,
        }
    }

    fn calls_azure_service(
        &self,
        links: &ResourceLinks,
        index: usize,
        settings: &[&crate::ir::Setting],
    ) -> bool {
        let Some(r) = self.doc.resources.get(index) else {
            return false;
        };
        for s in settings {
            if matches!(s.source, SettingSource::ResourceConnectionString(_)) {
                return true;
            }
            let name = s.name.to_ascii_lowercase();
            if CALLED_SETTINGS.iter().any(|c| name.contains(c))
                || self.node_calls(r.template, &s.value, 0)
            {
                return true;
            }
        }
        let mut bodies: Vec<&Resource> = vec![r];
        for &c in self.children.get(index).into_iter().flatten() {
            let child = &self.doc.resources[c];
            let ty = child.azure_type.to_ascii_lowercase();
            // The platform's own deployment and host names are not the app calling a service.
            // A runbook is code that runs to manage Azure: its Automation account calls Azure.
            if ty.ends_with("/runbooks") {
                return true;
            }
            if !["/extensions", "/sourcecontrols", "/hostnamebindings"]
                .iter()
                .any(|t| ty.ends_with(t))
            {
                bodies.push(child);
            }
        }
        if r.dialect == Dialect::Terraform {
            let family = r
                .source_type
                .trim_start_matches("azurerm_")
                .trim_start_matches("linux_")
                .trim_start_matches("windows_")
                .split('_')
                .next()
                .unwrap_or("");
            if let Some(symbol) = r.symbol.as_deref().filter(|s| !s.is_empty()) {
                for &o in links.referrers(symbol) {
                    let other = &self.doc.resources[o];
                    let t = other.source_type.trim_start_matches("azurerm_");
                    if o != index && t == "automation_runbook" {
                        return true;
                    }
                    if o != index
                        && (t.ends_with("_connection")
                            || (!family.is_empty() && t.starts_with(family)))
                    {
                        bodies.push(other);
                    }
                }
            }
        }
        bodies.iter().any(|b| self.body_calls(b.template, &b.body))
    }

    fn body_calls(&self, template: usize, body: &Node) -> bool {
        let mut found = false;
        body.walk(&mut |path, n| {
            if found {
                return;
            }
            if path.0.iter().any(|s| {
                matches!(s, PathStep::Key(e) if NOT_CALLS.iter().any(|c| e.key.eq_ignore_ascii_case(c)))
            }) {
                return;
            }
            if let Some(k) = path.last_key() {
                let k = squash(k);
                if CALLED_KEYS.iter().any(|c| k.contains(c)) && !matches!(n.kind, NodeKind::Null)
                {
                    found = true;
                    return;
                }
            }
            found = self.value_calls(template, n, 0);
        });
        found
    }

    /// A value (walked) naming a service host, a Key Vault reference, or an expression reaching
    /// a service ([`Callers::expr_calls`]).
    fn node_calls(&self, template: usize, node: &Node, depth: u8) -> bool {
        let mut found = false;
        node.walk(&mut |_, n| {
            if !found {
                found = self.value_calls(template, n, depth);
            }
        });
        found
    }

    fn value_calls(&self, template: usize, n: &Node, depth: u8) -> bool {
        match n.as_expr() {
            Some(e) => self.expr_calls(template, e, depth),
            None => n.as_literal().is_some_and(names_identity_host),
        }
    }

    /// An expression reaching a service: a host or a data-service resource type in a string, a
    /// `list*()` call or `environment()`, a reference to a data-service resource or to an
    /// endpoint, key or connection string attribute, a parameter named for one
    /// (`storageAccountName`), or a variable whose value does (followed three deep).
    fn expr_calls(&self, template: usize, e: &Expr, depth: u8) -> bool {
        // App settings written as `createObject('name', 'X', 'value', …)` pairs: a credential or a
        // service's setting name is a call, as the same `{ name, value }` item is.
        if crate::analysis::exposure::name_value_pairs(e)
            .iter()
            .any(|(k, _)| {
                let l = k.to_ascii_lowercase();
                crate::analysis::names::secret_key_kind(k).is_some()
                    || CALLED_SETTINGS.iter().any(|c| l.contains(c))
            })
        {
            return true;
        }
        let mut found = false;
        e.walk(&mut |x| {
            if found {
                return;
            }
            found = match x {
                Expr::Str(s) => {
                    let l = s.to_ascii_lowercase();
                    names_identity_host(s) || CALLED_ARM.iter().any(|c| l.starts_with(c))
                }
                Expr::Call { name, .. } => {
                    let n = name.to_ascii_lowercase();
                    n.starts_with("list") || n == "environment"
                }
                Expr::Member { name, .. } => called_member(name),
                Expr::Resource { address, path } => {
                    CALLED_AZURERM.iter().any(|c| address.starts_with(c))
                        || self.symbol_called(address)
                        || path.iter().any(|p| called_member(p))
                }
                Expr::Ref(path) => {
                    path.first().is_some_and(|s| self.symbol_called(s))
                        || path.iter().any(|p| called_member(p))
                }
                Expr::Param(p) => called_name(p),
                Expr::Var(v) | Expr::Local(v) => {
                    called_name(v)
                        || (depth < 3
                            && self.doc.var(template, v).is_some_and(|var| {
                                self.node_calls(template, &var.value, depth + 1)
                            }))
                }
                _ => false,
            };
        });
        found
    }

    fn symbol_called(&self, symbol: &str) -> bool {
        self.symbols
            .get(symbol)
            .is_some_and(|t| CALLED_ARM.iter().any(|c| t.starts_with(c)))
    }
}

fn squash(k: &str) -> String {
    k.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parameter and variable names (squashed) that name a service's account, address or credential.
const CALLED_NAMES: &[&str] = &[
    "storageaccount",
    "keyvault",
    "vaulturi",
    "servicebus",
    "eventhub",
    "cosmos",
    "connectionstring",
    "instrumentationkey",
    "appinsights",
    "applicationinsights",
    "redis",
    "sql",
    "database",
];

fn called_name(name: &str) -> bool {
    let n = squash(name);
    CALLED_NAMES.iter().any(|c| n.contains(c))
}

fn called_member(name: &str) -> bool {
    let n = squash(name);
    CALLED_MEMBERS.iter().any(|c| n.contains(c))
}

/// Why a Functions / App Service setting has no identity-based form, for settings that hold a
/// key but cannot move to an identity.
fn no_identity_form(name: &str) -> Option<&'static str> {
    if name.eq_ignore_ascii_case("AzureWebJobsDashboard") {
        Some(
            "is a legacy setting with no identity-based form (the Functions dashboard is retired): \
             remove it and use Application Insights",
        )
    } else if name.eq_ignore_ascii_case("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING") {
        Some(
            "is the Azure Files content share, which has no identity-based connection: keep it \
             in a Key Vault reference",
        )
    } else {
        None
    }
}

/// The `FUNCTIONS_EXTENSION_VERSION` of an app when it is older than `~4` (`~1`, `~2`, `~3`):
/// identity-based connections need Functions 4.x.
fn old_functions_runtime<'a>(settings: &[&'a crate::ir::Setting]) -> Option<&'a str> {
    settings
        .iter()
        .filter(|s| s.name.eq_ignore_ascii_case("FUNCTIONS_EXTENSION_VERSION"))
        .find_map(|s| s.value.as_text())
        .filter(|v| matches!(v.trim(), "~1" | "~2" | "~3" | "1" | "2" | "3"))
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings};

    /// An apiVersion older than the first with `identity` (the catalog's `min_api`): the help
    /// says to raise it first and no fix adds a property that version does not have; a current
    /// apiVersion gets the fix (ARM and Bicep; Terraform has no apiVersion).
    #[test]
    fn old_api_versions_are_told_to_raise_first_and_get_no_fix() {
        for (rel, expect) in [
            (
                "testdata/MI001/fire/old-api.json",
                vec![(6, 15, false), (11, 15, false), (16, 15, true)],
            ),
            (
                "testdata/MI001/fire/old-api.bicep",
                vec![(1, 1, false), (9, 1, true)],
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let got: Vec<(usize, usize, bool)> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == "MI001")
                .map(|f| (f.start.line, f.start.column, f.fix.is_some()))
                .collect();
            assert_eq!(got, expect, "{rel}");
            let old = report
                .findings
                .iter()
                .find(|f| f.rule.id == "MI001" && f.fix.is_none())
                .unwrap();
            assert!(
                old.help.as_deref().unwrap_or("").contains(
                    "`identity` needs apiVersion 2020-01-13-preview or later (Automation account) \
                     and this resource uses 2015-10-31: raise the apiVersion first"
                ),
                "{rel}: {:?}",
                old.help
            );
        }
    }

    /// A Function App whose settings hold keys: the message names `AzureWebJobsStorage` (which
    /// has an identity-based form), not the legacy `AzureWebJobsDashboard`, which the help says
    /// to remove; on runtime `~1`..`~3` the help says to upgrade to `~4` first (ARM and Bicep).
    #[test]
    fn function_app_names_the_movable_setting_and_the_runtime() {
        for (rel, at, version) in [
            (
                "testdata/MI001/fire/function-legacy.json",
                (10, 15),
                Some("~3"),
            ),
            ("testdata/MI001/fire/function-legacy.json", (26, 15), None),
            (
                "testdata/MI001/fire/function-legacy.bicep",
                (5, 1),
                Some("~2"),
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule.id == "MI001" && (f.start.line, f.start.column) == at)
                .unwrap_or_else(|| panic!("{rel}: no MI001 at {at:?}"));
            assert!(
                f.message.contains("setting `AzureWebJobsStorage`"),
                "{rel}: {}",
                f.message
            );
            let help = f.help.as_deref().unwrap_or("");
            match version {
                Some(v) => {
                    assert!(
                        help.contains("`AzureWebJobsDashboard` is a legacy setting")
                            && help.contains("remove it"),
                        "{rel}: {help}"
                    );
                    assert!(
                        help.contains(&format!("runs Functions `{v}`"))
                            && help.contains("upgrade `FUNCTIONS_EXTENSION_VERSION` to `~4` first"),
                        "{rel}: {help}"
                    );
                }
                None => assert!(!help.contains("upgrade"), "{rel}: {help}"),
            }
        }
    }

    /// The page says which types are flagged only when a key is in use, and the catalog does
    /// exactly that.
    #[test]
    fn page_and_catalog_agree_on_key_evidence_types() {
        let doc = super::META.doc.replace('\n', " ");
        let marker = "Flagged only when a key is in use (the catalog's `keys` rows): ";
        let start = doc.find(marker).expect("MI001 page lists the `keys` rows") + marker.len();
        let list = &doc[start..start + doc[start..].find('.').unwrap_or(0)];
        let mut on_page: Vec<&str> = list.split(", ").map(str::trim).collect();
        let mut in_catalog: Vec<&str> = crate::analysis::identity::catalog()
            .iter()
            .filter(|c| c.needs_key_evidence)
            .map(|c| c.label)
            .collect();
        on_page.sort_unstable();
        in_catalog.sort_unstable();
        in_catalog.dedup();
        assert_eq!(on_page, in_catalog);
    }

    /// An error raised because another resource holds the key names and locates it, in ARM,
    /// Bicep and Terraform.
    #[test]
    fn key_in_another_resource_is_named_and_located() {
        for (rel, at, holder) in [
            (
                "testdata/MI001/fire/vm-extension.json",
                (10, 15),
                "`storageAccountKey` in Microsoft.Compute/virtualMachines/extensions \
                 `[concat(parameters('vmName'), '/CustomScript')]` at line 27, column 32",
            ),
            (
                "testdata/MI001/fire/vm-extension.bicep",
                (7, 1),
                "`storageAccountKey` in Microsoft.Compute/virtualMachines/extensions `script` at \
                 line 23, column 26",
            ),
            (
                "testdata/MI001/fire/main.tf",
                (17, 1),
                "`protected_settings` in `azurerm_virtual_machine_extension.script` at line 24, \
                 column 24",
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule.id == "MI001" && (f.start.line, f.start.column) == at)
                .unwrap_or_else(|| panic!("{rel}: no MI001 at {at:?}"));
            assert_eq!(f.severity, crate::finding::Severity::Error);
            assert!(f.message.ends_with(holder), "{rel}: {}", f.message);
        }
    }

    /// A Logic App (Consumption) workflow is flagged only when its definition calls a service
    /// that accepts an identity (ARM, connectors, Key Vault over HTTP), in ARM, Bicep and
    /// Terraform; one with only a request trigger or HTTP calls to arbitrary URLs is not.
    #[test]
    fn logic_apps_only_when_they_call_an_identity_service() {
        assert_eq!(
            hits("testdata/MI001/fire/logic-app.json", "MI001"),
            vec![(6, 15), (32, 15)]
        );
        assert_eq!(
            hits("testdata/MI001/fire/logic-app.bicep", "MI001"),
            vec![(2, 1)]
        );
        assert_eq!(
            hits("testdata/MI001/fire/logic-app.tf", "MI001"),
            vec![(2, 1)]
        );
        for silent in ["logic-app.json", "logic-app.tf"] {
            assert!(
                hits(&format!("testdata/MI001/silent/{silent}"), "MI001").is_empty(),
                "{silent}"
            );
        }
    }

    /// A resource that nothing in the deployment shows calling an Azure service (a web app
    /// with only a runtime setting, an API Management service with no named value or backend, a
    /// container group with a plain environment) is a note that says so; one whose setting,
    /// environment variable or named value names a service (Key Vault, Service Bus, Application
    /// Insights), or an Automation account with a runbook, stays a warning, in ARM, Bicep and
    /// Terraform.
    #[test]
    fn resources_that_call_nothing_are_notes() {
        use crate::finding::Severity::{Note, Warning};
        for (rel, expect) in [
            (
                "testdata/MI001/fire/callers.json",
                vec![
                    (9, 15, Note),
                    (21, 15, Warning),
                    (33, 15, Note),
                    (40, 15, Warning),
                    (58, 15, Note),
                    (76, 15, Warning),
                    (94, 15, Note),
                    (101, 15, Warning),
                ],
            ),
            (
                "testdata/MI001/fire/callers.bicep",
                vec![
                    (3, 1, Note),
                    (22, 1, Warning),
                    (34, 1, Note),
                    (41, 1, Warning),
                ],
            ),
            (
                "testdata/MI001/fire/callers.tf",
                vec![
                    (1, 1, Note),
                    (17, 1, Warning),
                    (28, 1, Note),
                    (37, 1, Warning),
                    (57, 1, Note),
                    (70, 1, Warning),
                ],
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let got: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == "MI001")
                .map(|f| (f.start.line, f.start.column, f.severity))
                .collect();
            assert_eq!(got, expect, "{rel}");
            for f in report.findings.iter().filter(|f| f.rule.id == "MI001") {
                let quiet = f.message.contains("no call to an Azure service was seen");
                assert_eq!(quiet, f.severity == Note, "{rel}: {}", f.message);
                if quiet {
                    assert!(f.message.contains("hygiene"), "{}", f.message);
                }
            }
        }
    }

    /// A resource named by an `existing…` parameter is one the template updates: reported, but
    /// no fix adds an identity to it.
    #[test]
    fn no_identity_fix_on_a_resource_the_template_updates() {
        let report = crate::testing::scan_fixture("testdata/MI001/fire/existing-app.json");
        let f: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.id == "MI001")
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (9, 15));
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn error_when_settings_carry_keys() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI001/fire/azuredeploy.json"
        ))
        .unwrap();
        let f = text_findings("azuredeploy.json", &text, "MI001");
        // A bare web app that calls nothing: a note.
        assert_eq!(f[0].severity, crate::finding::Severity::Note);
        assert_eq!(f[1].severity, crate::finding::Severity::Error);
        assert!(
            f[1].message.contains("AzureWebJobsStorage"),
            "{}",
            f[1].message
        );
        assert!(!f[1].message.contains("AccountKey=abc"));
        assert!(f[2].message.contains("`None`"));
        assert_eq!(f[3].severity, crate::finding::Severity::Error);
        assert!(
            f[3].message.contains("storageAccountKey"),
            "{}",
            f[3].message
        );
    }

    /// Past the per-file deadline the rule stops where it is and says so through the context;
    /// the scan then names it in INPUT011.
    #[test]
    fn stops_at_the_deadline() {
        use crate::rules::{Context, Rule};
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI001/fire/azuredeploy.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let file = crate::source::SourceFile::new(
            path.into(),
            "azuredeploy.json".into(),
            text,
            crate::source::Format::Json,
        );
        let parsed = crate::parse::parse(&file);
        let settings = crate::rules::Settings::default();
        let run = |cx: &Context| {
            let mut out = Vec::new();
            super::MissingManagedIdentity.check(cx, &mut out);
            out.len()
        };
        let cx = Context::new(&file, parsed.format, &parsed.doc, settings);
        assert_eq!(run(&cx), 4);
        assert!(!cx.was_late());
        let far = std::time::Instant::now() + std::time::Duration::from_secs(3600);
        let cx = Context::new(&file, parsed.format, &parsed.doc, settings).with_deadline(far);
        assert_eq!(run(&cx), 4);
        assert!(!cx.was_late());
        let past = std::time::Instant::now();
        let cx = Context::new(&file, parsed.format, &parsed.doc, settings).with_deadline(past);
        assert_eq!(run(&cx), 0);
        assert!(cx.was_late());
    }
}
