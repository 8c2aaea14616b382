//! Finding connection strings in a document's values, and telling where their keys come from.
//!
//! [`find_in_doc`] walks the value trees for literal strings and string-building expressions that
//! [`super::parse`] reads as connection strings (with the value resolver's help for prefixes and
//! format strings held elsewhere), [`secret_source`] classifies the expression that supplies a
//! key, and [`connection_string_attribute`] recognises a whole value taken from a resource's
//! connection-string attribute. The string syntax itself is [`super`]'s.

use crate::analysis::exposure::SecretSource;
use crate::analysis::names::{is_secret_name, Tier};
use crate::analysis::resolve::{self, Resolver, Value};
use crate::connstr::{
    flatten, holes_in, parse, parse_pieces, Auth, ConnString, Fragment, Service, HOLE,
};
use crate::ir::{Address, Document, Expr, Node, NodeKind, StrClass};

/// Any part of the name mentions a key or secret ([`Tier::Loose`]).
fn keyish_attr(name: &str) -> bool {
    is_secret_name(name, Tier::Loose)
}

/// A Key Vault secret data source (`data.azurerm_key_vault_secret.x`).
fn is_key_vault_secret_source(address: &str) -> bool {
    let a = Address::parse(address);
    a.data && a.ty == Some("azurerm_key_vault_secret")
}

/// Classifies a hole expression.
pub fn secret_source(e: &Expr) -> SecretSource {
    let mut best: Option<SecretSource> = None;
    e.walk(&mut |x| {
        let found = match x {
            Expr::Call { name, .. } if name.eq_ignore_ascii_case("getSecret") => {
                Some(SecretSource::KeyVault)
            }
            Expr::Call { name, .. } if name.len() > 4 && name[..4].eq_ignore_ascii_case("list") => {
                Some(SecretSource::ListCall(name.clone()))
            }
            Expr::Member { name, .. } if keyish_attr(name) => {
                Some(SecretSource::Attribute(name.clone()))
            }
            Expr::Param(name) => Some(SecretSource::Parameter(name.clone())),
            Expr::Var(name) | Expr::Local(name) => Some(SecretSource::Variable(name.clone())),
            Expr::Resource { address, .. } if is_key_vault_secret_source(address) => {
                Some(SecretSource::KeyVault)
            }
            Expr::Resource { address, path } | Expr::Module { address, path } => {
                let last = path
                    .last()
                    .map(String::as_str)
                    .or_else(|| address.rsplit('.').next());
                last.filter(|l| keyish_attr(l))
                    .map(|_| SecretSource::Attribute(x.to_string()))
            }
            Expr::Ref(path) if path.last().is_some_and(|l| keyish_attr(l)) => {
                Some(SecretSource::Attribute(path.join(".")))
            }
            _ => None,
        };
        if let Some(f) = found {
            let rank = |s: &SecretSource| match s {
                SecretSource::KeyVault => 5,
                SecretSource::ListCall(_) => 4,
                SecretSource::Attribute(_) => 3,
                SecretSource::Parameter(_) => 2,
                SecretSource::Variable(_) => 1,
                SecretSource::Expression => 0,
            };
            if best.as_ref().is_none_or(|b| rank(&f) > rank(b)) {
                best = Some(f);
            }
        }
    });
    best.unwrap_or(SecretSource::Expression)
}

/// A connection string found in a document.
#[derive(Debug)]
pub struct Found<'a> {
    /// The string node (a literal, or an expression that builds the string).
    pub node: &'a Node,
    pub cs: ConnString,
    /// The text that was parsed: the literal value, or the flattened expression with [`HOLE`]s.
    pub text: String,
    /// The expression holes, in order (empty for a literal).
    pub holes: Vec<&'a Expr>,
    /// True when the node is a literal string (offsets into `text` map back to the file).
    pub literal: bool,
}

impl Found<'_> {
    /// The service the string talks to: the string's own evidence, else, for a database string
    /// whose engine the text does not show, the resource type its holes read
    /// (`reference(resourceId('Microsoft.DBforMySQL/servers', …)).fullyQualifiedDomainName`).
    pub fn service(&self) -> Service {
        let own = self.cs.service();
        if own != Service::Other
            || self
                .cs
                .get(&[
                    "server",
                    "data source",
                    "host",
                    "database",
                    "initial catalog",
                ])
                .is_none()
        {
            return own;
        }
        let mut engine = None;
        for h in &self.holes {
            h.walk(&mut |x| {
                if let Expr::Str(t) = x {
                    let t = t.to_ascii_lowercase();
                    let e = if t.contains("microsoft.dbformysql") {
                        Some(Service::MySql)
                    } else if t.contains("microsoft.dbforpostgresql") {
                        Some(Service::Postgres)
                    } else if t.starts_with("microsoft.sql/") {
                        Some(Service::Sql)
                    } else {
                        None
                    };
                    if engine.is_none() {
                        engine = e;
                    }
                }
            });
        }
        engine.unwrap_or(Service::Other)
    }
}

/// Every connection string in the document's value trees: literal strings, and strings built by
/// expressions (placeholders and secret references are skipped). An expression whose own text is
/// no connection string is resolved ([`resolved`]): a prefix from a variable, a format string from
/// a local, a string inside a conditional's branch.
pub fn find_in_doc(doc: &Document) -> Vec<Found<'_>> {
    find_in_doc_until(doc, &|| false)
}

/// [`find_in_doc`] that stops looking once `stop` says so (the per-file clock): what it found
/// until then.
pub fn find_in_doc_until<'a>(doc: &'a Document, stop: &dyn Fn() -> bool) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    // The outputs' value spans, sorted: an output is KEY005's (looked up per expression, a
    // search of every output was quadratic in templates of many outputs).
    let mut outputs: Vec<crate::source::Span> = doc.outputs.iter().map(|o| o.value.span).collect();
    outputs.sort_unstable();
    for tree in doc.trees() {
        tree.walk(&mut |_, node| {
            if stop() {
                return;
            }
            let (text_class, expr) = match &node.kind {
                NodeKind::Str(s) => (Some(s), None),
                NodeKind::Expr(e) => (None, Some(e)),
                _ => return,
            };
            let expr = match text_class {
                Some(s) => match &s.class {
                    StrClass::Literal => {
                        if s.value.contains(HOLE) {
                            return;
                        }
                        // (a pure function of the string: `keyless history` keeps it across
                        // the versions of a file)
                        thread_local! {
                            static MEMO: crate::history_memo::Memo<Option<ConnString>> =
                                Default::default();
                        }
                        if let Some(cs) = MEMO.with(|m| m.get_or(&s.value, parse)) {
                            out.push(Found {
                                node,
                                cs,
                                text: s.value.clone(),
                                holes: Vec::new(),
                                literal: true,
                            });
                        }
                        return;
                    }
                    StrClass::Expression(e) => e,
                    _ => return,
                },
                None => match expr {
                    Some(e) => e,
                    None => return,
                },
            };
            if may_build_connection_string(expr) {
                if let Some((cs, text, holes)) = parse_pieces(&flatten(expr)) {
                    out.push(Found {
                        node,
                        cs,
                        text,
                        holes,
                        literal: false,
                    });
                    return;
                }
            }
            if let Some(found) = resolved(doc, node, expr, &outputs) {
                out.push(found);
            }
        });
    }
    out
}

/// The innermost template whose span holds `span` (0 when none does).
fn template_at(doc: &Document, span: crate::source::Span) -> usize {
    doc.templates
        .iter()
        .enumerate()
        .filter(|(_, t)| t.span.contains(span))
        .min_by_key(|(_, t)| t.span.end - t.span.start)
        .map_or(0, |(i, _)| i)
}

/// A connection string that `e` builds with the help of the value resolver: a prefix held in a
/// variable (`concat(variables('prefix'), listKeys(…).key1)`), a format string in a local, a
/// string in a branch of a conditional or in an object built inside the expression. Found only
/// when the key comes from the expression itself, so a variable that holds a whole connection
/// string is reported where it is defined, not again at every use.
/// `outputs`: the value spans of the document's outputs, sorted.
fn resolved<'a>(
    doc: &'a Document,
    node: &'a Node,
    e: &'a Expr,
    outputs: &[crate::source::Span],
) -> Option<Found<'a>> {
    let mut refers = false;
    let mut builds = false;
    e.walk(&mut |x| match x {
        Expr::Var(_) | Expr::Local(_) | Expr::Param(_) => refers = true,
        Expr::Interp(_) => builds = true,
        Expr::Call { name, .. } => {
            builds |= name.eq_ignore_ascii_case("concat") || name.eq_ignore_ascii_case("format")
        }
        _ => {}
    });
    if !refers && !builds {
        return None;
    }
    // An output that hands out a key is KEY005's, whichever way its string is built.
    if outputs.binary_search(&node.span).is_ok() {
        return None;
    }
    let inside = |h: &Expr| {
        let mut found = false;
        e.walk(&mut |x| found |= std::ptr::eq(x, h));
        found
    };
    let usable = |cs: &ConnString, text: &str, holes: &[&'a Expr]| match cs.auth() {
        Auth::SecretFromExpression { part } => cs.parts.get(part).is_some_and(|p| {
            let hs = holes_in(text, p);
            !hs.is_empty() && hs.iter().all(|&h| holes.get(h).is_some_and(|x| inside(x)))
        }),
        _ => false,
    };
    let mut candidates: Vec<Vec<Fragment<'a>>> = Vec::new();
    {
        let rs = Resolver::new(doc, template_at(doc, node.span)).without_defaults();
        for p in rs.expr(e) {
            if let Value::Text(pieces) = &p.value {
                candidates.push(
                    pieces
                        .iter()
                        .map(|piece| match piece {
                            resolve::Piece::Text(t) => Fragment::Text(t.clone()),
                            resolve::Piece::Unknown(x) => Fragment::Hole(x),
                        })
                        .collect(),
                );
            }
        }
    }
    // Strings built inside a conditional or an object literal of the expression.
    if builds {
        e.walk(&mut |x| {
            if std::ptr::eq(x, e) || !may_build_connection_string(x) {
                return;
            }
            let string_builder = match x {
                Expr::Interp(_) => true,
                Expr::Call { name, .. } => {
                    name.eq_ignore_ascii_case("concat") || name.eq_ignore_ascii_case("format")
                }
                _ => false,
            };
            if string_builder {
                candidates.push(flatten(x));
            }
        });
    }
    candidates.into_iter().find_map(|pieces| {
        let (cs, text, holes) = parse_pieces(&pieces)?;
        usable(&cs, &text, &holes).then_some(Found {
            node,
            cs,
            text,
            holes,
            literal: false,
        })
    })
}

/// False when no flattening of `e` can be a connection string: [`parse`] needs a `=` or a `://`
/// in the text, and the text's characters come from the expression's string literals (holes are
/// [`HOLE`], numbers are digits), so some literal must hold a `=` or a `:`. Most template
/// expressions (`[parameters('location')]`, `resourceId(...)`) are ruled out without flattening.
fn may_build_connection_string(e: &Expr) -> bool {
    let mut may = false;
    e.walk(&mut |x| {
        if let Expr::Str(s) = x {
            may |= s.contains(['=', ':']);
        }
    });
    may
}

/// A whole value that is a service's connection string, taken from a resource: Terraform
/// `azurerm_storage_account.a.primary_connection_string`, ARM/Bicep
/// `listKeys(…).primaryConnectionString`, `listConnectionStrings(…)`. Returns the attribute or call
/// and the service it belongs to.
pub fn connection_string_attribute(e: &Expr) -> Option<(String, Service)> {
    // Application Insights connection strings carry an instrumentation key, not a credential.
    let mut insights = false;
    e.walk(&mut |x| match x {
        Expr::Ref(path) => insights |= path.iter().any(|p| p.contains("application_insights")),
        Expr::Resource { address, path } | Expr::Module { address, path } => {
            insights |= address.contains("application_insights")
                || path.iter().any(|p| p.contains("application_insights"))
        }
        Expr::Param(name) | Expr::Var(name) | Expr::Local(name) => {
            insights |= name.to_ascii_lowercase().contains("insights")
        }
        Expr::Str(s) => insights |= s.to_ascii_lowercase().contains("insights"),
        _ => {}
    });
    if insights {
        return None;
    }
    let mut found: Option<(String, Service)> = None;
    e.walk(&mut |x| {
        if found.is_some() {
            return;
        }
        match x {
            Expr::Resource { address, path } | Expr::Module { address, path } => {
                let last = path
                    .last()
                    .map(|l| l.to_ascii_lowercase())
                    .unwrap_or_default();
                if last.contains("connection_string") {
                    let ty = match x {
                        Expr::Resource { .. } => Address::parse(address).ty.unwrap_or(""),
                        _ => "",
                    };
                    found = Some((x.to_string(), service_of_type(ty)));
                }
            }
            Expr::Member { base, name }
                if name.to_ascii_lowercase().contains("connectionstring") =>
            {
                found = Some((name.clone(), service_of_expr(base)));
            }
            Expr::Call { name, .. } if name.eq_ignore_ascii_case("listConnectionStrings") => {
                found = Some((name.clone(), service_of_expr(x)));
            }
            _ => {}
        }
    });
    found
}

/// The service a type string in the expression names, or else the name of a parameter or variable
/// it reads (`variables('serviceBusApiVersion')`).
fn service_of_expr(e: &Expr) -> Service {
    let mut svc = Service::Other;
    e.walk(&mut |x| {
        if let Expr::Str(s) | Expr::Param(s) | Expr::Var(s) = x {
            if svc == Service::Other {
                svc = service_of_type(s);
            }
        }
    });
    svc
}

/// The service of an ARM type (`Microsoft.ServiceBus/namespaces/…`) or azurerm type.
pub fn service_of_type(t: &str) -> Service {
    let t = t.to_ascii_lowercase();
    let has = |k: &str| t.contains(k);
    if has("storage") {
        Service::Storage
    } else if has("servicebus") {
        Service::ServiceBus
    } else if has("eventhub") {
        Service::EventHubs
    } else if has("documentdb") || has("cosmosdb") {
        Service::CosmosDb
    } else if has("redis") || has("microsoft.cache") {
        Service::Redis
    } else if has("signalr") {
        Service::SignalR
    } else if has("appconfiguration") || has("app_configuration") {
        Service::AppConfig
    } else if has("iothub") || has("devices") {
        Service::IotHub
    } else if has("postgres") {
        Service::Postgres
    } else if has("mysql") {
        Service::MySql
    } else if has("sql") {
        Service::Sql
    } else {
        Service::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_string_attributes() {
        // whole-value connection strings taken from a resource
        let r = Expr::Resource {
            address: "azurerm_servicebus_namespace.sb".into(),
            path: vec!["default_primary_connection_string".into()],
        };
        assert_eq!(
            connection_string_attribute(&r).map(|(_, s)| s),
            Some(Service::ServiceBus)
        );
        let m = crate::testing::arm_expr("[listKeys(resourceId('Microsoft.EventHub/namespaces/authorizationRules', 'n', 'r'), '2021-11-01').primaryConnectionString]");
        assert_eq!(
            connection_string_attribute(&m),
            Some(("primaryConnectionString".into(), Service::EventHubs))
        );
        let ai = Expr::Resource {
            address: "azurerm_application_insights.ai".into(),
            path: vec!["connection_string".into()],
        };
        assert_eq!(connection_string_attribute(&ai), None);
        let ai = crate::testing::arm_expr("[reference(resourceId('Microsoft.Insights/components', 'ai'), '2020-02-02').ConnectionString]");
        assert_eq!(connection_string_attribute(&ai), None);
    }

    #[test]
    fn flattening_expressions() {
        let e = crate::testing::arm_expr("[concat('DefaultEndpointsProtocol=https;AccountName=', parameters('n'), ';AccountKey=', listKeys(resourceId('Microsoft.Storage/storageAccounts', parameters('n')), '2023-01-01').keys[0].value)]");
        let pieces = flatten(&e);
        let (cs, text, holes) = parse_pieces(&pieces).unwrap();
        assert_eq!(holes.len(), 2);
        assert_eq!(cs.service(), Service::Storage);
        let Auth::SecretFromExpression { part } = cs.auth() else {
            panic!("{:?}", cs.auth())
        };
        let h = holes_in(&text, &cs.parts[part]);
        assert_eq!(h, vec![1]);
        assert_eq!(
            secret_source(holes[h[0]]),
            SecretSource::ListCall("listKeys".into())
        );

        let f = crate::testing::arm_expr(
            "[format('Server={0};User ID=u;Password={1}', parameters('s'), parameters('pwd'))]",
        );
        let (cs, text, holes) = parse_pieces(&flatten(&f)).unwrap();
        let Auth::SecretFromExpression { part } = cs.auth() else {
            panic!()
        };
        let h = holes_in(&text, &cs.parts[part]);
        assert_eq!(
            secret_source(holes[h[0]]),
            SecretSource::Parameter("pwd".into())
        );

        let tf = Expr::Interp(vec![
            Expr::Str("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=".into()),
            Expr::Resource {
                address: "azurerm_storage_account.a".into(),
                path: vec!["primary_access_key".into()],
            },
        ]);
        let (cs, text, holes) = parse_pieces(&flatten(&tf)).unwrap();
        let Auth::SecretFromExpression { part } = cs.auth() else {
            panic!()
        };
        let h = holes_in(&text, &cs.parts[part]);
        assert_eq!(
            secret_source(holes[h[0]]),
            SecretSource::Attribute("azurerm_storage_account.a.primary_access_key".into())
        );
        // a whole-value parameter is no connection string to analyse
        let p = crate::testing::arm_expr("[parameters('connectionString')]");
        assert!(parse_pieces(&flatten(&p)).is_none());
    }
}
