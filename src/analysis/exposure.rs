//! Does a value hand out a secret? A `list*` credentials call (`listKeys`, `listSecrets`), a
//! secret-bearing attribute of a resource (`primary_access_key`, `kube_config_raw`,
//! `random_password.x.result`), or a secure or password-named parameter — followed through
//! variables and locals (member-aware) and through functions that pass their arguments on.

use crate::analysis::password::is_secret_key;
use crate::ir::{Document, Expr, Node, NodeKind, StrClass};

/// Why a value is a secret, for messages (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `listKeys(...)` and other credential-returning list functions.
    ListCall(String),
    /// A secret-bearing attribute or property reference (`azurerm_storage_account.sa.primary_access_key`).
    Attribute(String),
    /// A secure or password-named parameter.
    Parameter(String),
}

impl SecretSource {
    pub fn describe(&self) -> String {
        match self {
            SecretSource::ListCall(f) => format!("calls `{f}()`"),
            SecretSource::Attribute(a) => format!("reads `{a}`"),
            SecretSource::Parameter(p) => format!("returns the secret parameter `{p}`"),
        }
    }
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
    lower.starts_with("list") && LIST_SECRET_WORDS.iter().any(|w| lower[4..].contains(w))
}

/// Terraform attributes that hold secrets but are not named like one.
const SECRET_ATTRIBUTES: &[&str] = &[
    "kube_config",
    "kube_config_raw",
    "kube_admin_config",
    "kube_admin_config_raw",
    "client_key",
    "private_key_openssh",
    "private_key_pkcs8",
    "sas_url",
    "custom_domain_verification_id_secret",
];

/// Words in an attribute or property name (or the symbol it is read from) that make the value
/// public even where the name says key, token or connection string: an Application Insights
/// connection string or instrumentation key identifies where telemetry goes and grants nothing;
/// a domain validation token is published in DNS.
const PUBLIC_VALUE_WORDS: &[&str] = &[
    "insights",
    "instrumentationkey",
    "instrumentation_key",
    "validationtoken",
    "validation_token",
];

/// True when a name says its value is public although it sounds secret (see
/// [`PUBLIC_VALUE_WORDS`]): `applicationInsightsConnectionString`, `validationToken`.
pub fn is_public_value_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    PUBLIC_VALUE_WORDS.iter().any(|w| lower.contains(w))
}

/// True when an attribute or property name holds a secret: `primary_access_key`,
/// `primary_connection_string`, `admin_password`, `kube_config_raw`, `primaryMasterKey`.
pub fn is_secret_attribute(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if SECRET_ATTRIBUTES.contains(&lower.as_str()) {
        return true;
    }
    !is_public_value_name(name)
        && (is_secret_key(name)
            || lower.ends_with("_connection_string")
            || lower.ends_with("connectionstring") && lower != "connectionstring")
}

/// How the references in an expression are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefStyle {
    /// `type.label.attr`, `data.type.label.attr`, `module.m.output`, `var.x`, `local.y`.
    Terraform,
    /// `symbol.properties.x` (Bicep) — and ARM, which has no traversals.
    Symbolic,
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

/// Depth limit for following variables (cycles are invalid templates but must not hang).
const MAX_HOPS: usize = 16;

/// The first reason the value of `node` (in `template`) is a secret. Variables and locals are
/// followed like [`crate::analysis::resolve::reach`] does, but member-aware: for
/// `variables('settings').adminUsername` only the `adminUsername` member of the variable is
/// followed, not the whole object.
pub fn secret_source(
    doc: &Document,
    template: usize,
    node: &Node,
    style: RefStyle,
) -> Option<SecretSource> {
    Walker {
        doc,
        template,
        style,
    }
    .node(node, 0)
}

struct Walker<'a> {
    doc: &'a Document,
    template: usize,
    style: RefStyle,
}

impl Walker<'_> {
    fn node(&self, node: &Node, hops: usize) -> Option<SecretSource> {
        if hops > MAX_HOPS {
            return None;
        }
        match &node.kind {
            NodeKind::Str(s) => match &s.class {
                StrClass::Expression(e) => self.expr(e, hops),
                _ => None,
            },
            NodeKind::Expr(e) => self.expr(e, hops),
            NodeKind::List(items) => items.iter().find_map(|i| self.node(i, hops + 1)),
            NodeKind::Map(entries) => entries.iter().find_map(|e| self.node(&e.value, hops + 1)),
            _ => None,
        }
    }

    /// The value of variable `name` navigated along `members`, when it can be.
    fn var_member(&self, name: &str, members: &[&str], hops: usize) -> Option<SecretSource> {
        let v = self.doc.var(self.template, name)?;
        let mut cur = &v.value;
        for m in members {
            match cur.get(m) {
                Some(next) => cur = next,
                None => break,
            }
        }
        self.node(cur, hops + 1)
    }

    fn expr(&self, e: &Expr, hops: usize) -> Option<SecretSource> {
        if hops > MAX_HOPS {
            return None;
        }
        match e {
            Expr::Call { name, args } => {
                if is_secret_list_function(name) {
                    return Some(SecretSource::ListCall(name.clone()));
                }
                let first = args.first().and_then(Expr::as_str);
                if name.eq_ignore_ascii_case("parameters") {
                    return first.and_then(|p| secret_param(self.doc, self.template, p));
                }
                if name.eq_ignore_ascii_case("variables") {
                    return first.and_then(|v| self.var_member(v, &[], hops));
                }
                let lower = name.to_ascii_lowercase();
                if PASS_THROUGH.contains(&lower.as_str()) {
                    return args.iter().find_map(|a| self.expr(a, hops));
                }
                // Other functions only consume their arguments; a credentials call inside them
                // still counts (`base64(listKeys(...))` is handled above by pass-through).
                None
            }
            Expr::Member { .. } | Expr::Index { .. } => {
                // Unwind the chain: root expression and the member names after it.
                let mut members: Vec<&str> = Vec::new();
                let mut cur = e;
                loop {
                    match cur {
                        Expr::Member { base, name } => {
                            members.push(name);
                            cur = base;
                        }
                        Expr::Index { base, index } => {
                            if let Some(s) = index.as_str() {
                                members.push(s);
                            }
                            cur = base;
                        }
                        _ => break,
                    }
                }
                members.reverse();
                // `appInsights.properties.ConnectionString`: read from an Application Insights
                // component (by its symbol's name), not a secret.
                if members.iter().any(|m| is_public_value_name(m))
                    || matches!(cur, Expr::Ref(p) if p.iter().any(|x| is_public_value_name(x)))
                {
                    return None;
                }
                if let Some(m) = members.iter().find(|m| is_secret_attribute(m)) {
                    return Some(SecretSource::Attribute((*m).to_string()));
                }
                match cur {
                    Expr::Call { name, args } if name.eq_ignore_ascii_case("variables") => args
                        .first()
                        .and_then(Expr::as_str)
                        .and_then(|v| self.var_member(v, &members, hops)),
                    Expr::Call { name, args } if name.eq_ignore_ascii_case("parameters") => {
                        // A member of a secure object is secret only when its name says so
                        // (checked above); `parameters('settings').vmName` is not.
                        let p = args.first().and_then(Expr::as_str)?;
                        let param = self.doc.param(self.template, p)?;
                        (members.is_empty() && (param.secure || is_secret_key(&param.name)))
                            .then(|| SecretSource::Parameter(param.name.clone()))
                    }
                    root => self.expr(root, hops),
                }
            }
            Expr::Ref(path) => {
                if self.style == RefStyle::Terraform && path.first().is_some_and(|r| r == "local") {
                    let name = path.get(1)?;
                    let members: Vec<&str> = path[2..].iter().map(String::as_str).collect();
                    if let Some(m) = members.iter().find(|m| is_secret_attribute(m)) {
                        return Some(SecretSource::Attribute((*m).to_string()));
                    }
                    return self.var_member(name, &members, hops);
                }
                ref_source(self.doc, self.template, path, self.style)
            }
            Expr::Interp(parts) | Expr::Other(parts) => {
                parts.iter().find_map(|p| self.expr(p, hops))
            }
            Expr::Str(_) | Expr::Number(_) | Expr::Bool(_) | Expr::Null => None,
        }
    }
}

fn secret_param(doc: &Document, template: usize, name: &str) -> Option<SecretSource> {
    let p = doc.param(template, name)?;
    (p.secure || is_secret_key(&p.name)).then(|| SecretSource::Parameter(p.name.clone()))
}

fn ref_source(
    doc: &Document,
    template: usize,
    path: &[String],
    style: RefStyle,
) -> Option<SecretSource> {
    let root = path.first()?.as_str();
    // `azurerm_application_insights.ai.connection_string`, `appInsights.outputs.connectionString`
    if path.iter().any(|p| is_public_value_name(p)) {
        return None;
    }
    let attrs: &[String] = match style {
        RefStyle::Terraform => match root {
            "var" => return secret_param(doc, template, path.get(1)?),
            "local" | "each" | "count" | "self" | "path" | "terraform" => return None,
            "module" => path.get(2..)?,
            "data" => {
                let ty = path.get(1)?;
                let rest = path.get(3..)?;
                if ty == "azurerm_key_vault_secret" && rest.first().is_some_and(|a| a == "value") {
                    return Some(SecretSource::Attribute(path.join(".")));
                }
                rest
            }
            ty => {
                let rest = path.get(2..)?;
                let first = rest.first().map(String::as_str);
                let typed = matches!(
                    (ty, first),
                    ("random_password", Some("result" | "bcrypt_hash"))
                        | ("azurerm_key_vault_secret", Some("value"))
                );
                if typed {
                    return Some(SecretSource::Attribute(path.join(".")));
                }
                rest
            }
        },
        RefStyle::Symbolic => path.get(1..)?,
    };
    // The last attribute decides: `kube_config.client_key` is secret, `kube_config.host` is not.
    attrs
        .last()
        .is_some_and(|a| is_secret_attribute(a))
        .then(|| SecretSource::Attribute(path.join(".")))
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

    fn r(p: &str) -> Vec<String> {
        p.split('.').map(str::to_string).collect()
    }

    #[test]
    fn terraform_references() {
        let doc = Document::default();
        let t = |p: &str| ref_source(&doc, 0, &r(p), RefStyle::Terraform);
        assert!(t("azurerm_storage_account.sa.primary_access_key").is_some());
        assert!(t("azurerm_kubernetes_cluster.k.kube_config.client_key").is_some());
        assert!(t("azurerm_kubernetes_cluster.k.kube_config.host").is_none());
        assert!(t("azurerm_kubernetes_cluster.k.kube_config.cluster_ca_certificate").is_none());
        assert!(t("random_password.pw.result").is_some());
        assert!(t("azurerm_key_vault_secret.admin_password.value").is_some());
        assert!(t("data.azurerm_key_vault_secret.s.value").is_some());
        assert!(t("module.storage.primary_access_key").is_some());
        // The label is a name, not an attribute.
        assert!(t("azurerm_key_vault_secret.admin_password.id").is_none());
        assert!(t("random_string.suffix.result").is_none());
        assert!(t("azurerm_storage_account.sa.primary_blob_endpoint").is_none());
        assert!(t("data.azurerm_client_config.current.tenant_id").is_none());
    }
}
