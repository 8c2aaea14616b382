//! Recursive-descent parser for Bicep and `.bicepparam` files.
//!
//! Newlines separate declarations, object properties and array items; inside parentheses,
//! brackets of an index, function arguments and after an operator they are insignificant, and a
//! line that starts with an operator that cannot begin an expression (`?`, `:`, `&&`, `||`, `??`,
//! comparisons, `.`) continues the expression of the line before (multi-line ternaries).
//!
//! Operator precedence, loosest first: `?:`, `??`, `||`, `&&`, `== != =~ !~`, `< <= > >=`,
//! `+ -`, `* / %`, unary `! -`, postfix `. .? [] [?] () ! ::`.
//!
//! Nesting is bounded by [`BICEP_NESTING_LIMIT`]; deeper input is an error, not a stack overflow.

use super::ast::*;
use super::lexer::{Tok, Token};
use crate::source::Span;

/// Deepest nesting of expressions and types accepted.
pub const BICEP_NESTING_LIMIT: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
    pub too_deep: bool,
}

type R<T> = Result<T, ParseError>;

pub fn parse(text: &str, tokens: &[Token]) -> R<Program> {
    let mut p = Parser {
        text,
        toks: tokens,
        pos: 0,
        depth: 0,
    };
    p.program()
}

/// The words that start a declaration at the top level of a file.
const DECL_KEYWORDS: [&str; 15] = [
    "targetScope",
    "metadata",
    "param",
    "var",
    "output",
    "resource",
    "module",
    "import",
    "type",
    "func",
    "assert",
    "using",
    "extension",
    "provider",
    "extends",
];

/// Parses what can be parsed of a file with syntax errors: a declaration that fails is skipped up
/// to the next line that starts (at its first column) with a declaration keyword or a decorator,
/// and the parse goes on from there. Returns the declarations that parsed, in order, and the byte
/// ranges that were skipped.
pub fn parse_recovering(text: &str, tokens: &[Token]) -> (Program, Vec<Span>) {
    let mut p = Parser {
        text,
        toks: tokens,
        pos: 0,
        depth: 0,
    };
    let mut decls = Vec::new();
    let mut skipped = Vec::new();
    loop {
        p.skip_nl();
        if *p.tok() == Tok::Eof {
            break;
        }
        let start = p.pos;
        let parsed = p
            .decorators()
            .and_then(|d| p.decl(d))
            .and_then(|d| p.end_of_decl().map(|()| d));
        match parsed {
            Ok(d) => decls.push(d),
            Err(_) => {
                p.depth = 0;
                let from = p.toks.get(start).map_or(text.len(), |t| t.span.start);
                let next = (start + 1..p.toks.len())
                    .find(|&i| p.starts_a_decl(i))
                    .unwrap_or(p.toks.len());
                p.pos = next;
                let to = p.toks.get(next).map_or(text.len(), |t| t.span.start);
                let to = if *p.tok() == Tok::Eof { text.len() } else { to };
                skipped.push(Span::new(from, to.max(from)));
            }
        }
    }
    (Program { decls }, skipped)
}

struct Parser<'a> {
    text: &'a str,
    toks: &'a [Token],
    pos: usize,
    depth: usize,
}

const EOF: Token = Token {
    tok: Tok::Eof,
    span: Span { start: 0, end: 0 },
};

impl<'a> Parser<'a> {
    fn tok(&self) -> &Tok {
        &self.cur().tok
    }

    fn cur(&self) -> &Token {
        self.toks.get(self.pos).or(self.toks.last()).unwrap_or(&EOF)
    }

    fn nth(&self, n: usize) -> &Tok {
        self.toks
            .get(self.pos + n)
            .or(self.toks.last())
            .map_or(&Tok::Eof, |t| &t.tok)
    }

    fn span(&self) -> Span {
        self.cur().span
    }

    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn bump(&mut self) -> Span {
        let s = self.span();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        s
    }

    fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn ident_text(&self) -> Option<&'a str> {
        match self.tok() {
            Tok::Ident => Some(self.slice(self.span())),
            _ => None,
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.ident_text() == Some(kw)
    }

    fn err<T>(&self, message: impl Into<String>) -> R<T> {
        let found = match self.tok() {
            Tok::Eof => "end of file".to_string(),
            Tok::Newline => "end of line".to_string(),
            // Names, numbers and strings are input text: say what they are, never what they say.
            Tok::Ident => "a name".to_string(),
            Tok::Number => "a number".to_string(),
            Tok::Str(_) | Tok::StrHead(_) | Tok::StrMid(_) | Tok::StrTail(_) => {
                "a string".to_string()
            }
            _ => {
                let op = self.slice(self.span());
                if !op.is_empty() && op.len() <= 3 && op.bytes().all(|b| b.is_ascii_punctuation()) {
                    format!("`{op}`")
                } else {
                    "a token".to_string()
                }
            }
        };
        Err(ParseError {
            span: self.span(),
            message: format!("{}, found {found}", message.into()),
            too_deep: false,
        })
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > BICEP_NESTING_LIMIT {
            return Err(ParseError {
                span: self.span(),
                message: format!("Bicep source nested deeper than {BICEP_NESTING_LIMIT} levels"),
                too_deep: true,
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn skip_nl(&mut self) {
        while *self.tok() == Tok::Newline {
            self.pos += 1;
        }
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.tok() == t {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok, what: &str) -> R<Span> {
        if self.tok() == t {
            Ok(self.bump())
        } else {
            self.err(format!("expected {what}"))
        }
    }

    fn name(&mut self, what: &str) -> R<Name> {
        match self.ident_text() {
            Some(t) => {
                let text = t.to_string();
                Ok(Name {
                    text,
                    span: self.bump(),
                })
            }
            None => self.err(format!("expected {what}")),
        }
    }

    fn expect_kw(&mut self, kw: &str) -> R<Span> {
        if self.is_kw(kw) {
            Ok(self.bump())
        } else {
            self.err(format!("expected `{kw}`"))
        }
    }

    /// True (and positioned on it) when the current token is `t`, or when only newlines stand
    /// before `t` and `t` is an operator that continues an expression.
    fn cont(&mut self, t: &Tok) -> bool {
        if self.tok() == t {
            return true;
        }
        if *self.tok() != Tok::Newline {
            return false;
        }
        let mut i = self.pos;
        while self.toks.get(i).map(|x| &x.tok) == Some(&Tok::Newline) {
            i += 1;
        }
        if self.toks.get(i).map(|x| &x.tok) == Some(t) {
            self.pos = i;
            true
        } else {
            false
        }
    }

    /// Does token `i` start a declaration: a declaration keyword or `@` at the first column of a
    /// line, after a new line?
    fn starts_a_decl(&self, i: usize) -> bool {
        let (Some(prev), Some(t)) = (self.toks.get(i.wrapping_sub(1)), self.toks.get(i)) else {
            return false;
        };
        let at_line_start =
            t.span.start == 0 || self.text.as_bytes().get(t.span.start - 1) == Some(&b'\n');
        prev.tok == Tok::Newline
            && at_line_start
            && match t.tok {
                Tok::At => true,
                Tok::Ident => {
                    DECL_KEYWORDS.contains(&self.slice(t.span))
                        && self.toks.get(i + 1).map(|n| &n.tok) != Some(&Tok::Colon)
                }
                _ => false,
            }
    }

    fn end_of_decl(&mut self) -> R<()> {
        match self.tok() {
            Tok::Newline | Tok::Eof => Ok(()),
            _ => self.err("expected a new line after the declaration"),
        }
    }

    // ---------------------------------------------------------------- declarations

    fn program(&mut self) -> R<Program> {
        let mut decls = Vec::new();
        loop {
            self.skip_nl();
            if *self.tok() == Tok::Eof {
                break;
            }
            let decorators = self.decorators()?;
            let d = self.decl(decorators)?;
            self.end_of_decl()?;
            decls.push(d);
        }
        Ok(Program { decls })
    }

    fn decorators(&mut self) -> R<Vec<Decorator>> {
        let mut out = Vec::new();
        while *self.tok() == Tok::At {
            let start = self.bump().start;
            let mut name = self.name("a decorator name")?;
            if self.eat(&Tok::Dot) {
                name = self.name("a decorator name")?;
            }
            let mut args = Vec::new();
            if *self.tok() == Tok::LParen {
                args = self.args()?;
            }
            out.push(Decorator {
                name: name.text,
                span: Span::new(start, self.prev_end()),
                args,
            });
            self.skip_nl();
        }
        Ok(out)
    }

    fn decl(&mut self, decorators: Vec<Decorator>) -> R<Decl> {
        let start = decorators
            .first()
            .map_or(self.span().start, |d| d.span.start);
        let Some(kw) = self.ident_text() else {
            return self.err("expected a declaration");
        };
        let keyword_span = self.span();
        let kind = match kw {
            "targetScope" => {
                self.bump();
                self.expect(&Tok::Assign, "`=`")?;
                DeclKind::TargetScope(self.value()?)
            }
            "metadata" => {
                self.bump();
                let name = self.name("a metadata name")?;
                self.expect(&Tok::Assign, "`=`")?;
                DeclKind::Metadata {
                    name,
                    value: self.value()?,
                }
            }
            "param" => {
                self.bump();
                let name = self.name("a parameter name")?;
                let ty = if *self.tok() == Tok::Assign {
                    None
                } else {
                    Some(self.decl_type()?)
                };
                let default = if self.eat(&Tok::Assign) {
                    Some(self.value()?)
                } else {
                    None
                };
                DeclKind::Param { name, ty, default }
            }
            "var" => {
                self.bump();
                let name = self.name("a variable name")?;
                if *self.tok() != Tok::Assign {
                    self.decl_type()?;
                }
                self.expect(&Tok::Assign, "`=`")?;
                DeclKind::Var {
                    name,
                    value: self.value()?,
                }
            }
            "output" => {
                self.bump();
                let name = self.name("an output name")?;
                let ty = self.decl_type()?;
                self.expect(&Tok::Assign, "`=`")?;
                DeclKind::Output {
                    name,
                    ty,
                    value: self.value()?,
                }
            }
            "resource" => DeclKind::Resource(self.resource(decorators.clone(), start)?),
            "module" => {
                self.bump();
                let name = self.name("a module name")?;
                let (path, path_span) = self.plain_string("a module path")?;
                self.expect(&Tok::Assign, "`=`")?;
                DeclKind::Module {
                    name,
                    path,
                    path_span,
                    value: self.value()?,
                }
            }
            "import" => {
                self.bump();
                self.import()?
            }
            "extension" | "provider" => {
                self.bump();
                self.extension()?
            }
            "using" | "extends" => {
                self.bump();
                let path = if self.is_kw("none") {
                    self.bump();
                    None
                } else {
                    Some(self.plain_string("a file path")?.0)
                };
                if self.is_kw("with") {
                    self.bump();
                    self.expr()?;
                }
                DeclKind::Using { path }
            }
            "type" => {
                self.bump();
                let name = self.name("a type name")?;
                self.expect(&Tok::Assign, "`=`")?;
                self.skip_nl();
                self.type_expr()?;
                DeclKind::Type { name }
            }
            "func" => {
                self.bump();
                let name = self.name("a function name")?;
                self.expect(&Tok::LParen, "`(`")?;
                self.skip_nl();
                while *self.tok() != Tok::RParen {
                    self.name("a parameter name")?;
                    self.type_expr()?;
                    self.skip_nl();
                    if self.eat(&Tok::Comma) {
                        self.skip_nl();
                    } else if *self.tok() != Tok::RParen {
                        return self.err("expected `,` or `)`");
                    }
                }
                self.bump();
                self.type_expr()?;
                self.expect(&Tok::Arrow, "`=>`")?;
                self.skip_nl();
                self.expr()?;
                DeclKind::Func { name }
            }
            "assert" => {
                self.bump();
                let name = self.name("an assertion name")?;
                self.expect(&Tok::Assign, "`=`")?;
                DeclKind::Assert {
                    name,
                    value: self.value()?,
                }
            }
            _ => return self.err("expected a declaration keyword"),
        };
        Ok(Decl {
            decorators,
            kind,
            span: Span::new(start, self.prev_end()),
            keyword_span,
        })
    }

    /// The value after `=`: an expression, possibly on the next line.
    fn value(&mut self) -> R<Expr> {
        self.skip_nl();
        self.expr()
    }

    /// A string without interpolation, with its span.
    fn plain_string(&mut self, what: &str) -> R<(String, Span)> {
        match self.tok() {
            Tok::Str(s) => {
                let s = s.clone();
                Ok((s, self.bump()))
            }
            _ => self.err(format!("expected {what}")),
        }
    }

    fn resource(&mut self, decorators: Vec<Decorator>, start: usize) -> R<ResourceDecl> {
        let kw = self.expect_kw("resource")?;
        let name = self.name("a resource symbolic name")?;
        let (type_str, type_span) = self.plain_string("a resource type string")?;
        let (type_text, api_version) = match type_str.split_once('@') {
            Some((t, v)) => (t.to_string(), Some(v.to_string())),
            None => (type_str, None),
        };
        let head_span = kw.join(type_span);
        let existing = if self.is_kw("existing") {
            self.bump();
            true
        } else {
            false
        };
        self.expect(&Tok::Assign, "`=`")?;
        let value = self.value()?;
        Ok(ResourceDecl {
            decorators,
            name,
            type_text,
            api_version,
            type_span,
            existing,
            value,
            head_span,
            span: Span::new(start, self.prev_end()),
        })
    }

    fn import(&mut self) -> R<DeclKind> {
        match self.tok() {
            Tok::Star => {
                self.bump();
                self.expect_kw("as")?;
                let ns = self.name("a namespace name")?;
                self.expect_kw("from")?;
                self.plain_string("a file path")?;
                Ok(DeclKind::Import {
                    names: Vec::new(),
                    namespace: Some(ns),
                })
            }
            Tok::LBrace => {
                self.bump();
                let mut names = Vec::new();
                loop {
                    self.skip_nl();
                    if self.eat(&Tok::RBrace) {
                        break;
                    }
                    let mut n = self.name("an imported name")?;
                    if self.is_kw("as") {
                        self.bump();
                        n = self.name("an alias")?;
                    }
                    names.push(n);
                    if !self.eat(&Tok::Comma) && !matches!(self.tok(), Tok::Newline | Tok::RBrace) {
                        return self.err("expected a new line, `,` or `}`");
                    }
                }
                self.expect_kw("from")?;
                self.plain_string("a file path")?;
                Ok(DeclKind::Import {
                    names,
                    namespace: None,
                })
            }
            _ => self.extension(),
        }
    }

    /// `extension name`, `extension 'ref@1.0' with {...} as alias`.
    fn extension(&mut self) -> R<DeclKind> {
        match self.tok() {
            Tok::Ident => {
                self.bump();
            }
            Tok::Str(_) => {
                self.bump();
            }
            _ => return self.err("expected an extension name"),
        }
        if self.is_kw("with") {
            self.bump();
            self.expr()?;
        }
        let alias = if self.is_kw("as") {
            self.bump();
            Some(self.name("an alias")?)
        } else {
            None
        };
        Ok(DeclKind::Extension { alias })
    }

    // ---------------------------------------------------------------- types

    /// The type of a `param`/`output`: a type expression or `resource 'type@version'`.
    fn decl_type(&mut self) -> R<TypeRef> {
        let start = self.span().start;
        if self.is_kw("resource") && matches!(self.nth(1), Tok::Str(_)) {
            self.bump();
            self.bump();
        } else {
            self.type_expr()?;
        }
        let span = Span::new(start, self.prev_end());
        Ok(TypeRef {
            span,
            text: self.slice(span).to_string(),
        })
    }

    fn type_expr(&mut self) -> R<()> {
        self.enter()?;
        // a union may start with `|`, also on the next line: `param mode\n  | 'a'\n  | 'b'`
        if self.cont(&Tok::Pipe) {
            self.bump();
            self.skip_nl();
        }
        self.type_postfix()?;
        while self.cont(&Tok::Pipe) {
            self.bump();
            self.skip_nl();
            self.type_postfix()?;
        }
        self.leave();
        Ok(())
    }

    fn type_postfix(&mut self) -> R<()> {
        self.type_primary()?;
        loop {
            match self.tok() {
                Tok::Question | Tok::Bang => {
                    self.bump();
                }
                Tok::Dot => {
                    self.bump();
                    if *self.tok() == Tok::Star {
                        self.bump();
                    } else {
                        self.name("a property name")?;
                    }
                }
                Tok::LBrack => {
                    self.bump();
                    self.skip_nl();
                    if !self.eat(&Tok::RBrack) {
                        if !self.eat(&Tok::Star) {
                            self.expr()?;
                        }
                        self.skip_nl();
                        self.expect(&Tok::RBrack, "`]`")?;
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn type_primary(&mut self) -> R<()> {
        match self.tok().clone() {
            Tok::Ident => {
                self.bump();
                if *self.tok() == Tok::Lt {
                    self.bump();
                    loop {
                        self.skip_nl();
                        self.type_expr()?;
                        self.skip_nl();
                        if self.eat(&Tok::Gt) {
                            break;
                        }
                        self.expect(&Tok::Comma, "`,` or `>`")?;
                    }
                }
                Ok(())
            }
            Tok::Str(_) | Tok::Number => {
                self.bump();
                Ok(())
            }
            Tok::Minus => {
                self.bump();
                self.expect(&Tok::Number, "a number")?;
                Ok(())
            }
            Tok::LParen => {
                self.bump();
                self.skip_nl();
                self.type_expr()?;
                self.skip_nl();
                self.expect(&Tok::RParen, "`)`")?;
                Ok(())
            }
            Tok::LBrack => {
                self.bump();
                loop {
                    self.skip_nl();
                    if self.eat(&Tok::RBrack) {
                        return Ok(());
                    }
                    self.decorators()?;
                    self.type_expr()?;
                    if !self.eat(&Tok::Comma) && !matches!(self.tok(), Tok::Newline | Tok::RBrack) {
                        return self.err("expected a new line, `,` or `]`");
                    }
                }
            }
            Tok::LBrace => {
                self.bump();
                loop {
                    self.skip_nl();
                    if self.eat(&Tok::RBrace) {
                        return Ok(());
                    }
                    self.decorators()?;
                    match self.tok() {
                        Tok::Ident | Tok::Str(_) | Tok::Star => {
                            self.bump();
                        }
                        _ => return self.err("expected a property name"),
                    }
                    self.eat(&Tok::Question);
                    self.expect(&Tok::Colon, "`:`")?;
                    self.skip_nl();
                    self.type_expr()?;
                    if !self.eat(&Tok::Comma) && !matches!(self.tok(), Tok::Newline | Tok::RBrace) {
                        return self.err("expected a new line or `}`");
                    }
                }
            }
            _ => self.err("expected a type"),
        }
    }

    // ---------------------------------------------------------------- expressions

    pub(super) fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let cond = self.binary(0)?;
        let e = if self.cont(&Tok::Question) {
            self.bump();
            self.skip_nl();
            let a = self.expr()?;
            if !self.cont(&Tok::Colon) {
                return self.err("expected `:` in the conditional expression");
            }
            self.bump();
            self.skip_nl();
            let b = self.expr()?;
            Expr {
                span: cond.span.join(b.span),
                kind: ExprKind::Ternary(Box::new(cond), Box::new(a), Box::new(b)),
            }
        } else {
            cond
        };
        self.leave();
        Ok(e)
    }

    fn binop(&self) -> Option<(BinOp, u8)> {
        let op = match self.tok() {
            Tok::Coalesce => (BinOp::Coalesce, 1),
            Tok::Or => (BinOp::Or, 2),
            Tok::And => (BinOp::And, 3),
            Tok::Eq => (BinOp::Eq, 4),
            Tok::Neq => (BinOp::Neq, 4),
            Tok::EqI => (BinOp::EqI, 4),
            Tok::NeqI => (BinOp::NeqI, 4),
            Tok::Lt => (BinOp::Lt, 5),
            Tok::Le => (BinOp::Le, 5),
            Tok::Gt => (BinOp::Gt, 5),
            Tok::Ge => (BinOp::Ge, 5),
            Tok::Plus => (BinOp::Add, 6),
            Tok::Minus => (BinOp::Sub, 6),
            Tok::Star => (BinOp::Mul, 7),
            Tok::Slash => (BinOp::Div, 7),
            Tok::Percent => (BinOp::Mod, 7),
            _ => return None,
        };
        Some(op)
    }

    /// Continues to an operator on the next line when it cannot start an expression.
    fn cont_binop(&mut self) -> Option<(BinOp, u8)> {
        if let Some(op) = self.binop() {
            return Some(op);
        }
        if *self.tok() != Tok::Newline {
            return None;
        }
        let mut i = self.pos;
        while self.toks.get(i).map(|x| &x.tok) == Some(&Tok::Newline) {
            i += 1;
        }
        let save = self.pos;
        self.pos = i;
        match self.binop() {
            Some(op) if op.0 != BinOp::Sub => Some(op),
            _ => {
                self.pos = save;
                None
            }
        }
    }

    fn binary(&mut self, min: u8) -> R<Expr> {
        let mut left = self.unary()?;
        // Each operator nests the (left-leaning) tree one level deeper: count it against the
        // nesting budget, or `1 + 1 + … + 1` would build a tree too deep to walk.
        let entered = self.depth;
        loop {
            let save = self.pos;
            let Some((op, prec)) = self.cont_binop() else {
                break;
            };
            if prec < min {
                self.pos = save;
                break;
            }
            self.enter()?;
            self.bump();
            self.skip_nl();
            let right = self.binary(prec + 1)?;
            left = Expr {
                span: left.span.join(right.span),
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
            };
        }
        self.depth = entered;
        Ok(left)
    }

    fn unary(&mut self) -> R<Expr> {
        let op = match self.tok() {
            Tok::Bang => UnOp::Not,
            Tok::Minus => UnOp::Neg,
            _ => return self.postfix(),
        };
        self.enter()?;
        let start = self.bump().start;
        let e = self.unary()?;
        self.leave();
        Ok(Expr {
            span: Span::new(start, e.span.end),
            kind: ExprKind::Unary(op, Box::new(e)),
        })
    }

    fn postfix(&mut self) -> R<Expr> {
        let mut e = self.primary()?;
        // Each `.name`, `::name`, `[index]`, call or `!` nests the tree one level deeper: count
        // it against the nesting budget (see `binary`).
        let entered = self.depth;
        loop {
            if self.cont(&Tok::Dot)
                || matches!(self.tok(), Tok::DoubleColon | Tok::LBrack | Tok::Bang)
            {
                self.enter()?;
            }
            if self.cont(&Tok::Dot) {
                self.bump();
                let safe = self.eat(&Tok::Question);
                let name = self.name("a property name")?;
                if *self.tok() == Tok::LParen && !safe {
                    let args = self.args()?;
                    e = Expr {
                        span: Span::new(e.span.start, self.prev_end()),
                        kind: ExprKind::Call {
                            base: Some(Box::new(e)),
                            name,
                            args,
                        },
                    };
                } else {
                    e = Expr {
                        span: Span::new(e.span.start, name.span.end),
                        kind: ExprKind::Member {
                            base: Box::new(e),
                            name,
                            safe,
                        },
                    };
                }
                continue;
            }
            match self.tok() {
                Tok::DoubleColon => {
                    self.bump();
                    let name = self.name("a child resource name")?;
                    e = Expr {
                        span: Span::new(e.span.start, name.span.end),
                        kind: ExprKind::Child {
                            base: Box::new(e),
                            name,
                        },
                    };
                }
                Tok::LBrack => {
                    self.bump();
                    self.skip_nl();
                    let safe = self.eat(&Tok::Question);
                    self.skip_nl();
                    let index = self.expr()?;
                    self.skip_nl();
                    let end = self.expect(&Tok::RBrack, "`]`")?.end;
                    e = Expr {
                        span: Span::new(e.span.start, end),
                        kind: ExprKind::Index {
                            base: Box::new(e),
                            index: Box::new(index),
                            safe,
                        },
                    };
                }
                Tok::Bang => {
                    let end = self.bump().end;
                    e = Expr {
                        span: Span::new(e.span.start, end),
                        kind: ExprKind::NonNull(Box::new(e)),
                    };
                }
                _ => {
                    self.depth = entered;
                    return Ok(e);
                }
            }
        }
    }

    /// `( args )`, newlines allowed anywhere inside.
    fn args(&mut self) -> R<Vec<Expr>> {
        self.expect(&Tok::LParen, "`(`")?;
        let mut args = Vec::new();
        self.skip_nl();
        if self.eat(&Tok::RParen) {
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            self.skip_nl();
            if self.eat(&Tok::Comma) {
                self.skip_nl();
                continue;
            }
            if self.eat(&Tok::RParen) {
                return Ok(args);
            }
            return self.err("expected `,` or `)` in the argument list");
        }
    }

    fn primary(&mut self) -> R<Expr> {
        let span = self.span();
        match self.tok().clone() {
            Tok::Str(s) => {
                self.bump();
                Ok(Expr {
                    span,
                    kind: ExprKind::Str(vec![StrPart::Lit(s)]),
                })
            }
            Tok::StrHead(s) => self.interpolated(s),
            Tok::Number => {
                self.bump();
                Ok(Expr {
                    span,
                    kind: ExprKind::Number(self.slice(span).to_string()),
                })
            }
            Tok::Ident => {
                let text = self.slice(span);
                match (text, self.nth(1)) {
                    (_, Tok::Arrow) => {
                        let p = self.name("a parameter")?;
                        self.lambda_body(span.start, vec![p])
                    }
                    ("if", Tok::LParen) => {
                        self.bump();
                        self.expect(&Tok::LParen, "`(`")?;
                        self.skip_nl();
                        let cond = self.expr()?;
                        self.skip_nl();
                        self.expect(&Tok::RParen, "`)`")?;
                        self.skip_nl();
                        let body = self.expr()?;
                        Ok(Expr {
                            span: span.join(body.span),
                            kind: ExprKind::If {
                                cond: Box::new(cond),
                                body: Box::new(body),
                            },
                        })
                    }
                    (_, Tok::LParen) => {
                        let name = self.name("a function name")?;
                        let args = self.args()?;
                        Ok(Expr {
                            span: Span::new(span.start, self.prev_end()),
                            kind: ExprKind::Call {
                                base: None,
                                name,
                                args,
                            },
                        })
                    }
                    _ => {
                        self.bump();
                        let kind = match text {
                            "true" => ExprKind::Bool(true),
                            "false" => ExprKind::Bool(false),
                            "null" => ExprKind::Null,
                            _ => ExprKind::Ident(text.to_string()),
                        };
                        Ok(Expr { span, kind })
                    }
                }
            }
            Tok::LParen => {
                if let Some(params) = self.lambda_params() {
                    return self.lambda_body(span.start, params);
                }
                self.bump();
                self.skip_nl();
                let e = self.expr()?;
                self.skip_nl();
                let end = self.expect(&Tok::RParen, "`)`")?.end;
                Ok(Expr {
                    span: Span::new(span.start, end),
                    kind: ExprKind::Paren(Box::new(e)),
                })
            }
            Tok::LBrack => self.array(),
            Tok::LBrace => self.object(),
            _ => self.err("expected an expression"),
        }
    }

    /// `'a${x}b${y}c'` from its head piece.
    fn interpolated(&mut self, head: String) -> R<Expr> {
        let start = self.bump().start;
        let mut parts = vec![StrPart::Lit(head)];
        loop {
            self.skip_nl();
            let e = self.expr()?;
            parts.push(StrPart::Expr(e));
            self.skip_nl();
            match self.tok().clone() {
                Tok::StrMid(s) => {
                    self.bump();
                    parts.push(StrPart::Lit(s));
                }
                Tok::StrTail(s) => {
                    let end = self.bump().end;
                    parts.push(StrPart::Lit(s));
                    parts.retain(|p| !matches!(p, StrPart::Lit(s) if s.is_empty()));
                    return Ok(Expr {
                        span: Span::new(start, end),
                        kind: ExprKind::Str(parts),
                    });
                }
                _ => return self.err("expected `}` closing the interpolation"),
            }
        }
    }

    /// At `(`: the parameter names when this is a lambda `(a, b) => ...`.
    fn lambda_params(&mut self) -> Option<Vec<Name>> {
        let mut i = self.pos + 1;
        let mut names = Vec::new();
        let at = |i: usize| self.toks.get(i).map(|t| &t.tok);
        let skip = |mut i: usize| {
            while at(i) == Some(&Tok::Newline) {
                i += 1;
            }
            i
        };
        i = skip(i);
        if at(i) != Some(&Tok::RParen) {
            loop {
                if at(i) != Some(&Tok::Ident) {
                    return None;
                }
                let t = self.toks.get(i)?;
                names.push(Name {
                    text: self.slice(t.span).to_string(),
                    span: t.span,
                });
                i = skip(i + 1);
                match at(i) {
                    Some(Tok::Comma) => i = skip(i + 1),
                    Some(Tok::RParen) => break,
                    _ => return None,
                }
            }
        }
        if at(i + 1) != Some(&Tok::Arrow) {
            return None;
        }
        self.pos = i + 1;
        Some(names)
    }

    /// After the parameters, at `=>`.
    fn lambda_body(&mut self, start: usize, params: Vec<Name>) -> R<Expr> {
        self.expect(&Tok::Arrow, "`=>`")?;
        self.skip_nl();
        let body = self.expr()?;
        Ok(Expr {
            span: Span::new(start, body.span.end),
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
        })
    }

    fn array(&mut self) -> R<Expr> {
        let start = self.bump().start;
        self.skip_nl();
        if self.is_kw("for") && matches!(self.nth(1), Tok::Ident | Tok::LParen) {
            return self.for_expr(start);
        }
        let mut items = Vec::new();
        loop {
            self.skip_nl();
            if let Tok::RBrack = self.tok() {
                let end = self.bump().end;
                return Ok(Expr {
                    span: Span::new(start, end),
                    kind: ExprKind::Array(items),
                });
            }
            items.push(self.item()?);
            if self.eat(&Tok::Comma) {
                continue;
            }
            if !matches!(self.tok(), Tok::Newline | Tok::RBrack) {
                return self.err("expected a new line, `,` or `]` after the array item");
            }
        }
    }

    /// An array item or spread.
    fn item(&mut self) -> R<Expr> {
        if *self.tok() == Tok::Ellipsis {
            let start = self.bump().start;
            let e = self.expr()?;
            return Ok(Expr {
                span: Span::new(start, e.span.end),
                kind: ExprKind::Spread(Box::new(e)),
            });
        }
        self.expr()
    }

    fn for_expr(&mut self, start: usize) -> R<Expr> {
        self.bump(); // for
        let mut vars = Vec::new();
        if self.eat(&Tok::LParen) {
            loop {
                self.skip_nl();
                vars.push(self.name("a loop variable")?);
                self.skip_nl();
                if self.eat(&Tok::Comma) {
                    continue;
                }
                self.expect(&Tok::RParen, "`)`")?;
                break;
            }
        } else {
            vars.push(self.name("a loop variable")?);
        }
        self.expect_kw("in")?;
        self.skip_nl();
        let iter = self.expr()?;
        self.skip_nl();
        self.expect(&Tok::Colon, "`:`")?;
        self.skip_nl();
        let body = self.expr()?;
        self.skip_nl();
        let end = self.expect(&Tok::RBrack, "`]`")?.end;
        Ok(Expr {
            span: Span::new(start, end),
            kind: ExprKind::For {
                vars,
                iter: Box::new(iter),
                body: Box::new(body),
            },
        })
    }

    fn object(&mut self) -> R<Expr> {
        self.enter()?;
        let start = self.bump().start;
        let mut items = Vec::new();
        loop {
            self.skip_nl();
            if *self.tok() == Tok::RBrace {
                break;
            }
            let decorators = self.decorators()?;
            if self.is_kw("resource") && matches!(self.nth(1), Tok::Ident) {
                let start = decorators
                    .first()
                    .map_or(self.span().start, |d| d.span.start);
                let r = self.resource(decorators, start)?;
                items.push(ObjItem::Resource(Box::new(r)));
            } else if *self.tok() == Tok::Ellipsis {
                self.bump();
                items.push(ObjItem::Spread(self.expr()?));
            } else {
                let key = self.key()?;
                self.expect(&Tok::Colon, "`:` after the property name")?;
                self.skip_nl();
                let value = self.expr()?;
                items.push(ObjItem::Prop { key, value });
            }
            if self.eat(&Tok::Comma) {
                continue;
            }
            if !matches!(self.tok(), Tok::Newline | Tok::RBrace) {
                return self.err("expected a new line, `,` or `}` after the property");
            }
        }
        let end = self.bump().end;
        self.leave();
        Ok(Expr {
            span: Span::new(start, end),
            kind: ExprKind::Object(items),
        })
    }

    fn key(&mut self) -> R<Key> {
        let span = self.span();
        match self.tok().clone() {
            Tok::Ident => {
                self.bump();
                Ok(Key {
                    text: self.slice(span).to_string(),
                    span,
                    expr: None,
                })
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Key {
                    text: s,
                    span,
                    expr: None,
                })
            }
            Tok::StrHead(s) => {
                let e = self.interpolated(s)?;
                let inner = Span::new(e.span.start + 1, e.span.end.saturating_sub(1));
                Ok(Key {
                    text: self.slice(inner).to_string(),
                    span: e.span,
                    expr: Some(e),
                })
            }
            _ => self.err("expected a property name"),
        }
    }
}
