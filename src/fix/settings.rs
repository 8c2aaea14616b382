//! Identity-based settings in place of connection strings: the Functions host storage
//! (`AzureWebJobsStorage__accountName`) and Service Bus / Event Hubs connections
//! (`<Connection>__fullyQualifiedNamespace`), which the Functions host and the Azure SDK's
//! configuration binding read together with a managed identity.

use crate::analysis::connstr::{Found, Service, HOLE};
use crate::analysis::secrets::verbatim_offset;
use crate::ir::{Document, SettingSource};
use crate::source::{Format, Span};

use super::{Edit, Fix};

/// The fix for a connection string held by a setting: rename the setting `<name>__accountName` or
/// `<name>__fullyQualifiedNamespace` and keep only the account or namespace as its value. Where the
/// setting is a key of a nested JSON configuration (`appsettings.json`, not the `Values` of
/// `local.settings.json`), the value becomes an object with that member instead, which .NET
/// configuration reads as the same `<name>:fullyQualifiedNamespace`.
///
/// Only for literal strings written verbatim, for settings read as environment variables or
/// configuration keys (not `ConnectionStrings` entries, which code reads as whole strings).
pub fn identity_based_setting(
    text: &str,
    format: Format,
    doc: &Document,
    found: &Found,
) -> Option<Fix> {
    let service = found.service();
    let setting = doc
        .settings
        .iter()
        .find(|s| s.value.span == found.node.span)?;
    let (suffix, part, role) = match service {
        Service::Storage if setting.name.eq_ignore_ascii_case("AzureWebJobsStorage") => {
            let (_, p) = found.cs.get(&["accountname"])?;
            (
                "accountName",
                p,
                "Storage Blob Data Owner (and Storage Queue Data Contributor for queue triggers)",
            )
        }
        Service::ServiceBus | Service::EventHubs => {
            let (_, p) = found.cs.get(&["endpoint"])?;
            let role = if service == Service::ServiceBus {
                "Azure Service Bus Data Receiver / Data Sender"
            } else {
                "Azure Event Hubs Data Receiver / Data Sender"
            };
            ("fullyQualifiedNamespace", p, role)
        }
        _ => return None,
    };
    // The account or namespace host, as a range of the parsed text.
    let mut range = part.value_range.clone();
    let written = found.text.get(range.clone())?;
    if suffix == "fullyQualifiedNamespace" {
        if let Some(i) = written.find("://") {
            range.start += i + 3;
        }
        let host = found.text.get(range.clone())?;
        range.end -= host.len() - host.trim_end_matches('/').len();
    }
    let host = found.text.get(range.clone())?;
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c == HOLE || c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
    {
        return None;
    }
    // Where the string's text is written, and what to write there instead.
    let node = found.node.span;
    let raw = text.get(node.start..node.end)?;
    let (value_span, value) = if found.literal {
        let off = verbatim_offset(raw, &found.text)?;
        (
            Span::new(node.start + off, node.start + off + found.text.len()),
            host.to_string(),
        )
    } else if raw.starts_with("\"[") && raw.ends_with("]\"") && !raw.starts_with("\"[[") {
        // An ARM `[concat(…)]` expression: the range's pieces become the new expression.
        let inner = &raw[2..raw.len() - 2];
        let pieces = arm_concat_pieces(inner, &found.text)?;
        (
            Span::new(node.start + 1, node.end - 1),
            arm_expression_for(&pieces, range.clone())?,
        )
    } else {
        // A Terraform or Bicep string template: map the text back to the written string, where
        // each hole is a `${…}` and every other character is written as is.
        let quote = raw.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
        let map = template_map(inner, &found.text)?;
        let (a, b) = (map[range.start], map[range.end]);
        (
            Span::new(node.start + 1, node.end - 1),
            inner.get(a..b)?.to_string(),
        )
    };
    let new_name = format!("{}__{suffix}", setting.name);
    if doc
        .settings
        .iter()
        .any(|s| s.name.eq_ignore_ascii_case(&new_name))
    {
        return None;
    }
    let env_like = match setting.source {
        SettingSource::ConnectionString | SettingSource::ResourceConnectionString(_) => {
            return None
        }
        SettingSource::ResourceAppSetting(_) | SettingSource::Environment => true,
        SettingSource::AppConfig => match format {
            Format::Dotenv | Format::Yaml => true,
            Format::AppSettings | Format::Json => {
                setting.key.to_ascii_lowercase().starts_with("values:")
            }
            _ => return None,
        },
    };
    let mut edits = Vec::new();
    if env_like {
        // rename the key: insert the suffix after the name where the key is written
        let key = setting.key_span;
        if key == node || key.end > node.start && key.start < node.end {
            return None;
        }
        let key_text = text.get(key.start..key.end)?;
        let i = key_text.find(setting.name.as_str())?;
        if key_text[i + setting.name.len()..].contains(setting.name.as_str()) {
            return None;
        }
        edits.push(Edit::insert(
            key.start + i + setting.name.len(),
            format!("__{suffix}"),
        ));
        edits.push(Edit::new(value_span, value.clone()));
    } else {
        if format != Format::AppSettings && format != Format::Json {
            return None;
        }
        if !found.literal {
            return None;
        }
        edits.push(Edit::new(node, format!("{{ \"{suffix}\": \"{value}\" }}")));
    }
    let description = if env_like {
        format!("connect with a managed identity: `{new_name}` = `{value}` in place of the connection string")
    } else {
        format!(
            "connect with a managed identity: `{}:{suffix}` = `{value}` in place of the connection string",
            setting.name
        )
    };
    let mut follow_up = format!(
        "give the app a managed identity with the {role} role on `{value}`; \
         code that reads this setting as a connection string must build its client from \
         the {suffix} with DefaultAzureCredential; rotate the key"
    );
    if found.cs.get(&["entitypath"]).is_some() {
        follow_up.push_str("; name the event hub or queue in the trigger or client (the connection string's EntityPath is gone)");
    }
    Some(Fix::edits(edits, description).needs(follow_up))
}

/// For a string template written as `inner` (without its quotes) whose flattened text is `text`
/// (holes as [`HOLE`]): the offset in `inner` of every char boundary of `text` (and its end).
/// `None` unless every hole is one `${…}` and every other character is written as is (no escapes).
fn template_map(inner: &str, text: &str) -> Option<Vec<usize>> {
    let mut map = vec![0usize; text.len() + 1];
    let bytes = inner.as_bytes();
    let mut j = 0;
    for (i, c) in text.char_indices() {
        map[i] = j;
        if c == HOLE {
            if !inner[j..].starts_with("${") {
                return None;
            }
            // to the matching `}`, stepping over string literals inside the hole
            let mut depth = 0usize;
            let mut k = j + 1;
            loop {
                match bytes.get(k)? {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    &q @ (b'"' | b'\'') => {
                        k += 1;
                        while *bytes.get(k)? != q {
                            k += if bytes[k] == b'\\' { 2 } else { 1 };
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            j = k + 1;
        } else {
            let n = c.len_utf8();
            if inner.get(j..j + n)? != &text[i..i + n] || matches!(c, '\\' | '$' | '%') {
                return None;
            }
            j += n;
        }
    }
    map[text.len()] = j;
    (j == inner.len()).then_some(map)
}

/// CONN002's SQL fix: an ADO.NET SQL connection string assembled by an expression (ARM `concat()`,
/// a Bicep or Terraform string template) loses its `User ID` / `Password` parts and ends with
/// `Authentication=Active Directory Default`; the parts kept keep their expressions (the server
/// name, the database). The same parts are dropped as in CONN001's fix of a literal string.
pub fn sql_from_expression(text: &str, found: &Found, who: &str) -> Option<Fix> {
    use crate::analysis::connstr::{Form, SAFE_SQL_KEYS, SECRET_KEYS};
    if found.literal || found.service() != Service::Sql || found.cs.form != Form::KeyValue {
        return None;
    }
    // Only parts known to carry no secret are kept (as in CONN001's fix): a token in
    // `Application Name` or a second password under an unknown key is never copied.
    let kept_key = |key: &str| SAFE_SQL_KEYS.contains(&key.trim().to_ascii_lowercase().as_str());
    if !found
        .cs
        .parts
        .iter()
        .any(|p| SECRET_KEYS.contains(&p.key.to_ascii_lowercase().as_str()))
    {
        return None;
    }
    let kept: Vec<std::ops::Range<usize>> = found
        .cs
        .parts
        .iter()
        .filter(|p| kept_key(&p.key))
        .map(|p| p.range.clone())
        .collect();
    const AUTH: &str = "Authentication=Active Directory Default";
    let node = found.node.span;
    let raw = text.get(node.start..node.end)?;
    let inner_span = Span::new(node.start + 1, node.end - 1);
    let replacement = if raw.starts_with("\"[") && raw.ends_with("]\"") && !raw.starts_with("\"[[")
    {
        let pieces = arm_concat_pieces(&raw[2..raw.len() - 2], &found.text)?;
        let mut out: Vec<ArmPiece> = Vec::new();
        for r in &kept {
            out.extend(arm_pieces_in(&pieces, r.clone())?);
            out.push(ArmPiece::Text(";".into()));
        }
        out.push(ArmPiece::Text(AUTH.into()));
        render_arm_concat(&out)
    } else {
        let quote = raw.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
        let map = template_map(inner, &found.text)?;
        let mut out = String::new();
        for r in &kept {
            out.push_str(inner.get(map[r.start]..map[r.end])?);
            out.push(';');
        }
        out.push_str(AUTH);
        out
    };
    Some(
        Fix::new(
            inner_span,
            replacement,
            "connect with Microsoft Entra authentication (managed identity) instead of a password",
        )
        .needs(super::edit::sql_follow_up(who)),
    )
}

/// The pieces of a flattened ARM `concat()` that make up `range` of its text (holes whole).
fn arm_pieces_in<'a>(
    pieces: &[ArmPiece<'a>],
    range: std::ops::Range<usize>,
) -> Option<Vec<ArmPiece<'a>>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for p in pieces {
        let len = match p {
            ArmPiece::Text(t) => t.len(),
            ArmPiece::Hole(_) => HOLE.len_utf8(),
        };
        let (a, b) = (at.max(range.start), (at + len).min(range.end));
        if a < b {
            match p {
                ArmPiece::Text(t) => out.push(ArmPiece::Text(t.get(a - at..b - at)?.to_string())),
                ArmPiece::Hole(src) if a == at && b == at + len => out.push(ArmPiece::Hole(src)),
                ArmPiece::Hole(_) => return None,
            }
        }
        at += len;
    }
    Some(out)
}

/// `[concat('a', x, 'b')]` from pieces, adjacent text merged; `[x]` for one hole; the text itself
/// when there is no hole.
fn render_arm_concat(pieces: &[ArmPiece]) -> String {
    let mut args: Vec<String> = Vec::new();
    let mut text: Option<String> = None;
    for p in pieces {
        match p {
            ArmPiece::Text(t) => text.get_or_insert_with(String::new).push_str(t),
            ArmPiece::Hole(src) => {
                if let Some(t) = text.take() {
                    args.push(format!("'{}'", t.replace('\'', "''")));
                }
                args.push(src.to_string());
            }
        }
    }
    if let Some(t) = text.take() {
        args.push(format!("'{}'", t.replace('\'', "''")));
    }
    match args.as_slice() {
        [] => String::new(),
        [one] if !one.starts_with('\'') => format!("[{one}]"),
        // text alone: a literal string (a leading `[` written `[[`, as ARM escapes it)
        [_] => {
            let t: String = pieces
                .iter()
                .filter_map(|p| match p {
                    ArmPiece::Text(t) => Some(t.as_str()),
                    ArmPiece::Hole(_) => None,
                })
                .collect();
            if t.starts_with('[') {
                format!("[{t}")
            } else {
                t
            }
        }
        _ => format!("[concat({})]", args.join(", ")),
    }
}

/// A piece of an ARM `concat(…)` as written: a string literal's value, or an argument's source text.
#[derive(Debug, Clone, PartialEq)]
enum ArmPiece<'a> {
    Text(String),
    Hole(&'a str),
}

/// Splits `concat(a, 'b', …)` or `format(…)` (the text inside `[` `]`) into pieces, and checks that they
/// flatten to `text` (string literals as text, anything else as one [`HOLE`]).
fn arm_concat_pieces<'a>(inner: &'a str, text: &str) -> Option<Vec<ArmPiece<'a>>> {
    if inner.contains(['\\', '"']) {
        return None;
    }
    let open = inner.find('(')?;
    let function = inner[..open].trim();
    let format = function.eq_ignore_ascii_case("format");
    if !(format || function.eq_ignore_ascii_case("concat")) || !inner.ends_with(')') {
        return None;
    }
    let args = &inner[open + 1..inner.len() - 1];
    let mut pieces = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0usize);
    let bytes = args.as_bytes();
    let mut push = |a: &'a str| -> Option<()> {
        let t = a.trim();
        let lit = t.len() >= 2
            && t.starts_with('\'')
            && t.ends_with('\'')
            && !t[1..t.len() - 1].replace("''", "").contains('\'');
        pieces.push(if lit {
            ArmPiece::Text(t[1..t.len() - 1].replace("''", "'"))
        } else if t.is_empty() {
            return None;
        } else {
            ArmPiece::Hole(t)
        });
        Some(())
    };
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b'(' | b'[' if !quoted => depth += 1,
            b')' | b']' if !quoted => depth -= 1,
            b',' if !quoted && depth == 0 => {
                push(&args[start..i])?;
                start = i + 1;
            }
            _ => {}
        }
    }
    push(&args[start..])?;
    if depth != 0 || quoted {
        return None;
    }
    if format {
        pieces = format_pieces(&pieces)?;
    }
    let flat: String = pieces
        .iter()
        .map(|p| match p {
            ArmPiece::Text(t) => t.clone(),
            ArmPiece::Hole(_) => HOLE.to_string(),
        })
        .collect();
    (flat == text).then_some(pieces)
}

/// The pieces of `format('…{0}…', a, …)` given its arguments: `{{`/`}}` are braces, `{n}` the
/// argument (a placeholder with alignment or format is not followed).
fn format_pieces<'a>(args: &[ArmPiece<'a>]) -> Option<Vec<ArmPiece<'a>>> {
    let Some(ArmPiece::Text(fmt)) = args.first() else {
        return None;
    };
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut n = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    n.push(d);
                }
                let arg = args.get(n.trim().parse::<usize>().ok()? + 1)?.clone();
                match arg {
                    ArmPiece::Text(t) => text.push_str(&t),
                    hole => {
                        out.push(ArmPiece::Text(std::mem::take(&mut text)));
                        out.push(hole);
                    }
                }
            }
            '}' => return None,
            c => text.push(c),
        }
    }
    out.push(ArmPiece::Text(text));
    out.retain(|p| !matches!(p, ArmPiece::Text(t) if t.is_empty()));
    Some(out)
}

/// The ARM expression string (`[variables('sa')]`, `[concat(parameters('ns'), '.servicebus.windows.net')]`)
/// that yields the part of the flattened text in `range`; `None` for text alone.
fn arm_expression_for(pieces: &[ArmPiece], range: std::ops::Range<usize>) -> Option<String> {
    let sub = arm_pieces_in(pieces, range)?;
    if !sub.iter().any(|p| matches!(p, ArmPiece::Hole(_))) {
        return None;
    }
    Some(render_arm_concat(&sub))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_map_follows_holes() {
        let text = format!("a={HOLE};b");
        let inner = "a=${x.y[0]};b";
        let m = template_map(inner, &text).unwrap();
        assert_eq!(&inner[m[2]..m[2 + HOLE.len_utf8()]], "${x.y[0]}");
        assert_eq!(m[text.len()], inner.len());
        assert!(template_map("a=\\n", "a=\n").is_none());
        assert!(template_map("concat('a', x)", &text).is_none());
        let inner = "a=${f('}', x)};b";
        let m = template_map(inner, &text).unwrap();
        assert_eq!(&inner[m[2]..m[2 + HOLE.len_utf8()]], "${f('}', x)}");
    }

    #[test]
    fn arm_concat_parts_become_expressions() {
        let inner = "concat('Endpoint=sb://', variables('ns'), '.servicebus.windows.net/;SharedAccessKey=', listKeys(resourceId('a', 'b'), '2021-01-01').primaryKey)";
        let text = format!("Endpoint=sb://{HOLE}.servicebus.windows.net/;SharedAccessKey={HOLE}");
        let pieces = arm_concat_pieces(inner, &text).unwrap();
        assert_eq!(pieces.len(), 4);
        let start = text.find(HOLE).unwrap();
        let end = text.find("/;").unwrap();
        assert_eq!(
            arm_expression_for(&pieces, start..end).unwrap(),
            "[concat(variables('ns'), '.servicebus.windows.net')]"
        );
        assert_eq!(
            arm_expression_for(&pieces, start..start + HOLE.len_utf8()).unwrap(),
            "[variables('ns')]"
        );
        assert!(arm_concat_pieces("format('{0}', x)", &text).is_none());
        let inner = "format('Endpoint=sb://{0}.servicebus.windows.net/;SharedAccessKey={1}', variables('ns'), listKeys(resourceId('a', 'b'), '2021-01-01').primaryKey)";
        let pieces = arm_concat_pieces(inner, &text).unwrap();
        assert_eq!(
            arm_expression_for(&pieces, start..end).unwrap(),
            "[concat(variables('ns'), '.servicebus.windows.net')]"
        );
    }

    #[test]
    fn sql_expression_fix_drops_the_login_and_keeps_expressions() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "app",
      "identity": { "type": "SystemAssigned" },
      "properties": {
        "siteConfig": {
          "connectionStrings": [
            {
              "name": "Db",
              "type": "SQLAzure",
              "connectionString": "[concat('Server=tcp:', variables('sql'), '.database.windows.net,1433;Initial Catalog=app;User ID=', parameters('login'), ';Password=', parameters('pw'), ';Encrypt=True;')]"
            }
          ]
        }
      }
    }
  ]
}"#;
        let f = crate::testing::text_findings("azuredeploy.json", text, "CONN002");
        assert_eq!(f.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(
            fix.edits[0].replacement,
            "[concat('Server=tcp:', variables('sql'), '.database.windows.net,1433;Initial Catalog=app;Encrypt=True;Authentication=Active Directory Default')]"
        );
        assert_eq!(
            (fix.edits[0].start.line, fix.edits[0].start.column),
            (16, 36)
        );
        assert!(!fix.safety.is_safe());
        assert!(!fix.edits[0].replacement.contains("parameters('pw')"));
    }
}
