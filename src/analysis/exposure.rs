//! Does a value hand out a secret? A `list*` credentials call (`listKeys`, `listSecrets`), a
//! secret-bearing attribute of a resource (`primary_access_key`, `kube_config_raw`,
//! `random_password.x.result`), or a secure or password-named parameter — followed through
//! variables and locals (member-aware) and through functions that pass their arguments on.

use crate::analysis::names::{is_secret_key, is_secret_name, Tier};
use crate::analysis::resolve::{Piece, Possible, Resolver, Value};
use crate::connstr::parse_pieces;
use crate::ir::{Address, Dialect, Document, Expr, Node, NodeKind};

/// Where a secret comes from, for messages (never the secret itself): what an output returns
/// (KEY005, [`secret_source`]) or what fills a connection string's key
/// ([`crate::analysis::connstr::secret_source`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `listKeys(...)` and other credential-returning list functions.
    ListCall(String),
    /// A secret-bearing attribute or property reference (`azurerm_storage_account.sa.primary_access_key`,
    /// `.primaryKey`).
    Attribute(String),
    /// A secure or password-named parameter (a template parameter or Terraform variable).
    Parameter(String),
    /// A template variable or Terraform local.
    Variable(String),
    /// Another expression.
    Expression,
    /// A Key Vault secret (`getSecret()`, a `reference.keyVault` value, the Key Vault secret data
    /// source): not key-based auth to report.
    KeyVault,
}

impl SecretSource {
    /// What an output does with the secret: `calls `listKeys()``, `reads `x.primary_access_key``.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::ListCall(f) => format!("calls `{f}()`"),
            SecretSource::Attribute(a) => format!("reads `{a}`"),
            SecretSource::Parameter(p) => format!("returns the secret parameter `{p}`"),
            SecretSource::Variable(v) => format!("returns the variable `{v}`"),
            SecretSource::Expression => "computes it".into(),
            SecretSource::KeyVault => "reads a Key Vault secret".into(),
        }
    }

    /// Where the secret comes from, as a noun: `` `listKeys()` ``, `the key attribute `x``.
    pub fn origin(&self) -> String {
        match self {
            SecretSource::ListCall(n) => format!("`{n}()`"),
            SecretSource::Attribute(a) => format!("the key attribute `{a}`"),
            SecretSource::Parameter(p) => format!("the parameter `{p}`"),
            SecretSource::Variable(v) => format!("the variable `{v}`"),
            SecretSource::Expression => "an expression".into(),
            SecretSource::KeyVault => "a Key Vault secret".into(),
        }
    }
}

/// Is the value at `span` the secret value of a Key Vault secret (`Microsoft.KeyVault/vaults/secrets`
/// `properties.value`, `azurerm_key_vault_secret` `value`)? Storing a key that must exist in Key
/// Vault is the recommended hand-off (KEY005's advice), so a key or connection string written there
/// is not reported (KEY007, CONN002); only a literal secret in the file still is (KEY001/KEY002).
/// The one place that decides a Key Vault secret is a safe sink.
pub fn in_key_vault_secret_value(doc: &Document, span: crate::source::Span) -> bool {
    key_vault_secret_values(doc).any(|v| v.contains(span))
}

/// The spans of the values of the document's Key Vault secrets ([`in_key_vault_secret_value`]),
/// for a rule that asks for many places of one document: collected once, not searched for each.
pub fn key_vault_secret_values(doc: &Document) -> impl Iterator<Item = crate::source::Span> + '_ {
    doc.resources
        .iter()
        .filter(|r| !r.existing && r.is_type("Microsoft.KeyVault/vaults/secrets"))
        .filter_map(|r| match r.dialect {
            Dialect::Terraform => r.body.get("value"),
            _ => r.properties().and_then(|p| p.get("value")),
        })
        .map(|v| v.span)
}

/// Words in a `list*` function name that make it return credentials.
const LIST_SECRET_WORDS: &[&str] = &[
    "key",
    "secret",
    "sas",
    "credential",
    "connectionstring",
    "password",
    "callbackurl",
    "token",
];

/// True for ARM/Bicep `list*` functions that return keys, secrets or credentials: `listKeys`,
/// `listSecrets`, `listCredentials`, `listConnectionStrings`, `listAdminKeys`, `listQueryKeys`,
/// `listAccountSas`, `listServiceSas`, `listCallbackUrl`, `listClusterAdminCredential`, ...
pub fn is_secret_list_function(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // `listKeyValue` reads an App Configuration value, not a key.
    lower.starts_with("list")
        && lower != "listkeyvalue"
        && LIST_SECRET_WORDS.iter().any(|w| lower[4..].contains(w))
}

/// What [`resource_key_source`] does not count as a key handed on: a webhook's callback URL (its
/// signature is how webhooks authenticate; nothing else can take its place) and domain
/// validation tokens (published in DNS).
fn is_wiring_not_key(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("listcallbackurl")
        || lower.ends_with("validation_token")
        || lower.ends_with("verification_id")
        || lower.ends_with("validationtoken")
}

/// True when a name says its value is public although it sounds secret (the `public-name` words
/// of `rules/stand-ins.tsv`): an Application Insights connection string or instrumentation key
/// identifies where telemetry goes and grants nothing; a domain validation token is published in
/// DNS: `applicationInsightsConnectionString`, `validationToken`.
pub fn is_public_value_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::ir::classify::stand_ins()
        .public_names
        .iter()
        .any(|w| lower.contains(w))
}

/// True when an attribute or property name holds a secret: `primary_access_key`,
/// `primary_connection_string`, `admin_password`, `kube_config_raw`, `primaryMasterKey`
/// ([`Tier::Attribute`]).
pub fn is_secret_attribute(name: &str) -> bool {
    !is_public_value_name(name) && is_secret_name(name, Tier::Attribute)
}

/// Functions that pass (part of) their arguments through to their result: a secret going into
/// them comes out. Any other function (`reference`, `resourceId`, `uniqueString`, `length`) only
/// uses its arguments, so a secret parameter passed to it is not exposed.
const PASS_THROUGH: &[&str] = &[
    "concat",
    "format",
    "string",
    "if",
    "coalesce",
    "json",
    "base64",
    "base64tostring",
    "datauri",
    "uri",
    "replace",
    "substring",
    "tolower",
    "toupper",
    "trim",
    "padleft",
    "first",
    "last",
    "take",
    "skip",
    "union",
    "createobject",
    "createarray",
    "array",
    "items",
    "join",
    "jsondecode",
    "jsonencode",
    "base64encode",
    "base64decode",
    "tostring",
    "trimspace",
    "element",
    "one",
    "try",
    "lookup",
    "merge",
    "tomap",
    "tolist",
    "nonsensitive",
    "sensitive",
    "values",
];

/// The `name`/`value` pairs an ARM expression builds with `createObject('name', 'X', 'value',
/// <expr>)` (an app setting or environment variable written as a call, as Bicep compiles
/// `[{ name: 'X', value: expr }]` inside `concat`, `union` or `if`): the name as written and the
/// value's expression, in the order written.
pub fn name_value_pairs(e: &Expr) -> Vec<(&str, &Expr)> {
    let mut out = Vec::new();
    e.walk(&mut |x| {
        let Expr::Call { name, args } = x else {
            return;
        };
        if !name.eq_ignore_ascii_case("createobject") {
            return;
        }
        let (mut key, mut value) = (None, None);
        for pair in args.chunks(2) {
            if let [Expr::Str(k), v] = pair {
                if k.eq_ignore_ascii_case("name") {
                    if let Expr::Str(n) = v {
                        key = Some(n.as_str());
                    }
                } else if k.eq_ignore_ascii_case("value") {
                    value = Some(v);
                }
            }
        }
        if let (Some(k), Some(v)) = (key, value) {
            out.push((k, v));
        }
    });
    out
}

/// The first reason the value of `node` (in `template`) is a secret. The value resolver follows
/// variables, locals, members, conditionals and string building; parameters are not replaced by
/// their defaults (a secure parameter is the secret). Member-aware: for
/// `variables('settings').adminUsername` only that member of the variable is searched.
pub fn secret_source(doc: &Document, template: usize, node: &Node) -> Option<SecretSource> {
    let rs = Resolver::new(doc, template).without_defaults();
    Search {
        rs: &rs,
        keys_only: false,
    }
    .node(node)
}

/// The first key or credential the value of `node` reads from a resource: a `list*` credentials
/// call or a secret attribute of a resource or module, followed like [`secret_source`]. Parameters,
/// generated passwords (`random_password`), Key Vault secret values and secret-named members of
/// variables do not count: the question is "does this hand a service's key on?". A key inside a
/// connection string is left to the connection-string rules.
pub fn resource_key_source(doc: &Document, template: usize, node: &Node) -> Option<SecretSource> {
    let rs = Resolver::new(doc, template).without_defaults();
    Search {
        rs: &rs,
        keys_only: true,
    }
    .node(node)
}

struct Search<'r, 'a> {
    rs: &'r Resolver<'a>,
    /// Only keys read from resources ([`resource_key_source`]).
    keys_only: bool,
}

impl<'a> Search<'_, 'a> {
    fn node(&self, node: &'a Node) -> Option<SecretSource> {
        self.rs.node(node).iter().find_map(|p| self.possible(p))
    }

    fn expr(&self, e: &'a Expr) -> Option<SecretSource> {
        self.rs.expr(e).iter().find_map(|p| self.possible(p))
    }

    fn possible(&self, p: &Possible<'a>) -> Option<SecretSource> {
        // Read from an Application Insights component or a validation token on the way:
        // `monitoring.outputs.applicationInsightsConnectionString`, not a secret.
        if p.members().any(is_public_value_name) {
            return None;
        }
        // A secret-named member on the way: `variables('vm').adminPassword`.
        if !self.keys_only {
            if let Some(m) = p.members().find(|m| is_secret_attribute(m)) {
                return Some(SecretSource::Attribute(m.to_string()));
            }
        }
        match &p.value {
            Value::Node(n) => match &n.kind {
                NodeKind::List(items) => items.iter().find_map(|i| self.node(i)),
                NodeKind::Map(entries) => entries.iter().find_map(|e| self.node(&e.value)),
                _ => None,
            },
            // A key inside a connection string is the connection string's finding.
            Value::Text(pieces) if self.keys_only && is_connection_string(pieces) => None,
            Value::Text(pieces) => pieces.iter().find_map(|piece| match piece {
                Piece::Unknown(e) => self.expr(e),
                Piece::Text(_) => None,
            }),
            Value::Merge(parts) => parts.iter().find_map(|part| self.possible(part)),
            Value::Unknown(e, members) => self.unknown(e, members, p.template),
            Value::Const(_) => None,
        }
    }

    /// What the resolver leaves unknown: calls, parameters, resource and module attributes.
    fn unknown(&self, e: &'a Expr, members: &[String], tpl: usize) -> Option<SecretSource> {
        let doc = self.rs.doc();
        match e {
            Expr::Call { name, args } => {
                // A function's `trigger_url` (`listSecrets(…functions…).trigger_url`) is a
                // callback URL too.
                let trigger_url = members
                    .last()
                    .is_some_and(|m| m.eq_ignore_ascii_case("trigger_url"));
                if self.keys_only && (is_wiring_not_key(name) || trigger_url) {
                    return None;
                }
                if is_secret_list_function(name) {
                    return Some(SecretSource::ListCall(name.clone()));
                }
                let lower = name.to_ascii_lowercase();
                if PASS_THROUGH.contains(&lower.as_str()) {
                    return args.iter().find_map(|a| self.expr(a));
                }
                // Other functions only consume their arguments; a credentials call inside them
                // still counts (`base64(listKeys(...))` is handled above by pass-through).
                None
            }
            Expr::Param(_) if self.keys_only => None,
            // Terraform's `sensitive` covers the whole value, members included; a member of an
            // ARM secure object is secret only when its name says so (`parameters('settings').vmName`
            // is not; secret-named members were checked on the way).
            Expr::Param(p) if members.is_empty() || doc.dialect == Dialect::Terraform => {
                secret_param(doc, p, tpl)
            }
            Expr::Param(_) => None,
            // `appInsights.properties.ConnectionString`,
            // `azurerm_application_insights.ai.connection_string`: public values.
            Expr::Resource { .. } | Expr::Module { .. } | Expr::Ref(_)
                if is_public_value_name(&e.to_string()) =>
            {
                None
            }
            Expr::Resource { path, .. }
                if self.keys_only && path.last().is_some_and(|a| is_wiring_not_key(a)) =>
            {
                None
            }
            Expr::Resource { address, path } => resource_source(e, address, path, self.keys_only),
            // The last attribute decides: `module.m.storage_key` and `m.outputs.storageKey` are
            // secret; so is a loop variable's `x.password`.
            Expr::Module { path, .. } => last_is_secret(e, path),
            Expr::Ref(_) if self.keys_only => None,
            Expr::Ref(path) => last_is_secret(e, path.get(1..)?),
            Expr::Other(parts) => parts.iter().find_map(|part| self.expr(part)),
            Expr::Cond {
                cond,
                then,
                otherwise,
            } => [cond, then, otherwise]
                .into_iter()
                .find_map(|part| self.expr(part)),
            Expr::Interp(parts) => parts.iter().find_map(|part| self.expr(part)),
            Expr::Var(_) | Expr::Local(_) | Expr::Member { .. } | Expr::Index { .. } => None,
            Expr::Str(_) | Expr::Number(_) | Expr::Bool(_) | Expr::Null => None,
        }
    }
}

fn secret_param(doc: &Document, name: &str, template: usize) -> Option<SecretSource> {
    let p = doc.param(template, name)?;
    let secret =
        (p.secure || is_secret_key(&p.name)) && !crate::analysis::params::is_name_suffix_token(p);
    secret.then(|| SecretSource::Parameter(p.name.clone()))
}

/// Resources whose attribute is a secret whatever it is called: `random_password.x.result`,
/// `azurerm_key_vault_secret.x.value` (and its data source).
const SECRET_VALUED: &[(&str, &[&str])] = &[
    ("random_password", &["result", "bcrypt_hash"]),
    ("azurerm_key_vault_secret", &["value"]),
];

/// Credential resources whose `value` is a service principal's client secret: a key handed on
/// like a service's own (a certificate resource's `value` is the public certificate).
const CREDENTIAL_VALUED: &[(&str, &[&str])] = &[
    ("azuread_application_password", &["value"]),
    ("azuread_service_principal_password", &["value"]),
];

/// A resource attribute reference: a credential resource's value, a secret-valued resource's
/// value (unless only keys count), or a secret attribute.
fn resource_source(
    e: &Expr,
    address: &str,
    path: &[String],
    keys_only: bool,
) -> Option<SecretSource> {
    if let (Some(ty), Some(first)) = (Address::parse(address).ty, path.first()) {
        if CREDENTIAL_VALUED
            .iter()
            .any(|(t, attrs)| *t == ty && attrs.contains(&first.as_str()))
        {
            return Some(SecretSource::Attribute(e.to_string()));
        }
        if SECRET_VALUED
            .iter()
            .any(|(t, attrs)| *t == ty && attrs.contains(&first.as_str()))
        {
            return (!keys_only).then(|| SecretSource::Attribute(e.to_string()));
        }
    }
    last_is_secret(e, path)
}

/// The last attribute decides: `kube_config.client_key` is secret, `kube_config.host` is not.
fn last_is_secret(e: &Expr, attrs: &[String]) -> Option<SecretSource> {
    attrs
        .last()
        .is_some_and(|a| is_secret_attribute(a))
        .then(|| SecretSource::Attribute(e.to_string()))
}

/// True when resolved string pieces are a connection string (its key is CONN001/CONN002's).
pub fn is_connection_string(pieces: &[Piece<'_>]) -> bool {
    let pieces: Vec<crate::connstr::Fragment> = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(t) => crate::connstr::Fragment::Text(t.clone()),
            Piece::Unknown(x) => crate::connstr::Fragment::Hole(x),
        })
        .collect();
    parse_pieces(&pieces).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_functions() {
        for f in [
            "listKeys",
            "listkeys",
            "listSecrets",
            "listCredentials",
            "listConnectionStrings",
            "listAdminKeys",
            "listQueryKeys",
            "listAccountSas",
            "listServiceSas",
            "listCallbackUrl",
            "listClusterAdminCredential",
            "listAuthKeys",
        ] {
            assert!(is_secret_list_function(f), "{f}");
        }
        for f in [
            "list",
            "listKeyValue",
            "listSyncFunctionTriggerStatus",
            "length",
            "lastIndexOf",
        ] {
            assert!(!is_secret_list_function(f), "{f}");
        }
    }

    #[test]
    fn attributes() {
        for a in [
            "primary_access_key",
            "secondary_access_key",
            "primary_connection_string",
            "primary_blob_connection_string",
            "primary_key",
            "secondary_key",
            "admin_password",
            "client_secret",
            "kube_config_raw",
            "kube_admin_config",
            "private_key_pem",
            "primaryMasterKey",
            "storageKey",
        ] {
            assert!(is_secret_attribute(a), "{a}");
        }
        for a in [
            "id",
            "name",
            "primary_blob_endpoint",
            "instrumentation_key",
            "principal_id",
            "connection_string_name",
            "fqdn",
            "tenant_id",
        ] {
            assert!(!is_secret_attribute(a), "{a}");
        }
    }

    fn node(e: Expr) -> Node {
        Node::new(Default::default(), NodeKind::Expr(e))
    }

    fn res(address: &str, path: &str) -> Expr {
        Expr::Resource {
            address: address.into(),
            path: path.split('.').map(str::to_string).collect(),
        }
    }

    #[test]
    fn terraform_references() {
        let mut doc = Document {
            dialect: Dialect::Terraform,
            ..Document::default()
        };
        doc.params.push(crate::ir::Param {
            template: 0,
            name: "obj".into(),
            name_span: Default::default(),
            span: Default::default(),
            type_name: None,
            secure: true,
            default: None,
            argument: None,
        });
        let t = |e: Expr| secret_source(&doc, 0, &node(e));
        assert!(t(res("azurerm_storage_account.sa", "primary_access_key")).is_some());
        assert!(t(res(
            "azurerm_kubernetes_cluster.k",
            "kube_config.client_key"
        ))
        .is_some());
        assert!(t(res("azurerm_kubernetes_cluster.k", "kube_config.host")).is_none());
        assert!(t(res(
            "azurerm_kubernetes_cluster.k",
            "kube_config.cluster_ca_certificate"
        ))
        .is_none());
        assert!(t(res("random_password.pw", "result")).is_some());
        assert!(t(res("azurerm_key_vault_secret.admin_password", "value")).is_some());
        assert!(t(res("data.azurerm_key_vault_secret.s", "value")).is_some());
        let module = Expr::Module {
            address: "module.storage".into(),
            path: vec!["primary_access_key".into()],
        };
        assert_eq!(
            t(module),
            Some(SecretSource::Attribute(
                "module.storage.primary_access_key".into()
            ))
        );
        // The label is a name, not an attribute.
        assert!(t(res("azurerm_key_vault_secret.admin_password", "id")).is_none());
        assert!(t(res("random_string.suffix", "result")).is_none());
        assert!(t(res("azurerm_storage_account.sa", "primary_blob_endpoint")).is_none());
        assert!(t(res("data.azurerm_client_config.current", "tenant_id")).is_none());
        // A sensitive Terraform variable is secret with its members; an ARM secure object's
        // members only when their names say so.
        let member = Expr::Member {
            base: Box::new(Expr::Param("obj".into())),
            name: "name".into(),
        };
        assert_eq!(
            t(member.clone()),
            Some(SecretSource::Parameter("obj".into()))
        );
        doc.dialect = Dialect::Arm;
        assert!(secret_source(&doc, 0, &node(member)).is_none());
    }
}
