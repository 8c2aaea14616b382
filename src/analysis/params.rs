//! Secrets in parameter and variable defaults (ARM/Bicep parameters, Terraform variables), shared
//! by KEY003 and KEY006.

use crate::analysis::names::{secret_key_kind, SecretKind};
use crate::analysis::secret_value::is_plausible_secret;
use crate::ir::{Expr, Node, NodeKind, Param, StrClass};

/// A secret-bearing part of a parameter's default.
#[derive(Debug, Clone, Copy)]
pub enum DefaultSecret<'a> {
    /// A literal value (or a literal leaf of an object default).
    Literal { node: &'a Node, value: &'a str },
    /// An expression that only combines constants (`[concat('P@ss', 'word1')]`): a literal in
    /// disguise.
    Constant { node: &'a Node, text: &'a str },
    /// An expression derived from non-secret inputs with a deterministic hash (`uniqueString()`,
    /// `guid()`), and no random part (`newGuid()`).
    Derived {
        node: &'a Node,
        function: &'static str,
    },
}

impl DefaultSecret<'_> {
    pub fn node(&self) -> &Node {
        match self {
            DefaultSecret::Literal { node, .. }
            | DefaultSecret::Constant { node, .. }
            | DefaultSecret::Derived { node, .. } => node,
        }
    }
}

/// Functions that only transform their arguments: an expression made of these and constants is a
/// constant.
const PURE_FUNCTIONS: &[&str] = &[
    "concat",
    "format",
    "string",
    "tolower",
    "toupper",
    "base64",
    "replace",
    "trim",
    "substring",
    "padleft",
    "take",
    "skip",
    "json",
    "createobject",
    "createarray",
    "array",
    "join",
];

/// The secrets in a parameter's default, when the parameter is secure (`securestring`,
/// `secureObject`, `@secure()`, `sensitive = true`) or secret-named (`adminPassword`), and the
/// literal leaves under secret-named keys of any object default.
///
/// A literal default must pass the password gate ([`is_plausible_secret`]): at least six
/// characters, not a placeholder, reference, name or GUID (secure parameters too: quickstart
/// `securestring` defaults like `?`, `{}` or `CLIENT-SECRET` are stand-ins).
pub fn secret_defaults(p: &Param) -> Vec<DefaultSecret<'_>> {
    let mut out = Vec::new();
    let named = secret_key_kind(&p.name);
    // A secure parameter named as a user or login name (`@secure() param adminUsername`, as the
    // Azure Verified Modules declare it) or as any other name (`@secure() param certname`, the
    // name of a certificate) holds an identifier, not a secret.
    if named.is_none() && names_an_identifier(&p.name) {
        return out;
    }
    let Some(default) = &p.default else {
        return out;
    };
    // Object defaults are searched for secret-named keys whatever the parameter is called.
    if !p.secure && named.is_none() && !matches!(default.kind, NodeKind::Map(_) | NodeKind::List(_))
    {
        return out;
    }
    let kind = named.unwrap_or(SecretKind::Password);
    match &default.kind {
        NodeKind::Str(s) => match &s.class {
            StrClass::Literal => {
                if is_plausible_secret(&s.value, &p.name, kind) {
                    out.push(DefaultSecret::Literal {
                        node: default,
                        value: &s.value,
                    });
                }
            }
            StrClass::Expression(e) => {
                if let Some(d) = expression_default(&p.name, p.secure, default, &s.value, e) {
                    out.push(d);
                }
            }
            StrClass::SecretRef | StrClass::Placeholder => {}
        },
        NodeKind::Expr(e) => {
            if let Some(d) = expression_default(&p.name, p.secure, default, "", e) {
                out.push(d);
            }
        }
        NodeKind::Map(_) | NodeKind::List(_) => {
            // secureObject / sensitive object defaults: the literal leaves under secret-like keys
            // (or `value` keys of a secure object).
            default.walk(&mut |path, node| {
                let Some(key) = path.last_key() else {
                    return;
                };
                let Some(v) = node.as_literal() else {
                    return;
                };
                let leaf_kind = secret_key_kind(key).or_else(|| {
                    (p.secure && (key.eq_ignore_ascii_case("value")))
                        .then_some(SecretKind::Password)
                });
                if let Some(k) = leaf_kind {
                    if is_plausible_secret(v, key, k) {
                        out.push(DefaultSecret::Literal { node, value: v });
                    }
                }
            });
        }
        NodeKind::Null | NodeKind::Bool(_) | NodeKind::Number(_) => {}
    }
    out
}

/// A secure (or password-named) parameter's literal default that is no real secret but a
/// stand-in (`xyz`, `secret`, `changeme`, `HardcodedPassword`): it is still deployed as the
/// password whenever the parameter is omitted. Not: an empty or punctuation-only value (`?`,
/// `{}`), a GUID (a secure `objectId` holds an identifier), a substitution a pipeline replaces (`$(Password)`, `#{pw}#`, `__pw__`), a `<prompt>`, a
/// secret reference, or a value the password gate already takes for a secret.
pub fn stand_in_default(p: &Param) -> Option<(&Node, &str)> {
    use crate::ir::classify::{has_substitution, is_guid, is_secret_ref};
    let named = secret_key_kind(&p.name);
    if !(p.secure || named == Some(SecretKind::Password)) || names_an_identifier(&p.name) {
        return None;
    }
    let node = p.default.as_ref()?;
    let NodeKind::Str(s) = &node.kind else {
        return None;
    };
    if !matches!(s.class, StrClass::Literal | StrClass::Placeholder) {
        return None;
    }
    let v = s.value.trim();
    let letters = v.chars().filter(|c| c.is_alphanumeric()).count();
    let token_marker = v.starts_with("__") && v.ends_with("__");
    let prompt = v.starts_with('<') && v.ends_with('>');
    if letters < 3
        || v.chars().count() > 64
        || token_marker
        || prompt
        || has_substitution(v)
        || is_secret_ref(v)
        || is_guid(v)
        || is_plausible_secret(v, &p.name, named.unwrap_or(SecretKind::Password))
    {
        return None;
    }
    Some((node, s.value.as_str()))
}

fn is_token_name(name: &str) -> bool {
    crate::analysis::names::words(name)
        .last()
        .map(String::as_str)
        == Some("token")
}

/// A `…Token` name that, with a default derived by `uniqueString()`/`guid()`, is a resource-name
/// suffix: any plain one (`resourceToken`), and a secure one whose name says identifier
/// (`@secure() param solutionUniqueToken`: `unique` before `token` names no secret), not a
/// secure `sessionToken`.
fn suffix_token_name(name: &str, secure: bool) -> bool {
    is_token_name(name) && (!secure || secret_key_kind(name).is_none())
}

/// True when a parameter's name names an identifier rather than a secret: an account
/// (`adminUser`, `administratorLogin`, `adminUsername`) or any other name (`certname`,
/// `vaultName`, `secretNames`, `sql_login_name`).
pub fn names_an_identifier(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // (split into words, the dear part, only a name that holds one of the two: an ASCII name's
    // words are lower-cased pieces of it)
    if !name.is_ascii() || lower.contains("user") || lower.contains("login") {
        let last = crate::analysis::names::words(name).pop();
        if matches!(last.as_deref(), Some("user" | "login")) {
            return true;
        }
    }
    let lower = lower.trim_end_matches(|c: char| c == '_' || c.is_ascii_digit());
    lower.ends_with("name") || lower.ends_with("names")
}

/// A `…Token` parameter whose default is derived with `uniqueString()` or `guid()`
/// (`resourceToken = toLower(uniqueString(...))`): a resource-name suffix, whose value is no
/// secret although the name says token. A secure one only when its name says it is an
/// identifier ([`suffix_token_name`]).
pub fn is_name_suffix_token(p: &Param) -> bool {
    if !suffix_token_name(&p.name, p.secure) {
        return false;
    }
    let e = match p.default.as_ref().map(|d| &d.kind) {
        Some(NodeKind::Expr(e)) => e,
        Some(NodeKind::Str(s)) => match &s.class {
            StrClass::Expression(e) => e,
            _ => return false,
        },
        _ => return false,
    };
    !e.calls_fn("newGuid") && (e.calls_fn("uniqueString") || e.calls_fn("guid"))
}

fn expression_default<'a>(
    name: &str,
    secure: bool,
    node: &'a Node,
    text: &'a str,
    e: &Expr,
) -> Option<DefaultSecret<'a>> {
    if e.calls_fn("newGuid") {
        return None;
    }
    // A `…Token` parameter derived with `uniqueString()`/`guid()` is a resource-name suffix
    // (`solutionUniqueToken = substring(uniqueString(...), 0, 5)`, secure or not), not a
    // password; a secure `sessionToken`, or one named password, still is.
    let name_suffix = suffix_token_name(name, secure);
    for f in ["uniqueString", "guid"] {
        if e.calls_fn(f) {
            if name_suffix {
                return None;
            }
            let function = if f == "guid" { "guid" } else { "uniqueString" };
            return Some(DefaultSecret::Derived { node, function });
        }
    }
    if is_constant(e) {
        return Some(DefaultSecret::Constant { node, text });
    }
    None
}

/// True when the expression combines only string and number constants with pure functions, and
/// has at least one non-empty string constant.
fn is_constant(e: &Expr) -> bool {
    let mut constant = true;
    let mut has_text = false;
    e.walk(&mut |x| match x {
        Expr::Str(s) => has_text |= !s.is_empty(),
        Expr::Number(_) | Expr::Bool(_) | Expr::Null | Expr::Interp(_) => {}
        Expr::Call { name, .. } => {
            if !PURE_FUNCTIONS.iter().any(|f| name.eq_ignore_ascii_case(f)) {
                constant = false;
            }
        }
        Expr::Param(_)
        | Expr::Var(_)
        | Expr::Local(_)
        | Expr::Resource { .. }
        | Expr::Module { .. }
        | Expr::Ref(_)
        | Expr::Member { .. }
        | Expr::Index { .. }
        | Expr::Cond { .. }
        | Expr::Other(_) => constant = false,
    });
    constant && has_text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Str;
    use crate::source::Span;

    fn param(name: &str, secure: bool, default: Option<Node>) -> Param {
        Param {
            template: 0,
            name: name.into(),
            name_span: Span::default(),
            span: Span::default(),
            type_name: None,
            secure,
            default,
            argument: None,
        }
    }

    fn expr(e: Expr) -> Node {
        Node::new(
            Span::default(),
            NodeKind::Str(Str {
                value: "[...]".into(),
                class: StrClass::Expression(e),
            }),
        )
    }

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            name: name.into(),
            args,
        }
    }

    #[test]
    fn secure_literal_defaults_whatever_they_look_like() {
        let p = param("x", true, Some(Node::literal(Span::default(), "Pw9!x2")));
        assert!(matches!(
            secret_defaults(&p)[..],
            [DefaultSecret::Literal {
                value: "Pw9!x2",
                ..
            }]
        ));
        for stand_in in ["abc", "?", "{}", "CLIENT-SECRET", "defaultValue"] {
            let p = param("x", true, Some(Node::literal(Span::default(), stand_in)));
            assert!(secret_defaults(&p).is_empty(), "{stand_in}");
        }
        let p = param("x", true, Some(Node::literal(Span::default(), "")));
        assert!(secret_defaults(&p).is_empty());
        // Not secure, not secret-named: none of our business.
        let p = param(
            "location",
            false,
            Some(Node::literal(Span::default(), "Fake-Pa55word")),
        );
        assert!(secret_defaults(&p).is_empty());
        // Secret-named: the gate decides.
        let p = param(
            "adminPassword",
            false,
            Some(Node::literal(Span::default(), "Fake-Pa55word")),
        );
        assert_eq!(secret_defaults(&p).len(), 1);
        let p = param(
            "adminPassword",
            false,
            Some(Node::literal(Span::default(), "MySecretName")),
        );
        assert!(secret_defaults(&p).is_empty());
    }

    #[test]
    fn expression_defaults() {
        let rg_id = Expr::Member {
            base: Box::new(call("resourceGroup", vec![])),
            name: "id".into(),
        };
        let derived = call(
            "concat",
            vec![
                Expr::Str("P".into()),
                call("uniqueString", vec![rg_id.clone()]),
                Expr::Str("x!".into()),
            ],
        );
        let p = param("pw", true, Some(expr(derived)));
        assert!(matches!(
            secret_defaults(&p)[..],
            [DefaultSecret::Derived {
                function: "uniqueString",
                ..
            }]
        ));
        let random = call(
            "concat",
            vec![call("uniqueString", vec![rg_id]), call("newGuid", vec![])],
        );
        assert!(secret_defaults(&param("pw", true, Some(expr(random)))).is_empty());
        let constant = call(
            "concat",
            vec![Expr::Str("Fake-".into()), Expr::Str("Pa55".into())],
        );
        assert!(matches!(
            secret_defaults(&param("pw", true, Some(expr(constant))))[..],
            [DefaultSecret::Constant { .. }]
        ));
        let other = Expr::Param("other".into());
        assert!(secret_defaults(&param("pw", true, Some(expr(other)))).is_empty());
    }

    #[test]
    fn account_names_are_no_secrets() {
        for n in [
            "adminUsername",
            "vmAdminUserName",
            "administratorLogin",
            "sql_login_name",
            "adminUser",
        ] {
            assert!(names_an_identifier(n), "{n}");
        }
        for n in [
            "adminPassword",
            "userPassword",
            "loginSecret",
            "userAssignedIdentity",
        ] {
            assert!(!names_an_identifier(n), "{n}");
        }
        let lit = Node::literal(Span::default(), "localAdminUser1");
        assert!(secret_defaults(&param("adminUsername", true, Some(lit.clone()))).is_empty());
        assert!(!secret_defaults(&param("adminSecretValue", true, Some(lit))).is_empty());
    }

    /// A secure parameter named as a name (`@secure() param certname`) holds an identifier; a
    /// secret-named one (`certPassword`, `adminPasswordName` is still a name) is judged as before.
    #[test]
    fn names_of_things_are_no_secrets() {
        for n in [
            "certname",
            "keyVaultName",
            "secretNames",
            "cert_name_1",
            "HOSTNAME",
        ] {
            assert!(names_an_identifier(n), "{n}");
        }
        for n in ["certPassword", "nameKey", "namespaceKey", "renamedSecret"] {
            assert!(!names_an_identifier(n), "{n}");
        }
        let lit = Node::literal(Span::default(), "dep-prefix-cert-amemax");
        assert!(secret_defaults(&param("certname", true, Some(lit.clone()))).is_empty());
        assert!(!secret_defaults(&param("certValue", true, Some(lit))).is_empty());
    }
}
