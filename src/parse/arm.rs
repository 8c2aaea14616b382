//! ARM deployment templates (and Bicep-compiled JSON) and ARM parameter files into the IR.
//!
//! Lowers parameters, variables, outputs and resources (nested `resources` arrays with their full
//! child type, the symbolic-name object form of language version 2.0, nested deployments with an
//! inline template as templates of their own), identities, role assignments and definitions, and the
//! app settings and connection strings of `Microsoft.Web/sites`.

use crate::ir::{
    Argument, Dialect, Document, Entry, Expr, Identity, InputProblem, InputProblemKind, Node,
    NodeKind, Output, Param, Resource, RoleAssignment, RoleDefinition, Setting, SettingSource, Str,
    StrClass, Template, Var,
};
use crate::source::{DeploymentScope, Format, SourceFile, Span};

use super::armexpr;
use crate::ir::classify::classify_literal;

/// Parses an ARM template or parameter file.
pub fn parse(file: &SourceFile, format: Format) -> Document {
    let mut problems = Vec::new();
    // Parameter files are not evaluated: `[dbo].[table]` there is a value, not an expression.
    let parsed = if format == Format::ArmParameters {
        super::json::parse_plain(&file.text)
    } else {
        super::json::parse(&file.text, &mut |s, span| classify(s, span, &mut problems))
    };
    match parsed {
        Ok(p) => lower(p, format, problems),
        Err(e) => super::partial(file, e, |p| lower(p, format, problems)),
    }
}

fn lower(
    parsed: super::json::JsonParse,
    format: Format,
    mut problems: Vec<InputProblem>,
) -> Document {
    problems.extend(parsed.problems);
    let mut doc = Document {
        comments: parsed.comments,
        problems,
        ..Document::default()
    };
    match format {
        Format::ArmParameters => lower_parameter_file(&parsed.root, &mut doc),
        Format::ArmTemplate(scope) => {
            let mut lower = Lower { doc: &mut doc };
            match lone_resource(&parsed.root) {
                Some(template) => lower.template(&template, Some(scope), None, false, None),
                None => lower.template(&parsed.root, Some(scope), None, false, None),
            };
        }
        _ => {}
    }
    doc.root = Some(parsed.root);
    doc
}

/// A file that is one ARM resource, not a template (Azure Landing Zones library files:
/// `type`, `name`, `properties`, no `$schema` or `resources`): the template that holds it, so
/// that it is lowered, and judged, as the resource of a template is.
fn lone_resource(root: &Node) -> Option<Node> {
    if root.get("$schema").is_some()
        || root.get("resources").is_some()
        || root.get("type").and_then(Node::as_str).is_none()
        || root.get("properties").is_none()
    {
        return None;
    }
    let resources = Node {
        span: root.span,
        kind: NodeKind::List(std::sync::Arc::from(vec![root.clone()])),
    };
    Some(Node {
        span: root.span,
        kind: NodeKind::Map(std::sync::Arc::from(vec![Entry {
            key: "resources".to_string(),
            key_span: root.span,
            value: resources,
        }])),
    })
}

/// Classifies an ARM string: an expression when bracketed, else a literal (or placeholder / secret
/// reference). A malformed expression is reported and kept as an opaque expression.
pub fn classify(s: &str, span: Span, problems: &mut Vec<InputProblem>) -> StrClass {
    if armexpr::is_expression(s) {
        match armexpr::parse(s) {
            Ok(e) => StrClass::Expression(e),
            Err(e) => {
                // The span covers the quotes: offset 1 is the `[`. Escapes shift positions only
                // in strings that contain them; the position is exact for the usual case.
                let at = (span.start + 1 + e.offset).min(span.end);
                problems.push(InputProblem {
                    kind: InputProblemKind::Syntax,
                    span: Span::new(at, (at + 1).min(span.end)),
                    message: format!("invalid template expression: {}", e.message),
                });
                StrClass::Expression(Expr::Other(Vec::new()))
            }
        }
    } else {
        classify_literal(s)
    }
}

/// Parameter file: every parameter becomes a setting named after it; a Key Vault reference
/// (`{"reference": {"keyVault": …, "secretName": …}}`) becomes a secret-reference string.
fn lower_parameter_file(root: &Node, doc: &mut Document) {
    let Some(params) = root.get("parameters") else {
        return;
    };
    for e in params.entries() {
        let value = if let Some(v) = e.value.get("value") {
            v.clone()
        } else if let Some(r) = e.value.get("reference") {
            Node::new(
                r.span,
                NodeKind::Str(Str {
                    value: "reference.keyVault".into(),
                    class: StrClass::SecretRef,
                }),
            )
        } else {
            continue;
        };
        doc.settings.push(Setting {
            key: format!("parameters:{}", e.key),
            name: e.key.clone(),
            key_span: e.key_span,
            value,
            source: SettingSource::AppConfig,
        });
    }
}

/// Adds what a lowered resource implies (role assignments, role definitions, site settings) to
/// `doc`; shared with the Bicep lowering, whose resource bodies have the ARM shape.
pub(crate) fn resource_facts(
    doc: &mut Document,
    r: &Node,
    name: &str,
    azure_type: &str,
    template: usize,
    index: usize,
) {
    let lower = azure_type.to_ascii_lowercase();
    Lower { doc }.facts(r, name, &lower, template, index);
}

struct Lower<'d> {
    doc: &'d mut Document,
}

impl Lower<'_> {
    fn template(
        &mut self,
        t: &Node,
        scope: Option<DeploymentScope>,
        parent: Option<usize>,
        outer_scope: bool,
        args: Option<&Node>,
    ) -> usize {
        let id = self.doc.templates.len();
        self.doc.templates.push(Template {
            span: t.span,
            scope,
            parent,
            outer_scope: outer_scope && parent.is_some(),
        });
        if let Some(params) = t.get("parameters") {
            for e in params.entries() {
                let type_name = e
                    .value
                    .get("type")
                    .and_then(Node::as_literal)
                    .map(|s| s.to_ascii_lowercase());
                let secure = matches!(type_name.as_deref(), Some("securestring" | "secureobject"));
                self.doc.params.push(Param {
                    template: id,
                    name: e.key.clone(),
                    name_span: e.key_span,
                    span: e.key_span.join(e.value.span),
                    type_name,
                    secure,
                    default: e.value.get("defaultValue").cloned(),
                    argument: argument(args, &e.key, parent),
                });
            }
        }
        if let Some(vars) = t.get("variables") {
            for e in vars.entries() {
                self.doc.vars.push(Var {
                    template: id,
                    name: e.key.clone(),
                    name_span: e.key_span,
                    value: e.value.clone(),
                });
            }
        }
        if let Some(outputs) = t.get("outputs") {
            for e in outputs.entries() {
                let type_name = e
                    .value
                    .get("type")
                    .and_then(Node::as_literal)
                    .map(|s| s.to_ascii_lowercase());
                let secure = matches!(type_name.as_deref(), Some("securestring" | "secureobject"));
                let value = e
                    .value
                    .get("value")
                    .or_else(|| e.value.get("copy").and_then(|c| c.get("input")))
                    .cloned()
                    .unwrap_or_else(|| Node::new(e.value.span, NodeKind::Null));
                self.doc.outputs.push(Output {
                    template: id,
                    name: e.key.clone(),
                    name_span: e.key_span,
                    span: e.key_span.join(e.value.span),
                    type_name,
                    secure,
                    value,
                });
            }
        }
        if let Some(resources) = t.get("resources") {
            self.resources(resources, id, scope, None, "");
        }
        id
    }

    /// `resources` as an array, or as an object keyed by symbolic name (language version 2.0).
    fn resources(
        &mut self,
        resources: &Node,
        template: usize,
        scope: Option<DeploymentScope>,
        parent: Option<usize>,
        parent_type: &str,
    ) {
        match &resources.kind {
            NodeKind::List(items) => {
                for r in items.iter() {
                    self.resource(r, None, template, scope, parent, parent_type);
                }
            }
            NodeKind::Map(entries) => {
                for e in entries.iter() {
                    self.resource(
                        &e.value,
                        Some(e.key.as_str()),
                        template,
                        scope,
                        parent,
                        parent_type,
                    );
                }
            }
            _ => {}
        }
    }

    fn resource(
        &mut self,
        r: &Node,
        symbol: Option<&str>,
        template: usize,
        scope: Option<DeploymentScope>,
        parent: Option<usize>,
        parent_type: &str,
    ) {
        if !r.is_map() {
            return;
        }
        let type_node = r.get("type");
        let written_type = type_node
            .and_then(Node::as_literal)
            .unwrap_or("")
            .to_string();
        // A child declared inside its parent's `resources` gives its type relative to the parent.
        let full_type =
            if !parent_type.is_empty() && !written_type.contains('/') && !written_type.is_empty() {
                format!("{parent_type}/{written_type}")
            } else {
                written_type.clone()
            };
        let name = r
            .get("name")
            .and_then(Node::as_str)
            .map(|s| s.value.clone())
            .unwrap_or_default();
        let kind = r.get("kind").and_then(Node::as_text).map(str::to_string);
        let existing = r.get("existing").and_then(Node::as_bool).unwrap_or(false);
        let head_span = type_node.map(|n| n.span).unwrap_or(r.span);
        let azure_type = canonical_type(&full_type);
        let index = self.doc.resources.len();
        self.doc.resources.push(Resource {
            dialect: Dialect::Arm,
            template,
            azure_type: azure_type.clone(),
            kind,
            source_type: full_type.clone(),
            name: name.clone(),
            symbol: Some(symbol.map(str::to_string).unwrap_or_else(|| name.clone())),
            span: r.span,
            head_span,
            body: r.clone(),
            identity: identity(r.get("identity")),
            parent,
            existing,
        });
        let lower = azure_type.to_ascii_lowercase();
        self.facts(r, &name, &lower, template, index);
        if lower == "microsoft.resources/deployments" {
            // A linked template beside this one is followed like a module.
            self.doc
                .modules
                .extend(super::linked::linked_call(r, &name, template));
            if let Some(inner) = r.path(&["properties", "template"]) {
                if inner.is_map() {
                    let inner_scope = nested_scope(r, scope);
                    // ARM evaluates an inline template's expressions in the outer template
                    // unless `expressionEvaluationOptions.scope` says `inner`.
                    let outer = !r
                        .path(&["properties", "expressionEvaluationOptions", "scope"])
                        .and_then(Node::as_literal)
                        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
                    // An inner-scope template's parameters take the values the deployment
                    // passes (`properties.parameters.x.value`, read in the outer template).
                    let args = (!outer)
                        .then(|| r.path(&["properties", "parameters"]))
                        .flatten();
                    self.template(inner, inner_scope, Some(template), outer, args);
                }
            }
        }
        if let Some(children) = r.get("resources") {
            self.resources(children, template, scope, Some(index), &full_type);
        }
    }

    /// What a resource of a known type adds beyond itself: role assignments and definitions, site
    /// app settings and connection strings. `lower` is the lower-cased Azure type.
    fn facts(&mut self, r: &Node, name: &str, lower: &str, template: usize, index: usize) {
        if lower == "microsoft.authorization/roleassignments" {
            let props = r.get("properties");
            self.doc.role_assignments.push(RoleAssignment {
                template,
                resource: index,
                span: r.span,
                role_id: props.and_then(|p| p.get("roleDefinitionId")).cloned(),
                role_name: None,
                scope: r.get("scope").cloned(),
                principal_id: props.and_then(|p| p.get("principalId")).cloned(),
                principal_type: props
                    .and_then(|p| p.get("principalType"))
                    .and_then(Node::as_literal)
                    .map(str::to_string),
            });
        } else if lower == "microsoft.authorization/roledefinitions" {
            self.role_definition(r, template, index);
        } else if lower == "microsoft.web/sites" || lower == "microsoft.web/sites/slots" {
            self.site_settings(r, index);
        } else if lower == "microsoft.web/sites/config"
            || lower == "microsoft.web/sites/slots/config"
        {
            self.site_config(r, name, index);
        }
    }

    fn role_definition(&mut self, r: &Node, template: usize, index: usize) {
        let props = r.get("properties");
        let mut actions = Vec::new();
        let mut data_actions = Vec::new();
        if let Some(perms) = props.and_then(|p| p.get("permissions")) {
            for p in perms.items() {
                if let Some(a) = p.get("actions") {
                    actions.extend(a.items_or_expr().iter().cloned());
                }
                if let Some(a) = p.get("dataActions") {
                    data_actions.extend(a.items_or_expr().iter().cloned());
                }
            }
        }
        let assignable_scopes = props
            .and_then(|p| p.get("assignableScopes"))
            .map(|s| s.items().to_vec())
            .unwrap_or_default();
        self.doc.role_definitions.push(RoleDefinition {
            template,
            resource: index,
            span: r.span,
            actions,
            data_actions,
            assignable_scopes,
            scope: r.get("scope").cloned(),
        });
    }

    /// `properties.siteConfig.appSettings` / `connectionStrings` arrays of a site or slot.
    fn site_settings(&mut self, r: &Node, index: usize) {
        let Some(site_config) = r.path(&["properties", "siteConfig"]) else {
            return;
        };
        if let Some(list) = site_config.get("appSettings") {
            self.name_value_list(
                list,
                "value",
                "appSettings",
                SettingSource::ResourceAppSetting(index),
            );
        }
        if let Some(list) = site_config.get("connectionStrings") {
            self.name_value_list(
                list,
                "connectionString",
                "connectionStrings",
                SettingSource::ResourceConnectionString(index),
            );
        }
    }

    fn name_value_list(
        &mut self,
        list: &Node,
        value_key: &str,
        prefix: &str,
        source: SettingSource,
    ) {
        for item in list.items() {
            let Some(name_node) = item.get("name") else {
                continue;
            };
            let Some(value) = item.get(value_key).or_else(|| item.get("value")) else {
                continue;
            };
            let name = name_node
                .as_str()
                .map(|s| s.value.clone())
                .unwrap_or_default();
            self.doc.settings.push(Setting {
                key: format!("{prefix}:{name}"),
                name,
                key_span: name_node.span,
                value: value.clone(),
                source,
            });
        }
    }

    /// `Microsoft.Web/sites/config` named `appsettings` or `connectionstrings` (also written as
    /// `site/appsettings` or an expression ending in `'/appsettings'`).
    fn site_config(&mut self, r: &Node, name: &str, index: usize) {
        let Some(props) = r.get("properties") else {
            return;
        };
        let section = config_section_name(r, name);
        match section.as_deref() {
            Some("appsettings") => {
                for e in props.entries() {
                    self.doc.settings.push(Setting {
                        key: format!("appsettings:{}", e.key),
                        name: e.key.clone(),
                        key_span: e.key_span,
                        value: e.value.clone(),
                        source: SettingSource::ResourceAppSetting(index),
                    });
                }
            }
            Some("connectionstrings") => {
                for e in props.entries() {
                    let value = e
                        .value
                        .get("value")
                        .cloned()
                        .unwrap_or_else(|| e.value.clone());
                    self.doc.settings.push(Setting {
                        key: format!("connectionstrings:{}", e.key),
                        name: e.key.clone(),
                        key_span: e.key_span,
                        value,
                        source: SettingSource::ResourceConnectionString(index),
                    });
                }
            }
            Some("web") => self.site_settings_from_web(props, index),
            _ => {}
        }
    }

    fn site_settings_from_web(&mut self, props: &Node, index: usize) {
        if let Some(list) = props.get("appSettings") {
            self.name_value_list(
                list,
                "value",
                "appSettings",
                SettingSource::ResourceAppSetting(index),
            );
        }
        if let Some(list) = props.get("connectionStrings") {
            self.name_value_list(
                list,
                "connectionString",
                "connectionStrings",
                SettingSource::ResourceConnectionString(index),
            );
        }
    }
}

/// The last segment of a config resource's name: `appsettings`, `connectionstrings`, `web`, ...
fn config_section_name(r: &Node, name: &str) -> Option<String> {
    let last_literal = |s: &str| s.rsplit('/').next().map(|x| x.trim().to_ascii_lowercase());
    match r.get("name").map(|n| &n.kind) {
        Some(NodeKind::Str(Str {
            class: StrClass::Expression(e),
            ..
        })) => {
            // concat(parameters('site'), '/appsettings') / format('{0}/appsettings', ...)
            let mut last = None;
            e.walk(&mut |x| {
                if let Expr::Str(s) = x {
                    if s.contains('/') || last.is_none() {
                        last = Some(s.clone());
                    }
                }
            });
            let l = last.and_then(|s| last_literal(&s));
            l.map(|s| s.trim_end_matches('\'').to_string())
        }
        _ => last_literal(name),
    }
}

/// Scope of a nested deployment: `resourceGroup` set → resource group; `subscriptionId` alone →
/// subscription; `scope` naming a management group or tenant; else the parent's scope.
/// The value a nested deployment passes to an inner-scope template's parameter `name`: its
/// `parameters.name.value` (read in the enclosing template `caller`), or a Key Vault `reference`
/// (a secret reference: the template never sees the value).
fn argument(args: Option<&Node>, name: &str, caller: Option<usize>) -> Option<Argument> {
    let caller = caller?;
    let arg = args?.get(name)?;
    let value = match (arg.get("value"), arg.get("reference")) {
        (Some(v), _) => v.clone(),
        (None, Some(r)) => Node::new(
            r.span,
            NodeKind::Str(Str {
                value: String::new(),
                class: StrClass::SecretRef,
            }),
        ),
        (None, None) => return None,
    };
    Some(Argument {
        value,
        caller: Some(caller),
    })
}

fn nested_scope(r: &Node, parent: Option<DeploymentScope>) -> Option<DeploymentScope> {
    if r.get("resourceGroup").is_some() {
        return Some(DeploymentScope::ResourceGroup);
    }
    if r.get("subscriptionId").is_some() {
        return Some(DeploymentScope::Subscription);
    }
    if let Some(scope) = r.get("scope").and_then(Node::as_str) {
        let v = scope.value.to_ascii_lowercase();
        if v.contains("managementgroups") {
            return Some(DeploymentScope::ManagementGroup);
        }
        if v == "/" {
            return Some(DeploymentScope::Tenant);
        }
    }
    parent
}

/// Normalises a type's case for comparisons only where ARM is case-insensitive: keep as written.
pub(crate) fn canonical_type(t: &str) -> String {
    // Old-style extension resources: `Microsoft.Storage/storageAccounts/providers/roleAssignments`.
    let lower = t.to_ascii_lowercase();
    if lower.ends_with("/providers/roleassignments") {
        return "Microsoft.Authorization/roleAssignments".into();
    }
    if lower.ends_with("/providers/roledefinitions") {
        return "Microsoft.Authorization/roleDefinitions".into();
    }
    t.to_string()
}

/// The identity object of a resource.
pub fn identity(node: Option<&Node>) -> Identity {
    let Some(node) = node else {
        return Identity::Absent;
    };
    let span = node.span;
    let Some(type_node) = node.get("type") else {
        return if matches!(node.kind, NodeKind::Null) {
            Identity::Absent
        } else {
            Identity::Dynamic { span }
        };
    };
    let Some(t) = type_node.as_text() else {
        return Identity::Dynamic { span };
    };
    let user_assigned: Vec<Node> = node
        .get("userAssignedIdentities")
        .map(|u| u.entries().iter().map(key_node).collect())
        .unwrap_or_default();
    identity_from_type(t, span, user_assigned)
}

/// Identity from a type string (`SystemAssigned, UserAssigned`, `None`), shared with other formats.
pub fn identity_from_type(t: &str, span: Span, user_assigned: Vec<Node>) -> Identity {
    let lower = t.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(',').map(str::trim).collect();
    if parts.iter().all(|p| *p == "none" || p.is_empty()) {
        return Identity::None { span };
    }
    let system = parts.contains(&"systemassigned");
    let user = parts.contains(&"userassigned");
    Identity::Declared {
        span,
        system,
        user_assigned: if user { user_assigned } else { Vec::new() },
    }
}

/// A map key as a string node (user-assigned identity ids are keys, often expressions).
fn key_node(e: &Entry) -> Node {
    let class = if armexpr::is_expression(&e.key) {
        armexpr::parse(&e.key)
            .map(StrClass::Expression)
            .unwrap_or(StrClass::Expression(Expr::Other(Vec::new())))
    } else {
        classify_literal(&e.key)
    };
    Node::new(
        e.key_span,
        NodeKind::Str(Str {
            value: e.key.clone(),
            class,
        }),
    )
}

#[cfg(test)]
mod tests {
    use crate::ir::{Identity, SettingSource};
    use crate::source::{DeploymentScope, Format, SourceFile};
    use std::path::PathBuf;

    fn doc(text: &str) -> (SourceFile, crate::ir::Document) {
        let f = SourceFile::new(
            PathBuf::from("t.json"),
            "t.json".into(),
            text.into(),
            Format::Json,
        );
        let p = crate::parse::parse(&f);
        assert!(matches!(p.format, Format::ArmTemplate(_)), "{:?}", p.format);
        (f, p.doc)
    }

    const T: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "pw": { "type": "secureString", "defaultValue": "x" } },
  "variables": { "v": "[parameters('pw')]" },
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "name": "[parameters('name')]",
      "identity": { "type": "SystemAssigned, UserAssigned", "userAssignedIdentities": { "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')]": {} } },
      "properties": { "siteConfig": { "appSettings": [ { "name": "A", "value": "b" } ] } },
      "resources": [
        { "type": "config", "name": "appsettings", "properties": { "K": "v" } }
      ]
    },
    {
      "type": "Microsoft.Resources/deployments",
      "name": "nested",
      "subscriptionId": "x",
      "properties": { "expressionEvaluationOptions": { "scope": "inner" }, "template": { "parameters": { "p": { "type": "string" } }, "resources": [
        { "type": "Microsoft.Authorization/roleAssignments", "name": "ra", "properties": { "roleDefinitionId": "r", "principalId": "p" } }
      ] } }
    }
  ],
  "outputs": { "o": { "type": "string", "value": "[variables('v')]" } }
}"#;

    #[test]
    fn lowers_template_parts_with_spans() {
        let (f, d) = doc(T);
        assert_eq!(d.templates.len(), 2);
        assert_eq!(d.templates[0].scope, Some(DeploymentScope::ResourceGroup));
        assert_eq!(d.templates[1].scope, Some(DeploymentScope::Subscription));
        assert_eq!(d.templates[1].parent, Some(0));
        let pw = d.param(0, "PW").unwrap();
        assert!(pw.secure);
        assert_eq!(f.line_col(pw.name_span.start), (3, 19));
        assert!(d.param(1, "p").is_some() && d.param(0, "p").is_none());
        assert_eq!(
            d.outputs[0].value.as_expr().unwrap().variable_refs(),
            vec!["v"]
        );
        let site = &d.resources[0];
        assert_eq!(f.line_col(site.head_span.start), (7, 15));
        match &site.identity {
            Identity::Declared {
                system,
                user_assigned,
                ..
            } => {
                assert!(*system);
                assert_eq!(user_assigned.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let child = &d.resources[1];
        assert_eq!(child.azure_type, "Microsoft.Web/sites/config");
        assert_eq!(child.parent, Some(0));
        assert_eq!(d.settings.len(), 2);
        assert_eq!(d.settings[0].source, SettingSource::ResourceAppSetting(0));
        assert_eq!(d.settings[1].key, "appsettings:K");
        assert_eq!(f.line_col(d.settings[1].key_span.start), (12, 68));
        assert_eq!(d.role_assignments.len(), 1);
        assert_eq!(d.role_assignments[0].template, 1);
        assert_eq!(f.line_col(d.role_assignments[0].span.start), (20, 9));
    }

    #[test]
    fn identity_type_none_is_none_not_dynamic() {
        let (_, d) = doc(
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "resources": [ { "type": "Microsoft.Web/sites", "name": "a", "identity": { "type": "None" } },
                { "type": "Microsoft.Web/sites", "name": "b", "identity": { "type": "[parameters('t')]" } } ] }"#,
        );
        assert!(matches!(d.resources[0].identity, Identity::None { .. }));
        assert!(matches!(d.resources[1].identity, Identity::Dynamic { .. }));
    }

    #[test]
    fn bad_expression_is_reported_at_its_position() {
        let text = "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n \"variables\": {\"v\": \"[concat('a',]\"}}";
        let (f, d) = doc(text);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(f.line_col(d.problems[0].span.start), (2, 34));
    }

    #[test]
    fn parameter_file_values_and_key_vault_references() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
 "parameters": { "adminPassword": { "reference": { "keyVault": { "id": "/x" }, "secretName": "s" } },
                 "table": { "value": "[dbo].[t]" } } }"#;
        let f = SourceFile::new(
            PathBuf::from("p.json"),
            "p.json".into(),
            text.into(),
            Format::Json,
        );
        let p = crate::parse::parse(&f);
        assert_eq!(p.format, Format::ArmParameters);
        assert!(p.doc.problems.is_empty());
        assert_eq!(
            p.doc.settings[0].value.as_str().unwrap().class,
            crate::ir::StrClass::SecretRef
        );
        assert_eq!(p.doc.settings[1].value.as_literal(), Some("[dbo].[t]"));
    }
}

#[cfg(test)]
mod fixture_tests {
    use crate::source::{DeploymentScope, Format, SourceFile};
    use std::path::PathBuf;

    /// A chosen value and a chosen block of a fixture, by line and column.
    #[test]
    fn subscription_fixture_positions() {
        let text = include_str!("../../testdata/parse/arm/subscription.json");
        let f = SourceFile::new(
            PathBuf::from("s.json"),
            "s.json".into(),
            text.into(),
            Format::Json,
        );
        let p = crate::parse::parse(&f);
        assert_eq!(p.format, Format::ArmTemplate(DeploymentScope::Subscription));
        let d = p.doc;
        assert_eq!(d.comments.len(), 1);
        assert_eq!(f.line_col(d.comments[0].span.start), (4, 3));
        // the nested deployment targets a resource group, the outer template a subscription
        assert_eq!(d.templates[1].scope, Some(DeploymentScope::ResourceGroup));
        // a chosen block: the symbolic-name resource `vault` in the inner template
        let (_, vault) = d.resource_by_symbol("vault").unwrap();
        assert_eq!(vault.template, 1);
        assert_eq!(f.line_col(vault.span.start), (27, 22));
        assert_eq!(f.line_col(vault.span.end), (33, 14));
        // a chosen value: its `enableRbacAuthorization` flag
        let v = vault
            .body
            .path(&["properties", "enableRbacAuthorization"])
            .unwrap();
        assert_eq!(f.line_col(v.span.start), (32, 99));
        assert_eq!(v.as_bool(), Some(true));
    }
}
