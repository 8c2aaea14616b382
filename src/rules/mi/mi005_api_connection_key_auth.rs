//! MI005 api-connection-key-auth: a Logic Apps API connection (`Microsoft.Web/connections`,
//! `azurerm_api_connection`) configured with a username/password, key or connection string in
//! `parameterValues` instead of the managed identity parameter set.

use crate::finding::Finding;
use crate::ir::{Dialect, Expr, Node, NodeKind};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct ApiConnectionKeyAuth;
    id: "MI005",
    name: "api-connection-key-auth",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "A Logic Apps API connection authenticates with a password, key or connection string instead of the managed identity parameter set.",
}

/// Parameter names that carry a credential in connector parameter values.
fn is_credential_parameter(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let n = n.rsplit(':').next().unwrap_or(&n);
    [
        "password",
        "accountkey",
        "accesskey",
        "sharedkey",
        "apikey",
        "api_key",
        "connectionstring",
        "sastoken",
        "clientsecret",
        "secret",
        "primarykey",
        "masterkey",
        "token",
    ]
    .iter()
    .any(|w| n.contains(w))
        && !n.contains("tokenaudience")
        && !n.contains("resourceuri")
}

/// Managed connectors that accept the Logic App's managed identity. Third-party connectors
/// (SendGrid, Twilio, FTP, ...) have no identity option and are not flagged.
const MI_CONNECTORS: [&str; 14] = [
    "azureblob",
    "azuretables",
    "azurequeues",
    "azurefile",
    "servicebus",
    "eventhubs",
    "keyvault",
    "sql",
    "documentdb",
    "azureeventgrid",
    "azuredatafactory",
    "azureautomation",
    "azuremonitorlogs",
    "arm",
];

/// The managed API a connection uses, from `properties.api.id` (ARM) or `managed_api_id`
/// (Terraform: a literal id or `data.azurerm_managed_api.x.id` whose `name` is literal).
fn connector_name(cx: &Context, api_id: &Node) -> Option<String> {
    fn tail(s: &str) -> Option<String> {
        let lower = s.to_ascii_lowercase();
        let idx = lower.rfind("managedapis/")?;
        let t: String = lower[idx + "managedapis/".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!t.is_empty()).then_some(t)
    }
    if let Some(lit) = api_id.as_literal() {
        return tail(lit);
    }
    let e = api_id.as_expr()?;
    // A managed API the document reads (`data.azurerm_managed_api.x.id`): its name.
    for (address, _) in e.resource_refs() {
        if let Some((_, res)) = cx.doc.resource_by_symbol(address) {
            if res.is_type("Microsoft.Web/locations/managedApis") {
                return res
                    .body
                    .get("name")?
                    .as_literal()
                    .map(str::to_ascii_lowercase);
            }
        }
    }
    // The last literal piece: `subscriptionResourceId('Microsoft.Web/locations/managedApis',
    // parameters('location'), 'azureblob')`, `concat(..., '/managedApis/azureblob')`.
    let mut last = None;
    e.walk(&mut |x| {
        if let Expr::Str(s) = x {
            last = Some(s.clone());
        }
    });
    let last = last?;
    tail(&last).or_else(|| (!last.contains('/')).then(|| last.to_ascii_lowercase()))
}

impl Rule for ApiConnectionKeyAuth {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for r in cx.doc.resources.iter().filter(|r| !r.existing) {
            if !r.is_type("Microsoft.Web/connections") {
                continue;
            }
            let tf = r.dialect == Dialect::Terraform;
            let values: Option<&Node> = if tf {
                r.body.get("parameter_values")
            } else {
                // A managed identity parameter set wins.
                let set = r
                    .properties()
                    .and_then(|p| p.path(&["parameterValueSet", "name"]))
                    .and_then(Node::as_literal);
                if set.is_some_and(|s| s.to_ascii_lowercase().contains("managedidentity")) {
                    continue;
                }
                r.properties().and_then(|p| p.get("parameterValues"))
            };
            let Some(values) = values else {
                continue;
            };
            // Windows authentication or an on-premises data gateway: a SQL Server (or file
            // share) reached through the gateway, where the Logic App's managed identity cannot
            // sign in; the password is the KEY rules' question.
            let on_premises = values.entries().iter().any(|e| {
                let k = e.key.to_ascii_lowercase();
                k == "gateway"
                    || (k == "authtype"
                        && e.value
                            .as_text()
                            .is_some_and(|v| v.eq_ignore_ascii_case("windows")))
            });
            if on_premises {
                continue;
            }
            let api_id = if tf {
                r.body.get("managed_api_id")
            } else {
                r.properties().and_then(|p| p.path(&["api", "id"]))
            };
            match api_id.and_then(|a| connector_name(cx, a)) {
                Some(c) if MI_CONNECTORS.contains(&c.as_str()) => {}
                _ => continue,
            }
            for e in values.entries() {
                if !is_credential_parameter(&e.key) || matches!(e.value.kind, NodeKind::Null) {
                    continue;
                }
                // An empty or placeholder value configures nothing.
                if let Some(s) = e.value.as_str() {
                    if s.value.trim().is_empty() {
                        continue;
                    }
                }
                let help = if tf {
                    "use a connector that supports managed identity authentication (`parameter_value_set` is not in azurerm: deploy the connection with `parameterValueSet: { name: 'managedIdentityAuth' }` through azapi or ARM) and grant the Logic App's identity a role on the target"
                } else {
                    "replace `parameterValues` with `\"parameterValueSet\": { \"name\": \"managedIdentityAuth\", \"values\": {} }` and grant the Logic App's identity a role on the target"
                };
                out.push(
                    Finding::new(
                        &META,
                        e.key_span,
                        format!(
                            "API connection authenticates with `{}` instead of the Logic App's managed identity",
                            e.key
                        ),
                    )
                    .evidence(e.key.clone())
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn credential_parameter_names() {
        assert!(super::is_credential_parameter("accountKey"));
        assert!(super::is_credential_parameter("sqlConnectionString"));
        assert!(super::is_credential_parameter("password"));
        assert!(!super::is_credential_parameter("server"));
        assert!(!super::is_credential_parameter("username"));
        assert!(!super::is_credential_parameter("token:TenantId"));
    }
}
