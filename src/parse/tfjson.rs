//! Terraform JSON syntax (`.tf.json`, `.tfvars.json`) and `terraform show -json` plan output.
//!
//! JSON syntax lowers to the same document as native syntax (through
//! [`super::terraform::lower_blocks`]); strings containing `${` or `%{` are Terraform templates and
//! are parsed with hcl-edit's template parser. A plan's `planned_values` resources (root module and
//! child modules) become resources whose body is their `values` object, and its `variables`
//! become settings.

use crate::ir::{
    Document, Expr, InputProblem, InputProblemKind, Node, NodeKind, Setting, SettingSource,
    StrClass,
};
use crate::source::{Format, SourceFile, Span};

use super::terraform::{self, NewResource, TfBlock};
use crate::ir::classify::classify_literal;

/// Deepest `child_modules` nesting followed in a plan.
const MAX_MODULE_DEPTH: usize = 64;

pub fn parse(file: &SourceFile, format: Format) -> Document {
    match format {
        Format::TerraformPlan => plan(file),
        _ => config(file),
    }
}

/// Classifies a JSON-syntax string: a template when it contains an interpolation or directive.
fn classify(s: &str, span: Span, problems: &mut Vec<InputProblem>) -> StrClass {
    if !(s.contains("${") || s.contains("%{")) {
        return classify_literal(s);
    }
    match terraform::parse_template(s) {
        Ok(Expr::Str(lit)) => classify_literal(&lit),
        Ok(e) => StrClass::Expression(e),
        Err((offset, message)) => {
            // Offset into the decoded value; +1 for the opening quote (approximate after escapes).
            let at = (span.start + 1 + offset).min(span.end.saturating_sub(1).max(span.start));
            problems.push(InputProblem {
                kind: InputProblemKind::Syntax,
                span: Span::new(at, at + 1),
                message: format!("invalid Terraform template: {message}"),
            });
            StrClass::Expression(Expr::Other(Vec::new()))
        }
    }
}

fn config(file: &SourceFile) -> Document {
    let mut problems = Vec::new();
    let parsed =
        match super::json::parse(&file.text, &mut |s, span| classify(s, span, &mut problems)) {
            Ok(p) => p,
            Err(e) => return super::failed(file, e.problem),
        };
    problems.extend(parsed.problems);
    let mut doc = Document {
        comments: parsed.comments,
        problems,
        ..Document::default()
    };
    let root = parsed.root;
    let name = file.path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tfvars.json") {
        for e in root.entries() {
            doc.settings.push(Setting {
                key: e.key.clone(),
                name: e.key.clone(),
                key_span: e.key_span,
                value: e.value.clone(),
                source: SettingSource::AppConfig,
            });
        }
    } else {
        let mut blocks = Vec::new();
        for e in root.entries() {
            match e.key.as_str() {
                "resource" | "data" => {
                    for types in maps(&e.value) {
                        for t in types.entries() {
                            for names in maps(&t.value) {
                                for n in names.entries() {
                                    for body in maps(&n.value) {
                                        blocks.push(block(
                                            &e.key,
                                            vec![
                                                (t.key.clone(), t.key_span),
                                                (n.key.clone(), n.key_span),
                                            ],
                                            n.key_span,
                                            body,
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
                "variable" | "output" => {
                    for names in maps(&e.value) {
                        for n in names.entries() {
                            for body in maps(&n.value) {
                                blocks.push(block(
                                    &e.key,
                                    vec![(n.key.clone(), n.key_span)],
                                    n.key_span,
                                    body,
                                ));
                            }
                        }
                    }
                }
                "locals" => {
                    for body in maps(&e.value) {
                        blocks.push(block(&e.key, Vec::new(), e.key_span, body));
                    }
                }
                _ => {}
            }
        }
        terraform::lower_blocks(&mut doc, file, root.span, &blocks);
    }
    doc.root = Some(root);
    doc
}

/// A block in JSON syntax: `head` is the name key (or the block type key when unlabelled).
fn block<'a>(kind: &str, labels: Vec<(String, Span)>, head: Span, body: &'a Node) -> TfBlock<'a> {
    // `"dynamic": {"identity": {…}}`
    let dynamic = body
        .get("dynamic")
        .into_iter()
        .flat_map(|d| maps(d))
        .flat_map(|d| d.entries().iter())
        .map(|e| (e.key.clone(), e.key_span.join(e.value.span)))
        .collect();
    TfBlock {
        kind: kind.to_string(),
        labels,
        span: head.join(body.span),
        head_span: head,
        body,
        dynamic,
    }
}

/// JSON syntax allows an object or an array of objects wherever a block body or block group goes.
fn maps(n: &Node) -> Vec<&Node> {
    match &n.kind {
        NodeKind::Map(_) => vec![n],
        NodeKind::List(items) => items.iter().filter(|i| i.is_map()).collect(),
        _ => Vec::new(),
    }
}

fn plan(file: &SourceFile) -> Document {
    let parsed = match super::json::parse_plain(&file.text) {
        Ok(p) => p,
        Err(e) => return super::failed(file, e.problem),
    };
    let mut doc = Document {
        comments: parsed.comments,
        problems: parsed.problems,
        ..Document::default()
    };
    let root = parsed.root;
    doc.templates.push(crate::ir::Template {
        span: root.span,
        scope: None,
        parent: None,
        outer_scope: false,
    });
    if let Some(m) = root.path(&["planned_values", "root_module"]) {
        plan_module(&mut doc, m, 0);
    }
    if let Some(vars) = root.get("variables") {
        for e in vars.entries() {
            doc.settings.push(Setting {
                key: e.key.clone(),
                name: e.key.clone(),
                key_span: e.key_span,
                value: e.value.get("value").unwrap_or(&e.value).clone(),
                source: SettingSource::AppConfig,
            });
        }
    }
    doc.root = Some(root);
    doc
}

fn plan_module(doc: &mut Document, m: &Node, depth: usize) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    if let Some(resources) = m.get("resources") {
        for r in resources.items() {
            let Some(address) = r.get("address") else {
                continue;
            };
            let text = |key: &str| {
                r.get(key)
                    .and_then(Node::as_str)
                    .map(|s| s.value.as_str())
                    .unwrap_or("")
            };
            let empty;
            let body = match r.get("values") {
                Some(v) => v,
                None => {
                    empty = Node::new(r.span, NodeKind::Map(Vec::new().into()));
                    &empty
                }
            };
            terraform::add_resource(
                doc,
                NewResource {
                    source_type: text("type"),
                    name: text("name"),
                    symbol: text("address").to_string(),
                    span: r.span,
                    head_span: address.span,
                    body,
                    existing: text("mode") == "data",
                    dynamic: &[],
                },
            );
        }
    }
    if let Some(children) = m.get("child_modules") {
        for c in children.items() {
            plan_module(doc, c, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Document, Expr, Identity, InputProblemKind, SettingSource};
    use crate::source::{Format, SourceFile, Span};
    use std::path::{Path, PathBuf};

    fn inline(name: &str, text: &str) -> (SourceFile, Format, Document) {
        let path = PathBuf::from(name);
        let format = crate::discover::format_for_explicit(&path, text.as_bytes());
        let f = SourceFile::new(path, name.into(), text.into(), format);
        let p = crate::parse::parse(&f);
        (f, p.format, p.doc)
    }

    fn fixture(rel: &str) -> (SourceFile, Format, Document) {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap();
        inline(rel, &text)
    }

    fn at(f: &SourceFile, span: Span) -> (usize, usize) {
        f.line_col(span.start)
    }

    #[test]
    fn json_syntax_lowers_like_native_syntax() {
        let (f, format, d) = fixture("testdata/parse/terraform/main.tf.json");
        assert_eq!(format, Format::TerraformJson);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let pw = d.param(0, "admin_password").unwrap();
        assert!(pw.secure);
        assert_eq!(pw.type_name.as_deref(), Some("string"));
        assert_eq!(at(&f, pw.name_span), (3, 5));
        let conn = d.var(0, "conn").unwrap();
        assert_eq!(at(&f, conn.name_span), (5, 15));
        assert_eq!(conn.value.as_expr().unwrap().parameter_refs(), vec!["key"]);
        // A chosen block: the web app, pointed at by its name key.
        let (i, web) = d.resource_by_symbol("azurerm_linux_web_app.web").unwrap();
        assert_eq!(web.azure_type, "Microsoft.Web/sites");
        assert_eq!(at(&f, web.head_span), (8, 7));
        assert_eq!(at(&f, web.span), (8, 7));
        match &web.identity {
            Identity::Declared {
                system,
                user_assigned,
                span,
            } => {
                assert!(*system && user_assigned.is_empty());
                assert_eq!(at(&f, *span), (11, 9));
            }
            other => panic!("{other:?}"),
        }
        // A chosen value: the app setting with its template expression.
        assert_eq!(d.settings.len(), 1);
        let s = &d.settings[0];
        assert_eq!(s.key, "app_settings:STORAGE_KEY");
        assert_eq!(s.source, SettingSource::ResourceAppSetting(i));
        assert_eq!(at(&f, s.key_span), (10, 27));
        assert_eq!(
            s.value.as_expr(),
            Some(&Expr::Interp(vec![Expr::Resource {
                address: "azurerm_storage_account.sa".into(),
                path: vec!["primary_access_key".into()]
            }]))
        );
        let ra = &d.role_assignments[0];
        let name = ra.role_name.as_ref().unwrap();
        assert_eq!(name.as_literal(), Some("Contributor"));
        assert_eq!(at(&f, name.span), (15, 71));
        assert_eq!(
            ra.scope.as_ref().unwrap().as_literal(),
            Some("/subscriptions/0000")
        );
        assert!(d.outputs[0].secure);
        assert_eq!(at(&f, d.outputs[0].value.span), (18, 31));
        assert_eq!(
            d.outputs[0].value.as_expr().unwrap().variable_refs(),
            vec!["conn"]
        );
    }

    #[test]
    fn json_syntax_dynamic_identity_and_block_lists() {
        let text = r#"{"resource": [{"azurerm_linux_web_app": {"a": [{"dynamic": {"identity": {"for_each": "${var.x}"}}}]}},
 {"azurerm_linux_web_app": {"b": {"identity": {"type": "${var.t}"}}}}]}"#;
        let (f, _, d) = inline("x.tf.json", text);
        assert_eq!(d.resources.len(), 2);
        match &d.resources[0].identity {
            Identity::Dynamic { span } => assert_eq!(at(&f, *span), (1, 61)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(d.resources[1].identity, Identity::Dynamic { .. }));
        assert_eq!(
            d.resources[1].symbol.as_deref(),
            Some("azurerm_linux_web_app.b")
        );
    }

    #[test]
    fn json_syntax_template_errors_and_escapes() {
        let text = "{\"locals\": {\"a\": \"x-${var.y\", \"b\": \"$${not.a.ref}\"}}";
        let (f, _, d) = inline("e.tf.json", text);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&f, d.problems[0].span), (1, 28));
        assert!(d.var(0, "b").unwrap().value.as_expr().is_none());
        // Broken JSON: syntax problem at its position, text fallback.
        let (f, _, d) = inline("bad.tf.json", "{\n  \"locals\": {\"a\": }\n}");
        assert!(d.root.is_none());
        assert_eq!(d.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&f, d.problems[0].span), (2, 19));
    }

    #[test]
    fn tfvars_json_entries_are_settings() {
        let (f, _, d) = inline(
            "prod.tfvars.json",
            "{\n  \"db_password\": \"S3cr3t-Passw0rd!\",\n  \"n\": 3\n}",
        );
        assert_eq!(d.settings.len(), 2);
        assert_eq!(d.settings[0].key, "db_password");
        assert_eq!(d.settings[0].source, SettingSource::AppConfig);
        assert_eq!(at(&f, d.settings[0].value.span), (2, 18));
        assert!(d.resources.is_empty());
    }

    #[test]
    fn plan_resources_from_all_modules() {
        let (f, format, d) = fixture("testdata/parse/terraform/plan.json");
        assert_eq!(format, Format::TerraformPlan);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.resources.len(), 4);
        let (i, func) = d
            .resource_by_symbol("azurerm_windows_function_app.fn")
            .unwrap();
        assert_eq!(func.azure_type, "Microsoft.Web/sites");
        assert_eq!(func.kind.as_deref(), Some("functionapp"));
        assert_eq!(func.name, "fn");
        // A chosen block: the resource, pointed at by its address value.
        assert_eq!(at(&f, func.head_span), (11, 22));
        assert_eq!(func.identity, Identity::Absent);
        // Settings: variables, app settings and connection strings.
        let keys: Vec<_> = d.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "app_settings:AzureWebJobsStorage",
                "connection_string:Db",
                "sql_password"
            ]
        );
        assert_eq!(d.settings[0].source, SettingSource::ResourceAppSetting(i));
        assert_eq!(at(&f, d.settings[0].key_span), (16, 31));
        assert_eq!(
            d.settings[1].source,
            SettingSource::ResourceConnectionString(i)
        );
        assert_eq!(at(&f, d.settings[1].key_span), (17, 45));
        // A chosen value: the variable's value.
        assert_eq!(at(&f, d.settings[2].value.span), (5, 32));
        assert_eq!(d.settings[2].value.as_literal(), Some("Pl4n-Passw0rd!"));
        // Role assignment in a child module; null attributes are absent.
        let ra = &d.role_assignments[0];
        assert_eq!(
            d.resources[ra.resource].symbol.as_deref(),
            Some("module.rbac.azurerm_role_assignment.ra")
        );
        assert_eq!(at(&f, d.resources[ra.resource].head_span), (27, 26));
        assert_eq!(at(&f, ra.role_name.as_ref().unwrap().span), (34, 41));
        assert!(ra.role_id.is_none() && ra.principal_type.is_none());
        // Identity from `values.identity[0]`.
        let (_, app) = d
            .resource_by_symbol("module.rbac.azurerm_container_app.app")
            .unwrap();
        match &app.identity {
            Identity::Declared {
                system,
                user_assigned,
                span,
            } => {
                assert!(*system);
                assert_eq!(user_assigned.len(), 1);
                assert_eq!(at(&f, user_assigned[0].span), (51, 99));
                assert_eq!(at(&f, *span), (51, 27));
            }
            other => panic!("{other:?}"),
        }
        let (_, uai) = d
            .resource_by_symbol("module.rbac.azurerm_user_assigned_identity.id")
            .unwrap();
        assert_eq!(uai.identity, Identity::Absent);
    }
}
