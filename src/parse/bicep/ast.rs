//! The Bicep syntax tree the parser builds and the lowering reads. Every node has its byte span.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    Lit(String),
    Expr(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Coalesce,
    Or,
    And,
    Eq,
    Neq,
    EqI,
    NeqI,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A string: literal pieces and interpolated expressions, in order.
    Str(Vec<StrPart>),
    Number(String),
    Bool(bool),
    Null,
    Ident(String),
    Object(Vec<ObjItem>),
    Array(Vec<Expr>),
    /// `...x` inside an array or object.
    Spread(Box<Expr>),
    /// `f(a)`, `az.f(a)`, `sa.listKeys()`: `base` is what stands before the dot.
    Call {
        base: Option<Box<Expr>>,
        name: Name,
        args: Vec<Expr>,
    },
    /// `a.b`, `a.?b`
    Member {
        base: Box<Expr>,
        name: Name,
        safe: bool,
    },
    /// `parent::child`
    Child {
        base: Box<Expr>,
        name: Name,
    },
    /// `a[i]`, `a[?i]`
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    /// Postfix `a!`
    NonNull(Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `[for x in y: body]`, `[for (x, i) in y: body]`
    For {
        vars: Vec<Name>,
        iter: Box<Expr>,
        body: Box<Expr>,
    },
    /// `if (cond) body` (resource and module conditions)
    If {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    Lambda {
        params: Vec<Name>,
        body: Box<Expr>,
    },
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjItem {
    Prop {
        key: Key,
        value: Expr,
    },
    Spread(Expr),
    /// A child resource declared inside its parent's body.
    Resource(Box<ResourceDecl>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text: the identifier, the decoded string, or the source text of an interpolated key.
    pub text: String,
    pub span: Span,
    /// Set for an interpolated string key.
    pub expr: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decorator {
    /// The name without a `sys.` namespace (`secure`, `description`).
    pub name: String,
    pub span: Span,
    pub args: Vec<Expr>,
}

/// A type as written (only its span and text matter to the lowering).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDecl {
    pub decorators: Vec<Decorator>,
    pub name: Name,
    /// The type string without `@version` and its span (quotes included).
    pub type_text: String,
    pub api_version: Option<String>,
    pub type_span: Span,
    pub existing: bool,
    pub value: Expr,
    /// `resource` keyword through the type string.
    pub head_span: Span,
    /// The whole declaration, decorators included.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeclKind {
    TargetScope(Expr),
    Metadata {
        name: Name,
        value: Expr,
    },
    Param {
        name: Name,
        ty: Option<TypeRef>,
        default: Option<Expr>,
    },
    Var {
        name: Name,
        value: Expr,
    },
    Output {
        name: Name,
        ty: TypeRef,
        value: Expr,
    },
    Resource(ResourceDecl),
    Module {
        name: Name,
        path: String,
        path_span: Span,
        value: Expr,
    },
    /// `import ... from '...'`: the names it brings in (namespaces for `* as ns`).
    Import {
        names: Vec<Name>,
        namespace: Option<Name>,
    },
    /// `extension`, `provider`, `import 'az@1.0'`: an optional alias.
    Extension {
        alias: Option<Name>,
    },
    Using {
        path: Option<String>,
    },
    Type {
        name: Name,
    },
    Func {
        name: Name,
    },
    Assert {
        name: Name,
        value: Expr,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    pub decorators: Vec<Decorator>,
    pub kind: DeclKind,
    /// The whole declaration, decorators included.
    pub span: Span,
    /// The keyword.
    pub keyword_span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    pub decls: Vec<Decl>,
}
