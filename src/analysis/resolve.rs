//! The value resolver: one answer to "what can this expression be?" for every rule.
//!
//! [`Resolver::expr`] and [`Resolver::node`] follow parameters (to their defaults), variables and
//! locals, object and array members (spreads included), both branches of a conditional (Terraform
//! and Bicep `c ? a : b`, ARM `if()`), string building (`concat`, `format`, interpolation) and
//! object merges (`union`, `shallowMerge`, `merge`), and return every value the expression can
//! have, each with the references followed to reach it ([`Step`], for messages). What cannot be
//! known (a function result, a resource attribute, a parameter without a default) comes back as
//! [`Value::Unknown`] holding the expression: unknown stays unknown, never "not set".
//!
//! Every reference followed costs one hop from a budget shared by everything one resolver does
//! ([`MAX_HOPS`]), so cycles (invalid templates, but they must not hang) and exponential
//! re-expansion both end. Analyses that follow links of their own (a resource's body) spend hops
//! from the same budget with [`Resolver::hop`]. References followed inside references nest at
//! most [`REFERENCE_NESTING_LIMIT`] deep: a cycle (`x` built from `x`) ends there instead of spending the whole
//! budget on one recursion, which overflowed a scan thread's stack.

use std::cell::Cell;

use crate::ir::{Dialect, Document, Expr, Node, NodeKind, StrClass};

/// The number of references one resolver may follow.
pub const MAX_HOPS: usize = 256;

/// How deep references followed inside references may nest (far more than a real chain of
/// variables needs; each level is a handful of stack frames).
pub const REFERENCE_NESTING_LIMIT: usize = 48;

/// At most this many strings are built from conditional pieces before the rest becomes unknown.
const MAX_TEXTS: usize = 16;

/// A reference followed to reach a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A parameter's default value.
    Param(String),
    /// An ARM/Bicep variable.
    Var(String),
    /// A Terraform local.
    Local(String),
    /// A member of an object (or an item of a list, by its index).
    Member(String),
}

/// One value an expression can have.
#[derive(Debug, Clone)]
pub struct Possible<'a> {
    pub value: Value<'a>,
    /// The references followed to reach it, outermost first.
    pub via: Vec<Step>,
    /// The template whose parameters and variables the value's own expressions read: the
    /// resolver's, or a caller's after a parameter was bound to its argument ([`Param::argument`]).
    ///
    /// [`Param::argument`]: crate::ir::Param::argument
    pub template: usize,
}

#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// A value written in the document: a literal, placeholder or secret reference string, a
    /// number, a boolean, null, a map, a list.
    Node(&'a Node),
    /// A constant written inside an expression (`'x'`, `1`, `true`, `null`).
    Const(&'a Expr),
    /// A string built from pieces, some of them unknown.
    Text(Vec<Piece<'a>>),
    /// An object merged from several (`union`, `shallowMerge`, `merge`): later parts win.
    Merge(Vec<Possible<'a>>),
    /// Not known statically: the expression that produces it, and the members read from its
    /// result (`listKeys(...).keys[0].value` is `listKeys(...)` with `keys`, `0`, `value`).
    Unknown(&'a Expr, Vec<String>),
}

/// A piece of a built string.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(String),
    Unknown(&'a Expr),
}

impl<'a> Possible<'a> {
    fn new(value: Value<'a>, via: Vec<Step>, template: usize) -> Self {
        Possible {
            value,
            via,
            template,
        }
    }

    /// The string this value is, when it is one and fully known (a number counts as its text).
    pub fn text(&self) -> Option<String> {
        let pieces = self.pieces()?;
        let mut out = String::new();
        for p in pieces {
            match p {
                Piece::Text(s) => out.push_str(&s),
                Piece::Unknown(_) => return None,
            }
        }
        Some(out)
    }

    /// The string this value is, with each unknown piece written as `unknown`; `None` when it is
    /// no string or wholly unknown.
    pub fn text_with(&self, unknown: &str) -> Option<String> {
        let pieces = self.pieces()?;
        Some(
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(s) => s.as_str(),
                    Piece::Unknown(_) => unknown,
                })
                .collect(),
        )
    }

    /// The value as string pieces: a literal string or number, a constant, a built string.
    pub fn pieces(&self) -> Option<Vec<Piece<'a>>> {
        match &self.value {
            Value::Node(n) => match &n.kind {
                NodeKind::Str(s) if s.class == StrClass::Literal => {
                    Some(vec![Piece::Text(s.value.clone())])
                }
                NodeKind::Number(v) => Some(vec![Piece::Text(v.clone())]),
                _ => None,
            },
            Value::Const(Expr::Str(s) | Expr::Number(s)) => Some(vec![Piece::Text(s.clone())]),
            Value::Text(pieces) => Some(pieces.clone()),
            _ => None,
        }
    }

    /// The first parameter followed to reach the value.
    pub fn param(&self) -> Option<&str> {
        self.via.iter().find_map(|s| match s {
            Step::Param(p) => Some(p.as_str()),
            _ => None,
        })
    }

    /// The member names followed to reach the value, in order.
    pub fn members(&self) -> impl Iterator<Item = &str> {
        self.via.iter().filter_map(|s| match s {
            Step::Member(m) => Some(m.as_str()),
            _ => None,
        })
    }
}

/// Answers "what can this be?" for the expressions of one template of a document.
pub struct Resolver<'a> {
    doc: &'a Document,
    template: usize,
    defaults: bool,
    fuel: Cell<usize>,
    depth: Cell<usize>,
}

impl<'a> Resolver<'a> {
    pub fn new(doc: &'a Document, template: usize) -> Self {
        Resolver {
            doc,
            template,
            defaults: true,
            fuel: Cell::new(MAX_HOPS),
            depth: Cell::new(0),
        }
    }

    /// Parameters stay unknown instead of taking their default (the value is supplied at
    /// deployment; the question is about the parameter itself).
    pub fn without_defaults(mut self) -> Self {
        self.defaults = false;
        self
    }

    pub fn doc(&self) -> &'a Document {
        self.doc
    }

    /// The template whose parameters and variables references name.
    pub fn template(&self) -> usize {
        self.template
    }

    /// Spends one hop of the budget; false when it is used up.
    pub fn hop(&self) -> bool {
        match self.fuel.get() {
            0 => false,
            n => {
                self.fuel.set(n - 1);
                true
            }
        }
    }

    /// The values a node can have: itself, or what its expression can be.
    pub fn node(&self, n: &'a Node) -> Vec<Possible<'a>> {
        self.node_via(n, Vec::new(), self.template)
    }

    /// The values a node of another template of the document can have (a value found in a
    /// caller's template: see [`Possible::template`]).
    pub fn node_in(&self, template: usize, n: &'a Node) -> Vec<Possible<'a>> {
        self.node_via(n, Vec::new(), template)
    }

    /// The values an expression can have.
    pub fn expr(&self, e: &'a Expr) -> Vec<Possible<'a>> {
        self.expr_via(e, Vec::new(), self.template)
    }

    /// The values an expression of another template can have (see [`Resolver::node_in`]).
    pub fn expr_in(&self, template: usize, e: &'a Expr) -> Vec<Possible<'a>> {
        self.expr_via(e, Vec::new(), template)
    }

    /// The values of a member (`key`) of each value; a list item when `key` is an index.
    pub fn member(&self, p: &Possible<'a>, key: &str) -> Vec<Possible<'a>> {
        let mut via = p.via.clone();
        via.push(Step::Member(key.to_string()));
        let tpl = p.template;
        match &p.value {
            Value::Node(n) => self.node_member(n, key, via, tpl),
            Value::Merge(parts) => {
                for part in parts.iter().rev() {
                    // An object built by `createObject('k', v, …)` has the keys it names: a
                    // part that cannot set `key` does not hide the parts before it.
                    if let Some(found) = self.created_member(part, key) {
                        if !found.is_empty() {
                            return found;
                        }
                        continue;
                    }
                    if let Value::Unknown(e, members) = &part.value {
                        let mut members = members.clone();
                        members.push(key.to_string());
                        return vec![Possible::new(
                            Value::Unknown(e, members),
                            via,
                            part.template,
                        )];
                    }
                    let found = self.member(part, key);
                    if !found.is_empty() {
                        return found;
                    }
                }
                Vec::new()
            }
            Value::Unknown(..) if self.created_member(p, key).is_some() => {
                self.created_member(p, key).unwrap_or_default()
            }
            Value::Unknown(e, members) => {
                let mut members = members.clone();
                members.push(key.to_string());
                vec![Possible::new(Value::Unknown(e, members), via, tpl)]
            }
            Value::Const(_) | Value::Text(_) => Vec::new(),
        }
    }

    /// A member of an ARM `createObject('k1', v1, 'k2', v2, …)` whose keys are all written:
    /// the value of `key`, or nothing when the object has no such key. `None` when `p` is no
    /// such object.
    fn created_member(&self, p: &Possible<'a>, key: &str) -> Option<Vec<Possible<'a>>> {
        let Value::Unknown(Expr::Call { name, args }, members) = &p.value else {
            return None;
        };
        if !members.is_empty() || !name.eq_ignore_ascii_case("createObject") || args.len() % 2 != 0
        {
            return None;
        }
        let mut found = None;
        for pair in args.chunks(2) {
            let k = pair[0].as_str()?;
            if k.eq_ignore_ascii_case(key) {
                found = Some(&pair[1]);
            }
        }
        let mut via = p.via.clone();
        via.push(Step::Member(key.to_string()));
        Some(match found {
            Some(v) => self.expr_via(v, via, p.template),
            None => Vec::new(),
        })
    }

    fn node_member(&self, n: &'a Node, key: &str, via: Vec<Step>, tpl: usize) -> Vec<Possible<'a>> {
        match &n.kind {
            NodeKind::Map(entries) => self.entries_member(entries, key, via, tpl),
            NodeKind::List(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(item) => self.node_via(item, via, tpl),
                None => Vec::new(),
            },
            // (Expression nodes never get here: `node_via` resolves them.)
            _ => Vec::new(),
        }
    }

    /// A member of a map's entries: later entries win; a Bicep spread (`...x`) brings in the
    /// members of `x`.
    fn entries_member(
        &self,
        entries: &'a [crate::ir::Entry],
        key: &str,
        via: Vec<Step>,
        tpl: usize,
    ) -> Vec<Possible<'a>> {
        for (i, e) in entries.iter().enumerate().rev() {
            if e.key.eq_ignore_ascii_case(key) {
                return self.node_via(&e.value, via, tpl);
            }
            if e.key != "..." {
                continue;
            }
            // A conditional spread (`...(c ? { a: 1 } : {})`) is lowered as the list of the
            // objects it can be: those that set `key` give its values, and when some cannot,
            // the entries before it may give the value too.
            if let NodeKind::List(alternatives) = &e.value.kind {
                let mut found = Vec::new();
                let mut open = false;
                for alt in alternatives.iter() {
                    let got = self.node_member(alt, key, via.clone(), tpl);
                    open |= got.is_empty();
                    found.extend(got);
                }
                if found.is_empty() {
                    continue;
                }
                if open {
                    found.extend(self.entries_member(&entries[..i], key, via, tpl));
                }
                return found;
            }
            let spread: Vec<Possible<'a>> = self
                .node_via(&e.value, via.clone(), tpl)
                .iter()
                .flat_map(|s| self.member(s, key))
                .collect();
            if !spread.is_empty() {
                return spread;
            }
        }
        Vec::new()
    }

    fn node_via(&self, n: &'a Node, via: Vec<Step>, tpl: usize) -> Vec<Possible<'a>> {
        match n.as_expr() {
            Some(e) => self.expr_via(e, via, tpl),
            None => vec![Possible::new(Value::Node(n), via, tpl)],
        }
    }

    /// Follows a reference to the node it names, read in template `at`; unknown (in `tpl`) when
    /// there is none or the hop budget is spent.
    fn follow(
        &self,
        e: &'a Expr,
        target: Option<(&'a Node, usize)>,
        step: Step,
        mut via: Vec<Step>,
        tpl: usize,
    ) -> Vec<Possible<'a>> {
        via.push(step);
        let depth = self.depth.get();
        match target {
            Some((n, at)) if depth < REFERENCE_NESTING_LIMIT && self.hop() => {
                self.depth.set(depth + 1);
                let out = self.node_via(n, via, at);
                self.depth.set(depth);
                out
            }
            _ => vec![Possible::new(Value::Unknown(e, Vec::new()), via, tpl)],
        }
    }

    fn expr_via(&self, e: &'a Expr, via: Vec<Step>, tpl: usize) -> Vec<Possible<'a>> {
        let unknown = |via| vec![Possible::new(Value::Unknown(e, Vec::new()), via, tpl)];
        match e {
            Expr::Str(_) | Expr::Number(_) | Expr::Bool(_) | Expr::Null => {
                vec![Possible::new(Value::Const(e), via, tpl)]
            }
            Expr::Param(name) => {
                // A caller's argument wins over the default, and is read in the caller's
                // template; it is followed even without defaults (it is the value given).
                let param = self.doc.param(tpl, name);
                let target = match param.and_then(|p| p.argument.as_ref()) {
                    Some(a) => Some((&a.value, a.caller.unwrap_or(tpl))),
                    None if self.defaults => {
                        param.and_then(|p| p.default.as_ref()).map(|d| (d, tpl))
                    }
                    None => None,
                };
                self.follow(e, target, Step::Param(name.clone()), via, tpl)
            }
            Expr::Var(name) => {
                let v = self.doc.var(tpl, name).map(|v| (&v.value, tpl));
                self.follow(e, v, Step::Var(name.clone()), via, tpl)
            }
            Expr::Local(name) => {
                let v = self.doc.var(tpl, name).map(|v| (&v.value, tpl));
                self.follow(e, v, Step::Local(name.clone()), via, tpl)
            }
            Expr::Member { base, name } => self.members_of(base, name, via, tpl),
            Expr::Index { base, index } => {
                let key = match index.as_ref() {
                    Expr::Str(s) | Expr::Number(s) => s.as_str(),
                    // An ARM copy loop's item (`parameters('x')[copyIndex()]`): every item.
                    Expr::Call { name, .. } if name.eq_ignore_ascii_case("copyIndex") => {
                        return self.every_item(e, base, via, tpl);
                    }
                    // A key the resolver can know (`variables('roles')[parameters('role')]`
                    // with a default): the member it names, for each key it can be.
                    _ => {
                        let keys: Vec<Option<String>> = self
                            .expr_via(index, Vec::new(), tpl)
                            .iter()
                            .map(Possible::text)
                            .collect();
                        if keys.is_empty() || keys.iter().any(Option::is_none) {
                            return unknown(via);
                        }
                        let mut out = Vec::new();
                        for k in keys.into_iter().flatten() {
                            out.extend(self.members_of(base, &k, via.clone(), tpl));
                        }
                        return if out.is_empty() { unknown(via) } else { out };
                    }
                };
                self.members_of(base, key, via, tpl)
            }
            Expr::Cond {
                then, otherwise, ..
            } => {
                let mut out = self.expr_via(then, via.clone(), tpl);
                out.extend(self.expr_via(otherwise, via, tpl));
                out
            }
            Expr::Call { name, args } => {
                let lname = name.to_ascii_lowercase();
                match (lname.as_str(), args.as_slice()) {
                    ("if", [_, then, otherwise]) => {
                        let mut out = self.expr_via(then, via.clone(), tpl);
                        out.extend(self.expr_via(otherwise, via, tpl));
                        out
                    }
                    ("concat", _) => self.text(args.iter().map(TextArg::Expr).collect(), via, tpl),
                    ("format", [fmt, rest @ ..]) => {
                        // The format string itself may come from a variable or local.
                        let formats: Vec<String> = match fmt.as_str() {
                            Some(f) => vec![f.to_string()],
                            None => self
                                .expr_in(tpl, fmt)
                                .iter()
                                .filter_map(Possible::text)
                                .collect(),
                        };
                        if formats.is_empty() {
                            return unknown(via);
                        }
                        let printf = self.doc.dialect == Dialect::Terraform;
                        formats
                            .iter()
                            .flat_map(|f| {
                                let pieces = if printf {
                                    printf_pieces(f, rest)
                                } else {
                                    format_pieces(f, rest)
                                };
                                self.text(pieces, via.clone(), tpl)
                            })
                            .collect()
                    }
                    // ARM `true()` / `false()` / `null()`.
                    ("true" | "false" | "null", []) => {
                        static TRUE: Expr = Expr::Bool(true);
                        static FALSE: Expr = Expr::Bool(false);
                        static NULL: Expr = Expr::Null;
                        let b = match lname.as_str() {
                            "true" => &TRUE,
                            "false" => &FALSE,
                            _ => &NULL,
                        };
                        vec![Possible::new(Value::Const(b), via, tpl)]
                    }
                    // ARM `coalesce(a, b, …)` and Bicep `a ?? b`: the first argument that is not
                    // null. Each argument's values that are not null, up to the first argument
                    // that cannot be null (an unknown value may be null).
                    ("coalesce", _) if !args.is_empty() => {
                        let mut out = Vec::new();
                        for a in args {
                            let mut may_be_null = false;
                            for p in self.expr_via(a, via.clone(), tpl) {
                                match p.value {
                                    Value::Const(Expr::Null) => may_be_null = true,
                                    Value::Node(n) if matches!(n.kind, NodeKind::Null) => {
                                        may_be_null = true
                                    }
                                    Value::Unknown(..) => {
                                        may_be_null = true;
                                        out.push(p);
                                    }
                                    _ => out.push(p),
                                }
                            }
                            if !may_be_null {
                                break;
                            }
                        }
                        if out.is_empty() {
                            unknown(via)
                        } else {
                            out
                        }
                    }
                    ("union" | "merge", _) if !args.is_empty() => {
                        let parts = args.iter().flat_map(|a| self.expr_in(tpl, a)).collect();
                        vec![Possible::new(Value::Merge(parts), via, tpl)]
                    }
                    ("shallowmerge", [list]) => {
                        let parts = self
                            .expr_in(tpl, list)
                            .into_iter()
                            .flat_map(|l| match l.value {
                                Value::Node(n) => n
                                    .items()
                                    .iter()
                                    .flat_map(|i| self.node_in(l.template, i))
                                    .collect(),
                                _ => vec![l],
                            })
                            .collect();
                        vec![Possible::new(Value::Merge(parts), via, tpl)]
                    }
                    _ => unknown(via),
                }
            }
            Expr::Interp(parts) => self.text(parts.iter().map(TextArg::Expr).collect(), via, tpl),
            // A module output the scan traced into the module is the attribute it returns.
            Expr::Module { .. } => match self.doc.traced_output(e) {
                Some(t) => vec![Possible::new(Value::Unknown(t, Vec::new()), via, tpl)],
                None => unknown(via),
            },
            Expr::Resource { .. } | Expr::Ref(_) | Expr::Other(_) => unknown(via),
        }
    }

    /// Every item of whatever list `base` can be (at most [`MAX_TEXTS`] of each); unknown when
    /// it is no known list.
    fn every_item(
        &self,
        e: &'a Expr,
        base: &'a Expr,
        via: Vec<Step>,
        tpl: usize,
    ) -> Vec<Possible<'a>> {
        let mut out = Vec::new();
        for b in self.expr_via(base, via.clone(), tpl) {
            match b.value {
                Value::Node(list) if matches!(list.kind, NodeKind::List(_)) => {
                    for i in 0..list.items().len().min(MAX_TEXTS) {
                        out.extend(self.member(&b, &i.to_string()));
                    }
                }
                // A Terraform `for_each` over a map: `each.value` is every value.
                Value::Node(map) if map.is_map() => {
                    for e in map.entries().iter().take(MAX_TEXTS) {
                        out.extend(self.member(&b, &e.key));
                    }
                }
                _ => out.push(Possible::new(
                    Value::Unknown(e, Vec::new()),
                    via.clone(),
                    tpl,
                )),
            }
        }
        out
    }

    /// A member of whatever `base` can be.
    fn members_of(
        &self,
        base: &'a Expr,
        key: &str,
        via: Vec<Step>,
        tpl: usize,
    ) -> Vec<Possible<'a>> {
        self.expr_via(base, via, tpl)
            .iter()
            .flat_map(|b| self.member(b, key))
            .collect()
    }

    /// A string built from parts: the strings they can be, combined (at most [`MAX_TEXTS`]); a part
    /// that is no known string stays an unknown piece.
    fn text(&self, parts: Vec<TextArg<'a>>, via: Vec<Step>, tpl: usize) -> Vec<Possible<'a>> {
        let mut texts: Vec<Vec<Piece<'a>>> = vec![Vec::new()];
        for part in parts {
            let arg = match part {
                TextArg::Lit(s) => {
                    texts
                        .iter_mut()
                        .for_each(|t| t.push(Piece::Text(s.clone())));
                    continue;
                }
                TextArg::Expr(a) => a,
            };
            // Every value the argument can have must be a string for the text to be known.
            let options: Vec<Vec<Piece<'a>>> = self
                .expr_in(tpl, arg)
                .iter()
                .map(Possible::pieces)
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            if options.is_empty() || texts.len() * options.len() > MAX_TEXTS {
                texts.iter_mut().for_each(|t| t.push(Piece::Unknown(arg)));
                continue;
            }
            texts = texts
                .iter()
                .flat_map(|t| {
                    options.iter().map(move |o| {
                        let mut t = t.clone();
                        t.extend(o.iter().cloned());
                        t
                    })
                })
                .collect();
        }
        texts
            .into_iter()
            .map(|t| Possible::new(Value::Text(merge_text(t)), via.clone(), tpl))
            .collect()
    }
}

/// A part of a built string: literal text (from a format string) or an argument.
enum TextArg<'a> {
    Lit(String),
    Expr(&'a Expr),
}

/// `format('{0}/x/{1:N}', a, b)` as text and arguments; `{{`/`}}` escape braces.
fn format_pieces<'a>(f: &str, args: &'a [Expr]) -> Vec<TextArg<'a>> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = f.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if f[i..].starts_with("{{") => {
                text.push('{');
                chars.next();
            }
            '}' if f[i..].starts_with("}}") => {
                text.push('}');
                chars.next();
            }
            '{' => {
                let close = f[i..].find('}').map(|c| i + c);
                let arg = close.and_then(|c| {
                    f[i + 1..c]
                        .split([',', ':'])
                        .next()
                        .and_then(|n| n.trim().parse::<usize>().ok())
                        .and_then(|n| args.get(n))
                });
                match (close, arg) {
                    (Some(c), Some(a)) => {
                        out.push(TextArg::Lit(std::mem::take(&mut text)));
                        out.push(TextArg::Expr(a));
                        while chars.peek().is_some_and(|(j, _)| *j <= c) {
                            chars.next();
                        }
                    }
                    _ => text.push(c),
                }
            }
            _ => text.push(c),
        }
    }
    out.push(TextArg::Lit(text));
    out
}

/// Terraform `format()`: `%s`, `%d`, `%v`, `%q`… take the next argument (flags, width and
/// precision allowed), `%%` is a percent sign; an explicit index (`%[2]s`) picks that argument.
fn printf_pieces<'a>(f: &str, args: &'a [Expr]) -> Vec<TextArg<'a>> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut next = 0usize;
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            text.push('%');
            continue;
        }
        let mut index = None;
        let mut spec = String::from("%");
        while let Some(&d) = chars.peek() {
            if d == '[' {
                chars.next();
                let n: String = chars.by_ref().take_while(|&x| x != ']').collect();
                index = n
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1));
                continue;
            }
            if d.is_ascii_digit() || "+-# .".contains(d) {
                spec.push(d);
                chars.next();
                continue;
            }
            break;
        }
        match chars.next() {
            Some(verb) if verb.is_ascii_alphabetic() => {
                let i = index.unwrap_or(next);
                next = i + 1;
                match args.get(i) {
                    Some(a) => {
                        out.push(TextArg::Lit(std::mem::take(&mut text)));
                        out.push(TextArg::Expr(a));
                    }
                    None => {
                        text.push_str(&spec);
                        text.push(verb);
                    }
                }
            }
            Some(other) => {
                text.push_str(&spec);
                text.push(other);
            }
            None => text.push_str(&spec),
        }
    }
    out.push(TextArg::Lit(text));
    out
}

/// Joins adjacent text pieces and drops empty ones.
fn merge_text(pieces: Vec<Piece<'_>>) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece> = Vec::new();
    for p in pieces {
        match (out.last_mut(), p) {
            (_, Piece::Text(t)) if t.is_empty() => {}
            (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
            (_, p) => out.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Document;
    use crate::testing::parse_text;

    /// Every value a variable can have, as text (`?` for unknown pieces), with the steps taken.
    fn texts(doc: &Document, var: &str) -> Vec<(String, Vec<Step>)> {
        let rs = Resolver::new(doc, 0);
        let v = &doc.var(0, var).unwrap().value;
        rs.node(v)
            .into_iter()
            .map(|p| {
                let t = match &p.value {
                    Value::Unknown(e, m) => format!("unknown {e} {m:?}"),
                    _ => p.text_with("?").unwrap_or_else(|| "(not a string)".into()),
                };
                (t, p.via)
            })
            .collect()
    }

    fn only(doc: &Document, var: &str) -> String {
        let t = texts(doc, var);
        assert_eq!(t.len(), 1, "{var}: {t:?}");
        t[0].0.clone()
    }

    #[test]
    fn arm_parameters_variables_members_and_functions() {
        let doc = parse_text(
            "azuredeploy.json",
            r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "env": { "type": "string", "defaultValue": "prod" }, "free": { "type": "string" } },
  "variables": {
    "roles": { "reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "list": [ "a", "b" ] },
    "name": "[concat('app-', parameters('env'), '-', uniqueString(resourceGroup().id))]",
    "fmt": "[format('{0}/x/{1}', variables('roles').reader, variables('roles').list[1])]",
    "pick": "[if(equals(parameters('env'), 'prod'), 'big', 'small')]",
    "merged": "[union(variables('roles'), createObject('reader', 'x'))]",
    "free": "[parameters('free')]",
    "keys": "[listKeys(parameters('free'), '2023-01-01').keys[0].value]",
    "loop1": "[variables('loop2')]",
    "loop2": "[variables('loop1')]"
  },
  "resources": [] }"#,
        );
        assert_eq!(only(&doc, "name"), "app-prod-?");
        let name = texts(&doc, "name");
        assert_eq!(
            name[0].1,
            vec![],
            "the concat itself follows nothing at its root"
        );
        assert_eq!(
            only(&doc, "fmt"),
            "acdd72a7-3385-48ef-bd42-f606fba81ae7/x/b"
        );
        // Both branches of a conditional.
        let pick: Vec<String> = texts(&doc, "pick").into_iter().map(|t| t.0).collect();
        assert_eq!(pick, ["big", "small"]);
        // A merge: the member comes from the part that has it, later parts winning; a part that
        // is not known makes the member unknown, unless it is a `createObject` whose keys are
        // written (one without the member does not hide the parts before it).
        let rs = Resolver::new(&doc, 0);
        let merged = rs.node(&doc.var(0, "merged").unwrap().value);
        assert_eq!(merged.len(), 1);
        let reader = rs.member(&merged[0], "reader");
        assert_eq!(reader[0].text().as_deref(), Some("x"), "{reader:?}");
        let list = rs.member(&merged[0], "list");
        assert!(
            list.len() == 1 && matches!(list[0].value, Value::Node(_)),
            "{list:?}"
        );
        // A parameter without a default stays unknown, and says which parameter it was.
        let free = texts(&doc, "free");
        assert_eq!(free[0].0, "unknown parameters('free') []");
        assert_eq!(free[0].1, vec![Step::Param("free".into())]);
        // The members read from an unknown result are kept with it.
        assert_eq!(
            only(&doc, "keys"),
            "unknown listKeys(parameters('free'), '2023-01-01') [\"keys\", \"0\", \"value\"]"
        );
        // A cycle ends (the hop budget), as unknown.
        assert!(only(&doc, "loop1").starts_with("unknown"));
        // Without defaults, a parameter stays unknown.
        let rs = Resolver::new(&doc, 0).without_defaults();
        let name = rs.node(&doc.var(0, "name").unwrap().value);
        assert_eq!(name[0].text_with("?").as_deref(), Some("app-?-?"));
    }

    #[test]
    fn bicep_spreads_ternaries_and_interpolation() {
        let doc = parse_text(
            "main.bicep",
            "param env string = 'dev'\nvar base = {\n  sku: 'S1'\n  tier: 'Std'\n}\nvar cfg = {\n  ...base\n  sku: env == 'prod' ? 'P1' : 'B1'\n}\nvar sku = cfg.sku\nvar tier = cfg.tier\nvar label = '${env}-${cfg.tier}'\nvar merged = shallowMerge([base, { tier: 'Premium' }])\n",
        );
        let sku: Vec<String> = texts(&doc, "sku").into_iter().map(|t| t.0).collect();
        assert_eq!(sku, ["P1", "B1"]);
        let tier = texts(&doc, "tier");
        assert_eq!(tier[0].0, "Std");
        assert_eq!(
            tier[0].1,
            vec![
                Step::Var("cfg".into()),
                Step::Member("tier".into()),
                Step::Var("base".into()),
                Step::Member("tier".into())
            ]
        );
        assert_eq!(only(&doc, "label"), "dev-Std");
    }

    #[test]
    fn coalesce_and_bicep_null_coalescing() {
        // ARM `coalesce()` and Bicep `??`: null arguments are skipped, an argument that cannot
        // be null ends the list, an unknown one (a parameter without default) may be null.
        let doc = parse_text(
            "azuredeploy.json",
            r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "free": { "type": "string" }, "set": { "type": "string", "defaultValue": "given" } },
  "variables": {
    "a": "[coalesce(null(), 'first', 'second')]",
    "b": "[coalesce(parameters('set'), 'fallback')]",
    "c": "[coalesce(parameters('free'), 'fallback')]"
  } }"#,
        );
        assert_eq!(only(&doc, "a"), "first");
        assert_eq!(only(&doc, "b"), "given");
        let c: Vec<String> = texts(&doc, "c").into_iter().map(|t| t.0).collect();
        assert_eq!(c, ["unknown parameters('free') []", "fallback"]);
        let doc = parse_text(
            "main.bicep",
            "param free string\nparam set string = 'given'\nvar b = set ?? 'fallback'\nvar c = free ?? 'fallback'\nvar d = null ?? 'only'\n",
        );
        assert_eq!(only(&doc, "b"), "given");
        assert_eq!(only(&doc, "d"), "only");
        assert_eq!(texts(&doc, "c").len(), 2);
    }

    #[test]
    fn terraform_locals_variables_and_resources() {
        let doc = parse_text(
            "main.tf",
            "variable \"prefix\" {\n  default = \"app\"\n}\nlocals {\n  names = { web = \"${var.prefix}-web\" }\n  web = local.names.web\n  key = azurerm_storage_account.sa.primary_access_key\n  either = var.prefix == \"x\" ? local.web : \"other\"\n}\n",
        );
        assert_eq!(only(&doc, "web"), "app-web");
        assert_eq!(
            only(&doc, "key"),
            "unknown azurerm_storage_account.sa.primary_access_key []"
        );
        let either: Vec<String> = texts(&doc, "either").into_iter().map(|t| t.0).collect();
        assert_eq!(either, ["app-web", "other"]);
    }

    #[test]
    fn format_strings_printf_and_from_variables() {
        let doc = parse_text(
            "main.tf",
            "locals {\n  fmt = \"%s-%[1]s-%d%%-%q\"\n  a = format(local.fmt, \"x\", 7)\n  b = format(\"%05d|%s|%s\", 1, \"y\")\n}\n",
        );
        // `%[1]s` goes back to the first argument; `%q` has no argument left and stays as written.
        assert_eq!(only(&doc, "a"), "x-x-7%-%q");
        assert_eq!(only(&doc, "b"), "1|y|%s");
        let doc = parse_text(
            "azuredeploy.json",
            r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "variables": { "fmt": "{0}.{1}", "out": "[format(variables('fmt'), 'a', 'b')]" },
  "resources": [] }"#,
        );
        assert_eq!(only(&doc, "out"), "a.b");
    }

    /// An inline nested template reads the outer template's parameters and variables unless its
    /// `expressionEvaluationOptions.scope` is `inner`.
    #[test]
    fn nested_templates_outer_and_inner_scope() {
        let doc = parse_text(
            "azuredeploy.json",
            r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "variables": { "v": "outer" },
  "resources": [
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "o",
      "properties": { "mode": "Incremental", "template": {
        "variables": { "ignored": "x" },
        "resources": [] } } },
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "i",
      "properties": { "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "template": { "variables": { "v": "inner" }, "resources": [] } } }
  ] }"#,
        );
        assert_eq!(doc.templates.len(), 3);
        assert_eq!(doc.names_template(1), 0);
        assert_eq!(doc.names_template(2), 2);
        assert_eq!(
            doc.var(1, "v").and_then(|v| v.value.as_literal()),
            Some("outer")
        );
        assert_eq!(
            doc.var(2, "v").and_then(|v| v.value.as_literal()),
            Some("inner")
        );
    }

    /// A chain of variables resolves to its end while it is shorter than [`REFERENCE_NESTING_LIMIT`]; a longer
    /// one, and a cycle, end as unknown at that depth instead of recursing through the whole hop
    /// budget (which overflowed a scan thread's stack in debug builds).
    #[test]
    fn reference_chains_and_cycles_stop_at_the_depth_limit() {
        let chain = |n: usize| {
            let mut vars = vec![r#""v0": "end""#.to_string()];
            for i in 1..n {
                vars.push(format!(
                    r#""v{i}": "[concat(variables('v{}'), '')]""#,
                    i - 1
                ));
            }
            vars.push(r#""a": "[concat(variables('b'), 'x')]""#.to_string());
            vars.push(r#""b": "[concat(variables('a'), 'y')]""#.to_string());
            format!(
                r#"{{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "variables": {{ {} }}, "resources": [] }}"#,
                vars.join(", ")
            )
        };
        let short = parse_text("azuredeploy.json", &chain(REFERENCE_NESTING_LIMIT - 8));
        assert_eq!(
            only(&short, &format!("v{}", REFERENCE_NESTING_LIMIT - 9)),
            "end"
        );
        let long = parse_text("azuredeploy.json", &chain(REFERENCE_NESTING_LIMIT * 4));
        let name = format!("v{}", REFERENCE_NESTING_LIMIT * 4 - 1);
        let v = long.var(0, &name).expect("declared");
        let r = Resolver::new(&long, 0);
        assert!(r.node(&v.value).iter().all(|p| p.text().is_none()));
        let a = long.var(0, "a").expect("declared");
        let r = Resolver::new(&long, 0);
        assert!(r.node(&a.value).iter().all(|p| p.text().is_none()));
        assert_eq!(r.depth.get(), 0, "the depth is given back on the way out");
    }
}
