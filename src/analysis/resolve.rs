//! Following a value through the document: a `variables('x')` / `local.x` reference to the value it
//! names, so rules can see that an output or a setting ends in `listKeys()` or a literal.

use crate::ir::{Document, Expr, Node, NodeKind, StrClass};

/// Depth limit for following references (cycles are invalid templates but must not hang).
const MAX_HOPS: usize = 16;

/// The expressions a value is built from, following variable references into their values.
/// Calls `f` on each node reached (the value itself first).
pub fn reach<'a>(doc: &'a Document, template: usize, node: &'a Node, f: &mut dyn FnMut(&'a Node)) {
    reach_inner(doc, template, node, f, 0);
}

fn reach_inner<'a>(
    doc: &'a Document,
    template: usize,
    node: &'a Node,
    f: &mut dyn FnMut(&'a Node),
    hops: usize,
) {
    if hops > MAX_HOPS {
        return;
    }
    f(node);
    let mut follow = |e: &'a Expr| {
        for name in e.variable_refs() {
            if let Some(v) = doc.var(template, name) {
                reach_inner(doc, template, &v.value, f, hops + 1);
            }
        }
    };
    match &node.kind {
        NodeKind::Str(s) => {
            if let StrClass::Expression(e) = &s.class {
                follow(e);
            }
        }
        NodeKind::Expr(e) => follow(e),
        NodeKind::List(items) => {
            for i in items.iter() {
                reach_inner(doc, template, i, f, hops + 1);
            }
        }
        NodeKind::Map(entries) => {
            for e in entries.iter() {
                reach_inner(doc, template, &e.value, f, hops + 1);
            }
        }
        _ => {}
    }
}

/// The value a parameter or variable reference names: a parameter's default, a variable's or
/// local's value. `None` for any other expression, or when the name is not declared or has no
/// default.
pub fn named_value<'a>(doc: &'a Document, template: usize, e: &Expr) -> Option<&'a Node> {
    match e {
        Expr::Param(name) => doc.param(template, name)?.default.as_ref(),
        Expr::Var(name) | Expr::Local(name) => Some(&doc.var(template, name)?.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Param, Var};
    use crate::source::Span;

    #[test]
    fn named_value_follows_arm_and_terraform_references() {
        let mut doc = Document::default();
        doc.params.push(Param {
            template: 0,
            name: "role".into(),
            name_span: Span::at(0),
            span: Span::at(0),
            type_name: None,
            secure: false,
            default: Some(Node::literal(Span::at(1), "Owner")),
        });
        doc.vars.push(Var {
            template: 0,
            name: "id".into(),
            name_span: Span::at(0),
            value: Node::literal(Span::at(2), "guid"),
        });
        let lit = |n: Option<&Node>| n.and_then(Node::as_literal).map(str::to_string);
        assert_eq!(
            lit(named_value(&doc, 0, &Expr::Param("ROLE".into()))),
            Some("Owner".into())
        );
        assert_eq!(
            lit(named_value(&doc, 0, &Expr::Var("id".into()))),
            Some("guid".into())
        );
        assert_eq!(
            lit(named_value(&doc, 0, &Expr::Local("id".into()))),
            Some("guid".into())
        );
        assert!(named_value(&doc, 1, &Expr::Param("role".into())).is_none());
        assert!(named_value(&doc, 0, &Expr::Param("nope".into())).is_none());
        assert!(named_value(&doc, 0, &Expr::Str("x".into())).is_none());
    }
}
