//! The IR: where every input format meets. Parsers lower into it; rules read only it.
//!
//! * [`Node`]: a spanned value tree (maps keep spanned keys, in order, duplicates allowed: repeated
//!   Terraform blocks become repeated entries).
//! * [`Str`]: every string is classified once by its parser ([`StrClass`]): a literal, an expression
//!   (with its parsed [`Expr`]), a secret reference or a placeholder.
//! * [`Document`]: the tree plus what the parser recognised in it: templates (deployment scopes),
//!   parameters, variables, outputs, resources with their identities, role assignments and settings.

use std::fmt;
use std::sync::Arc;

use crate::source::{DeploymentScope, Format, Span};

pub mod azurerm;
pub mod classify;

/// The language family a document or resource was written in. Parsers set it; rules choose their
/// wording (and the rare dialect-specific check) on it instead of testing type names or formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// ARM JSON templates and parameter files.
    Arm,
    /// Bicep templates and `.bicepparam` files.
    Bicep,
    /// Terraform HCL, `.tfvars`, `.tf.json` and plan JSON.
    Terraform,
    /// Application configuration (appsettings, local.settings, web.config, .env, YAML) and text.
    #[default]
    AppConfig,
}

impl Dialect {
    /// The dialect of a file format.
    pub fn of(format: Format) -> Dialect {
        match format {
            Format::ArmTemplate(_) | Format::ArmParameters => Dialect::Arm,
            Format::Bicep | Format::BicepParams => Dialect::Bicep,
            Format::Terraform
            | Format::TerraformVars
            | Format::TerraformJson
            | Format::TerraformPlan => Dialect::Terraform,
            Format::AppSettings
            | Format::Json
            | Format::XmlConfig
            | Format::Dotenv
            | Format::Properties
            | Format::Yaml
            | Format::Text => Dialect::AppConfig,
        }
    }
}

/// A value with the byte span it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    Str(Str),
    /// Lists and maps are shared, not copied, when a node is cloned: the IR keeps a resource's body,
    /// a parameter's default and a variable's value next to the tree they sit in, and a nested
    /// deployment's resources are inside its parent's body, so deep copies grew with nesting depth
    /// (60 MB for one 3 MB compiled Bicep template).
    List(Arc<[Node]>),
    Map(Arc<[Entry]>),
    /// A value the parser could not represent as data (a Terraform `for` expression, a YAML alias):
    /// kept as an expression so rules see "not a literal".
    Expr(Expr),
}

/// A map entry: key, the key's span, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// A string value and what kind of string it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Str {
    /// The decoded value (escapes resolved; for expressions, the expression text).
    pub value: String,
    pub class: StrClass,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrClass {
    /// A value written in the file.
    Literal,
    /// An expression evaluated at deployment or run time.
    Expression(Expr),
    /// A reference to a secret store: `@Microsoft.KeyVault(...)`, a parameter file's
    /// `reference.keyVault`, Bicep `getSecret()`, `azurerm_key_vault_secret` data.
    SecretRef,
    /// A stand-in to be replaced: `<your-password>`, `${{ secrets.X }}`, `$(Var)`, `#{Token}#`,
    /// `%VAR%`, `{{ x }}`, `xxxx`, `***`, or empty.
    Placeholder,
}

/// A small expression AST shared by ARM `[...]` expressions, Bicep and Terraform.
///
/// References are lowered once, by the parser that knows the syntax, so rules need not know it:
/// * parameters: ARM `parameters('x')`, a Bicep parameter symbol, Terraform `var.x` are
///   [`Expr::Param`]; variables: ARM `variables('x')`, a Bicep variable symbol are [`Expr::Var`];
///   Terraform `local.x` is [`Expr::Local`]. Attribute steps after them are [`Expr::Member`]s
///   (`var.x.y` is `Member { base: Param("x"), name: "y" }`; Terraform index and splat steps are
///   dropped).
/// * resource attributes: Terraform `azurerm_storage_account.a.primary_access_key`,
///   `data.azurerm_client_config.c.tenant_id`, a Bicep resource symbol `sa.properties.x` are
///   [`Expr::Resource`] with the address [`Document::resource_by_symbol`] knows; module outputs
///   (Terraform `module.m.x`, a Bicep module symbol `m.outputs.x`) are [`Expr::Module`].
/// * anything else named (Terraform `each.key`, `count.index`, loop and lambda variables, a YAML
///   alias) is a [`Expr::Ref`] path.
/// * Function names keep their source spelling; compare with `eq_ignore_ascii_case`.
///
/// [`fmt::Display`] prints an expression back in ARM syntax (for messages; not byte-identical to
/// the source).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Str(String),
    Number(String),
    Bool(bool),
    Null,
    /// A parameter reference, by name (see above).
    Param(String),
    /// An ARM or Bicep variable reference, by name.
    Var(String),
    /// A Terraform local value, by name.
    Local(String),
    /// A resource attribute: the resource's address (Terraform `type.label` or `data.type.label`,
    /// a Bicep symbol) and the attribute path after it, as written.
    Resource {
        address: String,
        path: Vec<String>,
    },
    /// A module output: the module's address as written (Terraform `module.m`, a Bicep symbol) and
    /// the path after it (Bicep keeps its `outputs` step).
    Module {
        address: String,
        path: Vec<String>,
    },
    /// Any other traversal of names (see above).
    Ref(Vec<String>),
    Call {
        name: String,
        args: Vec<Expr>,
    },
    Member {
        base: Box<Expr>,
        name: String,
    },
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// A string template: `"${a}-x"` in Terraform, `'${a}-x'` in Bicep.
    Interp(Vec<Expr>),
    /// A conditional: Terraform and Bicep `c ? a : b` (ARM writes `if(c, a, b)`, a call).
    Cond {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// Anything else (operators, loops, lambdas, object and array literals inside expressions),
    /// with the sub-expressions it contains.
    Other(Vec<Expr>),
}

impl Expr {
    /// Calls every sub-expression, depth first, this one included.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
            Expr::Member { base, .. } => base.walk(f),
            Expr::Index { base, index } => {
                base.walk(f);
                index.walk(f);
            }
            Expr::Interp(parts) | Expr::Other(parts) => parts.iter().for_each(|a| a.walk(f)),
            Expr::Cond {
                cond,
                then,
                otherwise,
            } => {
                cond.walk(f);
                then.walk(f);
                otherwise.walk(f);
            }
            _ => {}
        }
    }

    /// Names of all functions called anywhere in the expression.
    pub fn calls(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Call { name, .. } = e {
                out.push(name.as_str());
            }
        });
        out
    }

    /// True when the expression calls a function with this name (case-insensitive).
    pub fn calls_fn(&self, name: &str) -> bool {
        self.calls().iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// Names of the parameters referenced anywhere in the expression.
    pub fn parameter_refs(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Param(name) = e {
                out.push(name.as_str());
            }
        });
        out
    }

    /// Names of the variables (ARM/Bicep variables, Terraform locals) referenced anywhere in the
    /// expression.
    pub fn variable_refs(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Var(name) | Expr::Local(name) = e {
                out.push(name.as_str());
            }
        });
        out
    }

    /// The resource attributes referenced anywhere in the expression: (address, attribute path).
    pub fn resource_refs(&self) -> Vec<(&str, &[String])> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Resource { address, path } = e {
                out.push((address.as_str(), path.as_slice()));
            }
        });
        out
    }

    /// The last name of every reference in the expression: the last member after a parameter,
    /// variable, local, resource, module or other named reference (`var.x.y`, `local.a`,
    /// `azurerm_storage_account.sa.primary_access_key`, `sa.properties.x`), or the reference's own
    /// name when no member follows. Index steps are skipped.
    pub fn reference_leaves(&self) -> Vec<&str> {
        fn chain<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
            // Walk down a member/index chain to its root; the outermost member is the leaf.
            let mut leaf: Option<&'a str> = None;
            let mut cur = e;
            loop {
                match cur {
                    Expr::Member { base, name } => {
                        leaf = leaf.or(Some(name.as_str()));
                        cur = base;
                    }
                    Expr::Index { base, index } => {
                        chain(index, out);
                        cur = base;
                    }
                    _ => break,
                }
            }
            let own = match cur {
                Expr::Param(n) | Expr::Var(n) | Expr::Local(n) => Some(n.as_str()),
                Expr::Resource { address, path } | Expr::Module { address, path } => path
                    .last()
                    .map(String::as_str)
                    .or_else(|| address.rsplit('.').next()),
                Expr::Ref(p) => p.last().map(String::as_str),
                Expr::Call { args, .. } => {
                    args.iter().for_each(|a| chain(a, out));
                    return;
                }
                Expr::Interp(parts) | Expr::Other(parts) => {
                    parts.iter().for_each(|a| chain(a, out));
                    return;
                }
                Expr::Cond {
                    cond,
                    then,
                    otherwise,
                } => {
                    for a in [cond, then, otherwise] {
                        chain(a, out);
                    }
                    return;
                }
                _ => return,
            };
            if let Some(l) = leaf.or(own) {
                out.push(l);
            }
        }
        let mut out = Vec::new();
        chain(self, &mut out);
        out
    }

    /// All other traversals ([`Expr::Ref`]) in the expression.
    pub fn refs(&self) -> Vec<&[String]> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Ref(p) = e {
                out.push(p.as_slice());
            }
        });
        out
    }

    /// The literal string value when the expression is a constant string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The parameter or variable at the root of a member chain (`parameters('x').a.b`,
    /// `local.x.a`), with the member names after it (index steps with a constant string count as
    /// members). `None` when the chain does not start at a parameter or variable.
    pub fn named_root(&self) -> Option<(&Expr, Vec<&str>)> {
        let mut members = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                Expr::Member { base, name } => {
                    members.push(name.as_str());
                    cur = base;
                }
                Expr::Index { base, index } => {
                    if let Some(s) = index.as_str() {
                        members.push(s);
                    }
                    cur = base;
                }
                Expr::Param(_) | Expr::Var(_) | Expr::Local(_) => {
                    members.reverse();
                    return Some((cur, members));
                }
                _ => return None,
            }
        }
    }
}

/// The parts of a resource address ([`Expr::Resource`]): Terraform `type.label` and
/// `data.type.label`, or a Bicep symbol (no type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Address<'a> {
    /// A data source (`data.type.label`).
    pub data: bool,
    /// The resource type as written (`azurerm_storage_account`), when the address names it.
    pub ty: Option<&'a str>,
    /// The label or symbol.
    pub label: &'a str,
}

impl<'a> Address<'a> {
    pub fn parse(address: &'a str) -> Address<'a> {
        // A resource inside a module, addressed from its caller: `module.sa.azurerm_x.y`
        // (`module.sa` alone is the module).
        let mut address = address;
        while let Some(rest) = address.strip_prefix("module.") {
            match rest.split_once('.') {
                Some((_, inner)) if inner.contains('.') => address = inner,
                _ => break,
            }
        }
        let (data, rest) = match address.strip_prefix("data.") {
            Some(rest) => (true, rest),
            None => (false, address),
        };
        match rest.split_once('.') {
            Some((ty, label)) => Address {
                data,
                ty: Some(ty),
                label,
            },
            None => Address {
                data: false,
                ty: None,
                label: address,
            },
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list(f: &mut fmt::Formatter<'_>, items: &[Expr], sep: &str) -> fmt::Result {
            for (i, a) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write!(f, "{a}")?;
            }
            Ok(())
        }
        fn path(f: &mut fmt::Formatter<'_>, address: &str, path: &[String]) -> fmt::Result {
            f.write_str(address)?;
            for p in path {
                write!(f, ".{p}")?;
            }
            Ok(())
        }
        match self {
            Expr::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Expr::Number(n) => f.write_str(n),
            Expr::Bool(b) => write!(f, "{b}"),
            Expr::Null => f.write_str("null"),
            Expr::Param(n) => write!(f, "parameters('{}')", n.replace('\'', "''")),
            Expr::Var(n) => write!(f, "variables('{}')", n.replace('\'', "''")),
            Expr::Local(n) => write!(f, "local.{n}"),
            Expr::Resource { address, path: p } | Expr::Module { address, path: p } => {
                path(f, address, p)
            }
            Expr::Ref(p) => f.write_str(&p.join(".")),
            Expr::Call { name, args } => {
                write!(f, "{name}(")?;
                list(f, args, ", ")?;
                f.write_str(")")
            }
            Expr::Member { base, name } => write!(f, "{base}.{name}"),
            Expr::Index { base, index } => write!(f, "{base}[{index}]"),
            Expr::Interp(parts) | Expr::Other(parts) => list(f, parts, " "),
            Expr::Cond {
                cond,
                then,
                otherwise,
            } => write!(f, "{cond} {then} {otherwise}"),
        }
    }
}

impl Node {
    pub fn new(span: Span, kind: NodeKind) -> Self {
        Node { span, kind }
    }

    pub fn literal(span: Span, value: impl Into<String>) -> Self {
        Node::new(
            span,
            NodeKind::Str(Str {
                value: value.into(),
                class: StrClass::Literal,
            }),
        )
    }

    /// First entry with this key (ASCII case-insensitive: ARM and app configs are case-insensitive,
    /// and Terraform names are lower case by convention).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }

    /// All entries with this key (repeated Terraform blocks).
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.entries()
            .iter()
            .filter(move |e| e.key.eq_ignore_ascii_case(key))
            .map(|e| &e.value)
    }

    /// Follows a path of keys: `node.path(&["properties", "siteConfig"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut cur = self;
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(e) => e,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::List(items) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&Str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value when this is a literal string.
    pub fn as_literal(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(Str {
                value,
                class: StrClass::Literal,
            }) => Some(value),
            _ => None,
        }
    }

    /// The value of a string written in the file, literal or placeholder (not an expression or
    /// secret reference). Use it for configuration values such as an identity type, where a word
    /// like `None` or `Default` is a value, not a stand-in.
    pub fn as_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(Str {
                value,
                class: StrClass::Literal | StrClass::Placeholder,
            }) => Some(value),
            _ => None,
        }
    }

    /// The expression when this is an expression string or a non-string expression.
    pub fn as_expr(&self) -> Option<&Expr> {
        match &self.kind {
            NodeKind::Str(Str {
                class: StrClass::Expression(e),
                ..
            }) => Some(e),
            NodeKind::Expr(e) => Some(e),
            _ => None,
        }
    }

    /// A literal boolean, also written as a string (`"false"`) as app settings and some templates do.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Bool(b) => Some(*b),
            NodeKind::Str(Str {
                value,
                class: StrClass::Literal,
            }) => match value.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The items of a list; an expression (a list a parameter or variable holds) as itself, for
    /// the resolver to follow.
    pub fn items_or_expr(&self) -> &[Node] {
        match &self.kind {
            NodeKind::List(items) => items,
            _ if self.as_expr().is_some() => std::slice::from_ref(self),
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    /// Calls `f` on every node below and including this one, depth first, with the key path.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&KeyPath<'a>, &'a Node)) {
        let mut path = KeyPath::default();
        self.walk_inner(&mut path, f);
    }

    fn walk_inner<'a>(&'a self, path: &mut KeyPath<'a>, f: &mut dyn FnMut(&KeyPath<'a>, &'a Node)) {
        f(path, self);
        match &self.kind {
            NodeKind::Map(entries) => {
                for e in entries.iter() {
                    path.0.push(PathStep::Key(e));
                    e.value.walk_inner(path, f);
                    path.0.pop();
                }
            }
            NodeKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.0.push(PathStep::Index(i));
                    item.walk_inner(path, f);
                    path.0.pop();
                }
            }
            _ => {}
        }
    }
}

/// The keys leading to a node during [`Node::walk`].
#[derive(Debug, Default, Clone)]
pub struct KeyPath<'a>(pub Vec<PathStep<'a>>);

#[derive(Debug, Clone, Copy)]
pub enum PathStep<'a> {
    Key(&'a Entry),
    Index(usize),
}

impl<'a> KeyPath<'a> {
    /// The innermost map entry on the path (the key a value sits under).
    pub fn last_entry(&self) -> Option<&'a Entry> {
        self.0.iter().rev().find_map(|s| match s {
            PathStep::Key(e) => Some(*e),
            PathStep::Index(_) => None,
        })
    }

    /// The key directly above the node, if the node is a map value.
    pub fn last_key(&self) -> Option<&'a str> {
        match self.0.last()? {
            PathStep::Key(e) => Some(e.key.as_str()),
            PathStep::Index(_) => None,
        }
    }

    /// `a.b[2].c`
    pub fn render(&self) -> String {
        let mut s = String::new();
        for step in &self.0 {
            match step {
                PathStep::Key(e) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(&e.key);
                }
                PathStep::Index(i) => {
                    s.push_str(&format!("[{i}]"));
                }
            }
        }
        s
    }
}

/// A deployment unit inside a document: the top-level template, or a nested deployment's inline
/// template (ARM `Microsoft.Resources/deployments` with `properties.template`), or a Terraform module.
#[derive(Debug, Clone)]
pub struct Template {
    pub span: Span,
    /// Where the template deploys, when known (ARM `$schema`, Bicep `targetScope`, a nested
    /// deployment's `subscriptionId`/`resourceGroup`); `None` for Terraform, which has no such notion.
    pub scope: Option<DeploymentScope>,
    /// The enclosing template, for nested deployments.
    pub parent: Option<usize>,
    /// An ARM nested template evaluated in the outer scope (the default, without
    /// `expressionEvaluationOptions.scope: inner`): its expressions read `parent`'s parameters
    /// and variables.
    pub outer_scope: bool,
}

/// A parameter (ARM/Bicep `parameters`, Terraform `variable`).
#[derive(Debug, Clone)]
pub struct Param {
    pub template: usize,
    pub name: String,
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// Declared type as written (`securestring`, `string`, …), lower-cased.
    pub type_name: Option<String>,
    /// `securestring`/`secureObject`, `@secure()`, Terraform `sensitive = true`.
    pub secure: bool,
    pub default: Option<Node>,
    /// The value a caller gives the parameter, when the caller is known: an ARM inner-scope nested
    /// deployment's `properties.parameters.x.value` (set by the ARM lowering), or a local module
    /// call's argument (set by the scan when it reads the module for a caller). The resolver reads
    /// it instead of the default.
    pub argument: Option<Argument>,
}

/// A caller's value for a parameter ([`Param::argument`]).
#[derive(Debug, Clone)]
pub struct Argument {
    /// The value as the caller wrote it (ARM), or as it resolved in the caller's document (a
    /// module call: self-contained, what could not be known is an opaque expression).
    pub value: Node,
    /// The template of this document whose parameters and variables the value's expressions read
    /// (the enclosing template of an ARM nested deployment); `None` when the value was resolved in
    /// the caller's own document already.
    pub caller: Option<usize>,
}

/// A module call: a Bicep `module m './x.bicep' = { params: { … } }` or a Terraform
/// `module "m" { source = "./modules/x" … }`.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub template: usize,
    /// The symbol (Bicep) or label (Terraform).
    pub name: String,
    /// The whole declaration.
    pub span: Span,
    /// The module's path or source as written, and where.
    pub source: String,
    pub source_span: Span,
    /// The arguments: Bicep `params` members, Terraform attributes other than the meta-arguments
    /// (`source`, `version`, `providers`, `count`, `for_each`, `depends_on`).
    pub args: Vec<Entry>,
}

/// A variable (ARM/Bicep `variables`/`var`, Terraform `locals`).
#[derive(Debug, Clone)]
pub struct Var {
    pub template: usize,
    pub name: String,
    pub name_span: Span,
    pub value: Node,
}

/// An output.
#[derive(Debug, Clone)]
pub struct Output {
    pub template: usize,
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    pub type_name: Option<String>,
    /// `securestring`/`secureObject` output type, `@secure()`, Terraform `sensitive = true`.
    pub secure: bool,
    pub value: Node,
}

/// How a resource declares its managed identity.
#[derive(Debug, Clone, PartialEq)]
pub enum Identity {
    /// No identity block or property at all.
    Absent,
    /// Declared with type `None`.
    None { span: Span },
    /// System-assigned and/or user-assigned identities.
    Declared {
        span: Span,
        system: bool,
        /// The user-assigned identity ids (ARM: keys of `userAssignedIdentities`; Terraform: items
        /// of `identity_ids`), as nodes so their expressions can be followed.
        user_assigned: Vec<Node>,
    },
    /// The identity's type is an expression whose value cannot be known statically.
    Dynamic { span: Span },
}

impl Identity {
    /// Number of identities declared (system counts one), when known.
    pub fn count(&self) -> Option<usize> {
        match self {
            Identity::Absent | Identity::None { .. } => Some(0),
            Identity::Declared {
                system,
                user_assigned,
                ..
            } => Some(usize::from(*system) + user_assigned.len()),
            Identity::Dynamic { .. } => None,
        }
    }
}

/// A resource declared in the document.
#[derive(Debug, Clone)]
pub struct Resource {
    pub template: usize,
    /// The language the resource was declared in.
    pub dialect: Dialect,
    /// Canonical Azure type, e.g. `Microsoft.Web/sites`, `Microsoft.Web/sites/config`. For Terraform,
    /// the ARM type the azurerm resource manages when known, else empty.
    pub azure_type: String,
    /// `kind`, when set to a literal (`functionapp,linux`, `workflowapp`, `StorageV2`).
    pub kind: Option<String>,
    /// The type as written: the ARM type, or the azurerm type (`azurerm_linux_function_app`).
    pub source_type: String,
    /// Name: the ARM `name` value as written (may be an expression), Terraform's block label,
    /// Bicep's symbolic name.
    pub name: String,
    /// Bicep symbolic name / Terraform `type.label` address / ARM name text; used to link references.
    pub symbol: Option<String>,
    /// The whole resource object or block.
    pub span: Span,
    /// The span to point at for "this resource" findings: the type string (ARM), the block header
    /// (Terraform, Bicep).
    pub head_span: Span,
    /// The resource object (ARM: `{ type, name, properties, identity, … }`) or block body
    /// (Terraform: attributes and nested blocks).
    pub body: Node,
    pub identity: Identity,
    /// Index of the parent resource for nested ARM/Bicep child resources.
    pub parent: Option<usize>,
    /// A data source (`data "azurerm_…"`) or an `existing` resource: read, not deployed.
    pub existing: bool,
}

impl Resource {
    /// ARM `properties` (empty map for Terraform, whose attributes sit on `body`).
    pub fn properties(&self) -> Option<&Node> {
        self.body.get("properties")
    }

    pub fn is_type(&self, azure_type: &str) -> bool {
        self.azure_type.eq_ignore_ascii_case(azure_type)
    }
}

/// A role assignment: `Microsoft.Authorization/roleAssignments`, `azurerm_role_assignment`.
#[derive(Debug, Clone)]
pub struct RoleAssignment {
    pub template: usize,
    /// Index of the resource in [`Document::resources`] that declared it.
    pub resource: usize,
    pub span: Span,
    /// The role definition id value (ARM `roleDefinitionId`, Terraform `role_definition_id`).
    pub role_id: Option<Node>,
    /// The role name value (Terraform `role_definition_name`).
    pub role_name: Option<Node>,
    /// The explicit scope value (ARM `scope` property, Terraform `scope`, Bicep `scope:`), if any.
    pub scope: Option<Node>,
    /// The principal id value.
    pub principal_id: Option<Node>,
    pub principal_type: Option<String>,
}

/// A custom role definition: `Microsoft.Authorization/roleDefinitions`, `azurerm_role_definition`.
#[derive(Debug, Clone)]
pub struct RoleDefinition {
    pub template: usize,
    pub resource: usize,
    pub span: Span,
    /// `actions` / `dataActions` lists from every permission block, as nodes (an expression that
    /// gives the whole list, `parameters('actions')`, is one node).
    pub actions: Vec<Node>,
    pub data_actions: Vec<Node>,
    /// `assignableScopes` / `assignable_scopes` items.
    pub assignable_scopes: Vec<Node>,
    /// Scope of the definition itself (Terraform `scope`).
    pub scope: Option<Node>,
}

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingSource {
    /// A key in an app configuration file (appsettings.json, local.settings.json, web.config
    /// `appSettings`, YAML, .env).
    AppConfig,
    /// A connection string entry (`ConnectionStrings` section, web.config `connectionStrings`).
    ConnectionString,
    /// An app setting of a resource (ARM `siteConfig.appSettings`, `Microsoft.Web/sites/config`
    /// `appsettings`, Terraform `app_settings`), with the resource's index.
    ResourceAppSetting(usize),
    /// A connection string of a resource (ARM `siteConfig.connectionStrings`, Terraform
    /// `connection_string` blocks), with the resource's index.
    ResourceConnectionString(usize),
    /// A pipeline or container environment variable (YAML `variables`, `env`).
    Environment,
}

/// A named configuration value.
#[derive(Debug, Clone)]
pub struct Setting {
    /// Full key path, `:`-separated as .NET configuration writes it: `ConnectionStrings:Default`,
    /// `Values:AzureWebJobsStorage`.
    pub key: String,
    /// The last segment of the key (`Default`, `AzureWebJobsStorage`).
    pub name: String,
    pub key_span: Span,
    pub value: Node,
    pub source: SettingSource,
}

/// A comment in the source (for inline suppressions).
#[derive(Debug, Clone)]
pub struct Comment {
    pub span: Span,
    /// The comment text without its delimiters.
    pub text: String,
}

/// A problem with the input itself, reported as an `INPUT…` finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub kind: InputProblemKind,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputProblemKind {
    /// Syntax error: the file was scanned as plain text instead.
    Syntax,
    /// Nesting deeper than the parser's limit.
    TooDeep,
    /// Larger than the size cap: not read.
    TooLarge,
    /// Not text (NUL bytes).
    Binary,
    /// Not valid UTF-8: scanned with the bad bytes replaced.
    InvalidUtf8,
    /// Could not be read (permissions, I/O error).
    Unreadable,
    /// The walk could not follow a path (symlink loop, vanished file, permission on a folder).
    Walk,
    /// The file took longer than the per-file time bound; the rules not yet run were skipped.
    TimedOut,
    /// A key written twice in one JSON object: the last value is the one checked.
    DuplicateKey,
}

/// Everything a parser recognised in one file.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The language of the file (set by its parser).
    pub dialect: Dialect,
    /// A file of values for another file's parameters (ARM parameter file, `.bicepparam`,
    /// `.tfvars`): its settings are parameter values, not configuration.
    pub values_file: bool,
    /// For a values file: the parameters the template it is for declares secure (`securestring`,
    /// `@secure()`, `sensitive = true`), read from that template by the scan (the sibling ARM
    /// template, the `.bicepparam` file's `using` target, the `.tf` files beside a `.tfvars`).
    pub secure_in_template: Vec<String>,
    /// Key consumers of the resources this document deploys, found by the scan in the files
    /// beside it (`rules/key-consumers.tsv` id, file name, the resource's symbol when the
    /// consumer names one): see [`crate::analysis::key_users`].
    pub nearby_key_users: Vec<(&'static str, String, Option<String>)>,
    /// The value tree, `None` when the file could not be parsed.
    pub root: Option<Node>,
    /// When the file could not be parsed, its lines as literal strings so that pattern rules still
    /// find secrets in it.
    pub text_lines: Vec<Node>,
    pub templates: Vec<Template>,
    pub params: Vec<Param>,
    pub vars: Vec<Var>,
    pub outputs: Vec<Output>,
    pub resources: Vec<Resource>,
    pub role_assignments: Vec<RoleAssignment>,
    pub role_definitions: Vec<RoleDefinition>,
    /// Module calls (Bicep `module`, Terraform `module` blocks).
    pub modules: Vec<ModuleCall>,
    pub settings: Vec<Setting>,
    pub comments: Vec<Comment>,
    /// What the comments hold, read line by line as a broken file is ([`crate::parse::recover`]):
    /// commented-out settings and connection strings are still in the file and its history, so
    /// the rules search them too (suppression comments excepted).
    pub commented: Vec<Node>,
    /// Object literals written inside function calls (Terraform `jsonencode`, `yamlencode`,
    /// `merge`, `tomap`; Bicep `union`, `json`, `string`), which the expression IR keeps without
    /// their keys: their lines read as comments are, quoted values only
    /// ([`crate::parse::recover`]). A secret-named member's literal there is a literal.
    pub call_data: Vec<Node>,
    pub problems: Vec<InputProblem>,
    /// Terraform module outputs traced to what they return in the module the scan read (a local
    /// module, or one the `terraform init` cache holds): `module.sa.conn` whose output is
    /// `azurerm_storage_account.x.primary_connection_string` reads that attribute, whatever the
    /// output is called. Only outputs that hand out a secret are kept; set by the scan
    /// ([`crate::modules::trace_outputs`]) and read through [`Document::traced_output`].
    pub module_outputs: Vec<TracedOutput>,
    /// The file has a syntax error and `root` holds what parsed before it (the rest is in
    /// `text_lines`): it is checked, never fixed.
    pub partial: bool,
    /// [`Document::param`]'s and [`Document::var`]'s lookup by template and name, built on first
    /// use: a linear search per reference made templates of many nested deployments quadratic.
    pub(crate) names: NameIndex,
}

/// A module output that hands out a secret, traced into the module ([`Document::module_outputs`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TracedOutput {
    /// The module's address as the caller writes it (`module.sa`).
    pub module: String,
    /// The output's name.
    pub output: String,
    /// What the output returns, addressed from the caller: `module.sa.azurerm_storage_account.x`
    /// with the attribute path (`primary_connection_string`), as a [`Expr::Resource`].
    pub value: Expr,
}

/// Parameters and variables by (template, ASCII-lower-cased name): the index of the first of
/// each in [`Document::params`] and [`Document::vars`], and the lengths it was built for (a list
/// that grew since is searched as before).
#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex(std::sync::OnceLock<NameMaps>);

type NameMap = std::collections::HashMap<(usize, String), usize>;

#[derive(Debug, Clone)]
pub(crate) struct NameMaps {
    params: (usize, NameMap),
    vars: (usize, NameMap),
}

impl NameIndex {
    fn maps(&self, doc: &Document) -> &NameMaps {
        fn index<'a>(items: impl Iterator<Item = (usize, &'a str)>) -> (usize, NameMap) {
            let mut map = NameMap::new();
            let mut n = 0;
            for (i, (template, name)) in items.enumerate() {
                map.entry((template, name.to_ascii_lowercase()))
                    .or_insert(i);
                n += 1;
            }
            (n, map)
        }
        self.0.get_or_init(|| NameMaps {
            params: index(doc.params.iter().map(|p| (p.template, p.name.as_str()))),
            vars: index(doc.vars.iter().map(|v| (v.template, v.name.as_str()))),
        })
    }
}

impl Document {
    /// A document for a file that failed to parse: its lines become literal strings.
    pub fn from_text_lines(text: &str, skip: usize) -> Self {
        let mut doc = Document::default();
        let mut offset = 0usize;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if start < skip {
                continue;
            }
            let trimmed = line.trim_end_matches(['\n', '\r']);
            if trimmed.trim().is_empty() {
                continue;
            }
            doc.text_lines.push(Node::literal(
                Span::new(start, start + trimmed.len()),
                trimmed,
            ));
        }
        doc
    }

    /// The parameter a reference in a template names (case-insensitive, as ARM is): one the
    /// template declares, or the enclosing template's for an outer-scope nested template.
    /// What a module output reference (`module.sa.conn`) returns when the scan traced it into the
    /// module ([`Document::module_outputs`]): the module's resource attribute, else `None`.
    pub fn traced_output(&self, e: &Expr) -> Option<&Expr> {
        if self.module_outputs.is_empty() {
            return None;
        }
        let Expr::Module { address, path } = e else {
            return None;
        };
        let [output] = path.as_slice() else {
            return None;
        };
        self.module_outputs
            .iter()
            .find(|t| t.module == *address && t.output == *output)
            .map(|t| &t.value)
    }

    pub fn param(&self, template: usize, name: &str) -> Option<&Param> {
        let template = self.names_template(template);
        let (len, map) = &self.names.maps(self).params;
        if *len == self.params.len() {
            return map
                .get(&(template, name.to_ascii_lowercase()))
                .and_then(|&i| self.params.get(i));
        }
        self.params
            .iter()
            .find(|p| p.template == template && p.name.eq_ignore_ascii_case(name))
    }

    /// The variable (or local) a reference in a template names; see [`Document::param`].
    pub fn var(&self, template: usize, name: &str) -> Option<&Var> {
        let template = self.names_template(template);
        let (len, map) = &self.names.maps(self).vars;
        if *len == self.vars.len() {
            return map
                .get(&(template, name.to_ascii_lowercase()))
                .and_then(|&i| self.vars.get(i));
        }
        self.vars
            .iter()
            .find(|v| v.template == template && v.name.eq_ignore_ascii_case(name))
    }

    /// How a message names where a parameter's value came from: `the value passed to` when a
    /// caller gives it ([`Param::argument`]), else `the default of`.
    pub fn param_value_source(&self, template: usize, name: &str) -> &'static str {
        match self.param(template, name) {
            Some(p) if p.argument.is_some() => "the value passed to",
            _ => "the default of",
        }
    }

    /// The template whose parameters and variables the expressions of `template` read: itself,
    /// or for an outer-scope nested template the nearest enclosing template that is not one.
    pub fn names_template(&self, template: usize) -> usize {
        let mut t = template;
        // At most one step per template: parents are declared before their children.
        for _ in 0..self.templates.len() {
            match self.templates.get(t) {
                Some(Template {
                    outer_scope: true,
                    parent: Some(p),
                    ..
                }) if *p != t => t = *p,
                _ => break,
            }
        }
        t
    }

    /// The value trees a rule should search: the parsed root, or the text lines of a broken file,
    /// and what the comments hold.
    pub fn trees(&self) -> impl Iterator<Item = &Node> {
        self.root
            .iter()
            .chain(self.text_lines.iter())
            .chain(self.commented.iter())
    }

    /// The deployment scope of a template, following parents.
    pub fn template_scope(&self, template: usize) -> Option<DeploymentScope> {
        self.templates.get(template).and_then(|t| t.scope)
    }

    /// The resource a Terraform address (`azurerm_storage_account.a`) or Bicep symbol names.
    pub fn resource_by_symbol(&self, symbol: &str) -> Option<(usize, &Resource)> {
        self.resources
            .iter()
            .enumerate()
            .find(|(_, r)| r.symbol.as_deref() == Some(symbol))
    }
}

/// What the parser stage hands on: the document and the format it was parsed as.
#[derive(Debug)]
pub struct Parsed {
    pub format: Format,
    pub doc: Document,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(base: Expr, name: &str) -> Expr {
        Expr::Member {
            base: Box::new(base),
            name: name.into(),
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(
            Address::parse("data.azurerm_client_config.c"),
            Address {
                data: true,
                ty: Some("azurerm_client_config"),
                label: "c"
            }
        );
        assert_eq!(
            Address::parse("azurerm_storage_account.sa"),
            Address {
                data: false,
                ty: Some("azurerm_storage_account"),
                label: "sa"
            }
        );
        assert_eq!(
            Address::parse("sa"),
            Address {
                data: false,
                ty: None,
                label: "sa"
            }
        );
        // A resource inside modules, addressed from the root; a module alone stays itself.
        assert_eq!(
            Address::parse("module.a.module.b.data.azurerm_storage_account_sas.s"),
            Address {
                data: true,
                ty: Some("azurerm_storage_account_sas"),
                label: "s"
            }
        );
        assert_eq!(
            Address::parse("module.sa"),
            Address {
                data: false,
                ty: Some("module"),
                label: "sa"
            }
        );
    }

    #[test]
    fn references_display_and_leaves() {
        let e = Expr::Call {
            name: "concat".into(),
            args: vec![
                member(Expr::Local("cfg".into()), "storage_access_key"),
                Expr::Resource {
                    address: "azurerm_storage_account.sa".into(),
                    path: vec!["primary_access_key".into()],
                },
                Expr::Param("it's".into()),
                member(
                    Expr::Call {
                        name: "listKeys".into(),
                        args: vec![Expr::Var("id".into())],
                    },
                    "primaryKey",
                ),
            ],
        };
        assert_eq!(
            e.to_string(),
            "concat(local.cfg.storage_access_key, azurerm_storage_account.sa.primary_access_key, \
             parameters('it''s'), listKeys(variables('id')).primaryKey)"
        );
        // A member of a call result is no reference; the call's own arguments are searched.
        assert_eq!(
            e.reference_leaves(),
            vec!["storage_access_key", "primary_access_key", "it's", "id"]
        );
        assert_eq!(e.parameter_refs(), vec!["it's"]);
        assert_eq!(e.variable_refs(), vec!["cfg", "id"]);
        let (root, members) = member(member(Expr::Var("v".into()), "a"), "b")
            .named_root()
            .map(|(r, m)| {
                (
                    r.clone(),
                    m.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                )
            })
            .unwrap();
        assert_eq!(root, Expr::Var("v".into()));
        assert_eq!(members, ["a", "b"]);
    }
}
