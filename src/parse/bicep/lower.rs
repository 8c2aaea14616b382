//! Bicep syntax tree into the IR, in the shapes the ARM lowering produces, so that every rule
//! written against ARM templates works on Bicep unchanged.
//!
//! * `doc.root` is an ARM-like template object: `parameters` (name → `{type, defaultValue}`),
//!   `variables`, `resources` (symbolic name → resource object, language-version-2.0 style),
//!   `modules` (symbolic name → `{path, name, scope, params, …}`) and `outputs`
//!   (name → `{type, value}`). A `.bicepparam` file gives `using` and `parameters` (name → value).
//! * A resource body is the ARM resource object: `type` (the type string without `@version`; a
//!   child declared inside its parent gets the full `Parent/child` type), `apiVersion`, `existing`,
//!   `condition` (from `if`), then the declared properties (`name`, `kind`, `identity`,
//!   `properties`, `scope`, `parent`, …); child resources declared inside it are under `resources`
//!   (symbolic name → body). A loop's resource is lowered from its body object.
//! * Strings: a string without interpolation is a literal (classified by
//!   [`classify_literal`]); an interpolated one an `Expression(Interp(...))`. Any other
//!   expression is a string node of class `Expression` holding the source text, as ARM writes
//!   `"[...]"`, except a `getSecret()` call, which is a `SecretRef`.
//! * Identifiers: parameters become [`Expr::Param`], variables [`Expr::Var`], resource symbols
//!   [`Expr::Resource`] and module symbols [`Expr::Module`] (address: the symbol; path: the
//!   members after it), loop variables, lambda parameters and imports `Ref([name, member…])`;
//!   `az.f()`/`sys.f()` are plain calls `f()`, other methods (`sa.listKeys()`) are calls with the
//!   receiver as their first argument.

use std::collections::HashMap;

use super::ast::{
    self, BinOp, Decl, DeclKind, ExprKind, ObjItem, Program, ResourceDecl, StrPart, UnOp,
};
use crate::ir::classify::{classify_literal, is_secret_ref};
use crate::ir::{
    Comment, Dialect, Document, Entry, Expr, ModuleCall, Node, NodeKind, Output, Param, Resource,
    Setting, SettingSource, Str, StrClass, Template, Var,
};
use crate::parse::arm;
use crate::source::{DeploymentScope, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sym {
    Param,
    Var,
    Resource,
    Module,
    /// `import * as ns`, an extension alias.
    Namespace,
    Other,
}

pub fn lower(text: &str, prog: &Program, params_file: bool, comments: Vec<Comment>) -> Document {
    let mut l = Lower {
        text,
        syms: HashMap::new(),
        locals: Vec::new(),
        loop_items: Vec::new(),
        doc: Document {
            comments,
            ..Document::default()
        },
    };
    for d in &prog.decls {
        l.collect(d);
    }
    let whole = Span::new(0, text.len());
    if params_file {
        l.params_file(prog, whole);
    } else {
        l.template(prog, whole);
    }
    l.doc
}

struct Lower<'a> {
    text: &'a str,
    syms: HashMap<String, Sym>,
    /// Loop variables and lambda parameters in scope.
    locals: Vec<String>,
    /// The item variable of a resource loop (`[for role in roles: {…}]`) with the list it runs
    /// over: a reference to it is lowered as ARM writes it, `roles[copyIndex()]`, so the
    /// resolver reads every item of the list.
    /// With the index in `locals` of its binding.
    loop_items: Vec<(usize, Expr)>,
    doc: Document,
}

fn entry(key: &str, key_span: Span, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span,
        value,
    }
}

/// The expression inside any parentheses.
fn unparen(e: &ast::Expr) -> &ast::Expr {
    let mut e = e;
    while let ExprKind::Paren(i) = &e.kind {
        e = i;
    }
    e
}

fn is_object(e: &ast::Expr) -> bool {
    matches!(e.kind, ExprKind::Object(_))
}

/// `x ?? {}`: an object that is `x`, or empty when `x` is null. As a spread it adds what `x` has.
fn or_empty_object(e: &ast::Expr) -> Option<&ast::Expr> {
    match &unparen(e).kind {
        ExprKind::Binary(BinOp::Coalesce, a, b) if matches!(&unparen(b).kind, ExprKind::Object(items) if items.is_empty()) => {
            Some(a)
        }
        _ => None,
    }
}

fn map(span: Span, entries: Vec<Entry>) -> Node {
    Node::new(span, NodeKind::Map(entries.into()))
}

fn is_secure(decorators: &[ast::Decorator]) -> bool {
    decorators.iter().any(|d| d.name == "secure")
}

impl Lower<'_> {
    fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn collect(&mut self, d: &Decl) {
        match &d.kind {
            DeclKind::Param { name, .. } => {
                self.syms.insert(name.text.clone(), Sym::Param);
            }
            DeclKind::Var { name, .. } => {
                self.syms.insert(name.text.clone(), Sym::Var);
            }
            DeclKind::Resource(r) => self.collect_resource(r),
            DeclKind::Module { name, .. } => {
                self.syms.insert(name.text.clone(), Sym::Module);
            }
            DeclKind::Import { names, namespace } => {
                for n in names {
                    self.syms.insert(n.text.clone(), Sym::Other);
                }
                if let Some(ns) = namespace {
                    self.syms.insert(ns.text.clone(), Sym::Namespace);
                }
            }
            DeclKind::Extension { alias: Some(a) } => {
                self.syms.insert(a.text.clone(), Sym::Namespace);
            }
            DeclKind::Func { name } => {
                self.syms.insert(name.text.clone(), Sym::Other);
            }
            _ => {}
        }
    }

    fn collect_resource(&mut self, r: &ResourceDecl) {
        self.syms.insert(r.name.text.clone(), Sym::Resource);
        if let ExprKind::Object(items) = &unwrap_body(&r.value).0.kind {
            for it in items {
                if let ObjItem::Resource(c) = it {
                    self.collect_resource(c);
                }
            }
        }
    }

    // ------------------------------------------------------------ declarations

    fn template(&mut self, prog: &Program, whole: Span) {
        let mut scope = Some(DeploymentScope::ResourceGroup);
        for d in &prog.decls {
            if let DeclKind::TargetScope(e) = &d.kind {
                scope = match literal_text(e).as_deref() {
                    Some("resourceGroup") => Some(DeploymentScope::ResourceGroup),
                    Some("subscription") => Some(DeploymentScope::Subscription),
                    Some("managementGroup") => Some(DeploymentScope::ManagementGroup),
                    Some("tenant") => Some(DeploymentScope::Tenant),
                    _ => None,
                };
            }
        }
        self.doc.templates.push(Template {
            span: whole,
            scope,
            parent: None,
            outer_scope: false,
        });
        let mut params = Vec::new();
        let mut vars = Vec::new();
        let mut resources = Vec::new();
        let mut modules = Vec::new();
        let mut outputs = Vec::new();
        for d in &prog.decls {
            match &d.kind {
                DeclKind::Param { name, ty, default } => {
                    let default = default.as_ref().map(|e| self.node(e));
                    let mut fields = Vec::new();
                    if let Some(ty) = ty {
                        fields.push(entry("type", ty.span, Node::literal(ty.span, &ty.text)));
                    }
                    if let Some(def) = &default {
                        fields.push(entry("defaultValue", def.span, def.clone()));
                    }
                    params.push(entry(&name.text, name.span, map(d.span, fields)));
                    self.doc.params.push(Param {
                        template: 0,
                        name: name.text.clone(),
                        name_span: name.span,
                        span: d.span,
                        type_name: ty.as_ref().map(|t| t.text.to_ascii_lowercase()),
                        secure: is_secure(&d.decorators),
                        default,
                        argument: None,
                    });
                }
                DeclKind::Var { name, value } => {
                    let value = self.node(value);
                    vars.push(entry(&name.text, name.span, value.clone()));
                    self.doc.vars.push(Var {
                        template: 0,
                        name: name.text.clone(),
                        name_span: name.span,
                        value,
                    });
                }
                DeclKind::Output { name, ty, value } => {
                    let value = self.node(value);
                    let fields = vec![
                        entry("type", ty.span, Node::literal(ty.span, &ty.text)),
                        entry("value", value.span, value.clone()),
                    ];
                    outputs.push(entry(&name.text, name.span, map(d.span, fields)));
                    self.doc.outputs.push(Output {
                        template: 0,
                        name: name.text.clone(),
                        name_span: name.span,
                        span: d.span,
                        type_name: Some(ty.text.to_ascii_lowercase()),
                        secure: is_secure(&d.decorators),
                        value,
                    });
                }
                DeclKind::Resource(r) => {
                    let i = self.resource(r, None);
                    if let Some(res) = self.doc.resources.get(i) {
                        resources.push(entry(&r.name.text, r.name.span, res.body.clone()));
                    }
                }
                DeclKind::Module {
                    name,
                    path,
                    path_span,
                    value,
                } => {
                    let body = self.module(path, *path_span, value);
                    self.doc.modules.push(ModuleCall {
                        template: 0,
                        name: name.text.clone(),
                        span: d.span,
                        source: path.clone(),
                        source_span: *path_span,
                        args: body
                            .get("params")
                            .map(|p| p.entries().to_vec())
                            .unwrap_or_default(),
                    });
                    modules.push(entry(&name.text, name.span, body));
                }
                _ => {}
            }
        }
        self.link_parents();
        let mut root = Vec::new();
        for (key, entries) in [
            ("parameters", params),
            ("variables", vars),
            ("resources", resources),
            ("modules", modules),
            ("outputs", outputs),
        ] {
            if !entries.is_empty() {
                root.push(entry(key, whole, map(whole, entries)));
            }
        }
        self.doc.root = Some(map(whole, root));
    }

    /// `.bicepparam`: every `param x = value` is a setting `parameters:x`.
    fn params_file(&mut self, prog: &Program, whole: Span) {
        let mut root = Vec::new();
        let mut params = Vec::new();
        let mut vars = Vec::new();
        for d in &prog.decls {
            match &d.kind {
                DeclKind::Using { path: Some(p) } => {
                    root.push(entry("using", d.keyword_span, Node::literal(d.span, p)));
                }
                DeclKind::Param {
                    name,
                    default: Some(value),
                    ..
                } => {
                    let value = self.node(value);
                    params.push(entry(&name.text, name.span, value.clone()));
                    self.doc.settings.push(Setting {
                        key: format!("parameters:{}", name.text),
                        name: name.text.clone(),
                        key_span: name.span,
                        value,
                        source: SettingSource::AppConfig,
                    });
                }
                DeclKind::Var { name, value } => {
                    let value = self.node(value);
                    vars.push(entry(&name.text, name.span, value.clone()));
                    self.doc.vars.push(Var {
                        template: 0,
                        name: name.text.clone(),
                        name_span: name.span,
                        value,
                    });
                }
                _ => {}
            }
        }
        if !params.is_empty() {
            root.push(entry("parameters", whole, map(whole, params)));
        }
        if !vars.is_empty() {
            root.push(entry("variables", whole, map(whole, vars)));
        }
        self.doc.root = Some(map(whole, root));
    }

    fn module(&mut self, path: &str, path_span: Span, value: &ast::Expr) -> Node {
        let (obj, cond, loop_vars) = unwrap_body(value);
        let n = loop_vars.len();
        self.locals.extend(loop_vars.iter().map(|v| v.text.clone()));
        let mut entries = vec![entry("path", path_span, Node::literal(path_span, path))];
        if let Some(c) = cond {
            entries.push(entry("condition", c.span, self.node(c)));
        }
        let body = self.node(obj);
        let span = body.span;
        match body.kind {
            NodeKind::Map(e) => entries.extend(e.iter().cloned()),
            other => entries.push(entry("value", span, Node::new(span, other))),
        }
        self.pop_locals(n);
        map(value.span, entries)
    }

    fn pop_locals(&mut self, n: usize) {
        let keep = self.locals.len().saturating_sub(n);
        self.locals.truncate(keep);
    }

    /// Lowers a resource (and its nested children); returns its index in `doc.resources`.
    fn resource(&mut self, r: &ResourceDecl, parent: Option<(usize, &str)>) -> usize {
        let full_type = match parent {
            Some((_, pt)) if !r.type_text.contains('/') && !r.type_text.is_empty() => {
                format!("{pt}/{}", r.type_text)
            }
            _ => r.type_text.clone(),
        };
        let (obj, cond, loop_vars) = unwrap_body(&r.value);
        let n = loop_vars.len();
        let item = self
            .loop_list(&r.value)
            .map(|list| (self.locals.len(), list));
        let items = item.is_some() as usize;
        self.loop_items.extend(item);
        self.locals.extend(loop_vars.iter().map(|v| v.text.clone()));
        let mut entries = vec![entry(
            "type",
            r.type_span,
            Node::literal(r.type_span, &full_type),
        )];
        if let Some(v) = &r.api_version {
            entries.push(entry(
                "apiVersion",
                r.type_span,
                Node::literal(r.type_span, v),
            ));
        }
        if r.existing {
            entries.push(entry(
                "existing",
                r.head_span,
                Node::new(r.head_span, NodeKind::Bool(true)),
            ));
        }
        if let Some(c) = cond {
            entries.push(entry("condition", c.span, self.node(c)));
        }
        let body = self.node(obj);
        let body_span = body.span;
        match body.kind {
            NodeKind::Map(e) => entries.extend(e.iter().cloned()),
            other => entries.push(entry("value", body_span, Node::new(body_span, other))),
        }
        let body = map(body_span, entries);
        let name = body
            .get("name")
            .and_then(Node::as_str)
            .map(|s| s.value.clone())
            .unwrap_or_default();
        let kind = body.get("kind").and_then(Node::as_text).map(str::to_string);
        let azure_type = arm::canonical_type(&full_type);
        let index = self.doc.resources.len();
        self.doc.resources.push(Resource {
            dialect: Dialect::Bicep,
            template: 0,
            azure_type: azure_type.clone(),
            kind,
            source_type: full_type.clone(),
            name: name.clone(),
            symbol: Some(r.name.text.clone()),
            span: r.span,
            head_span: r.head_span,
            identity: arm::identity(body.get("identity")),
            body: body.clone(),
            parent: parent.map(|p| p.0),
            existing: r.existing,
        });
        arm::resource_facts(&mut self.doc, &body, &name, &azure_type, 0, index);
        let mut children = Vec::new();
        if let ExprKind::Object(items) = &obj.kind {
            for it in items {
                if let ObjItem::Resource(c) = it {
                    let ci = self.resource(c, Some((index, &full_type)));
                    if let Some(child) = self.doc.resources.get(ci) {
                        children.push(entry(&c.name.text, c.name.span, child.body.clone()));
                    }
                }
            }
        }
        if !children.is_empty() {
            if let Some(NodeKind::Map(e)) =
                self.doc.resources.get_mut(index).map(|r| &mut r.body.kind)
            {
                let mut with_children = e.to_vec();
                with_children.push(entry("resources", body_span, map(body_span, children)));
                *e = with_children.into();
            }
        }
        self.pop_locals(n);
        let keep = self.loop_items.len().saturating_sub(items);
        self.loop_items.truncate(keep);
        index
    }

    /// The list a resource loop runs over (`for (x, i) in list`: its item is the first
    /// variable).
    fn loop_list(&mut self, value: &ast::Expr) -> Option<Expr> {
        match &value.kind {
            ExprKind::For { vars, iter, .. } if !vars.is_empty() => Some(self.expr(iter)),
            _ => None,
        }
    }

    /// `parent: site` makes `site` the parent of a top-level child resource.
    fn link_parents(&mut self) {
        let mut links = Vec::new();
        for (i, r) in self.doc.resources.iter().enumerate() {
            if r.parent.is_some() {
                continue;
            }
            let Some(Expr::Resource { address, path }) =
                r.body.get("parent").and_then(Node::as_expr)
            else {
                continue;
            };
            if path.is_empty() {
                if let Some((p, _)) = self.doc.resource_by_symbol(address) {
                    links.push((i, p));
                }
            }
        }
        for (i, p) in links {
            if let Some(r) = self.doc.resources.get_mut(i) {
                r.parent = Some(p);
            }
        }
    }

    // ------------------------------------------------------------ values

    /// A value as a node: data stays data (objects, arrays, literals); everything else is an
    /// expression string.
    fn node(&mut self, e: &ast::Expr) -> Node {
        let span = e.span;
        match &e.kind {
            ExprKind::Str(parts) if parts.iter().all(|p| matches!(p, StrPart::Lit(_))) => {
                let value: String = parts
                    .iter()
                    .map(|p| match p {
                        StrPart::Lit(s) => s.as_str(),
                        StrPart::Expr(_) => "",
                    })
                    .collect();
                let class = classify_literal(&value);
                Node::new(span, NodeKind::Str(Str { value, class }))
            }
            ExprKind::Number(n) => Node::new(span, NodeKind::Number(n.clone())),
            ExprKind::Unary(UnOp::Neg, inner) if matches!(inner.kind, ExprKind::Number(_)) => {
                let ExprKind::Number(n) = &inner.kind else {
                    return Node::new(span, NodeKind::Null);
                };
                Node::new(span, NodeKind::Number(format!("-{n}")))
            }
            ExprKind::Bool(b) => Node::new(span, NodeKind::Bool(*b)),
            ExprKind::Null => Node::new(span, NodeKind::Null),
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.node(inner),
            ExprKind::If { body, .. } => self.node(body),
            ExprKind::Object(items) => {
                let mut entries = Vec::new();
                for it in items {
                    match it {
                        ObjItem::Prop { key, value } => {
                            let v = self.node(value);
                            entries.push(entry(&key.text, key.span, v));
                        }
                        ObjItem::Spread(x) => {
                            let v = self.spread_node(x);
                            entries.push(entry("...", x.span, v));
                        }
                        ObjItem::Resource(_) => {}
                    }
                }
                map(span, entries)
            }
            ExprKind::Array(items) => {
                let items = items.iter().map(|i| self.node(i)).collect();
                Node::new(span, NodeKind::List(items))
            }
            // `x ?? {}` is `{ ...x }`: what `x` sets, nothing when it is null.
            ExprKind::Binary(BinOp::Coalesce, a, _) if or_empty_object(e).is_some() => {
                let v = self.spread_node(a);
                map(span, vec![entry("...", a.span, v)])
            }
            // `union({ a: 1 }, x ?? {})` is `{ a: 1, ...(x ?? {}) }`: the object literals' members
            // stay visible, the other arguments are spreads (later arguments win, as in a spread).
            ExprKind::Call {
                base: None,
                name,
                args,
            } if name.text.eq_ignore_ascii_case("union")
                && args.iter().any(|a| is_object(unparen(a))) =>
            {
                let mut entries = Vec::new();
                for a in args {
                    let object = unparen(a);
                    if is_object(object) {
                        if let NodeKind::Map(items) = self.node(object).kind {
                            entries.extend(items.iter().cloned());
                        }
                    } else {
                        let v = self.spread_node(a);
                        entries.push(entry("...", a.span, v));
                    }
                }
                map(span, entries)
            }
            ExprKind::For { vars, body, .. } => {
                // The items a loop produces, shown by the one shape they all have.
                self.locals.extend(vars.iter().map(|v| v.text.clone()));
                let item = self.node(body);
                self.pop_locals(vars.len());
                Node::new(span, NodeKind::List(vec![item].into()))
            }
            // `'@Microsoft.KeyVault(SecretUri=${kv.properties.vaultUri}secrets/x/)'`
            ExprKind::Str(parts) if matches!(parts.first(), Some(StrPart::Lit(head)) if is_secret_ref(head)) => {
                Node::new(
                    span,
                    NodeKind::Str(Str {
                        value: self.slice(span).to_string(),
                        class: StrClass::SecretRef,
                    }),
                )
            }
            _ => {
                let x = self.expr(e);
                let class = if is_get_secret(&x) {
                    StrClass::SecretRef
                } else {
                    StrClass::Expression(x)
                };
                Node::new(
                    span,
                    NodeKind::Str(Str {
                        value: self.slice(span).to_string(),
                        class,
                    }),
                )
            }
        }
    }

    /// What a spread brings in. A conditional of object literals (`...(c ? { a: 1 } : {})`) is
    /// the list of the objects it can be, so that the analyses know which members it can set
    /// (a spread in an object is never a list, so the list is unambiguous).
    fn spread_node(&mut self, x: &ast::Expr) -> Node {
        // `...(x ?? {})` spreads what `x` has (spreading `{}` adds nothing).
        if let Some(a) = or_empty_object(x) {
            return self.spread_node(a);
        }
        let mut inner = x;
        while let ExprKind::Paren(i) = &inner.kind {
            inner = i;
        }
        if let ExprKind::Ternary(_, a, b) = &inner.kind {
            let object = |e: &ast::Expr| {
                let mut e = e;
                while let ExprKind::Paren(i) = &e.kind {
                    e = i;
                }
                matches!(e.kind, ExprKind::Object(_))
            };
            if object(a) && object(b) {
                let items = vec![self.node(a), self.node(b)];
                return Node::new(x.span, NodeKind::List(items.into()));
            }
        }
        self.node(x)
    }

    fn is_local(&self, name: &str) -> bool {
        self.locals.iter().any(|l| l == name)
    }

    fn ident(&self, name: &str) -> Expr {
        // The innermost binding of the name: a resource loop's item is `list[copyIndex()]`.
        if let Some(at) = self.locals.iter().rposition(|l| l == name) {
            if let Some((_, list)) = self.loop_items.iter().find(|(i, _)| *i == at) {
                return Expr::Index {
                    base: Box::new(list.clone()),
                    index: Box::new(Expr::Call {
                        name: "copyIndex".into(),
                        args: Vec::new(),
                    }),
                };
            }
        }
        if self.is_local(name) {
            return Expr::Ref(vec![name.to_string()]);
        }
        match self.syms.get(name) {
            Some(Sym::Param) => Expr::Param(name.to_string()),
            Some(Sym::Var) => Expr::Var(name.to_string()),
            Some(Sym::Resource) => Expr::Resource {
                address: name.to_string(),
                path: Vec::new(),
            },
            Some(Sym::Module) => Expr::Module {
                address: name.to_string(),
                path: Vec::new(),
            },
            _ => Expr::Ref(vec![name.to_string()]),
        }
    }

    /// A Bicep expression as an IR expression.
    fn expr(&mut self, e: &ast::Expr) -> Expr {
        match &e.kind {
            ExprKind::Str(parts) => {
                let mut out = Vec::new();
                for p in parts {
                    match p {
                        StrPart::Lit(s) => out.push(Expr::Str(s.clone())),
                        StrPart::Expr(x) => out.push(self.expr(x)),
                    }
                }
                if let [Expr::Str(_)] = out.as_slice() {
                    return out.pop().unwrap_or(Expr::Null);
                }
                if out.is_empty() {
                    return Expr::Str(String::new());
                }
                Expr::Interp(out)
            }
            ExprKind::Number(n) => Expr::Number(n.clone()),
            ExprKind::Bool(b) => Expr::Bool(*b),
            ExprKind::Null => Expr::Null,
            ExprKind::Ident(name) => self.ident(name),
            ExprKind::Object(items) => {
                let mut out = Vec::new();
                for it in items {
                    match it {
                        ObjItem::Prop { key, value } => {
                            if let Some(k) = &key.expr {
                                out.push(self.expr(k));
                            }
                            out.push(self.expr(value));
                        }
                        ObjItem::Spread(x) => out.push(self.expr(x)),
                        ObjItem::Resource(_) => {}
                    }
                }
                Expr::Other(out)
            }
            ExprKind::Array(items) => Expr::Other(items.iter().map(|i| self.expr(i)).collect()),
            ExprKind::Spread(x) | ExprKind::Paren(x) | ExprKind::NonNull(x) => self.expr(x),
            ExprKind::Call { base, name, args } => {
                let mut lowered: Vec<Expr> = Vec::new();
                let mut fname = name.text.clone();
                if let Some(b) = base {
                    match &b.kind {
                        ExprKind::Ident(ns)
                            if !self.is_local(ns)
                                && match self.syms.get(ns.as_str()) {
                                    Some(Sym::Namespace) => true,
                                    None => ns == "az" || ns == "sys",
                                    _ => false,
                                } =>
                        {
                            if ns != "az" && ns != "sys" {
                                fname = format!("{ns}.{fname}");
                            }
                        }
                        _ => lowered.push(self.expr(b)),
                    }
                }
                for a in args {
                    lowered.push(self.expr(a));
                }
                Expr::Call {
                    name: fname,
                    args: lowered,
                }
            }
            ExprKind::Member { base, name, .. } => match self.expr(base) {
                Expr::Ref(mut path) => {
                    path.push(name.text.clone());
                    Expr::Ref(path)
                }
                Expr::Resource { address, mut path } => {
                    path.push(name.text.clone());
                    Expr::Resource { address, path }
                }
                Expr::Module { address, mut path } => {
                    path.push(name.text.clone());
                    Expr::Module { address, path }
                }
                b => Expr::Member {
                    base: Box::new(b),
                    name: name.text.clone(),
                },
            },
            ExprKind::Child { name, .. } => Expr::Ref(vec![name.text.clone()]),
            ExprKind::Index { base, index, .. } => Expr::Index {
                base: Box::new(self.expr(base)),
                index: Box::new(self.expr(index)),
            },
            ExprKind::Unary(_, x) => Expr::Other(vec![self.expr(x)]),
            // `a ?? b` is ARM's `coalesce(a, b)`: the resolver knows it.
            ExprKind::Binary(BinOp::Coalesce, a, b) => Expr::Call {
                name: "coalesce".to_string(),
                args: vec![self.expr(a), self.expr(b)],
            },
            ExprKind::Binary(_, a, b) => Expr::Other(vec![self.expr(a), self.expr(b)]),
            ExprKind::Ternary(c, a, b) => Expr::Cond {
                cond: Box::new(self.expr(c)),
                then: Box::new(self.expr(a)),
                otherwise: Box::new(self.expr(b)),
            },
            ExprKind::For { vars, iter, body } => {
                let it = self.expr(iter);
                self.locals.extend(vars.iter().map(|v| v.text.clone()));
                let b = self.expr(body);
                self.pop_locals(vars.len());
                Expr::Other(vec![it, b])
            }
            ExprKind::If { cond, body } => Expr::Other(vec![self.expr(cond), self.expr(body)]),
            ExprKind::Lambda { params, body } => {
                self.locals.extend(params.iter().map(|v| v.text.clone()));
                let b = self.expr(body);
                self.pop_locals(params.len());
                Expr::Other(vec![b])
            }
        }
    }
}

/// A `getSecret()` call (`kv.getSecret('x')`, `az.getSecret(...)`): a Key Vault reference.
fn is_get_secret(e: &Expr) -> bool {
    matches!(e, Expr::Call { name, .. } if name.eq_ignore_ascii_case("getSecret"))
}

/// The object a resource or module value declares: through `[for ...: ...]` and `if (...)`.
/// Returns the object, the condition and the loop variables.
fn unwrap_body(e: &ast::Expr) -> (&ast::Expr, Option<&ast::Expr>, Vec<&ast::Name>) {
    let mut vars = Vec::new();
    let mut cur = e;
    let mut cond = None;
    // Bounded: a loop body holds at most one `if`, and the parser bounds nesting.
    for _ in 0..4 {
        match &cur.kind {
            ExprKind::For { vars: v, body, .. } => {
                vars.extend(v.iter());
                cur = body;
            }
            ExprKind::If { cond: c, body } => {
                cond = Some(&**c);
                cur = body;
            }
            _ => break,
        }
    }
    (cur, cond, vars)
}

fn literal_text(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Str(parts) => match parts.as_slice() {
            [StrPart::Lit(s)] => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}
