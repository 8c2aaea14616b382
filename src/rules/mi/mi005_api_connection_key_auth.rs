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
    absorbs: ["MI001"],
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

/// A managed connector that accepts the Logic App's managed identity (a row of
/// `rules/logic-connectors.tsv`). Third-party connectors (SendGrid, Twilio, FTP, ...) have no
/// identity option and are not flagged.
#[derive(Debug)]
pub struct Connector {
    pub name: &'static str,
    pub label: &'static str,
    /// A multi-authentication connector (`parameterValueSet` `managedIdentityAuth`); otherwise
    /// a single-authentication one (`parameterValueType: Alternative`).
    pub set: bool,
    /// The values the identity form requires, as written; `None` when unknown.
    pub values: Option<&'static str>,
}

/// The rows of `rules/logic-connectors.tsv`.
pub fn connectors() -> &'static [Connector] {
    static C: std::sync::OnceLock<Vec<Connector>> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        crate::table::Table::embedded(
            "rules/logic-connectors.tsv",
            include_str!("../../../rules/logic-connectors.tsv"),
        )
        .map_embedded(|c| {
            Ok(Connector {
                name: c.get("connector")?,
                label: c.get("label")?,
                set: match c.get("form")? {
                    "set" => true,
                    "alternative" => false,
                    other => return Err(format!("form `{other}`: `set` or `alternative`")),
                },
                values: c.opt("values")?,
            })
        })
    })
}

/// What to write instead of `parameterValues` for this connector, in the template's dialect.
fn identity_form(c: &Connector, tf: bool) -> String {
    let needs = |v: &str| {
        if v == "{}" {
            String::new()
        } else {
            format!(
                " (the {} connector needs these values with the identity)",
                c.label
            )
        }
    };
    let written = match (c.set, c.values) {
        (true, Some(v)) => format!(
            "`\"parameterValueSet\": {{ \"name\": \"managedIdentityAuth\", \"values\": {v} }}`{}",
            needs(v)
        ),
        (true, None) => format!(
            "`\"parameterValueSet\": {{ \"name\": \"managedIdentityAuth\", \"values\": {{...}} }}` \
             with the values the {} connector's managed identity form requires (see its \
             connector reference)",
            c.label
        ),
        (false, Some("{}")) => "`\"parameterValueType\": \"Alternative\"`".to_string(),
        (false, Some(v)) => format!(
            "`\"parameterValueType\": \"Alternative\", \"alternativeParameterValues\": {v}`{}",
            needs(v)
        ),
        (false, None) => format!(
            "`\"parameterValueType\": \"Alternative\"` with the `alternativeParameterValues` \
             the {} connector requires (see its connector reference)",
            c.label
        ),
    };
    if tf {
        format!(
            "use the connector's managed identity form (azurerm's `azurerm_api_connection` cannot \
             write it: deploy the connection through azapi or ARM with {written}) and grant the \
             Logic App's identity a role on the target"
        )
    } else {
        format!(
            "replace `parameterValues` with {written} and grant the Logic App's identity a role \
             on the target"
        )
    }
}

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
            let Some(connector) = api_id
                .and_then(|a| connector_name(cx, a))
                .and_then(|n| connectors().iter().find(|c| c.name == n))
            else {
                continue;
            };
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
                let help = identity_form(connector, tf);
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

    /// The advice is the connector's own identity form from `rules/logic-connectors.tsv`: Service
    /// Bus and Event Hubs need `namespaceEndpoint`, Blob needs no values (ARM, Bicep);
    /// Terraform is told to deploy the form through azapi or ARM.
    #[test]
    fn advice_is_the_connectors_identity_form() {
        let help = |rel: &str| -> Vec<((usize, usize), String)> {
            crate::testing::scan_fixture(rel)
                .findings
                .iter()
                .filter(|f| f.rule.id == "MI005")
                .map(|f| {
                    (
                        (f.start.line, f.start.column),
                        f.help.clone().unwrap_or_default(),
                    )
                })
                .collect()
        };
        let arm = help("testdata/MI005/fire/azuredeploy.json");
        assert!(arm[0].1.contains("\"values\": {} }"), "{}", arm[0].1);
        assert!(!arm[0].1.contains("namespaceEndpoint"), "{}", arm[0].1);
        assert!(arm[1].1.contains("namespaceEndpoint"), "{}", arm[1].1);
        let bicep = help("testdata/MI005/fire/connectors.bicep");
        assert_eq!(
            bicep.iter().map(|(at, _)| *at).collect::<Vec<_>>(),
            vec![(15, 7), (28, 7)]
        );
        for (_, h) in &bicep {
            assert!(
                h.contains("managedIdentityAuth") && h.contains("namespaceEndpoint"),
                "{h}"
            );
        }
        let tf = help("testdata/MI005/fire/main.tf");
        assert!(tf[0].1.contains("through azapi or ARM"), "{}", tf[0].1);
    }

    #[test]
    fn connector_catalog_loads() {
        let names: Vec<&str> = super::connectors().iter().map(|c| c.name).collect();
        assert!(names.contains(&"servicebus") && names.contains(&"keyvault"));
    }

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
