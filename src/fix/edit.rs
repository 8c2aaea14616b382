//! Edit builders per syntax: what rules call to make their fixes. Each takes the file text and IR
//! nodes (with their exact spans) and returns edits, or `None` when the text around the spans is not
//! of a shape the builder can change without guessing (then the finding carries no fix).
//!
//! Inserted text follows the file: the indentation of the neighbouring member, the indentation unit
//! of the enclosing object, and the file's line ending.

use crate::ir::{Entry, Node, NodeKind};
use crate::source::{Format, Span};

use super::Edit;

/// What a person must do after the SQL connection string fix.
pub fn sql_follow_up(who: &str) -> String {
    format!(
        "give {who} a managed identity and create a database user for it \
         (`CREATE USER [<identity name>] FROM EXTERNAL PROVIDER`) with the roles it needs; rotate \
         the password"
    )
}

/// The syntax a file's objects are written in, which decides how an edit is spelled (not the same
/// as the IR's [`Dialect`](crate::ir::Dialect): Terraform JSON is Terraform written as JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// ARM templates and parameter files, Terraform JSON, appsettings and other JSON(C).
    Json,
    Bicep,
    /// Terraform native syntax.
    Hcl,
}

impl Syntax {
    /// The syntax fixes are written in for a file format; `None` for formats that are never
    /// rewritten as resource bodies (plans are generated, YAML/XML/.env have no resources).
    pub fn of(format: Format) -> Option<Syntax> {
        match format {
            Format::ArmTemplate(_)
            | Format::ArmParameters
            | Format::TerraformJson
            | Format::AppSettings
            | Format::Json => Some(Syntax::Json),
            Format::Bicep => Some(Syntax::Bicep),
            Format::Terraform | Format::TerraformVars => Some(Syntax::Hcl),
            _ => None,
        }
    }
}

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum EditValue<'a> {
    Bool(bool),
    Str(&'a str),
    /// An object (JSON, Bicep) or nested block (HCL), members in order.
    Map(Vec<(&'a str, EditValue<'a>)>),
}

/// `path` to `leaf` as nested maps: `nest(&["a", "b"], v)` is `{ a: { b: v } }` minus the outer map
/// (returns the value of `a`).
fn nest<'a>(path: &[&'a str], leaf: EditValue<'a>) -> EditValue<'a> {
    path.iter()
        .rev()
        .fold(leaf, |v, k| EditValue::Map(vec![(*k, v)]))
}

/// The text's line ending.
pub fn newline(text: &str) -> &'static str {
    // (a `\r` looked for first, with memchr: this reads the whole file once per fix, and most
    // files have none)
    let bytes = text.as_bytes();
    if memchr::memchr(b'\r', bytes).is_some() && memchr::memmem::find(bytes, b"\r\n").is_some() {
        "\r\n"
    } else {
        "\n"
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The whitespace at the start of the line holding `offset`.
fn indent_of(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let line = text.get(start..).unwrap_or("");
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

/// True when only whitespace precedes `offset` on its line.
fn first_on_line(text: &str, offset: usize) -> bool {
    text.get(line_start(text, offset)..offset)
        .is_some_and(|t| t.trim().is_empty())
}

/// The indentation unit of a map: the members' indentation minus the opening line's, else two spaces.
fn unit_of(text: &str, map: &Node, members: &[&Entry]) -> String {
    let base = indent_of(text, map.span.start);
    members
        .iter()
        .filter(|e| first_on_line(text, e.key_span.start))
        .map(|e| indent_of(text, e.key_span.start))
        .find_map(|i| i.strip_prefix(base).filter(|u| !u.is_empty()))
        .unwrap_or("  ")
        .to_string()
}

/// After a member's value: optional spaces, an optional comma, optional spaces, then the end of the
/// line or a comment running to it. Returns the comma's offset and where the line ends (before
/// `\r\n`/`\n`). `None` when anything else follows on the line.
fn rest_of_line(text: &str, from: usize, syntax: Syntax) -> Option<(Option<usize>, usize)> {
    if from > text.len() || !text.is_char_boundary(from) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = from;
    let skip = |mut i: usize| {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    i = skip(i);
    let mut comma = None;
    if i < bytes.len() && bytes[i] == b',' && syntax != Syntax::Hcl {
        comma = Some(i);
        i = skip(i + 1);
    }
    let eol = text[i..].find('\n').map_or(text.len(), |n| i + n);
    let eol = if eol > i && bytes.get(eol.wrapping_sub(1)) == Some(&b'\r') && eol < text.len() {
        eol - 1
    } else {
        eol
    };
    let rest = &text[i..eol];
    let comment = rest.starts_with("//")
        || (syntax == Syntax::Hcl && rest.starts_with('#'))
        || (rest.starts_with("/*")
            && rest.trim_end().ends_with("*/")
            && rest.matches("*/").count() == 1);
    (rest.trim().is_empty() || comment).then_some((comma, eol))
}

fn quote_json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn quote_bicep(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn quote_hcl(s: &str) -> String {
    quote_json(s).replace("${", "$${").replace("%{", "%%{")
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// Renders a value for a member indented by `indent`.
pub fn render(syntax: Syntax, value: &EditValue, indent: &str, unit: &str, nl: &str) -> String {
    match value {
        EditValue::Bool(b) => b.to_string(),
        EditValue::Str(s) => match syntax {
            Syntax::Json => quote_json(s),
            Syntax::Bicep => quote_bicep(s),
            Syntax::Hcl => quote_hcl(s),
        },
        EditValue::Map(members) => {
            let inner = format!("{indent}{unit}");
            let sep = if syntax == Syntax::Json {
                format!(",{nl}")
            } else {
                nl.to_string()
            };
            let body: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{inner}{}", member(syntax, k, v, &inner, unit, nl)))
                .collect();
            format!("{{{nl}{}{nl}{indent}}}", body.join(&sep))
        }
    }
}

/// One member: `"key": value`, `key: value`, `key = value` or an HCL block `key { … }`.
pub fn member(
    syntax: Syntax,
    key: &str,
    value: &EditValue,
    indent: &str,
    unit: &str,
    nl: &str,
) -> String {
    let v = render(syntax, value, indent, unit, nl);
    match syntax {
        Syntax::Json => format!("{}: {v}", quote_json(key)),
        Syntax::Bicep if is_ident(key) => format!("{key}: {v}"),
        Syntax::Bicep => format!("{}: {v}", quote_bicep(key)),
        Syntax::Hcl if matches!(value, EditValue::Map(_)) => format!("{key} {v}"),
        Syntax::Hcl => format!("{key} = {v}"),
    }
}

/// JSON rendered on one line: `{ "a": { "b": true } }`.
fn render_inline_json(value: &EditValue) -> String {
    match value {
        EditValue::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", quote_json(k), render_inline_json(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        other => render(Syntax::Json, other, "", "", "\n"),
    }
}

/// The members written inside a map's braces (Bicep resource bodies also hold members the parser
/// made up, such as `type`, whose spans lie outside the braces).
fn members_of(map: &Node) -> Vec<&Entry> {
    map.entries()
        .iter()
        .filter(|e| map.span.start < e.key_span.start && e.value.span.end <= map.span.end)
        .collect()
}

/// Adds `key: value` to a map written in the file, after the first member named in `after` that it
/// has (else after its last member), on a line of its own at that member's indentation. `None` when
/// the map already has the key, is not written as braces, or its text is of an unusual shape.
pub fn add_member(
    text: &str,
    syntax: Syntax,
    map: &Node,
    key: &str,
    value: &EditValue,
    after: &[&str],
) -> Option<Vec<Edit>> {
    if !map.is_map() || map.entry(key).is_some() {
        return None;
    }
    let nl = newline(text);
    let members = members_of(map);
    let unit = unit_of(text, map, &members);
    let Some(anchor) = after
        .iter()
        .find_map(|a| members.iter().find(|e| e.key.eq_ignore_ascii_case(a)))
        .or(members.last())
        .copied()
    else {
        // an empty map: `{}` or `{` and `}` with only whitespace between
        let (open, close) = (map.span.start, map.span.end.checked_sub(1)?);
        if text.as_bytes().get(open) != Some(&b'{')
            || text.as_bytes().get(close) != Some(&b'}')
            || !text.get(open + 1..close)?.trim().is_empty()
        {
            return None;
        }
        let base = indent_of(text, open);
        let inner = format!("{base}{unit}");
        let m = member(syntax, key, value, &inner, &unit, nl);
        return Some(vec![Edit::new(
            Span::new(open + 1, close),
            format!("{nl}{inner}{m}{nl}{base}"),
        )]);
    };
    let value_end = anchor.value.span.end;
    if !first_on_line(text, anchor.key_span.start) {
        // members written on one line: only JSON has a comma syntax we can extend safely
        if syntax != Syntax::Json {
            return None;
        }
        let m = format!("{}: {}", quote_json(key), render_inline_json(value));
        return Some(vec![Edit::insert(value_end, format!(", {m}"))]);
    }
    let (comma, eol) = rest_of_line(text, value_end, syntax)?;
    let indent = indent_of(text, anchor.key_span.start);
    let m = member(syntax, key, value, indent, &unit, nl);
    Some(match (syntax, comma) {
        (Syntax::Json, Some(_)) | (Syntax::Bicep, Some(_)) => {
            vec![Edit::insert(eol, format!("{nl}{indent}{m},"))]
        }
        (Syntax::Json, None) if eol == value_end => {
            vec![Edit::insert(value_end, format!(",{nl}{indent}{m}"))]
        }
        (Syntax::Json, None) => vec![
            Edit::insert(value_end, ","),
            Edit::insert(eol, format!("{nl}{indent}{m}")),
        ],
        _ => vec![Edit::insert(eol, format!("{nl}{indent}{m}"))],
    })
}

/// Replaces a value node with a scalar.
pub fn set_value(text: &str, syntax: Syntax, node: &Node, value: &EditValue) -> Option<Edit> {
    if matches!(value, EditValue::Map(_)) || text.get(node.span.start..node.span.end)?.is_empty() {
        return None;
    }
    Some(Edit::new(
        node.span,
        render(syntax, value, "", "", newline(text)),
    ))
}

/// Sets `path` under a map to a scalar: replaces the value when the path exists, else adds the
/// missing part (`properties: { allowSharedKeyAccess: false }`) with [`add_member`]. A step that
/// lands on a list (Terraform JSON blocks) continues into its first item; a step that lands on an
/// expression gives `None`.
pub fn set_path(
    text: &str,
    syntax: Syntax,
    root: &Node,
    path: &[&str],
    value: EditValue,
    after: &[&str],
) -> Option<Vec<Edit>> {
    let mut cur = root;
    for (i, k) in path.iter().enumerate() {
        if let NodeKind::List(items) = &cur.kind {
            cur = items.first()?;
        }
        if !cur.is_map() {
            return None;
        }
        match cur.entry(k) {
            Some(e) if i + 1 == path.len() => {
                if node_is(&e.value, &value) {
                    return None;
                }
                return set_value(text, syntax, &e.value, &value).map(|e| vec![e]);
            }
            Some(e) => cur = &e.value,
            None => {
                let v = nest(&path[i + 1..], value);
                let after = if i == 0 { after } else { &[] };
                return add_member(text, syntax, cur, k, &v, after);
            }
        }
    }
    None
}

/// True when the node already holds the scalar.
fn node_is(node: &Node, value: &EditValue) -> bool {
    match value {
        EditValue::Bool(b) => matches!(node.kind, NodeKind::Bool(x) if x == *b),
        EditValue::Str(s) => node.as_text() == Some(s),
        EditValue::Map(_) => false,
    }
}

/// The offset of the JSON key (its opening quote) whose value starts at `value_start`.
fn json_key_before(text: &str, value_start: usize) -> Option<usize> {
    let before = text
        .get(..value_start)?
        .trim_end_matches([' ', '\t', '\r', '\n']);
    let before = before
        .strip_suffix(':')?
        .trim_end_matches([' ', '\t', '\r', '\n']);
    let inner = before.strip_suffix('"')?;
    let open = inner.rfind('"')?;
    (!inner[..open].ends_with('\\')).then_some(open)
}

/// Deletes a JSON member (`"key": value`) with its comma: the whole lines when it stands on lines of
/// its own, else just its text.
pub fn remove_json_member(text: &str, key_start: usize, value_end: usize) -> Option<Edit> {
    let bytes = text.as_bytes();
    let mut i = value_end;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    if bytes.get(i) == Some(&b',') {
        // not the last member: take the comma, and the line break when the member has lines of its own
        let mut end = i + 1;
        let own_line = first_on_line(text, key_start);
        if own_line {
            if let Some((_, eol)) = rest_of_line(text, end, Syntax::Json) {
                if text[end..eol].trim().is_empty() {
                    end = eol + newline_len(text, eol);
                    return Some(Edit::delete(Span::new(line_start(text, key_start), end)));
                }
            }
        }
        let mut e = end;
        while e < bytes.len() && matches!(bytes[e], b' ' | b'\t') {
            e += 1;
        }
        return Some(Edit::delete(Span::new(key_start, e)));
    }
    if bytes.get(i) != Some(&b'}') {
        return None;
    }
    // the last member: take the comma before it, or it is the only member
    let before = text[..key_start].trim_end_matches([' ', '\t', '\r', '\n']);
    if let Some(comma) = before.strip_suffix(',') {
        return Some(Edit::delete(Span::new(comma.len(), value_end)));
    }
    if before.ends_with('{') {
        return Some(Edit::delete(Span::new(key_start, value_end)));
    }
    None
}

fn newline_len(text: &str, eol: usize) -> usize {
    if text[eol..].starts_with("\r\n") {
        2
    } else {
        usize::from(text[eol..].starts_with('\n'))
    }
}

/// How to mark a parameter secure when removing its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkSecure {
    /// Already secure (`securestring`, `@secure()`, `sensitive = true`).
    No,
    /// ARM `"type": "string"`/`"object"` → `securestring`/`secureObject`; Bicep `@secure()`;
    /// Terraform `sensitive = true`.
    Yes,
}

/// Removes a parameter's literal default (ARM `defaultValue`, Bicep `= value`, Terraform
/// `default = …`) and, when asked, marks the parameter secure. `decl` is the declaration's span,
/// `name` the name's span, `default` the default value node.
pub fn remove_default(
    text: &str,
    syntax: Syntax,
    decl: Span,
    name: Span,
    default: &Node,
    mark: MarkSecure,
) -> Option<Vec<Edit>> {
    let value = default.span;
    let nl = newline(text);
    match syntax {
        Syntax::Json => {
            let key = json_key_before(text, value.start)?;
            if !text[key..].starts_with("\"defaultValue\"") {
                return None;
            }
            let mut edits = vec![remove_json_member(text, key, value.end)?];
            if mark == MarkSecure::Yes {
                edits.push(json_secure_type(text, decl)?);
            }
            Some(edits)
        }
        Syntax::Bicep => {
            let before = text.get(..value.start)?.trim_end_matches([' ', '\t']);
            let eq = before.strip_suffix('=')?.trim_end_matches([' ', '\t']);
            if eq.ends_with(['\n', '\r']) || eq.len() < name.end {
                return None;
            }
            let mut edits = vec![Edit::delete(Span::new(eq.len(), value.end))];
            if mark == MarkSecure::Yes {
                let start = line_start(text, name.start);
                if !text[start..].trim_start().starts_with("param") {
                    return None;
                }
                let indent = indent_of(text, name.start);
                edits.push(Edit::insert(start, format!("{indent}@secure(){nl}")));
            }
            Some(edits)
        }
        Syntax::Hcl => {
            let before = text.get(..value.start)?.trim_end_matches([' ', '\t']);
            let key = before
                .strip_suffix('=')?
                .trim_end_matches([' ', '\t'])
                .strip_suffix("default")?
                .len();
            let sensitive = if mark == MarkSecure::Yes {
                match hcl_attribute_value(text, decl, "sensitive") {
                    // `sensitive = false` written: turn it on there
                    Some(v) => {
                        return Some(vec![
                            hcl_delete_attribute(text, key, value.end, None)?,
                            Edit::new(v, "true"),
                        ])
                    }
                    None => Some("sensitive = true"),
                }
            } else {
                None
            };
            Some(vec![hcl_delete_attribute(text, key, value.end, sensitive)?])
        }
    }
}

/// Deletes an HCL attribute (its whole line when it has one of its own), optionally writing
/// `replacement` in its place at the same indentation.
fn hcl_delete_attribute(
    text: &str,
    key: usize,
    value_end: usize,
    replacement: Option<&str>,
) -> Option<Edit> {
    let (_, eol) = rest_of_line(text, value_end, Syntax::Hcl)?;
    if first_on_line(text, key) && text[value_end..eol].trim().is_empty() {
        let start = line_start(text, key);
        let end = eol + newline_len(text, eol);
        let indent = indent_of(text, key);
        let nl = newline(text);
        return Some(Edit::new(
            Span::new(start, end),
            replacement.map_or(String::new(), |r| format!("{indent}{r}{nl}")),
        ));
    }
    Some(Edit::new(
        Span::new(key, value_end),
        replacement.unwrap_or("").to_string(),
    ))
}

/// The span of `name = <value>`'s value on its own line inside a block's text (one level deep is
/// enough for `variable` blocks, which hold no nested blocks with such attributes).
fn hcl_attribute_value(text: &str, block: Span, name: &str) -> Option<Span> {
    let body = text.get(block.start..block.end)?;
    let mut offset = block.start;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(name) {
            let r = rest.trim_start();
            if let Some(v) = r.strip_prefix('=') {
                let v = v.trim();
                let at = offset + (line.len() - t.len()) + name.len() + (rest.len() - r.len()) + 1;
                let start = at + text.get(at..)?.find(v)?;
                return Some(Span::new(start, start + v.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// Terraform JSON: removes `"default": …` from a variable object, writing `"sensitive": true` in its
/// place when asked.
pub fn remove_tf_json_default(
    text: &str,
    decl: Span,
    default: &Node,
    mark: MarkSecure,
) -> Option<Vec<Edit>> {
    let key = json_key_before(text, default.span.start)?;
    if !text[key..].starts_with("\"default\"") {
        return None;
    }
    if mark == MarkSecure::No {
        return Some(vec![remove_json_member(text, key, default.span.end)?]);
    }
    if text.get(decl.start..decl.end)?.contains("\"sensitive\"") {
        return None;
    }
    Some(vec![Edit::new(
        Span::new(key, default.span.end),
        "\"sensitive\": true",
    )])
}

/// The ARM parameter's `"type": "string"` / `"object"` value turned into its secure form.
fn json_secure_type(text: &str, decl: Span) -> Option<Edit> {
    let body = text.get(decl.start..decl.end)?;
    let mut found = None;
    for (i, _) in body.match_indices("\"type\"") {
        let rest = &body[i + 6..];
        let r = rest.trim_start().strip_prefix(':')?.trim_start();
        let at = decl.start + i + 6 + (rest.len() - r.len());
        for (word, secure) in [
            ("\"string\"", "\"securestring\""),
            ("\"object\"", "\"secureObject\""),
        ] {
            if r.get(..word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
            {
                if found.is_some() {
                    return None;
                }
                found = Some(Edit::new(Span::new(at, at + word.len()), secure));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{apply, Fix};
    use crate::source::{DeploymentScope, SourceFile};

    fn parse(name: &str, text: &str, format: Format) -> crate::ir::Document {
        let f = SourceFile::new(name.into(), name.into(), text.into(), format);
        let p = crate::parse::parse(&f);
        assert!(p.doc.problems.is_empty(), "{:?}\n{text}", p.doc.problems);
        p.doc
    }

    fn run(text: &str, edits: Vec<Edit>) -> String {
        apply(text, &[&Fix::edits(edits, "t")]).text
    }

    #[test]
    fn json_member_after_anchor_keeps_indentation() {
        let text = "{\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.Web/sites\",\n      \"name\": \"a\", // the app\n      \"location\": \"westeurope\"\n    }\n  ]\n}\n";
        let doc = parse(
            "azuredeploy.json",
            text,
            Format::ArmTemplate(DeploymentScope::ResourceGroup),
        );
        let r = &doc.resources[0];
        let v = EditValue::Map(vec![("type", EditValue::Str("SystemAssigned"))]);
        let out = run(
            text,
            add_member(text, Syntax::Json, &r.body, "identity", &v, &["name"]).unwrap(),
        );
        assert_eq!(out, "{\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.Web/sites\",\n      \"name\": \"a\", // the app\n      \"identity\": {\n        \"type\": \"SystemAssigned\"\n      },\n      \"location\": \"westeurope\"\n    }\n  ]\n}\n");
        // after the last member: a comma after its value
        let out = run(
            text,
            add_member(text, Syntax::Json, &r.body, "identity", &v, &["location"]).unwrap(),
        );
        assert!(out.contains("\"location\": \"westeurope\",\n      \"identity\": {\n        \"type\": \"SystemAssigned\"\n      }\n    }"), "{out}");
    }

    #[test]
    fn set_path_adds_nested_members_in_every_syntax() {
        let json =
            "{\"resources\": [{\"type\": \"Microsoft.Storage/storageAccounts\", \"name\": \"s\"}]}";
        let doc = parse(
            "azuredeploy.json",
            json,
            Format::ArmTemplate(DeploymentScope::ResourceGroup),
        );
        let e = set_path(
            json,
            Syntax::Json,
            &doc.resources[0].body,
            &["properties", "allowSharedKeyAccess"],
            EditValue::Bool(false),
            &[],
        )
        .unwrap();
        assert_eq!(run(json, e), "{\"resources\": [{\"type\": \"Microsoft.Storage/storageAccounts\", \"name\": \"s\", \"properties\": { \"allowSharedKeyAccess\": false }}]}");

        let bicep = "resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n\tname: 's'\n\tproperties: {\n\t\tminimumTlsVersion: 'TLS1_2' // tls\n\t}\n}\n";
        let doc = parse("main.bicep", bicep, Format::Bicep);
        let e = set_path(
            bicep,
            Syntax::Bicep,
            &doc.resources[0].body,
            &["properties", "allowSharedKeyAccess"],
            EditValue::Bool(false),
            &[],
        )
        .unwrap();
        assert_eq!(run(bicep, e), "resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n\tname: 's'\n\tproperties: {\n\t\tminimumTlsVersion: 'TLS1_2' // tls\n\t\tallowSharedKeyAccess: false\n\t}\n}\n");

        let hcl = "resource \"azurerm_postgresql_flexible_server\" \"p\" {\n  name = \"p\"\n}\n";
        let doc = parse("main.tf", hcl, Format::Terraform);
        let e = set_path(
            hcl,
            Syntax::Hcl,
            &doc.resources[0].body,
            &["authentication", "password_auth_enabled"],
            EditValue::Bool(false),
            &[],
        )
        .unwrap();
        assert_eq!(run(hcl, e), "resource \"azurerm_postgresql_flexible_server\" \"p\" {\n  name = \"p\"\n  authentication {\n    password_auth_enabled = false\n  }\n}\n");
    }

    #[test]
    fn set_path_replaces_an_existing_value_and_fills_empty_maps() {
        let hcl = "resource \"azurerm_storage_account\" \"a\" {\n  shared_access_key_enabled = true # on\n}\nresource \"azurerm_storage_account\" \"b\" {}\n";
        let doc = parse("main.tf", hcl, Format::Terraform);
        let a = set_path(
            hcl,
            Syntax::Hcl,
            &doc.resources[0].body,
            &["shared_access_key_enabled"],
            EditValue::Bool(false),
            &[],
        )
        .unwrap();
        let b = set_path(
            hcl,
            Syntax::Hcl,
            &doc.resources[1].body,
            &["shared_access_key_enabled"],
            EditValue::Bool(false),
            &[],
        )
        .unwrap();
        let out = apply(hcl, &[&Fix::edits(a, "a"), &Fix::edits(b, "b")]).text;
        assert_eq!(out, "resource \"azurerm_storage_account\" \"a\" {\n  shared_access_key_enabled = false # on\n}\nresource \"azurerm_storage_account\" \"b\" {\n  shared_access_key_enabled = false\n}\n");
    }

    #[test]
    fn json_member_removal() {
        let t = "{\n  \"a\": {\n    \"type\": \"securestring\",\n    \"defaultValue\": \"x\",\n    \"metadata\": {}\n  }\n}";
        let k = t.find("\"defaultValue\"").unwrap();
        let v = t.find("\"x\"").unwrap() + 3;
        assert_eq!(
            run(t, vec![remove_json_member(t, k, v).unwrap()]),
            "{\n  \"a\": {\n    \"type\": \"securestring\",\n    \"metadata\": {}\n  }\n}"
        );
        let t = "{ \"type\": \"string\", \"defaultValue\": \"x\" }";
        let k = t.find("\"defaultValue\"").unwrap();
        let v = t.find("\"x\"").unwrap() + 3;
        assert_eq!(
            run(t, vec![remove_json_member(t, k, v).unwrap()]),
            "{ \"type\": \"string\" }"
        );
        let t = "{ \"defaultValue\": \"x\" }";
        assert_eq!(
            run(t, vec![remove_json_member(t, 2, t.len() - 2).unwrap()]),
            "{  }"
        );
    }

    /// The text after removing the first parameter's default and marking it secure.
    fn removed_and_secure(name: &str, text: &str, format: Format, syntax: Syntax) -> String {
        let doc = parse(name, text, format);
        let p = &doc.params[0];
        let e = remove_default(
            text,
            syntax,
            p.span,
            p.name_span,
            p.default.as_ref().unwrap(),
            MarkSecure::Yes,
        )
        .unwrap();
        run(text, e)
    }

    #[test]
    fn defaults_removed_and_marked_secure() {
        let json = "{\n  \"parameters\": {\n    \"adminPassword\": {\n      \"type\": \"String\",\n      \"defaultValue\": \"x\"\n    }\n  },\n  \"resources\": []\n}\n";
        let arm = Format::ArmTemplate(DeploymentScope::ResourceGroup);
        assert_eq!(removed_and_secure("azuredeploy.json", json, arm, Syntax::Json), "{\n  \"parameters\": {\n    \"adminPassword\": {\n      \"type\": \"securestring\"\n    }\n  },\n  \"resources\": []\n}\n");

        let bicep = "  param adminPassword string = 'x' // pw\n";
        assert_eq!(
            removed_and_secure("main.bicep", bicep, Format::Bicep, Syntax::Bicep),
            "  @secure()\n  param adminPassword string // pw\n"
        );

        let hcl = "variable \"pw\" {\r\n  type    = string\r\n  default = \"x\"\r\n}\r\n";
        assert_eq!(
            removed_and_secure("main.tf", hcl, Format::Terraform, Syntax::Hcl),
            "variable \"pw\" {\r\n  type    = string\r\n  sensitive = true\r\n}\r\n"
        );

        let hcl = "variable \"pw\" {\n  sensitive = false\n  default = \"x\"\n}\n";
        assert_eq!(
            removed_and_secure("main.tf", hcl, Format::Terraform, Syntax::Hcl),
            "variable \"pw\" {\n  sensitive = true\n}\n"
        );
    }
}
