//! The IR: where every input format meets. Parsers lower into it; rules read only it.
//!
//! * [`Node`]: a spanned value tree (maps keep spanned keys, in order, duplicates allowed: repeated
//!   Terraform blocks become repeated entries).
//! * [`Str`]: every string is classified once by its parser ([`StrClass`]): a literal, an expression
//!   (with its parsed [`Expr`]), a secret reference or a placeholder.
//! * [`Document`]: the tree plus what the parser recognised in it: templates (deployment scopes),
//!   parameters, variables, outputs, resources with their identities, role assignments and settings.

use std::sync::Arc;

use crate::source::{DeploymentScope, Format, Span};

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
/// Lowering conventions, so rules need not know the source syntax:
/// * ARM/Bicep parameter and variable references are `Call { name: "parameters" | "variables",
///   args: [Str(name)] }` (Bicep lowers its identifiers to these).
/// * Terraform references are `Ref(["var", "x"])`, `Ref(["azurerm_storage_account", "a",
///   "primary_access_key"])`, `Ref(["local", "y"])`, `Ref(["data", "azurerm_client_config", "c",
///   "tenant_id"])` (index steps like `[0]` are dropped from the path); a Bicep reference to a
///   resource symbol and its properties is `Ref(["sa", "properties", "primaryEndpoints"])`.
/// * Function names keep their source spelling; compare with `eq_ignore_ascii_case`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Str(String),
    Number(String),
    Bool(bool),
    Null,
    /// A traversal of names (see above).
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
    /// Anything else (operators, conditionals, loops, lambdas), with the sub-expressions it contains.
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

    /// Names passed to `parameters('x')` (ARM/Bicep) or `var.x` (Terraform).
    pub fn parameter_refs(&self) -> Vec<&str> {
        self.named_refs("parameters", "var")
    }

    /// Names passed to `variables('x')` (ARM/Bicep) or `local.x` (Terraform).
    pub fn variable_refs(&self) -> Vec<&str> {
        self.named_refs("variables", "local")
    }

    fn named_refs(&self, arm_fn: &str, tf_root: &str) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| match e {
            Expr::Call { name, args } if name.eq_ignore_ascii_case(arm_fn) => {
                if let Some(Expr::Str(s)) = args.first() {
                    out.push(s.as_str());
                }
            }
            Expr::Ref(path) if path.len() >= 2 && path[0] == tf_root => {
                out.push(path[1].as_str());
            }
            _ => {}
        });
        out
    }

    /// All traversals (`Ref`) in the expression.
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
    /// `actions` / `dataActions` lists from every permission block, as nodes.
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
}

/// Everything a parser recognised in one file.
#[derive(Debug, Clone, Default)]
pub struct Document {
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
    pub settings: Vec<Setting>,
    pub comments: Vec<Comment>,
    /// What the comments hold, read line by line as a broken file is ([`crate::parse::recover`]):
    /// commented-out settings and connection strings are still in the file and its history, so
    /// the rules search them too (suppression comments excepted).
    pub commented: Vec<Node>,
    pub problems: Vec<InputProblem>,
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

    /// A parameter declared in a template (case-insensitive, as ARM is).
    pub fn param(&self, template: usize, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|p| p.template == template && p.name.eq_ignore_ascii_case(name))
    }

    pub fn var(&self, template: usize, name: &str) -> Option<&Var> {
        self.vars
            .iter()
            .find(|v| v.template == template && v.name.eq_ignore_ascii_case(name))
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
