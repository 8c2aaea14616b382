//! Module arguments: a caller's value for a module's parameter, resolved in the caller's document
//! so that it can stand in the module's document ([`crate::ir::Argument`] with no `caller`).
//!
//! The scan reads a local module for each call (`src/modules.rs`), binds the module's parameters
//! to what [`bind`] makes of the call's arguments, and runs the rules on the module with them.
//! [`bind`] follows the argument through the caller's parameters (to their defaults), variables,
//! locals, members and string building with the one value resolver, and writes what it finds as a
//! value tree: literals keep the span where the caller wrote them (moved by `shift`, the offset
//! of the caller's text in the text the rules see), constants and built strings take the
//! argument's span, and what cannot be known becomes an opaque expression (a name of the caller
//! means nothing in the module, so its parameters, variables and locals become plain names).

use std::sync::Arc;

use crate::analysis::resolve::{Piece, Possible, Resolver, Value};
use crate::ir::{Entry, Expr, Node, NodeKind, Str, StrClass};
use crate::source::Span;

/// At most this many nodes are written for one argument; the rest stays opaque.
const MAX_NODES: usize = 4096;
/// Nesting depth of the objects and lists written for one argument.
const ARGUMENT_NESTING_LIMIT: usize = 24;

/// The caller's argument `n` (an expression of the resolver's template) as a self-contained value
/// tree whose spans are moved by `shift`.
pub fn bind(rs: &Resolver<'_>, n: &Node, shift: usize) -> Node {
    let mut b = Binder {
        rs,
        shift,
        budget: MAX_NODES,
    };
    let values = rs.node(n);
    b.values(&values, n.span, 0)
}

struct Binder<'r, 'a> {
    rs: &'r Resolver<'a>,
    shift: usize,
    budget: usize,
}

impl<'a> Binder<'_, 'a> {
    fn span(&self, s: Span) -> Span {
        Span::new(s.start + self.shift, s.end + self.shift)
    }

    /// One node for every value the argument can have: the value itself when there is one, a
    /// conditional of constants when all are scalars, else an opaque expression.
    fn values(&mut self, values: &[Possible<'a>], at: Span, depth: usize) -> Node {
        if let [only] = values {
            return self.value(only, at, depth);
        }
        let scalars: Option<Vec<Expr>> = values.iter().map(|p| self.scalar(p)).collect();
        let expr = match scalars {
            Some(mut e) if !e.is_empty() => {
                let mut acc = e.pop().unwrap_or(Expr::Null);
                while let Some(prev) = e.pop() {
                    acc = Expr::Cond {
                        cond: Box::new(Expr::Ref(vec!["condition".into()])),
                        then: Box::new(prev),
                        otherwise: Box::new(acc),
                    };
                }
                acc
            }
            _ => Expr::Other(values.iter().filter_map(|p| self.opaque_of(p)).collect()),
        };
        self.expression(expr, at)
    }

    fn expression(&self, e: Expr, at: Span) -> Node {
        Node::new(
            self.span(at),
            NodeKind::Str(Str {
                value: e.to_string(),
                class: StrClass::Expression(e),
            }),
        )
    }

    /// A scalar value as a constant expression, or its opaque expression.
    fn scalar(&self, p: &Possible<'a>) -> Option<Expr> {
        if let Some(t) = p.text() {
            return Some(Expr::Str(t));
        }
        match &p.value {
            Value::Const(e) => Some((*e).clone()),
            Value::Node(n) => match &n.kind {
                NodeKind::Bool(b) => Some(Expr::Bool(*b)),
                NodeKind::Null => Some(Expr::Null),
                _ => None,
            },
            Value::Unknown(..) | Value::Text(_) => self.opaque_of(p),
            Value::Merge(_) => None,
        }
    }

    fn opaque_of(&self, p: &Possible<'a>) -> Option<Expr> {
        match &p.value {
            Value::Unknown(e, members) => Some(with_members(opaque(e), members)),
            Value::Text(pieces) => Some(Expr::Interp(
                pieces
                    .iter()
                    .map(|piece| match piece {
                        Piece::Text(t) => Expr::Str(t.clone()),
                        Piece::Unknown(e) => opaque(e),
                    })
                    .collect(),
            )),
            Value::Const(e) => Some((*e).clone()),
            Value::Node(_) | Value::Merge(_) => None,
        }
    }

    fn value(&mut self, p: &Possible<'a>, at: Span, depth: usize) -> Node {
        self.budget = self.budget.saturating_sub(1);
        match &p.value {
            Value::Node(n) => match &n.kind {
                NodeKind::Map(entries) if depth < ARGUMENT_NESTING_LIMIT && self.budget > 0 => {
                    let mut out = Vec::new();
                    for e in entries.iter() {
                        if e.key == "..." {
                            // a spread: its members are read through the resolver below
                            continue;
                        }
                        let members = self.rs.member(p, &e.key);
                        let value = self.values(&members, e.value.span, depth + 1);
                        out.push(Entry {
                            key: e.key.clone(),
                            key_span: self.span(e.key_span),
                            value,
                        });
                    }
                    Node::new(self.span(n.span), NodeKind::Map(Arc::from(out)))
                }
                NodeKind::List(items) if depth < ARGUMENT_NESTING_LIMIT && self.budget > 0 => {
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let members = self.rs.member(p, &i.to_string());
                        out.push(self.values(&members, item.span, depth + 1));
                    }
                    Node::new(self.span(n.span), NodeKind::List(Arc::from(out)))
                }
                NodeKind::Map(_) | NodeKind::List(_) => {
                    self.expression(Expr::Ref(vec!["argument".into()]), n.span)
                }
                other => Node::new(self.span(n.span), other.clone()),
            },
            Value::Const(e) => {
                let kind = match e {
                    Expr::Str(s) => NodeKind::Str(Str {
                        value: s.clone(),
                        class: crate::ir::classify::classify_literal(s),
                    }),
                    Expr::Number(v) => NodeKind::Number(v.clone()),
                    Expr::Bool(b) => NodeKind::Bool(*b),
                    _ => NodeKind::Null,
                };
                Node::new(self.span(at), kind)
            }
            Value::Text(_) => match p.text() {
                Some(t) => Node::new(
                    self.span(at),
                    NodeKind::Str(Str {
                        class: crate::ir::classify::classify_literal(&t),
                        value: t,
                    }),
                ),
                None => {
                    let e = self.opaque_of(p).unwrap_or(Expr::Null);
                    self.expression(e, at)
                }
            },
            Value::Merge(parts) => {
                let e = Expr::Other(parts.iter().filter_map(|p| self.opaque_of(p)).collect());
                self.expression(e, at)
            }
            Value::Unknown(..) => {
                let e = self.opaque_of(p).unwrap_or(Expr::Null);
                self.expression(e, at)
            }
        }
    }
}

/// An expression of the caller that means the same in any document: its parameters, variables
/// and locals become plain names (they would name the module's own otherwise).
pub fn opaque(e: &Expr) -> Expr {
    match e {
        Expr::Param(n) | Expr::Var(n) | Expr::Local(n) => Expr::Ref(vec![n.clone()]),
        Expr::Call { name, args } => Expr::Call {
            name: name.clone(),
            args: args.iter().map(opaque).collect(),
        },
        Expr::Member { base, name } => Expr::Member {
            base: Box::new(opaque(base)),
            name: name.clone(),
        },
        Expr::Index { base, index } => Expr::Index {
            base: Box::new(opaque(base)),
            index: Box::new(opaque(index)),
        },
        Expr::Interp(parts) => Expr::Interp(parts.iter().map(opaque).collect()),
        Expr::Other(parts) => Expr::Other(parts.iter().map(opaque).collect()),
        Expr::Cond {
            cond,
            then,
            otherwise,
        } => Expr::Cond {
            cond: Box::new(opaque(cond)),
            then: Box::new(opaque(then)),
            otherwise: Box::new(opaque(otherwise)),
        },
        other => other.clone(),
    }
}

fn with_members(mut e: Expr, members: &[String]) -> Expr {
    for m in members {
        e = Expr::Member {
            base: Box::new(e),
            name: m.clone(),
        };
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_text;

    #[test]
    fn arguments_resolve_in_the_caller_and_stay_opaque_where_unknown() {
        let doc = parse_text(
            "main.bicep",
            "param env string = 'prod'\nparam free string\nvar roles = {\n  owner: '8e3af657-a8ff-463c-9c1a-0a1d7b5d1a5c'\n}\nvar cfg = {\n  role: roles.owner\n  name: '${env}-x'\n  key: sa.listKeys().keys[0].value\n  who: free\n}\n",
        );
        let rs = Resolver::new(&doc, 0);
        let cfg = &doc.var(0, "cfg").unwrap().value;
        let bound = bind(&rs, cfg, 1000);
        let role = bound.get("role").unwrap();
        assert_eq!(
            role.as_literal(),
            Some("8e3af657-a8ff-463c-9c1a-0a1d7b5d1a5c")
        );
        // the literal keeps where the caller wrote it, moved by the shift
        let written = doc
            .var(0, "roles")
            .unwrap()
            .value
            .get("owner")
            .unwrap()
            .span;
        assert_eq!(role.span.start, written.start + 1000);
        assert_eq!(bound.get("name").unwrap().as_literal(), Some("prod-x"));
        // a caller's parameter without a default is a plain name, not the module's parameter
        let who = bound.get("who").unwrap().as_expr().unwrap();
        assert_eq!(who, &Expr::Ref(vec!["free".into()]));
        let key = bound.get("key").unwrap().as_expr().unwrap().to_string();
        assert!(key.contains("listKeys"), "{key}");
    }
}
