//! Does a value hand out a secret? A `list*` credentials call (`listKeys`, `listSecrets`), a
//! secret-bearing attribute of a resource (`primary_access_key`, `kube_config_raw`,
//! `random_password.x.result`), or a secure or password-named parameter — followed through
//! variables and locals with [`reach`].

use crate::analysis::password::is_secret_key;
use crate::analysis::resolve::reach;
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
    "client_certificate",
    "private_key_openssh",
    "private_key_pkcs8",
    "sas_url",
    "custom_domain_verification_id_secret",
];

/// True when an attribute or property name holds a secret: `primary_access_key`,
/// `primary_connection_string`, `admin_password`, `kube_config_raw`, `primaryMasterKey`.
pub fn is_secret_attribute(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    is_secret_key(name)
        || SECRET_ATTRIBUTES.contains(&lower.as_str())
        || lower.ends_with("_connection_string")
        || lower.ends_with("connectionstring") && lower != "connectionstring"
}

/// How the references in an expression are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefStyle {
    /// `type.label.attr`, `data.type.label.attr`, `module.m.output`, `var.x`, `local.y`.
    Terraform,
    /// `symbol.properties.x` (Bicep) — and ARM, which has no traversals.
    Symbolic,
}

/// The first reason the value of `node` (in `template`) is a secret, following variables.
pub fn secret_source(
    doc: &Document,
    template: usize,
    node: &Node,
    style: RefStyle,
) -> Option<SecretSource> {
    let mut found: Option<SecretSource> = None;
    reach(doc, template, node, &mut |n| {
        if found.is_some() {
            return;
        }
        let e = match &n.kind {
            NodeKind::Str(s) => match &s.class {
                StrClass::Expression(e) => e,
                _ => return,
            },
            NodeKind::Expr(e) => e,
            _ => return,
        };
        found = expr_source(doc, template, e, style);
    });
    found
}

fn expr_source(doc: &Document, template: usize, e: &Expr, style: RefStyle) -> Option<SecretSource> {
    let mut found = None;
    e.walk(&mut |x| {
        if found.is_some() {
            return;
        }
        match x {
            Expr::Call { name, args } => {
                if is_secret_list_function(name) {
                    found = Some(SecretSource::ListCall(name.clone()));
                } else if name.eq_ignore_ascii_case("parameters") {
                    if let Some(Expr::Str(p)) = args.first() {
                        found = secret_param(doc, template, p);
                    }
                }
            }
            Expr::Member { name, .. } if is_secret_attribute(name) => {
                found = Some(SecretSource::Attribute(name.clone()));
            }
            Expr::Ref(path) => found = ref_source(doc, template, path, style),
            _ => {}
        }
    });
    found
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
    attrs
        .iter()
        .any(|a| is_secret_attribute(a))
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
