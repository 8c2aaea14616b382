//! ARM linked templates as module calls: a `Microsoft.Resources/deployments` resource whose
//! `templateLink` names a template beside this one — `relativePath: 'nested/x.json'`, or a `uri`
//! built from `deployment().properties.templateLink.uri` or `parameters('_artifactsLocation')`
//! and a relative path (`uri(parameters('_artifactsLocation'), 'nested/x.json')`,
//! `concat(parameters('_artifactsLocation'), '/nested/x.json', parameters('_artifactsLocationSasToken'))`)
//! — is a [`ModuleCall`] whose source is that relative path and whose arguments are the
//! `properties.parameters.<name>.value` it passes, so the module reader follows it as it follows
//! a Bicep module (when the file is there).

use crate::ir::{Entry, Expr, ModuleCall, Node};

/// The module call a deployment resource `r` (in template `template`) makes, if it links a
/// template by a relative path.
pub fn linked_call(r: &Node, name: &str, template: usize) -> Option<ModuleCall> {
    let props = r.get("properties")?;
    let link = props.get("templateLink")?;
    let (source, span) = match link.get("relativePath") {
        Some(p) => (p.as_literal()?.to_string(), p.span),
        None => {
            let uri = link.get("uri")?;
            (relative_in(uri.as_expr()?)?, uri.span)
        }
    };
    let source = source.trim_start_matches("./").trim_start_matches('/');
    if source.is_empty() || source.contains("://") || source.split('/').any(|p| p == "..") {
        return None;
    }
    let args = props
        .get("parameters")
        .map(|p| {
            p.entries()
                .iter()
                .filter_map(|e| {
                    Some(Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: e.value.get("value")?.clone(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    // The deployment's name, or the path when the name is an expression.
    let name = if name.starts_with('[') { source } else { name };
    Some(ModuleCall {
        template,
        name: name.to_string(),
        span: r.span,
        source: source.to_string(),
        source_span: span,
        args,
    })
}

/// The relative path in a link built from the template's own location: the first literal ending
/// in `.json`, when the expression reads `deployment()` or `_artifactsLocation`.
fn relative_in(e: &Expr) -> Option<String> {
    let mut own_location = false;
    let mut path = None;
    e.walk(&mut |x| match x {
        Expr::Call { name, .. } if name.eq_ignore_ascii_case("deployment") => own_location = true,
        Expr::Param(p) if p.eq_ignore_ascii_case("_artifactsLocation") => own_location = true,
        Expr::Str(s) if path.is_none() && s.to_ascii_lowercase().ends_with(".json") => {
            path = Some(s.clone());
        }
        _ => {}
    });
    path.filter(|_| own_location)
}
