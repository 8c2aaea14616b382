//! A tolerant, line-level reading of text that no parser accepted: the lines of a broken file and
//! the text of comments. Each line's `key = value` pairs (`"Password": "…"`, `key="…" value="…"`,
//! `name=value`, `name: value`) become a map node, so the rules see a password-named setting or a
//! connection string where a parser would have put it; a line that is itself a connection string,
//! or holds no pair, stays one literal string for the pattern rules. Spans are exact: every value
//! is the raw text between its quotes (escapes are not decoded), at its place in the file.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Instant;

use crate::connstr;
use crate::ir::classify::classify_literal;
use crate::ir::{Entry, Expr, Node, NodeKind, Str, StrClass};
use crate::source::{Format, Span};

/// How many lines are read between two looks at the clock.
const CLOCK_EVERY: usize = 256;

thread_local! {
    /// The per-file deadline of the file this thread is parsing ([`Clock`]).
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Where the reading stopped at the deadline: the text (its address) and the offset.
    static STOPPED: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// Bounds the line reading of this thread by a file's deadline (`--file-timeout`) until it is
/// dropped (unwinding included): the scan sets it around a file's parse and checks, whose
/// signatures know no clock.
pub struct Clock {
    previous: (Option<Instant>, Option<(usize, usize)>),
}

impl Clock {
    pub fn start(deadline: Option<Instant>) -> Clock {
        Clock {
            previous: (
                DEADLINE.with(|d| d.replace(deadline)),
                STOPPED.with(|s| s.replace(None)),
            ),
        }
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        DEADLINE.with(|d| d.set(self.previous.0));
        STOPPED.with(|s| s.set(self.previous.1));
    }
}

/// Where the line reading of `text` stopped at the deadline, under the current [`Clock`]. The
/// deadline had passed by then, so the scan skips the rules and reports the bound (INPUT011),
/// naming this line too.
pub fn stopped_in(text: &str) -> Option<usize> {
    STOPPED
        .with(Cell::get)
        .filter(|(at, _)| *at == text.as_ptr() as usize)
        .map(|(_, offset)| offset)
}

/// The nodes of the lines of `text[from..to]` (offsets are the file's): one per line that holds
/// anything once comment markers are stripped. The reading looks at the file's clock ([`Clock`])
/// every [`CLOCK_EVERY`] lines and stops past the deadline, recording where ([`stopped_in`]).
pub fn lines(text: &str, from: usize, to: usize, format: Format) -> Vec<Node> {
    let mut out = Vec::new();
    let Some(region) = text.get(from..to) else {
        return out;
    };
    let deadline = DEADLINE.with(Cell::get);
    let mut offset = from;
    for (n, line) in region.split_inclusive('\n').enumerate() {
        if n.is_multiple_of(CLOCK_EVERY) && deadline.is_some_and(|d| Instant::now() >= d) {
            STOPPED.with(|s| {
                if s.get().is_none() {
                    s.set(Some((text.as_ptr() as usize, offset)));
                }
            });
            break;
        }
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let (s, e) = strip_markers(body);
        if s >= e {
            continue;
        }
        out.push(line_node(&body[s..e], start + s, format));
    }
    out
}

/// The part of a line inside comment markers and list dashes: `# a=1` → `a=1`, `<!-- x -->` → `x`,
/// ` * k: v` → `k: v`, `// - k: v` → `k: v`. Returns a byte range of `line`.
fn strip_markers(line: &str) -> (usize, usize) {
    let mut s = 0;
    let mut e = line.len();
    loop {
        let rest = &line[s..e];
        let trimmed = rest.trim_start();
        let mut t = rest.len() - trimmed.len();
        for m in ["<!--", "-->", "//", "/*", "*/", "#", "*", "- ", ";"] {
            if trimmed.starts_with(m) && !(m == "*" && trimmed.starts_with("*/")) {
                t += m.len();
                break;
            }
        }
        if t == 0 {
            break;
        }
        s += t;
    }
    loop {
        let rest = &line[s..e];
        let trimmed = rest.trim_end();
        let mut t = rest.len() - trimmed.len();
        for m in ["-->", "*/"] {
            if trimmed.ends_with(m) {
                t += m.len();
                break;
            }
        }
        if t == 0 {
            break;
        }
        e -= t;
    }
    (s, e.max(s))
}

/// One stripped line: a connection string on its own stays whole; otherwise its pairs, or the whole
/// line when it has none.
fn line_node(t: &str, base: usize, format: Format) -> Node {
    let quoted = t.contains(['"', '\'']);
    if !quoted && connstr::parse(t).is_some() {
        return Node::literal(Span::new(base, base + t.len()), t);
    }
    let entries = pairs(t, base, format);
    if entries.is_empty() {
        Node::literal(Span::new(base, base + t.len()), t)
    } else {
        Node::new(
            Span::new(base, base + t.len()),
            NodeKind::Map(Arc::from(entries)),
        )
    }
}

fn is_key_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c == b'@'
}

fn is_key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'$' | b'@')
}

/// The end of a quoted string starting at `b[i]` (its quote), past the closing quote; a
/// backslash escapes the next byte in double quotes.
fn quoted_end(b: &[u8], i: usize) -> Option<usize> {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == b'\\' && q == b'"' {
            j += 2;
            continue;
        }
        if b[j] == q {
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

/// The `key = value` / `key: value` pairs of a stripped line, left to right.
fn pairs(t: &str, base: usize, format: Format) -> Vec<Entry> {
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some((entry, next)) = pair_at(t, i, base, format) else {
            // step to the next place a key can start: a quote, or a key character after a
            // non-key character
            i += 1;
            while i < b.len()
                && !(matches!(b[i], b'"' | b'\'') || (is_key_start(b[i]) && !is_key_char(b[i - 1])))
            {
                i += 1;
            }
            continue;
        };
        out.push(entry);
        i = next;
    }
    out
}

/// A pair whose key starts at `t[i]`, and where reading goes on after it.
fn pair_at(t: &str, i: usize, base: usize, format: Format) -> Option<(Entry, usize)> {
    let b = t.as_bytes();
    // the key: quoted or bare
    let (key_range, key_quoted, mut j) = if matches!(b[i], b'"' | b'\'') {
        let end = quoted_end(b, i)?;
        (i + 1..end - 1, true, end)
    } else if is_key_start(b[i]) {
        let mut j = i + 1;
        while j < b.len() && is_key_char(b[j]) {
            j += 1;
        }
        (i..j, false, j)
    } else {
        return None;
    };
    if key_range.is_empty() {
        return None;
    }
    while j < b.len() && b[j] == b' ' || j < b.len() && b[j] == b'\t' {
        j += 1;
    }
    let sep = *b.get(j)?;
    if sep != b'=' && sep != b':' {
        return None;
    }
    j += 1;
    match (sep, b.get(j)) {
        // `==`, `=>`, `=~`, `::`, `://`
        (b'=', Some(b'=' | b'>' | b'~')) | (b':', Some(b':' | b'/')) => return None,
        // YAML and JSON put a space or a quote after the colon (`k: v`, `"k":"v"`)
        (b':', Some(c)) if !key_quoted && !c.is_ascii_whitespace() => return None,
        _ => {}
    }
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    let (value_range, value_quoted, next) = if j < b.len() && matches!(b[j], b'"' | b'\'') {
        let end = quoted_end(b, j)?;
        (j + 1..end - 1, true, end)
    } else {
        // an unquoted value is one token: passwords and connection strings hold no blank; a
        // quoted key (JSON) ends it at `,` too
        let mut k = j;
        let ends =
            |c: u8| c.is_ascii_whitespace() || matches!(c, b'}' | b']') || key_quoted && c == b',';
        while k < b.len() && !ends(b[k]) {
            k += 1;
        }
        if k == j {
            return None;
        }
        // `old: Password=x`: the value is itself a pair (and not a connection string)
        let token = t.get(j..k)?;
        if connstr::parse(token).is_none() {
            if let Some((inner, _)) = pair_at(token, 0, base + j, format) {
                return Some((inner, k));
            }
        }
        (j..k, false, k)
    };
    let key = t.get(key_range.clone())?;
    let raw = t.get(value_range.clone())?;
    let value_span = Span::new(base + value_range.start, base + value_range.end);
    let class = value_class(raw, value_quoted, format);
    Some((
        Entry {
            key: key.to_string(),
            key_span: Span::new(base + key_range.start, base + key_range.end),
            value: Node::new(
                value_span,
                NodeKind::Str(Str {
                    value: raw.to_string(),
                    class,
                }),
            ),
        },
        next,
    ))
}

/// What a recovered value is, in the file's own dialect: Terraform and Bicep write references
/// unquoted and interpolate with `${…}`; an ARM string in brackets is an expression; anything else
/// is classified as the parsers classify literals.
fn value_class(raw: &str, quoted: bool, format: Format) -> StrClass {
    let opaque = || StrClass::Expression(Expr::Other(Vec::new()));
    let hcl = matches!(
        format,
        Format::Terraform | Format::TerraformVars | Format::Bicep | Format::BicepParams
    );
    let arm = matches!(
        format,
        Format::ArmTemplate(_) | Format::ArmParameters | Format::Json
    );
    if hcl && (raw.contains("${") || !quoted && is_reference_shaped(raw)) {
        return opaque();
    }
    if arm && quoted && raw.starts_with('[') && raw.ends_with(']') && !raw.starts_with("[[") {
        return opaque();
    }
    classify_literal(raw)
}

/// True when an unquoted Terraform or Bicep value reads as a reference, not a literal: a name or
/// a path of names (`adminPassword`, `var.x`, `azurerm_storage_account.sa.primary_access_key`,
/// `kv.outputs.x[0]`), a call (`listKeys(sa.id, '2023-01-01').keys[0].value`), a number, `true`.
/// What else a comment gives unquoted (`primaryKey: <key>`, `password = Zx9-…`) is a value, read
/// as a `.env` line's is. A name part of 16 or more characters mixing upper case, lower case and
/// digits is a token, not a name.
fn is_reference_shaped(raw: &str) -> bool {
    let b = raw.as_bytes();
    let Some(&first) = b.first() else {
        return true;
    };
    if first.is_ascii_digit() {
        return b.iter().all(|c| c.is_ascii_digit() || *c == b'.');
    }
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return false;
    }
    // a call: the name before the parenthesis decides; what is inside is not a value
    let head = raw.split_once('(').map_or(raw, |(h, _)| h);
    if head.len() < raw.len() && !raw.contains(')') {
        return false;
    }
    let path_ok = head
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'[' | b']' | b'*'));
    path_ok
        && head.split(['.', '[', ']']).all(|seg| {
            let token = seg.len() >= 16
                && seg.bytes().any(|c| c.is_ascii_uppercase())
                && seg.bytes().any(|c| c.is_ascii_lowercase())
                && seg.bytes().any(|c| c.is_ascii_digit());
            !token
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_hcl_values_are_references_only_when_shaped_like_one() {
        for r in [
            "adminPassword",
            "var.client_secret",
            "azurerm_storage_account.sa.primary_access_key",
            "kv.outputs.secrets[0]",
            "sa.listKeys().keys[0].value",
            "random_password.admin.result",
            "true",
            "42",
        ] {
            assert!(is_reference_shaped(r), "{r}");
        }
        for v in [
            "Zx9-Lamp!post42",
            "abc+def/ghi=",
            "Fake~8Q~tfc0mment.s3cret",
            "ghpAbCdEf0123456789XyZ",
            "$(pipelineToken)",
        ] {
            assert!(!is_reference_shaped(v), "{v}");
        }
    }

    /// `(key, value)` of each pair of each line, with the value checked against its span.
    fn read(text: &str, format: Format) -> Vec<Vec<(String, String)>> {
        lines(text, 0, text.len(), format)
            .iter()
            .map(|n| match &n.kind {
                NodeKind::Map(entries) => entries
                    .iter()
                    .map(|e| {
                        let v = e.value.as_str().unwrap();
                        assert_eq!(&text[e.value.span.start..e.value.span.end], v.value);
                        assert_eq!(&text[e.key_span.start..e.key_span.end], e.key);
                        (e.key.clone(), v.value.clone())
                    })
                    .collect(),
                NodeKind::Str(s) => {
                    assert_eq!(&text[n.span.start..n.span.end], s.value);
                    vec![(String::new(), s.value.clone())]
                }
                _ => panic!("unexpected node"),
            })
            .collect()
    }

    fn kv(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn reads_the_pairs_of_every_dialect() {
        let text = "{\n  \"Password\": \"Fake-Pa55\",,\n  <add key=\"Smtp\" value='v 1' />\nDB_PASS=abc\n  user: me # note\n";
        assert_eq!(
            read(text, Format::AppSettings),
            vec![
                vec![kv("", "{")],
                vec![kv("Password", "Fake-Pa55")],
                vec![kv("key", "Smtp"), kv("value", "v 1")],
                vec![kv("DB_PASS", "abc")],
                vec![kv("user", "me")],
            ]
        );
    }

    #[test]
    fn comment_markers_are_stripped_and_connection_strings_stay_whole() {
        let text = "# Server=tcp:x,1433;Password=p1\n<!-- old: Password=p2 -->\n/* \"a\": \"b\" */\n // - k: v\n";
        assert_eq!(
            read(text, Format::Json),
            vec![
                vec![kv("", "Server=tcp:x,1433;Password=p1")],
                vec![kv("Password", "p2")],
                vec![kv("a", "b")],
                vec![kv("k", "v")],
            ]
        );
    }

    #[test]
    fn prose_urls_and_comparisons_are_not_pairs() {
        let text = "see https://example.com/x for more\nif a == b then\nTODO: rotate\n";
        assert_eq!(
            read(text, Format::Yaml),
            vec![
                vec![kv("", "see https://example.com/x for more")],
                vec![kv("", "if a == b then")],
                vec![kv("TODO", "rotate")],
            ]
        );
    }

    #[test]
    fn references_are_expressions_in_terraform_and_bicep() {
        let text = "password = var.admin\nsecret = \"${local.x}\"\nkey = \"Fake-K3y-0001\"\n";
        let nodes = lines(text, 0, text.len(), Format::Terraform);
        let class = |n: &Node| n.entries()[0].value.as_str().unwrap().class.clone();
        assert!(matches!(class(&nodes[0]), StrClass::Expression(_)));
        assert!(matches!(class(&nodes[1]), StrClass::Expression(_)));
        assert_eq!(class(&nodes[2]), StrClass::Literal);
    }

    /// Past the file's deadline the reading stops at a clock check and records where, for this
    /// text only; without a deadline, or before it, every line is read.
    #[test]
    fn the_reading_stops_at_the_deadline() {
        let text: String = (0..1000).map(|i| format!("k{i}=v{i}\n")).collect();
        let other = text.clone();
        assert_eq!(lines(&text, 0, text.len(), Format::Dotenv).len(), 1000);
        let future = Instant::now() + std::time::Duration::from_secs(3600);
        {
            let _clock = Clock::start(Some(future));
            assert_eq!(lines(&text, 0, text.len(), Format::Dotenv).len(), 1000);
            assert_eq!(stopped_in(&text), None);
        }
        {
            let _clock = Clock::start(Some(Instant::now()));
            assert!(lines(&text, 10, text.len(), Format::Dotenv).is_empty());
            assert_eq!(stopped_in(&text), Some(10));
            assert_eq!(stopped_in(&other), None);
            // a later region (another comment) keeps the first stop
            lines(&text, 40, text.len(), Format::Dotenv);
            assert_eq!(stopped_in(&text), Some(10));
        }
        // the clock is this thread's and ends with its guard
        assert_eq!(stopped_in(&text), None);
        assert_eq!(lines(&text, 0, text.len(), Format::Dotenv).len(), 1000);
    }
}
