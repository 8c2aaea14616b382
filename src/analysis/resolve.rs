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
            for i in items {
                reach_inner(doc, template, i, f, hops + 1);
            }
        }
        NodeKind::Map(entries) => {
            for e in entries {
                reach_inner(doc, template, &e.value, f, hops + 1);
            }
        }
        _ => {}
    }
}
