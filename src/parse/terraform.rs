//! Terraform native syntax (`.tf`, `.tfvars`) into the IR, through `hcl-edit` (which keeps spans).
//!
//! The value tree mirrors the body: attributes and blocks are map entries in source order (a block's
//! entry has the block identifier as key and its body as a map; repeated blocks are repeated
//! entries; labels are not in the tree). Expressions follow the conventions of [`Expr`]: traversals
//! are `Ref` paths (`var.x` → `["var", "x"]`, index and splat steps dropped), function calls are
//! `Call`, templates are `Interp`, everything else is `Other` with its sub-expressions.
//!
//! Top-level blocks are lowered into the document ([`lower_blocks`], shared with Terraform JSON):
//! `variable` → parameters, `locals` → variables, `output` → outputs, `resource` / `data` →
//! resources (with the Azure type from `rules/azurerm-types.tsv`, identity, role assignments and
//! definitions, app settings and connection strings). In `.tfvars` every top-level attribute is also
//! a setting.

use std::ops::Range;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Directive, Element, Template as HclTemplate};
use hcl_edit::Span as _;

use crate::ir::{
    Comment, Dialect, Document, Entry, Expr, Identity, InputProblem, InputProblemKind, ModuleCall,
    Node, NodeKind, Output, Param, Resource, RoleAssignment, RoleDefinition, Setting,
    SettingSource, Str, StrClass, Template, Var,
};
use crate::source::{Format, SourceFile, Span};

use super::arm::identity_from_type;
use crate::ir::azurerm::azurerm_type;
use crate::ir::classify::classify_literal;

use super::hcl_lex::lex;

pub use super::hcl_lex::HCL_NESTING_LIMIT;

/// Parses a `.tf` or `.tfvars` file.
/// The span of the character at byte `at` (empty at the end of the text), on char boundaries.
fn char_span(text: &str, at: usize) -> Span {
    Span::new(at, at + 1).on_char_boundaries(text)
}

pub fn parse(file: &SourceFile) -> Document {
    let bom = file.bom_len();
    let text = file.text.get(bom..).unwrap_or("");
    let comments = match lex(text) {
        Ok(comments) => comments,
        Err(at) => {
            return super::failed(
                file,
                InputProblem {
                    kind: InputProblemKind::TooDeep,
                    span: char_span(&file.text, at + bom),
                    message: format!("Terraform nested deeper than {HCL_NESTING_LIMIT} levels"),
                },
            )
        }
    };
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(e) => {
            let loc = e.location();
            let at = offset_of(text, loc.line(), loc.column()) + bom;
            // hcl-edit's own limits (64 nested levels, 128 chained operators) guard its recursion.
            let too_deep = e.message().contains("nesting depth")
                || e.message().contains("chained binary operators");
            let problem = InputProblem {
                kind: if too_deep {
                    InputProblemKind::TooDeep
                } else {
                    InputProblemKind::Syntax
                },
                span: char_span(&file.text, at),
                message: format!("invalid Terraform: {}", e.message()),
            };
            return super::failed(file, problem);
        }
    };
    let lower = Lower {
        text,
        bom,
        each: Default::default(),
    };
    let root_span = Span::new(bom, file.text.len());
    let root = Node::new(root_span, NodeKind::Map(lower.body(&body).into()));
    let mut doc = Document {
        comments: comments
            .into_iter()
            .map(|(span, text)| Comment {
                span: Span::new(span.start + bom, span.end + bom),
                text,
            })
            .collect(),
        ..Document::default()
    };
    let mut blocks = Vec::new();
    for (s, e) in body.iter().zip(root.entries()) {
        match s {
            Structure::Block(b) => {
                let labels: Vec<(String, Span)> = b
                    .labels
                    .iter()
                    .map(|l| (l.as_str().to_string(), lower.span(l.span())))
                    .collect();
                let span = lower.span(b.span()).join(e.key_span);
                let head_span = labels
                    .last()
                    .map_or(e.key_span, |(_, s)| e.key_span.join(*s));
                let dynamic = b
                    .body
                    .blocks()
                    .filter(|d| d.ident.as_str() == "dynamic")
                    .filter_map(|d| {
                        let label = d.labels.first()?;
                        Some((label.as_str().to_string(), lower.span(d.span())))
                    })
                    .collect();
                blocks.push(TfBlock {
                    kind: e.key.clone(),
                    labels,
                    span,
                    head_span,
                    body: &e.value,
                    dynamic,
                });
            }
            Structure::Attribute(_) => {
                if file.format_by_name == Format::TerraformVars {
                    doc.settings.push(Setting {
                        key: e.key.clone(),
                        name: e.key.clone(),
                        key_span: e.key_span,
                        value: e.value.clone(),
                        source: SettingSource::AppConfig,
                    });
                }
            }
        }
    }
    lower_blocks(&mut doc, file, root_span, &blocks);
    doc.root = Some(root);
    doc
}

/// A top-level block, from native syntax or JSON syntax.
pub(crate) struct TfBlock<'a> {
    /// `resource`, `data`, `variable`, `locals`, `output`, …
    pub kind: String,
    pub labels: Vec<(String, Span)>,
    /// The whole block.
    pub span: Span,
    /// Where "this block" findings point: identifier to last label (native), the name key (JSON).
    pub head_span: Span,
    pub body: &'a Node,
    /// `dynamic "label" { … }` blocks directly in the body: label and span.
    pub dynamic: Vec<(String, Span)>,
}

/// Lowers the top-level blocks into the document: one template, parameters, variables, outputs,
/// resources and what hangs off them.
pub(crate) fn lower_blocks(doc: &mut Document, file: &SourceFile, span: Span, blocks: &[TfBlock]) {
    doc.templates.push(Template {
        span,
        scope: None,
        parent: None,
        outer_scope: false,
    });
    for b in blocks {
        match b.kind.as_str() {
            "variable" => {
                let Some((name, name_span)) = b.labels.first() else {
                    continue;
                };
                doc.params.push(Param {
                    template: 0,
                    name: name.clone(),
                    name_span: *name_span,
                    span: b.span,
                    type_name: b.body.get("type").map(|t| type_name(file, t)),
                    secure: b.body.get("sensitive").and_then(Node::as_bool) == Some(true),
                    default: b.body.get("default").cloned(),
                    argument: None,
                });
            }
            "locals" => {
                for e in b.body.entries() {
                    doc.vars.push(Var {
                        template: 0,
                        name: e.key.clone(),
                        name_span: e.key_span,
                        value: e.value.clone(),
                    });
                }
            }
            "output" => {
                let Some((name, name_span)) = b.labels.first() else {
                    continue;
                };
                doc.outputs.push(Output {
                    template: 0,
                    name: name.clone(),
                    name_span: *name_span,
                    span: b.span,
                    type_name: None,
                    secure: b.body.get("sensitive").and_then(Node::as_bool) == Some(true),
                    value: b
                        .body
                        .get("value")
                        .cloned()
                        .unwrap_or_else(|| Node::new(b.span, NodeKind::Null)),
                });
            }
            "module" => {
                let Some((name, _)) = b.labels.first() else {
                    continue;
                };
                let Some(source) = b.body.entry("source") else {
                    continue;
                };
                const META: &[&str] = &[
                    "source",
                    "version",
                    "providers",
                    "count",
                    "for_each",
                    "depends_on",
                ];
                doc.modules.push(ModuleCall {
                    template: 0,
                    name: name.clone(),
                    span: b.span,
                    source: source.value.as_text().unwrap_or_default().to_string(),
                    source_span: source.value.span,
                    args: b
                        .body
                        .entries()
                        .iter()
                        .filter(|e| !META.iter().any(|m| e.key.eq_ignore_ascii_case(m)))
                        .cloned()
                        .collect(),
                });
            }
            "resource" | "data" => {
                let (Some((ty, _)), Some((name, _))) = (b.labels.first(), b.labels.get(1)) else {
                    continue;
                };
                let existing = b.kind == "data";
                let symbol = if existing {
                    format!("data.{ty}.{name}")
                } else {
                    format!("{ty}.{name}")
                };
                add_resource(
                    doc,
                    NewResource {
                        source_type: ty,
                        name,
                        symbol,
                        span: b.span,
                        head_span: b.head_span,
                        body: b.body,
                        existing,
                        dynamic: &b.dynamic,
                    },
                );
            }
            _ => {}
        }
    }
}

/// A declared type as written, lower-cased: `string`, `list(string)`, `object({…})`.
fn type_name(file: &SourceFile, t: &Node) -> String {
    match &t.kind {
        NodeKind::Str(s) => s.value.to_ascii_lowercase(),
        NodeKind::Expr(Expr::Ref(path)) => path.join(".").to_ascii_lowercase(),
        _ => file
            .slice(t.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase(),
    }
}

/// What [`add_resource`] needs to know about a resource block or a plan resource.
pub(crate) struct NewResource<'a> {
    pub source_type: &'a str,
    pub name: &'a str,
    pub symbol: String,
    pub span: Span,
    pub head_span: Span,
    pub body: &'a Node,
    pub existing: bool,
    pub dynamic: &'a [(String, Span)],
}

/// Adds a resource with its identity, and for managed resources its role assignment or
/// definition and its app settings and connection strings. Returns its index.
pub(crate) fn add_resource(doc: &mut Document, r: NewResource) -> usize {
    let body = r.body;
    let (mut azure_type, mut kind) = match azurerm_type(r.source_type) {
        Some((t, k)) => (t.to_string(), k.map(str::to_string)),
        None => (String::new(), None),
    };
    if r.source_type == "azapi_resource" {
        // `type = "Microsoft.Web/sites@2023-01-01"`
        if let Some(t) = body.get("type").and_then(plain) {
            azure_type = t.split('@').next().unwrap_or("").trim().to_string();
        }
    }
    if kind.is_none() {
        kind = body.get("kind").and_then(plain).map(str::to_string);
    }
    let index = doc.resources.len();
    doc.resources.push(Resource {
        dialect: Dialect::Terraform,
        template: 0,
        azure_type,
        kind,
        source_type: r.source_type.to_string(),
        name: r.name.to_string(),
        symbol: Some(r.symbol),
        span: r.span,
        head_span: r.head_span,
        body: body.clone(),
        identity: identity(body, r.dynamic),
        parent: None,
        existing: r.existing,
    });
    if r.existing {
        return index;
    }
    match r.source_type {
        "azurerm_role_assignment" => doc.role_assignments.push(RoleAssignment {
            template: 0,
            resource: index,
            span: r.span,
            role_id: value(body, "role_definition_id"),
            role_name: value(body, "role_definition_name"),
            scope: value(body, "scope"),
            principal_id: value(body, "principal_id"),
            principal_type: body
                .get("principal_type")
                .and_then(plain)
                .map(str::to_string),
        }),
        "azurerm_role_definition" => {
            let mut actions = Vec::new();
            let mut data_actions = Vec::new();
            for (_, p) in blocks(body, "permissions") {
                if let Some(a) = p.get("actions") {
                    actions.extend(a.items_or_expr().iter().cloned());
                }
                if let Some(a) = p.get("data_actions") {
                    data_actions.extend(a.items_or_expr().iter().cloned());
                }
            }
            doc.role_definitions.push(RoleDefinition {
                template: 0,
                resource: index,
                span: r.span,
                actions,
                data_actions,
                assignable_scopes: body
                    .get("assignable_scopes")
                    .map(|s| s.items().to_vec())
                    .unwrap_or_default(),
                scope: value(body, "scope"),
            });
        }
        _ => {}
    }
    if let Some(settings) = body.get("app_settings") {
        for e in settings.entries() {
            doc.settings.push(Setting {
                key: format!("app_settings:{}", e.key),
                name: e.key.clone(),
                key_span: e.key_span,
                value: e.value.clone(),
                source: SettingSource::ResourceAppSetting(index),
            });
        }
    }
    for (key_span, cs) in blocks(body, "connection_string") {
        let Some(v) = value(cs, "value") else {
            continue;
        };
        let name_node = cs.get("name");
        let name = name_node
            .and_then(Node::as_str)
            .map(|s| s.value.clone())
            .unwrap_or_default();
        doc.settings.push(Setting {
            key: format!("connection_string:{name}"),
            name,
            key_span: name_node.map_or(key_span, |n| n.span),
            value: v,
            source: SettingSource::ResourceConnectionString(index),
        });
    }
    index
}

/// The identity block of a resource body (`identity { type = …; identity_ids = […] }`, or the
/// first item of a plan's `identity` list).
fn identity(body: &Node, dynamic: &[(String, Span)]) -> Identity {
    if let Some((key_span, block)) = blocks(body, "identity").into_iter().next() {
        let span = key_span.join(block.span);
        let Some(t) = block.get("type").and_then(plain) else {
            return Identity::Dynamic { span };
        };
        let ids = match block.get("identity_ids") {
            None => Vec::new(),
            Some(n) => match &n.kind {
                NodeKind::Null => Vec::new(),
                NodeKind::List(items) => items.to_vec(),
                // An expression yielding the list: kept as one item so that the ids can be followed.
                _ => vec![n.clone()],
            },
        };
        return identity_from_type(t, span, ids);
    }
    if let Some((_, span)) = dynamic.iter().find(|(label, _)| label == "identity") {
        return Identity::Dynamic { span: *span };
    }
    Identity::Absent
}

/// Nested blocks of a body: map entries (native syntax) or maps inside a list (JSON syntax, plan),
/// each with the span of its key.
pub(crate) fn blocks<'a>(body: &'a Node, key: &'a str) -> Vec<(Span, &'a Node)> {
    let mut out = Vec::new();
    for e in body.entries().iter().filter(|e| e.key == key) {
        match &e.value.kind {
            NodeKind::Map(_) => out.push((e.key_span, &e.value)),
            NodeKind::List(items) => {
                out.extend(items.iter().filter(|i| i.is_map()).map(|i| (e.key_span, i)));
            }
            _ => {}
        }
    }
    out
}

/// An attribute's value, unless absent or `null` (plans write every unset attribute as `null`).
fn value(body: &Node, key: &str) -> Option<Node> {
    body.get(key)
        .filter(|n| !matches!(n.kind, NodeKind::Null))
        .cloned()
}

/// A string written in the file (literal or placeholder-looking, as `"None"` is), not an
/// expression.
fn plain(n: &Node) -> Option<&str> {
    match &n.kind {
        NodeKind::Str(Str {
            value,
            class: StrClass::Literal | StrClass::Placeholder,
        }) => Some(value),
        _ => None,
    }
}

/// Byte offset of a 1-based line and column (columns in characters), clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    rest.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// Lowers hcl-edit syntax into nodes and expressions. `text` is what was parsed (the file after its
/// byte order mark, or a JSON string's value); `bom` shifts spans back to file offsets.
pub(crate) struct Lower<'t> {
    pub text: &'t str,
    pub bom: usize,
    /// The `for_each` of the resource or data block being lowered: `each.value` in it is
    /// lowered as an item of that collection (`x[copyIndex()]`, as ARM writes a loop's item), so
    /// the resolver reads every item.
    pub each: std::cell::RefCell<Option<Expr>>,
}

impl Lower<'_> {
    fn span(&self, r: Option<Range<usize>>) -> Span {
        match r {
            Some(r) => Span::new(r.start + self.bom, r.end + self.bom),
            None => Span::at(self.bom),
        }
    }

    /// The parsed text under a file span.
    fn raw(&self, span: Span) -> &str {
        self.text
            .get(span.start.saturating_sub(self.bom)..span.end.saturating_sub(self.bom))
            .unwrap_or("")
    }

    fn body(&self, body: &Body) -> Vec<Entry> {
        body.iter()
            .map(|s| match s {
                Structure::Attribute(a) => Entry {
                    key: a.key.as_str().to_string(),
                    key_span: self.span(a.key.span()),
                    value: self.node(&a.value),
                },
                Structure::Block(b) => {
                    let key_span = self.span(b.ident.span());
                    let whole = self.span(b.span());
                    let head_end = b
                        .labels
                        .last()
                        .map_or(key_span.end, |l| self.span(l.span()).end);
                    // The value is the `{ … }` after the header.
                    let open = self
                        .raw(Span::new(head_end, whole.end))
                        .find('{')
                        .map_or(head_end, |i| head_end + i);
                    let each = matches!(b.ident.as_str(), "resource" | "data")
                        .then(|| b.body.get_attribute("for_each"))
                        .flatten()
                        .map(|a| self.expr(&a.value));
                    let outer = each.map(|e| self.each.replace(Some(e)));
                    let body = self.body(&b.body);
                    if let Some(outer) = outer {
                        self.each.replace(outer);
                    }
                    Entry {
                        key: b.ident.as_str().to_string(),
                        key_span,
                        value: Node::new(Span::new(open, whole.end), NodeKind::Map(body.into())),
                    }
                }
            })
            .collect()
    }

    /// An expression as a value node: data stays data, the rest becomes an expression.
    fn node(&self, e: &Expression) -> Node {
        let span = self.span(e.span());
        let kind = match e {
            Expression::Null(_) => NodeKind::Null,
            Expression::Bool(b) => NodeKind::Bool(*b.value()),
            Expression::Number(n) => NodeKind::Number(self.number(span, n.value())),
            Expression::String(s) => NodeKind::Str(Str {
                value: s.value().clone(),
                class: classify_literal(s.value()),
            }),
            Expression::Array(a) => NodeKind::List(a.iter().map(|x| self.node(x)).collect()),
            Expression::Object(o) => NodeKind::Map(
                o.iter()
                    .map(|(k, v)| Entry {
                        key: self.object_key(k),
                        key_span: self.span(k.span()),
                        value: self.node(v.expr()),
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                let raw = self.raw(span);
                let raw = raw
                    .strip_prefix('"')
                    .and_then(|r| r.strip_suffix('"'))
                    .unwrap_or(raw);
                return Node::new(span, self.template_str(t, raw));
            }
            Expression::HeredocTemplate(h) => {
                // The span is the raw text between the header line and the closing delimiter.
                let inner = h.template.span().map_or(span, |r| self.span(Some(r)));
                let inner = if inner.is_empty() { span } else { inner };
                return Node::new(inner, self.template_str(&h.template, self.raw(inner)));
            }
            Expression::Parenthesis(p) => {
                let mut n = self.node(p.inner());
                n.span = span;
                return n;
            }
            other => NodeKind::Expr(self.expr(other)),
        };
        Node::new(span, kind)
    }

    fn number(&self, span: Span, n: &hcl_edit::Number) -> String {
        // As written, without the blanks the parser allows after a minus sign (`- 2`).
        let raw: String = self.raw(span).split_whitespace().collect();
        if raw.is_empty() {
            n.to_string()
        } else {
            raw
        }
    }

    fn object_key(&self, k: &ObjectKey) -> String {
        match k {
            ObjectKey::Ident(id) => id.as_str().to_string(),
            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
            ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
            ObjectKey::Expression(e) => self.raw(self.span(e.span())).to_string(),
        }
    }

    /// A template as a string: a literal when it has no interpolation or directive.
    fn template_str(&self, t: &HclTemplate, raw: &str) -> NodeKind {
        match self.template_expr(t) {
            Expr::Str(s) => NodeKind::Str(Str {
                class: classify_literal(&s),
                value: s,
            }),
            e => NodeKind::Str(Str {
                value: raw.to_string(),
                class: StrClass::Expression(e),
            }),
        }
    }

    /// `Interp(parts)`, or `Str` when every part is literal text.
    pub(crate) fn template_expr(&self, t: &HclTemplate) -> Expr {
        let mut parts = Vec::new();
        self.template_parts(t, &mut parts);
        if parts.iter().all(|p| matches!(p, Expr::Str(_))) {
            let s: String = parts
                .iter()
                .filter_map(Expr::as_str)
                .collect::<Vec<_>>()
                .concat();
            return Expr::Str(s);
        }
        Expr::Interp(parts)
    }

    fn template_parts(&self, t: &HclTemplate, out: &mut Vec<Expr>) {
        for el in t.iter() {
            match el {
                Element::Literal(s) => out.push(Expr::Str(s.value().clone())),
                Element::Interpolation(i) => out.push(self.expr(&i.expr)),
                Element::Directive(d) => {
                    let mut sub = Vec::new();
                    match d.as_ref() {
                        Directive::If(i) => {
                            sub.push(self.expr(&i.if_expr.cond_expr));
                            self.template_parts(&i.if_expr.template, &mut sub);
                            if let Some(e) = &i.else_expr {
                                self.template_parts(&e.template, &mut sub);
                            }
                        }
                        Directive::For(f) => {
                            sub.push(self.expr(&f.for_expr.collection_expr));
                            self.template_parts(&f.for_expr.template, &mut sub);
                        }
                    }
                    out.push(Expr::Other(sub));
                }
            }
        }
    }

    /// The rest of a traversal from `base` on: attributes are members, keys are indexes.
    fn index_rest(&self, mut base: Expr, ops: &[hcl_edit::Decorated<TraversalOperator>]) -> Expr {
        for op in ops {
            base = match op.value() {
                TraversalOperator::GetAttr(name) => Expr::Member {
                    base: Box::new(base),
                    name: name.as_str().to_string(),
                },
                TraversalOperator::Index(i) => Expr::Index {
                    base: Box::new(base),
                    index: Box::new(self.expr(i)),
                },
                TraversalOperator::LegacyIndex(i) => Expr::Index {
                    base: Box::new(base),
                    index: Box::new(Expr::Number(i.value().to_string())),
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => base,
            };
        }
        base
    }

    /// An expression inside another expression.
    fn expr(&self, e: &Expression) -> Expr {
        match e {
            Expression::Null(_) => Expr::Null,
            Expression::Bool(b) => Expr::Bool(*b.value()),
            Expression::Number(n) => Expr::Number(self.number(self.span(n.span()), n.value())),
            Expression::String(s) => Expr::Str(s.value().clone()),
            Expression::Array(a) => Expr::Other(a.iter().map(|x| self.expr(x)).collect()),
            Expression::Object(o) => {
                let mut sub = Vec::new();
                for (k, v) in o.iter() {
                    if let ObjectKey::Expression(k) = k {
                        if !matches!(k, Expression::String(_) | Expression::Variable(_)) {
                            sub.push(self.expr(k));
                        }
                    }
                    sub.push(self.expr(v.expr()));
                }
                Expr::Other(sub)
            }
            Expression::StringTemplate(t) => self.template_expr(t),
            Expression::HeredocTemplate(h) => self.template_expr(&h.template),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Variable(v) => reference(vec![v.as_str().to_string()]),
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    if v.as_str() == "each" {
                        if let (Some(list), Some(TraversalOperator::GetAttr(a))) = (
                            self.each.borrow().clone(),
                            t.operators.first().map(|o| o.value()),
                        ) {
                            if a.as_str() == "value" {
                                let item = Expr::Index {
                                    base: Box::new(list),
                                    index: Box::new(Expr::Call {
                                        name: "copyIndex".into(),
                                        args: Vec::new(),
                                    }),
                                };
                                return self.index_rest(item, &t.operators[1..]);
                            }
                        }
                    }
                    let mut path = vec![v.as_str().to_string()];
                    for (i, op) in t.operators.iter().enumerate() {
                        match op.value() {
                            TraversalOperator::GetAttr(name) => {
                                path.push(name.as_str().to_string())
                            }
                            // A map of a local or variable read by a key the file names
                            // (`local.role_ids[var.role]`, `local.roles["owner"]`) keeps its
                            // key, for the resolver; a loop's index (`count.index`) reads
                            // every item, as before.
                            TraversalOperator::Index(k)
                                if matches!(v.as_str(), "local" | "var")
                                    && matches!(
                                        self.expr(k),
                                        Expr::Param(_) | Expr::Local(_) | Expr::Str(_)
                                    ) =>
                            {
                                return self.index_rest(
                                    reference(std::mem::take(&mut path)),
                                    &t.operators[i..],
                                );
                            }
                            _ => {}
                        }
                    }
                    return reference(path);
                }
                self.index_rest(self.expr(&t.expr), &t.operators)
            }
            Expression::FuncCall(f) => {
                let mut name: Vec<&str> = f.name.namespace.iter().map(|n| n.as_str()).collect();
                name.push(f.name.name.as_str());
                Expr::Call {
                    name: name.join("::"),
                    args: f.args.iter().map(|a| self.expr(a)).collect(),
                }
            }
            Expression::Conditional(c) => Expr::Cond {
                cond: Box::new(self.expr(&c.cond_expr)),
                then: Box::new(self.expr(&c.true_expr)),
                otherwise: Box::new(self.expr(&c.false_expr)),
            },
            Expression::UnaryOp(u) => Expr::Other(vec![self.expr(&u.expr)]),
            Expression::BinaryOp(b) => {
                Expr::Other(vec![self.expr(&b.lhs_expr), self.expr(&b.rhs_expr)])
            }
            Expression::ForExpr(f) => {
                let mut sub = vec![self.expr(&f.intro.collection_expr)];
                if let Some(k) = &f.key_expr {
                    sub.push(self.expr(k));
                }
                sub.push(self.expr(&f.value_expr));
                if let Some(c) = &f.cond {
                    sub.push(self.expr(&c.expr));
                }
                Expr::Other(sub)
            }
        }
    }
}

/// A traversal of names (index and splat steps dropped) as a typed reference: `var.x` a parameter,
/// `local.x` a local, `module.m.x` a module output, `data.t.l.x` and `t.l.x` resource attributes;
/// `each`, `count`, `self`, `path`, `terraform` and loop variables stay [`Expr::Ref`] paths.
fn reference(mut path: Vec<String>) -> Expr {
    let members = |root: Expr, rest: &[String]| {
        rest.iter().fold(root, |base, name| Expr::Member {
            base: Box::new(base),
            name: name.clone(),
        })
    };
    match path.first().map(String::as_str) {
        Some("var") if path.len() >= 2 => members(Expr::Param(path[1].clone()), &path[2..]),
        Some("local") if path.len() >= 2 => members(Expr::Local(path[1].clone()), &path[2..]),
        Some("module") if path.len() >= 2 => {
            let rest = path.split_off(2);
            Expr::Module {
                address: path.join("."),
                path: rest,
            }
        }
        Some("data") if path.len() >= 3 => {
            let rest = path.split_off(3);
            Expr::Resource {
                address: path.join("."),
                path: rest,
            }
        }
        Some(
            "var" | "local" | "module" | "data" | "each" | "count" | "self" | "path" | "terraform",
        ) => Expr::Ref(path),
        Some(_) if path.len() >= 2 => {
            let rest = path.split_off(2);
            Expr::Resource {
                address: path.join("."),
                path: rest,
            }
        }
        _ => Expr::Ref(path),
    }
}

/// Parses a Terraform template string (a JSON-syntax string containing `${` or `%{`) into an
/// expression. On error: the byte offset into `s` and the message.
pub(crate) fn parse_template(s: &str) -> Result<Expr, (usize, String)> {
    match hcl_edit::parser::parse_template(s) {
        Ok(t) => Ok(Lower {
            text: s,
            bom: 0,
            each: Default::default(),
        }
        .template_expr(&t)),
        Err(e) => {
            let loc = e.location();
            Err((
                offset_of(s, loc.line(), loc.column()),
                e.message().to_string(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Identity;
    use std::path::{Path, PathBuf};

    /// Parses a fixture (relative to the crate root) with the format its name gives it.
    fn fixture(rel: &str) -> (SourceFile, Document) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        inline(rel, &text)
    }

    fn inline(name: &str, text: &str) -> (SourceFile, Document) {
        let path = PathBuf::from(name);
        let format = crate::discover::format_for_explicit(&path, text.as_bytes());
        let f = SourceFile::new(path, name.into(), text.into(), format);
        let doc = crate::parse::parse(&f).doc;
        (f, doc)
    }

    fn at(f: &SourceFile, span: Span) -> (usize, usize) {
        f.line_col(span.start)
    }

    fn res<'d>(d: &'d Document, symbol: &str) -> &'d Resource {
        d.resource_by_symbol(symbol).unwrap().1
    }

    const MAIN: &str = "testdata/parse/terraform/main.tf";

    #[test]
    fn tree_keeps_attributes_blocks_and_spans() {
        let (f, d) = fixture(MAIN);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let root = d.root.as_ref().unwrap();
        let fn_app = root
            .get_all("resource")
            .next()
            .expect("first resource block");
        // A chosen value: the connection string's literal password value.
        let cs = fn_app.get("connection_string").unwrap();
        let v = cs.get("value").unwrap();
        assert_eq!(at(&f, v.span), (29, 13));
        assert_eq!(f.slice(v.span), "\"Server=tcp:x;Password=hunter2\"");
        assert_eq!(v.as_literal(), Some("Server=tcp:x;Password=hunter2"));
        // A chosen block: its entry key is the identifier, its value the braces.
        let e = fn_app.entry("identity").unwrap();
        assert_eq!(at(&f, e.key_span), (31, 3));
        assert_eq!(at(&f, e.value.span), (31, 12));
        assert!(f.slice(e.value.span).ends_with('}'));
        // Repeated blocks are repeated entries.
        let sys = root.get_all("resource").nth(2).unwrap();
        assert_eq!(sys.get_all("site_config").count(), 2);
        // Object keys with spans, quoted or not.
        let settings = fn_app.get("app_settings").unwrap();
        let keys: Vec<_> = settings.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["AzureWebJobsStorage", "FUNCTIONS_WORKER", "KEY"]);
        assert_eq!(at(&f, settings.entries()[1].key_span), (23, 5));
    }

    #[test]
    fn expressions_follow_the_ir_conventions() {
        let (f, d) = fixture(MAIN);
        let prefix = d.var(0, "prefix").unwrap();
        assert_eq!(at(&f, prefix.name_span), (13, 3));
        let e = prefix.value.as_expr().unwrap();
        assert_eq!(
            e,
            &Expr::Interp(vec![Expr::Str("app-".into()), Expr::Param("env".into())])
        );
        assert_eq!(prefix.value.as_str().unwrap().value, "app-${var.env}");
        assert_eq!(
            d.var(0, "conn")
                .unwrap()
                .value
                .as_expr()
                .unwrap()
                .parameter_refs(),
            vec!["db_password"]
        );
        let fn_app = res(&d, "azurerm_linux_function_app.fn");
        assert_eq!(
            fn_app
                .body
                .get("name")
                .unwrap()
                .as_expr()
                .unwrap()
                .variable_refs(),
            vec!["prefix"]
        );
        let ra = res(&d, "azurerm_role_assignment.ra");
        assert_eq!(
            ra.body.get("principal_id").unwrap().as_expr(),
            Some(&Expr::Resource {
                address: "azurerm_linux_function_app.fn".into(),
                path: vec!["identity".into(), "principal_id".into()]
            })
        );
        assert_eq!(
            ra.body
                .get("scope")
                .unwrap()
                .as_expr()
                .unwrap()
                .resource_refs(),
            vec![("data.azurerm_subscription.current", &["id".to_string()][..])]
        );
        let tags = d.param(0, "tags").unwrap();
        assert_eq!(tags.type_name.as_deref(), Some("map(string)"));
        assert_eq!(
            tags.default
                .as_ref()
                .unwrap()
                .get("env")
                .unwrap()
                .as_literal(),
            Some("dev")
        );
        let sa = res(&d, "azurerm_storage_account.sa");
        assert_eq!(
            sa.body.get("shared_access_key_enabled").unwrap().as_bool(),
            Some(true)
        );
    }

    #[test]
    fn function_calls_conditionals_and_heredocs() {
        let text = "locals {\n  a = base64encode(\"x\", var.k)\n  b = var.c ? \"p\" : local.d\n  c = [for s in var.l : upper(s)]\n  d = <<EOT\nhello ${var.who}\nEOT\n  e = <<EOT\nplain text\nEOT\n  f = provider::azurerm::normalise_resource_id(var.id)\n  g = [1.50, - 2, 3 + 4]\n}\n";
        let (f, d) = inline("x.tf", text);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let a = d.var(0, "a").unwrap().value.as_expr().unwrap();
        assert!(a.calls_fn("base64encode"));
        assert_eq!(a.parameter_refs(), vec!["k"]);
        let b = d.var(0, "b").unwrap().value.as_expr().unwrap();
        assert!(matches!(b, Expr::Cond { .. }));
        assert_eq!(b.variable_refs(), vec!["d"]);
        let c = d.var(0, "c").unwrap().value.as_expr().unwrap();
        assert!(c.calls_fn("upper") && c.parameter_refs() == vec!["l"]);
        let heredoc = &d.var(0, "d").unwrap().value;
        assert_eq!(heredoc.as_expr().unwrap().parameter_refs(), vec!["who"]);
        assert_eq!(at(&f, heredoc.span), (6, 1));
        let plain = &d.var(0, "e").unwrap().value;
        assert_eq!(plain.as_literal(), Some("plain text\n"));
        assert_eq!(at(&f, plain.span), (9, 1));
        let ns = d.var(0, "f").unwrap().value.as_expr().unwrap();
        // Loop variables and `each`/`count` stay plain paths; modules are typed.
        let (_, loops) = inline(
            "y.tf",
            "locals {\n  a = [for s in var.l : s.name]\n  b = each.key\n  c = module.m.out.x\n}\n",
        );
        assert_eq!(
            loops.var(0, "b").unwrap().value.as_expr(),
            Some(&Expr::Ref(vec!["each".into(), "key".into()]))
        );
        assert_eq!(
            loops.var(0, "c").unwrap().value.as_expr(),
            Some(&Expr::Module {
                address: "module.m".into(),
                path: vec!["out".into(), "x".into()]
            })
        );
        assert!(ns.calls_fn("provider::azurerm::normalise_resource_id"));
        let g = &d.var(0, "g").unwrap().value;
        assert_eq!(g.items()[0].kind, NodeKind::Number("1.50".into()));
        assert_eq!(g.items()[1].kind, NodeKind::Number("-2".into()));
        assert_eq!(at(&f, g.items()[1].span), (12, 14));
        assert!(matches!(g.items()[2].kind, NodeKind::Expr(Expr::Other(_))));
    }

    #[test]
    fn variables_locals_outputs() {
        let (f, d) = fixture(MAIN);
        assert_eq!(d.templates.len(), 1);
        assert_eq!(d.templates[0].scope, None);
        let pw = d.param(0, "db_password").unwrap();
        assert!(pw.secure);
        assert_eq!(pw.type_name.as_deref(), Some("string"));
        assert_eq!(at(&f, pw.name_span), (2, 10));
        assert_eq!(at(&f, pw.span), (2, 1));
        assert!(!d.param(0, "tags").unwrap().secure);
        assert_eq!(d.vars.len(), 2);
        assert_eq!(d.outputs.len(), 2);
        let key = &d.outputs[0];
        assert!(key.secure);
        assert_eq!(at(&f, key.name_span), (85, 8));
        assert_eq!(
            key.value.as_expr().unwrap().resource_refs(),
            vec![(
                "azurerm_storage_account.sa",
                &["primary_access_key".to_string()][..]
            )]
        );
        assert!(!d.outputs[1].secure);
    }

    #[test]
    fn resources_with_types_heads_and_identities() {
        let (f, d) = fixture(MAIN);
        let fn_app = res(&d, "azurerm_linux_function_app.fn");
        assert_eq!(fn_app.azure_type, "Microsoft.Web/sites");
        assert_eq!(fn_app.kind.as_deref(), Some("functionapp,linux"));
        assert_eq!(fn_app.name, "fn");
        assert_eq!(at(&f, fn_app.head_span), (19, 1));
        assert_eq!(
            f.slice(fn_app.head_span),
            "resource \"azurerm_linux_function_app\" \"fn\""
        );
        assert_eq!(at(&f, fn_app.span), (19, 1));
        assert!(f.slice(fn_app.span).ends_with('}'));
        match &fn_app.identity {
            Identity::Declared {
                span,
                system,
                user_assigned,
            } => {
                assert!(*system);
                assert_eq!(user_assigned.len(), 1);
                assert_eq!(at(&f, *span), (31, 3));
                assert_eq!(at(&f, user_assigned[0].span), (33, 21));
            }
            other => panic!("{other:?}"),
        }
        // No identity block at all.
        let sa = res(&d, "azurerm_storage_account.sa");
        assert_eq!(sa.identity, Identity::Absent);
        assert_eq!(sa.azure_type, "Microsoft.Storage/storageAccounts");
        // SystemAssigned only.
        match &res(&d, "azurerm_linux_web_app.sys").identity {
            Identity::Declared {
                system,
                user_assigned,
                span,
            } => {
                assert!(*system && user_assigned.is_empty());
                assert_eq!(at(&f, *span), (44, 3));
            }
            other => panic!("{other:?}"),
        }
        // Type from a variable; identity from a dynamic block.
        match &res(&d, "azurerm_windows_web_app.dyn").identity {
            Identity::Dynamic { span } => assert_eq!(at(&f, *span), (52, 3)),
            other => panic!("{other:?}"),
        }
        match &res(&d, "azurerm_windows_web_app.dynblock").identity {
            Identity::Dynamic { span } => assert_eq!(at(&f, *span), (58, 3)),
            other => panic!("{other:?}"),
        }
        let sub = res(&d, "data.azurerm_subscription.current");
        assert!(sub.existing);
        assert_eq!(sub.source_type, "azurerm_subscription");
        assert_eq!(at(&f, sub.head_span), (83, 1));
        assert_eq!(sub.azure_type, "");
    }

    #[test]
    fn identity_none_is_none() {
        let (_, d) = inline(
            "n.tf",
            "resource \"azurerm_linux_web_app\" \"w\" {\n  identity {\n    type = \"None\"\n  }\n}\n",
        );
        assert!(matches!(d.resources[0].identity, Identity::None { .. }));
    }

    #[test]
    fn role_assignments_and_definitions() {
        let (f, d) = fixture(MAIN);
        assert_eq!(d.role_assignments.len(), 1);
        let ra = &d.role_assignments[0];
        assert_eq!(
            d.resources[ra.resource].symbol.as_deref(),
            Some("azurerm_role_assignment.ra")
        );
        assert_eq!(at(&f, ra.span), (66, 1));
        let name = ra.role_name.as_ref().unwrap();
        assert_eq!(name.as_literal(), Some("Owner"));
        assert_eq!(at(&f, name.span), (68, 26));
        assert!(ra.role_id.is_none());
        assert_eq!(at(&f, ra.scope.as_ref().unwrap().span), (67, 26));
        assert_eq!(at(&f, ra.principal_id.as_ref().unwrap().span), (69, 26));
        assert_eq!(ra.principal_type.as_deref(), Some("ServicePrincipal"));
        assert_eq!(d.role_definitions.len(), 1);
        let rd = &d.role_definitions[0];
        assert_eq!(rd.actions.len(), 1);
        assert_eq!(rd.actions[0].as_literal(), Some("*"));
        assert_eq!(at(&f, rd.actions[0].span), (77, 21));
        assert_eq!(rd.data_actions.len(), 1);
        assert_eq!(rd.assignable_scopes.len(), 1);
        assert!(rd.scope.is_some());
    }

    #[test]
    fn app_settings_and_connection_strings() {
        let (f, d) = fixture(MAIN);
        let keys: Vec<_> = d.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "app_settings:AzureWebJobsStorage",
                "app_settings:FUNCTIONS_WORKER",
                "app_settings:KEY",
                "connection_string:Db"
            ]
        );
        let s = &d.settings[0];
        assert_eq!(s.source, SettingSource::ResourceAppSetting(0));
        assert_eq!(s.name, "AzureWebJobsStorage");
        assert_eq!(at(&f, s.key_span), (22, 5));
        assert!(s.value.as_expr().is_some());
        let cs = &d.settings[3];
        assert_eq!(cs.source, SettingSource::ResourceConnectionString(0));
        assert_eq!(at(&f, cs.key_span), (27, 13));
        assert_eq!(at(&f, cs.value.span), (29, 13));
    }

    #[test]
    fn comments_with_exact_spans() {
        let (f, d) = fixture(MAIN);
        let found: Vec<_> = d
            .comments
            .iter()
            .map(|c| (at(&f, c.span), c.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    (1, 1),
                    " Fixture for the Terraform lowering tests: positions are asserted, edit with care."
                ),
                ((13, 29), " trailing comment"),
                ((17, 1), " a block\n   comment "),
            ]
        );
        assert_eq!(f.slice(d.comments[1].span), "// trailing comment");
        assert_eq!(f.slice(d.comments[2].span), "/* a block\n   comment */");
    }

    #[test]
    fn tfvars_attributes_are_settings() {
        let (f, d) = fixture("testdata/parse/terraform/prod.tfvars");
        assert_eq!(f.format_by_name, Format::TerraformVars);
        assert!(d.problems.is_empty());
        let keys: Vec<_> = d.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["location", "db_password", "ids"]);
        let pw = &d.settings[1];
        assert_eq!(pw.source, SettingSource::AppConfig);
        assert_eq!(at(&f, pw.key_span), (3, 1));
        assert_eq!(at(&f, pw.value.span), (3, 15));
        assert_eq!(pw.value.as_literal(), Some("S3cr3t-Passw0rd!"));
        assert_eq!(d.comments.len(), 1);
        assert!(d.resources.is_empty());
    }

    #[test]
    fn syntax_error_position() {
        let text = "resource \"azurerm_storage_account\" \"a\" {\n  name = \"x\"\n  tags = {\n    a = = 1\n  }\n}\n";
        let (f, d) = inline("bad.tf", text);
        assert!(d.root.is_none());
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&f, d.problems[0].span), (4, 9));
        // The text fallback keeps the lines for pattern rules.
        assert_eq!(d.text_lines.len(), 6);
        // Unterminated block at the end of the file.
        let (f, d) = inline("eof.tf", "\u{feff}locals {\n  a = 1\n");
        assert_eq!(d.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&f, d.problems[0].span), (3, 1));
    }

    #[test]
    fn deep_nesting_is_reported_not_overflowed() {
        let text = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let (f, d) = inline("deep.tf", &text);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].kind, InputProblemKind::TooDeep);
        assert_eq!(at(&f, d.problems[0].span), (1, 5 + HCL_NESTING_LIMIT));
        // Deeper than hcl-edit's own limit but within ours: still too deep, at hcl-edit's position.
        let text = format!("a = {}{}\n", "[".repeat(100), "]".repeat(100));
        let (_, d) = inline("deep2.tf", &text);
        assert_eq!(d.problems[0].kind, InputProblemKind::TooDeep);
        let text = format!("a = 1{}\n", " + 1".repeat(200));
        let (_, d) = inline("ops.tf", &text);
        assert_eq!(d.problems[0].kind, InputProblemKind::TooDeep);
        // Brackets inside strings, comments and heredocs do not count.
        let text = format!(
            "# {o}\na = \"{o}\"\nb = <<EOT\n{o}\nEOT\n",
            o = "[".repeat(1000)
        );
        let (_, d) = inline("flat.tf", &text);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn azurerm_table_covers_the_identity_capable_types() {
        // Every azurerm type the identity catalog names maps to that catalog row's ARM type, so
        // the two tables cannot drift apart.
        let mut checked = 0;
        for row in crate::analysis::identity::catalog() {
            for t in &row.azurerm {
                let (arm, _) = azurerm_type(t).unwrap_or_else(|| panic!("{t} missing"));
                assert!(
                    arm.eq_ignore_ascii_case(row.arm_type),
                    "{t}: {arm} vs {}",
                    row.arm_type
                );
                checked += 1;
            }
        }
        assert!(checked > 30, "{checked}");
        // Types other rules read (key auth, connection strings, identities, API connections).
        for t in [
            "azurerm_mssql_database",
            "azurerm_cosmosdb_account",
            "azurerm_servicebus_namespace",
            "azurerm_eventhub_namespace",
            "azurerm_redis_cache",
            "azurerm_container_registry",
            "azurerm_key_vault",
            "azurerm_app_configuration",
            "azurerm_user_assigned_identity",
            "azurerm_api_connection",
            "azurerm_iothub",
            "azurerm_signalr_service",
            "azurerm_web_pubsub",
        ] {
            let (arm, _) = azurerm_type(t).unwrap_or_else(|| panic!("{t} missing"));
            assert!(arm.starts_with("Microsoft.") && arm.contains('/'), "{t}");
        }
        assert_eq!(
            azurerm_type("azurerm_windows_function_app_slot"),
            Some(("Microsoft.Web/sites/slots", Some("functionapp")))
        );
        assert_eq!(azurerm_type("random_string"), None);
    }

    #[test]
    fn azapi_resources_take_their_type() {
        let (_, d) = inline(
            "a.tf",
            "resource \"azapi_resource\" \"x\" {\n  type = \"Microsoft.App/containerApps@2024-03-01\"\n}\n",
        );
        assert_eq!(d.resources[0].azure_type, "Microsoft.App/containerApps");
    }
}
