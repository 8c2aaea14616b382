//! Parser and lowering tests: one per construct, exact positions, and a Bicep file compared with
//! the equivalent ARM template.

use super::ast::{DeclKind, ExprKind, ObjItem, Program};
use super::{lexer, parser};
use crate::ir::{Document, Expr, Identity, InputProblemKind, Node, SettingSource, StrClass};
use crate::source::{DeploymentScope, Format, SourceFile};
use std::path::PathBuf;

fn prog(text: &str) -> Program {
    let l = lexer::lex(text, 0).unwrap();
    parser::parse(text, &l.tokens).unwrap_or_else(|e| panic!("{e:?} in {text}"))
}

fn parse_err(text: &str) -> parser::ParseError {
    let l = lexer::lex(text, 0).unwrap();
    parser::parse(text, &l.tokens).unwrap_err()
}

fn file(name: &str, text: &str) -> SourceFile {
    let format = if name.ends_with(".bicepparam") {
        Format::BicepParams
    } else if name.ends_with(".json") {
        Format::Json
    } else {
        Format::Bicep
    };
    SourceFile::new(PathBuf::from(name), name.into(), text.into(), format)
}

fn fixture(name: &str) -> (SourceFile, Document) {
    let path = format!("{}/testdata/parse/bicep/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let f = file(name, &text);
    let d = crate::parse::parse(&f).doc;
    (f, d)
}

fn bicep(text: &str) -> (SourceFile, Document) {
    let f = file("t.bicep", text);
    let d = crate::parse::parse(&f).doc;
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    (f, d)
}

/// The value expression of the first declaration.
fn first_value(text: &str) -> super::ast::Expr {
    match prog(text).decls.remove(0).kind {
        DeclKind::Var { value, .. } | DeclKind::Output { value, .. } => value,
        DeclKind::Resource(r) => r.value,
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- parser

#[test]
fn declarations_of_every_kind() {
    let text = r#"metadata name = 'x'
targetScope = 'subscription'
import * as types from 'types.bicep'
import { a, b as c } from 'shared.bicep'
import {
  d
  e
} from 'br/public:avm/utl/types/avm-common-types:0.5.1'
import 'az@1.0.0'
extension microsoftGraphV1
extension 'br:mcr.microsoft.com/bicep/extensions/kubernetes:1.0' with { namespace: 'ns' } as k8s
provider 'az@1.0.0'
type pair = { key: string, value: int? }
@export()
type role = 'Reader' | 'Owner'
type multi =
  | 'a'
  | 'b'
type nested = {
  @description('x')
  name: string
  tags: { *: string }?
  items: (string | int)[]
  tuple: [string, int]
  ref: resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.properties
}
func greet(name string, n int) string => '${name}${n}'
assert ok = length('x') > 0
param p1 string
param p2 types.myType[] = []
param p3 'a' | 'b' = 'a'
param p4 resource 'Microsoft.Storage/storageAccounts@2023-01-01'
@sys.description('d')
@minLength(3)
param p5 string?
var v1 string = 'x'
output o1 resource 'Microsoft.Storage/storageAccounts@2023-01-01' = sa
"#;
    let p = prog(text);
    let kinds: Vec<&str> = p
        .decls
        .iter()
        .map(|d| match &d.kind {
            DeclKind::Metadata { .. } => "metadata",
            DeclKind::TargetScope(_) => "targetScope",
            DeclKind::Import { .. } => "import",
            DeclKind::Extension { .. } => "extension",
            DeclKind::Type { .. } => "type",
            DeclKind::Func { .. } => "func",
            DeclKind::Assert { .. } => "assert",
            DeclKind::Param { .. } => "param",
            DeclKind::Var { .. } => "var",
            DeclKind::Output { .. } => "output",
            DeclKind::Resource(_) => "resource",
            DeclKind::Module { .. } => "module",
            DeclKind::Using { .. } => "using",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "metadata",
            "targetScope",
            "import",
            "import",
            "import",
            "extension",
            "extension",
            "extension",
            "extension",
            "type",
            "type",
            "type",
            "type",
            "func",
            "assert",
            "param",
            "param",
            "param",
            "param",
            "param",
            "var",
            "output"
        ]
    );
    let p5 = &p.decls[19];
    assert_eq!(p5.decorators.len(), 2);
    assert_eq!(p5.decorators[0].name, "description");
    match &p.decls[18].kind {
        DeclKind::Param { ty: Some(t), .. } => {
            assert_eq!(
                t.text,
                "resource 'Microsoft.Storage/storageAccounts@2023-01-01'"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn resources_with_existing_parent_scope_condition_loop_and_children() {
    let text = r#"resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
  scope: resourceGroup('other')
}
@batchSize(2)
resource subnets 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' = [for (s, i) in items: if (s.enabled) {
  parent: vnet
  name: s.name
}]
resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = if (deploy) {
  name: 'vnet'
  @description('child')
  resource child 'subnets' = {
    name: 'default'
  }
}
"#;
    let p = prog(text);
    let DeclKind::Resource(kv) = &p.decls[0].kind else {
        panic!()
    };
    assert!(kv.existing);
    assert_eq!(kv.type_text, "Microsoft.KeyVault/vaults");
    assert_eq!(kv.api_version.as_deref(), Some("2023-07-01"));
    assert_eq!(
        &text[kv.head_span.start..kv.head_span.end],
        "resource kv 'Microsoft.KeyVault/vaults@2023-07-01'"
    );
    let DeclKind::Resource(subnets) = &p.decls[1].kind else {
        panic!()
    };
    assert_eq!(subnets.decorators[0].name, "batchSize");
    let ExprKind::For { vars, body, .. } = &subnets.value.kind else {
        panic!("{:?}", subnets.value.kind)
    };
    assert_eq!(vars.len(), 2);
    assert!(matches!(body.kind, ExprKind::If { .. }));
    let DeclKind::Resource(vnet) = &p.decls[2].kind else {
        panic!()
    };
    let ExprKind::If { body, .. } = &vnet.value.kind else {
        panic!()
    };
    let ExprKind::Object(items) = &body.kind else {
        panic!()
    };
    assert!(
        matches!(&items[1], ObjItem::Resource(c) if c.decorators.len() == 1 && c.type_text == "subnets")
    );
}

#[test]
fn modules_with_params_and_scope() {
    let p = prog(
        "module m 'br/public:avm/res/web/site:0.1.0' = {\n  name: 'm'\n  scope: resourceGroup(rg)\n  params: {\n    a: 1\n  }\n}\nmodule loop './x.bicep' = [for x in xs: {\n  name: x\n}]\n",
    );
    assert!(
        matches!(&p.decls[0].kind, DeclKind::Module { path, .. } if path == "br/public:avm/res/web/site:0.1.0")
    );
    assert!(
        matches!(&p.decls[1].kind, DeclKind::Module { value, .. } if matches!(value.kind, ExprKind::For { .. }))
    );
}

#[test]
fn strings_multiline_and_interpolation() {
    let e = first_value("var s = 'a${b}c${d.e}'");
    let ExprKind::Str(parts) = e.kind else {
        panic!()
    };
    assert_eq!(parts.len(), 4);
    let e = first_value("var s = '''\nraw ${x} 'q'\n'''");
    assert_eq!(
        e.kind,
        ExprKind::Str(vec![super::ast::StrPart::Lit("raw ${x} 'q'\n".into())])
    );
    let e = first_value("var s = $'''\n  x ${y}\n  '''");
    assert!(matches!(e.kind, ExprKind::Str(ref p) if p.len() == 3));
}

#[test]
fn objects_arrays_and_spread() {
    let e = first_value("var o = {\n  a: 1\n  'b-c': [\n    1\n    2, 3\n  ]\n  ...other\n  d: { e: true }, f: null\n}");
    let ExprKind::Object(items) = e.kind else {
        panic!()
    };
    assert_eq!(items.len(), 5);
    assert!(matches!(&items[2], ObjItem::Spread(_)));
    let ObjItem::Prop { key, value } = &items[1] else {
        panic!()
    };
    assert_eq!(key.text, "b-c");
    assert!(matches!(&value.kind, ExprKind::Array(v) if v.len() == 3));
    let e = first_value("var a = [\n  ...xs\n  'y'\n]");
    assert!(matches!(e.kind, ExprKind::Array(ref v) if matches!(v[0].kind, ExprKind::Spread(_))));
}

#[test]
fn calls_members_indexes_safe_access_and_non_null() {
    let e = first_value("var x = az.resourceGroup().id");
    let ExprKind::Member { base, .. } = e.kind else {
        panic!()
    };
    assert!(matches!(base.kind, ExprKind::Call { base: Some(_), .. }));
    let e = first_value("var x = a.?b[?'c']!.d");
    let ExprKind::Member { base, safe, .. } = e.kind else {
        panic!()
    };
    assert!(!safe);
    let ExprKind::NonNull(inner) = base.kind else {
        panic!()
    };
    let ExprKind::Index { base, safe, .. } = inner.kind else {
        panic!()
    };
    assert!(safe);
    assert!(matches!(base.kind, ExprKind::Member { safe: true, .. }));
    let e = first_value("var x = vnet::subnet.id");
    assert!(
        matches!(e.kind, ExprKind::Member { ref base, .. } if matches!(base.kind, ExprKind::Child { .. }))
    );
}

#[test]
fn operator_precedence_and_multiline_ternary() {
    use super::ast::BinOp;
    // a || b && c == d + e * f  parses as  a || (b && (c == (d + (e * f))))
    let e = first_value("var x = a || b && c == d + e * f");
    let ExprKind::Binary(BinOp::Or, _, r) = e.kind else {
        panic!()
    };
    let ExprKind::Binary(BinOp::And, _, r) = r.kind else {
        panic!()
    };
    let ExprKind::Binary(BinOp::Eq, _, r) = r.kind else {
        panic!()
    };
    assert!(
        matches!(r.kind, ExprKind::Binary(BinOp::Add, _, ref m) if matches!(m.kind, ExprKind::Binary(BinOp::Mul, ..)))
    );
    // ?? binds tighter than ?:, and a ternary may span lines
    let e = first_value("var x = !a ?? b\n  ? c\n  : d ? e : f\n");
    let ExprKind::Ternary(c, _, f) = e.kind else {
        panic!()
    };
    assert!(
        matches!(c.kind, ExprKind::Binary(BinOp::Coalesce, ref l, _) if matches!(l.kind, ExprKind::Unary(..)))
    );
    assert!(matches!(f.kind, ExprKind::Ternary(..)));
    let e = first_value("var x = -1 - -2");
    assert!(matches!(e.kind, ExprKind::Binary(BinOp::Sub, ..)));
}

#[test]
fn for_comprehensions_and_lambdas() {
    let e = first_value("var x = [for (item, i) in range(0, 3): {\n  n: item\n}]");
    assert!(matches!(e.kind, ExprKind::For { ref vars, .. } if vars.len() == 2));
    let e = first_value("var x = map(xs, x => x.name)");
    let ExprKind::Call { args, .. } = e.kind else {
        panic!()
    };
    assert!(matches!(args[1].kind, ExprKind::Lambda { ref params, .. } if params.len() == 1));
    let e = first_value("var x = reduce(xs, {}, (cur, next) => union(cur, next))");
    let ExprKind::Call { args, .. } = e.kind else {
        panic!()
    };
    assert!(matches!(args[2].kind, ExprKind::Lambda { ref params, .. } if params.len() == 2));
    let e = first_value("var x = (a + b) * c");
    assert!(matches!(e.kind, ExprKind::Binary(..)));
}

#[test]
fn comments_are_collected_with_spans() {
    let (f, d) =
        bicep("// top\nvar x = 1 /* inline */\n#disable-next-line no-unused-vars\nvar y = 2\n");
    assert_eq!(d.comments.len(), 2);
    assert_eq!(d.comments[1].text, " inline ");
    assert_eq!(f.line_col(d.comments[1].span.start), (2, 11));
}

#[test]
fn syntax_errors_are_positioned_and_the_file_is_scanned_as_text() {
    let f = file(
        "t.bicep",
        "param a string\nvar b = {\n  c: 'x'\n  d 'y'\n}\n",
    );
    let d = crate::parse::parse(&f).doc;
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].kind, InputProblemKind::Syntax);
    assert_eq!(f.line_col(d.problems[0].span.start), (4, 5));
    // what parsed before the error is kept; the declaration that failed is read as text
    assert!(d.partial);
    assert_eq!(d.params.len(), 1);
    assert_eq!(d.text_lines.len(), 4);
    let e = parse_err("resource x 'T@1' = {\n}\nbogus");
    assert_eq!(e.span.start, 23);
    let f = file("t.bicep", "var s = 'unterminated\n");
    let d = crate::parse::parse(&f).doc;
    assert_eq!(f.line_col(d.problems[0].span.start), (1, 9));
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    for text in [
        format!("var x = {}", "[".repeat(100_000)),
        format!("var x = {}", "(".repeat(100_000)),
        format!("var x = {}", "!".repeat(100_000)),
        format!("var x = {}", "{a:".repeat(100_000)),
        format!("var x = '{}", "${'".repeat(100_000)),
        format!("type t = {}", "(".repeat(100_000)),
    ] {
        let f = file("t.bicep", &text);
        let d = crate::parse::parse(&f).doc;
        assert_eq!(d.problems.len(), 1, "{}", &text[..12]);
        assert!(
            matches!(
                d.problems[0].kind,
                InputProblemKind::TooDeep | InputProblemKind::Syntax
            ),
            "{:?}",
            d.problems[0]
        );
    }
    let f = file("t.bicep", &format!("var x = {}", "[".repeat(100_000)));
    assert_eq!(
        crate::parse::parse(&f).doc.problems[0].kind,
        InputProblemKind::TooDeep
    );
}

#[test]
fn fuzz_entry_survives_odd_input() {
    for s in [
        "",
        "'",
        "${",
        "}",
        "'${}'",
        "'''",
        "$'''${",
        "@",
        "resource",
        "param x =",
        "\u{feff}",
        "var x = a.",
        "var x = [for",
        "var x = (a, b) =>",
        "\0\u{ffff}",
    ] {
        super::fuzz(s.as_bytes());
    }
}

// ---------------------------------------------------------------- lowering

#[test]
fn positions_of_param_default_resource_head_property_and_output() {
    let (f, d) = fixture("site.bicep");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    let pw = d.param(0, "adminPassword").unwrap();
    assert!(pw.secure);
    assert_eq!(pw.type_name.as_deref(), Some("string"));
    let def = pw.default.as_ref().unwrap();
    assert_eq!(def.as_literal(), Some("P@ssw0rd-default"));
    assert_eq!(f.line_col(def.span.start), (6, 30));
    assert_eq!(f.line_col(pw.name_span.start), (6, 7));
    let (_, site) = d.resource_by_symbol("site").unwrap();
    assert_eq!(f.line_col(site.head_span.start), (27, 1));
    assert_eq!(
        f.slice(site.head_span),
        "resource site 'Microsoft.Web/sites@2022-03-01'"
    );
    let key = &d.settings[0];
    assert_eq!(key.key, "appSettings:STORAGE_KEY");
    assert_eq!(f.line_col(key.key_span.start), (37, 17));
    assert_eq!(f.line_col(key.value.span.start), (38, 18));
    let e = key.value.as_expr().unwrap();
    assert!(e.calls_fn("listKeys"));
    assert!(e
        .resource_refs()
        .iter()
        .any(|(a, p)| *a == "sa" && p.is_empty()));
    let out = &d.outputs[0];
    assert!(out.secure);
    assert_eq!(f.line_col(out.value.span.start), (63, 21));
    assert!(out.value.as_expr().unwrap().calls_fn("listkeys"));
    assert_eq!(
        d.outputs[1].value.as_expr(),
        Some(&Expr::Resource {
            address: "sa".into(),
            path: vec![
                "properties".into(),
                "primaryEndpoints".into(),
                "blob".into()
            ]
        })
    );
    let child = &d.resources[2];
    assert_eq!(f.line_col(child.head_span.start), (44, 3));
    let db = &d.settings[2];
    assert_eq!(db.key, "appsettings:DB_PASSWORD");
    assert_eq!(f.line_col(db.key_span.start), (47, 7));
    assert_eq!(
        db.value.as_expr().unwrap().parameter_refs(),
        vec!["adminPassword"]
    );
    let ra = &d.role_assignments[0];
    let scope = ra.scope.as_ref().unwrap();
    assert_eq!(f.line_col(scope.span.start), (54, 10));
    assert_eq!(
        scope.as_expr(),
        Some(&Expr::Resource {
            address: "sa".into(),
            path: vec![]
        })
    );
    assert_eq!(d.comments.len(), 1);
}

#[test]
fn lowering_matches_the_equivalent_arm_template() {
    let (_, b) = fixture("site.bicep");
    let (_, a) = fixture("site.json");
    assert!(a.problems.is_empty() && b.problems.is_empty());
    assert_eq!(b.templates.len(), 1);
    assert_eq!(b.templates[0].scope, a.templates[0].scope);
    assert_eq!(b.templates[0].scope, Some(DeploymentScope::ResourceGroup));
    let types = |d: &Document| -> Vec<(String, Option<usize>, Option<usize>)> {
        d.resources
            .iter()
            .map(|r| (r.azure_type.clone(), r.parent, r.identity.count()))
            .collect()
    };
    assert_eq!(types(&b), types(&a));
    assert_eq!(b.resources[0].kind.as_deref(), Some("StorageV2"));
    assert!(matches!(
        b.resources[1].identity,
        Identity::Declared { system: true, .. }
    ));
    let params = |d: &Document| -> Vec<(String, bool)> {
        d.params
            .iter()
            .map(|p| (p.name.clone(), p.secure))
            .collect()
    };
    assert_eq!(params(&b), params(&a));
    let settings = |d: &Document| -> Vec<(String, SettingSource, bool)> {
        d.settings
            .iter()
            .map(|s| (s.key.clone(), s.source, s.value.as_literal().is_some()))
            .collect()
    };
    assert_eq!(settings(&b), settings(&a));
    assert_eq!(b.role_assignments.len(), a.role_assignments.len());
    let ra = |d: &Document| -> (usize, Vec<String>, Option<String>, bool) {
        let r = &d.role_assignments[0];
        (
            r.resource,
            r.role_id
                .as_ref()
                .unwrap()
                .as_expr()
                .unwrap()
                .calls()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            r.principal_type.clone(),
            r.scope.is_some(),
        )
    };
    assert_eq!(ra(&b), ra(&a));
    // outputs: same names and secure flags; both expose listKeys
    let outs = |d: &Document| -> Vec<(String, bool, bool)> {
        d.outputs
            .iter()
            .map(|o| {
                (
                    o.name.clone(),
                    o.secure,
                    o.value.as_expr().is_some_and(|e| e.calls_fn("listKeys")),
                )
            })
            .collect()
    };
    assert_eq!(outs(&b), outs(&a));
    // rules reading the body by ARM paths see the same shape
    for d in [&a, &b] {
        let site = &d.resources[1];
        assert!(site.body.path(&["properties", "siteConfig"]).is_some());
        assert_eq!(
            site.body.get("type").and_then(Node::as_literal),
            Some("Microsoft.Web/sites")
        );
        assert_eq!(
            d.resources[0]
                .body
                .path(&["properties", "allowSharedKeyAccess"])
                .and_then(Node::as_bool),
            Some(false)
        );
    }
}

#[test]
fn identifiers_lower_to_parameters_variables_and_refs() {
    let (_, d) = bicep(
        "param p object\nvar v = 'x'\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {\n  name: v\n}\nvar a = p.inner\nvar b = '${v}-${sa.name}'\nvar c = [for x in p.items: x.name]\nvar e = map(p.items, p => p.id)\n",
    );
    let var = |n: &str| d.var(0, n).unwrap().value.clone();
    assert_eq!(
        d.resources[0]
            .body
            .get("name")
            .unwrap()
            .as_expr()
            .unwrap()
            .variable_refs(),
        vec!["v"]
    );
    assert!(d.resources[0].existing);
    assert_eq!(
        var("a").as_expr(),
        Some(&Expr::Member {
            base: Box::new(Expr::Param("p".into())),
            name: "inner".into()
        })
    );
    assert_eq!(
        var("b").as_expr(),
        Some(&Expr::Interp(vec![
            Expr::Var("v".into()),
            Expr::Str("-".into()),
            Expr::Resource {
                address: "sa".into(),
                path: vec!["name".into()]
            }
        ]))
    );
    // the loop variable shadows nothing and becomes a reference; the loop shows its item shape
    let c = var("c");
    assert_eq!(c.items().len(), 1);
    assert_eq!(
        c.items()[0].as_expr(),
        Some(&Expr::Ref(vec!["x".into(), "name".into()]))
    );
    // the lambda parameter `p` shadows the parameter `p`
    let e = var("e");
    let refs = e.as_expr().unwrap().refs();
    assert!(refs
        .iter()
        .any(|r| r.len() == 2 && r[0] == "p" && r[1] == "id"));
}

#[test]
fn get_secret_is_a_secret_reference_and_literals_are_classified() {
    let (_, d) = bicep(
        "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'kv'\n}\nmodule m './m.bicep' = {\n  name: 'm'\n  params: {\n    password: kv.getSecret('admin')\n    other: '<your-password>'\n    lit: 'abc'\n  }\n}\n",
    );
    let root = d.root.as_ref().unwrap();
    let params = root.path(&["modules", "m", "params"]).unwrap();
    assert_eq!(
        params.get("password").unwrap().as_str().unwrap().class,
        StrClass::SecretRef
    );
    assert_eq!(
        params.get("other").unwrap().as_str().unwrap().class,
        StrClass::Placeholder
    );
    assert_eq!(params.get("lit").unwrap().as_literal(), Some("abc"));
    assert_eq!(
        root.path(&["modules", "m", "path"])
            .and_then(Node::as_literal),
        Some("./m.bicep")
    );
    // modules stay in the tree only
    assert_eq!(d.resources.len(), 1);
}

#[test]
fn target_scope_child_types_parent_links_and_config_settings() {
    let (_, d) = bicep(
        "targetScope = 'subscription'\nresource site 'Microsoft.Web/sites@2022-03-01' = {\n  name: 's'\n  identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { '${uami.id}': {} } }\n}\nresource cfg 'Microsoft.Web/sites/config@2022-03-01' = {\n  parent: site\n  name: 'appsettings'\n  properties: {\n    KEY: 'v'\n  }\n}\nresource conns 'Microsoft.Web/sites/config@2022-03-01' = {\n  name: '${site.name}/connectionstrings'\n  properties: {\n    Db: { value: 'Server=x;Password=y', type: 'SQLAzure' }\n  }\n}\n",
    );
    assert_eq!(d.templates[0].scope, Some(DeploymentScope::Subscription));
    assert_eq!(d.resources[1].parent, Some(0));
    assert_eq!(d.resources[0].identity.count(), Some(2));
    let keys: Vec<&str> = d.settings.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["appsettings:KEY", "connectionstrings:Db"]);
    assert_eq!(
        d.settings[1].value.as_literal(),
        Some("Server=x;Password=y")
    );
    assert_eq!(
        d.settings[1].source,
        SettingSource::ResourceConnectionString(2)
    );
}

#[test]
fn role_definitions_and_loops_lower_their_body() {
    let (_, d) = bicep(
        "resource rd 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {\n  name: guid('x')\n  properties: {\n    permissions: [\n      {\n        actions: [ '*' ]\n        dataActions: []\n      }\n    ]\n    assignableScopes: [ subscription().id ]\n  }\n}\nresource ras 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for p in principals: if (true) {\n  name: guid(p)\n  properties: {\n    roleDefinitionId: rd.id\n    principalId: p\n  }\n}]\n",
    );
    assert_eq!(d.role_definitions.len(), 1);
    assert_eq!(d.role_definitions[0].actions[0].as_literal(), Some("*"));
    assert_eq!(d.role_definitions[0].assignable_scopes.len(), 1);
    assert_eq!(d.role_assignments.len(), 1);
    let ra = &d.role_assignments[0];
    // A resource loop's item is an item of its list, as ARM writes it: `principals[copyIndex()]`.
    assert_eq!(
        ra.principal_id
            .as_ref()
            .unwrap()
            .as_expr()
            .map(|e| e.to_string()),
        Some("principals[copyIndex()]".into())
    );
    assert!(d.resources[1].body.get("condition").is_some());
}

#[test]
fn bicepparam_values_become_settings() {
    let (f, d) = fixture("main.bicepparam");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    let keys: Vec<&str> = d.settings.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "parameters:adminPassword",
            "parameters:sqlPassword",
            "parameters:count",
            "parameters:name"
        ]
    );
    assert!(d
        .settings
        .iter()
        .all(|s| s.source == SettingSource::AppConfig));
    assert_eq!(
        d.settings[0].value.as_str().unwrap().class,
        StrClass::SecretRef
    );
    let pw = &d.settings[1];
    assert_eq!(pw.value.as_literal(), Some("Literal-Pa55word!"));
    assert_eq!(f.line_col(pw.key_span.start), (4, 7));
    assert_eq!(f.line_col(pw.value.span.start), (4, 21));
    assert_eq!(
        d.settings[3].value.as_expr().unwrap().variable_refs(),
        vec!["prefix"]
    );
    assert_eq!(
        d.root
            .as_ref()
            .unwrap()
            .get("using")
            .and_then(Node::as_literal),
        Some("./main.bicep")
    );
    assert!(d.templates.is_empty());
}

#[test]
fn byte_order_mark_is_skipped_and_offsets_stay_true() {
    let (f, d) = bicep("\u{feff}param x string = 'v'\n");
    let p = &d.params[0];
    // the mark is no column: `x` is where an editor shows it
    assert_eq!(f.line_col(p.name_span.start), (1, 7));
    assert_eq!(f.slice(p.name_span), "x");
}

// ---------------------------------------------------------------- rules on Bicep

#[test]
fn key_rules_fire_on_bicep_at_exact_positions() {
    use crate::testing::hits;
    let fire = "testdata/parse/bicep/rules/key-fire.bicep";
    assert_eq!(hits(fire, "KEY002"), vec![(19, 18)]);
    assert_eq!(hits(fire, "KEY003"), vec![(2, 30)]);
    assert_eq!(hits(fire, "KEY005"), vec![(26, 28)]);
    assert_eq!(
        hits("testdata/parse/bicep/rules/key-fire.bicepparam", "KEY004"),
        vec![(4, 26)]
    );
    for silent in [
        "testdata/parse/bicep/rules/key-silent.bicep",
        "testdata/parse/bicep/rules/key-silent.bicepparam",
    ] {
        let report = crate::testing::scan_fixture(silent);
        // (the module it calls is not there: a note says its arguments were not followed)
        let ids: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| !(f.rule.id == "INPUT005" && f.message.starts_with("module `db`")))
            .map(|f| f.rule.id)
            .collect();
        assert!(ids.is_empty(), "{silent}: {ids:?}");
    }
}

#[test]
fn interpolated_key_vault_reference_is_a_secret_reference() {
    let (_, d) = bicep("var s = '@Microsoft.KeyVault(SecretUri=${uri}secrets/x/)'\n");
    assert_eq!(d.vars[0].value.as_str().unwrap().class, StrClass::SecretRef);
}

#[test]
fn every_prefix_of_a_fixture_parses_or_fails_cleanly() {
    let text = include_str!("../../../testdata/parse/bicep/site.bicep");
    for (i, _) in text.char_indices() {
        let _ = super::parse_text(&text[..i], false);
        let _ = super::parse_text(&text[i..], true);
    }
}

#[test]
fn namespaced_and_method_calls() {
    let (_, d) = bicep(
        "import * as lib from 'lib.bicep'\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {\n  name: 'st'\n}\nvar a = az.resourceGroup().id\nvar b = sys.concat('a', 'b')\nvar c = lib.fmt('x')\nvar d = sa.listKeys('2023-01-01').keys[0].value\nvar e = listKeys(sa.id, '2023-01-01')\n",
    );
    let var = |n: &str| d.var(0, n).unwrap().value.as_expr().unwrap().clone();
    assert_eq!(
        var("a"),
        Expr::Member {
            base: Box::new(Expr::Call {
                name: "resourceGroup".into(),
                args: vec![]
            }),
            name: "id".into()
        }
    );
    assert_eq!(var("b").calls(), vec!["concat"]);
    assert_eq!(var("c").calls(), vec!["lib.fmt"]);
    let Expr::Member { base, .. } = var("d") else {
        panic!()
    };
    let Expr::Index { base, .. } = *base else {
        panic!()
    };
    let Expr::Member { base, name } = *base else {
        panic!()
    };
    assert_eq!(name, "keys");
    assert_eq!(
        *base,
        Expr::Call {
            name: "listKeys".into(),
            args: vec![
                Expr::Resource {
                    address: "sa".into(),
                    path: vec![]
                },
                Expr::Str("2023-01-01".into())
            ]
        }
    );
    assert!(var("e").calls_fn("listKeys"));
}

#[test]
fn identity_type_none_is_none() {
    let (_, d) = bicep(
        "resource a 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'a'\n  identity: { type: 'None' }\n}\nresource b 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'b'\n  identity: { type: t }\n}\nresource c 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'c'\n}\n",
    );
    assert!(matches!(d.resources[0].identity, Identity::None { .. }));
    assert!(matches!(d.resources[1].identity, Identity::Dynamic { .. }));
    assert_eq!(d.resources[2].identity, Identity::Absent);
}

#[test]
fn conn_rule_fires_on_bicep_at_the_password() {
    use crate::testing::hits;
    // the column of the password value inside the connection string
    assert_eq!(
        hits("testdata/parse/bicep/rules/conn-fire.bicep", "CONN001"),
        vec![(12, 101)]
    );
    let report = crate::testing::scan_fixture("testdata/parse/bicep/rules/conn-silent.bicep");
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn mi_and_rbac_rules_fire_on_bicep_at_exact_positions() {
    use crate::testing::{hits, scan_fixture};
    let mi = "testdata/parse/bicep/rules/mi-fire.bicep";
    // the `true` of allowSharedKeyAccess, the function app's `resource` keyword, its identity block
    assert_eq!(hits(mi, "MI003"), vec![(11, 27)]);
    assert_eq!(hits(mi, "MI001"), vec![(15, 1)]);
    assert_eq!(hits(mi, "MI002"), vec![(37, 13)]);
    let rbac = "testdata/parse/bicep/rules/rbac-fire.bicep";
    // the role id resolved through a variable at subscription scope (targetScope), and the `*` action
    assert_eq!(hits(rbac, "RBAC001"), vec![(11, 23)]);
    assert_eq!(hits(rbac, "RBAC002"), vec![(24, 11)]);
    for silent in [
        "testdata/parse/bicep/rules/mi-silent.bicep",
        "testdata/parse/bicep/rules/rbac-silent.bicep",
    ] {
        let report = scan_fixture(silent);
        let ids: Vec<&str> = report.findings.iter().map(|f| f.rule.id).collect();
        assert!(ids.is_empty(), "{silent}: {ids:?}");
    }
}

/// Every sub-expression carries its own span: ternary branches, call arguments, array items,
/// object values and interpolation holes (a finding on one of them points there).
#[test]
fn sub_expressions_have_their_own_spans() {
    let text = "var x = c ? 'a'\n  : f('b', [\n    'c'\n  ], { k: 'd' }, 'e${g}h')";
    let f = file("t.bicep", text);
    let at = |s: crate::source::Span| (f.line_col(s.start), f.slice(s).to_string());
    let e = first_value(text);
    let ExprKind::Ternary(cond, then, other) = e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(at(cond.span), ((1, 9), "c".into()));
    assert_eq!(at(then.span), ((1, 13), "'a'".into()));
    assert_eq!(at(other.span).0, (2, 5));
    let ExprKind::Call { args, .. } = other.kind else {
        panic!()
    };
    assert_eq!(at(args[0].span), ((2, 7), "'b'".into()));
    let ExprKind::Array(items) = &args[1].kind else {
        panic!()
    };
    assert_eq!(at(items[0].span), ((3, 5), "'c'".into()));
    let ExprKind::Object(props) = &args[2].kind else {
        panic!()
    };
    let ObjItem::Prop { value, .. } = &props[0] else {
        panic!()
    };
    assert_eq!(at(value.span), ((4, 11), "'d'".into()));
    assert_eq!(at(args[3].span), ((4, 18), "'e${g}h'".into()));
    let ExprKind::Str(parts) = &args[3].kind else {
        panic!()
    };
    let Some(super::ast::StrPart::Expr(hole)) = parts.get(1) else {
        panic!("{parts:?}")
    };
    assert_eq!(at(hole.span), ((4, 22), "g".into()));
}
