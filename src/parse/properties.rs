//! Java `.properties` files (Spring Boot `application*.properties`) into the IR, through a small
//! hand-written line lexer.
//!
//! The format (java.util.Properties): a logical line is `key=value`, `key: value` or
//! `key value` (the first unescaped `=`, `:` or blank ends the key; blanks around the separator
//! are dropped); `#` and `!` start a comment only as a line's first non-blank character, so
//! `password=a#b` holds `a#b`; a line ending in an odd number of backslashes continues on the
//! next (the next line's leading blanks dropped); `\t`, `\n`, `\r`, `\f`, `\uXXXX` and `\<c>`
//! (any other character as itself) are escapes in keys and values.
//!
//! The root is a map of the properties; each is also an `AppConfig` [`Setting`](crate::ir::Setting) whose key is the
//! dotted name (`spring.datasource.password`). A value's span is its raw text in the file (all
//! of it across continuation lines). A malformed escape (`\u` without four hex digits) is a syntax
//! problem at its position; the value keeps the text as written and lexing goes on.

use crate::ir::classify::classify_literal;
use crate::ir::{Comment, Document, Entry, InputProblem, InputProblemKind, Node, NodeKind, Str};
use crate::source::{SourceFile, Span};

pub fn parse(file: &SourceFile) -> Document {
    let text = file.text.as_str();
    let mut doc = Document::default();
    let mut entries: Vec<Entry> = Vec::new();
    let b = text.as_bytes();
    let mut i = file.bom_len();
    while i < b.len() {
        i = line(text, i, &mut doc, &mut entries);
    }
    doc.settings = super::app_config_settings(&entries);
    doc.root = Some(Node::new(
        Span::new(file.bom_len(), text.len()),
        NodeKind::Map(entries.into()),
    ));
    doc
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\x0c')
}

/// The end of the physical line containing `i` (its `\n` or the text's end), before any `\r`.
fn line_end(b: &[u8], i: usize) -> (usize, usize) {
    let nl = b[i..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(b.len(), |p| i + p);
    let content = if nl > i && b[nl - 1] == b'\r' {
        nl - 1
    } else {
        nl
    };
    (content, nl)
}

/// True when the line content `[start, end)` ends in an odd number of backslashes (a
/// continuation).
fn continues(b: &[u8], start: usize, end: usize) -> bool {
    let n = b[start..end]
        .iter()
        .rev()
        .take_while(|c| **c == b'\\')
        .count();
    n % 2 == 1
}

/// Lexes the logical line starting at `start`; returns where the next one starts.
fn line(text: &str, start: usize, doc: &mut Document, entries: &mut Vec<Entry>) -> usize {
    let b = text.as_bytes();
    let (content_end, nl) = line_end(b, start);
    let mut p = start;
    while p < content_end && is_blank(b[p]) {
        p += 1;
    }
    if p >= content_end {
        return nl + 1;
    }
    if b[p] == b'#' || b[p] == b'!' {
        doc.comments.push(Comment {
            span: Span::new(p, content_end),
            text: text.get(p + 1..content_end).unwrap_or("").to_string(),
        });
        return nl + 1;
    }
    // The logical line: physical pieces joined at continuations, each with its offset.
    let mut pieces: Vec<(usize, usize)> = vec![(p, content_end)];
    let mut next = nl + 1;
    let mut last_end = content_end;
    while continues(b, pieces[pieces.len() - 1].0, last_end) && next < b.len() {
        let (e, n) = line_end(b, next);
        let mut q = next;
        while q < e && is_blank(b[q]) {
            q += 1;
        }
        pieces.push((q, e));
        last_end = e;
        next = n + 1;
    }
    // Raw characters with their offsets (continuation backslashes left out).
    let mut raw: Vec<(usize, u8)> = Vec::new();
    let count = pieces.len();
    for (k, (s, e)) in pieces.into_iter().enumerate() {
        let e = if k + 1 < count { e - 1 } else { e };
        raw.extend((s..e).map(|o| (o, b[o])));
    }
    // The key: up to the first unescaped separator or blank.
    let mut j = 0;
    while j < raw.len() {
        let c = raw[j].1;
        if c == b'\\' {
            j += 2;
            continue;
        }
        if c == b'=' || c == b':' || is_blank(c) {
            break;
        }
        j += 1;
    }
    let key_end = j.min(raw.len());
    let key_raw = &raw[..key_end];
    // The separator: blanks, at most one `=` or `:`, blanks.
    while j < raw.len() && is_blank(raw[j].1) {
        j += 1;
    }
    if j < raw.len() && (raw[j].1 == b'=' || raw[j].1 == b':') {
        j += 1;
    }
    while j < raw.len() && is_blank(raw[j].1) {
        j += 1;
    }
    let value_raw = &raw[j.min(raw.len())..];
    let key = unescape(text, key_raw, doc);
    let key_span = span_of(key_raw, start);
    let value = unescape(text, value_raw, doc);
    let value_span = span_of(value_raw, key_span.end);
    let class = classify_literal(&value);
    entries.push(Entry {
        key,
        key_span,
        value: Node::new(value_span, NodeKind::Str(Str { value, class })),
    });
    next
}

/// The span from the first to the last raw character (empty at `at` when there are none).
fn span_of(raw: &[(usize, u8)], at: usize) -> Span {
    match (raw.first(), raw.last()) {
        (Some(f), Some(l)) => Span::new(f.0, l.0 + 1),
        _ => Span::new(at, at),
    }
}

/// Resolves the escapes of a key or value given as raw bytes with their offsets.
fn unescape(text: &str, raw: &[(usize, u8)], doc: &mut Document) -> String {
    let mut bytes: Vec<u8> = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        let (at, c) = raw[k];
        if c != b'\\' {
            bytes.push(c);
            k += 1;
            continue;
        }
        let Some(&(_, e)) = raw.get(k + 1) else {
            k += 1;
            continue;
        };
        match e {
            b't' => bytes.push(b'\t'),
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b'f' => bytes.push(b'\x0c'),
            b'u' => {
                let hex: Vec<u8> = raw.iter().skip(k + 2).take(4).map(|x| x.1).collect();
                let code = std::str::from_utf8(&hex)
                    .ok()
                    .filter(|h| h.len() == 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                match code {
                    Some(ch) => {
                        let mut buf = [0u8; 4];
                        bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        k += 6;
                        continue;
                    }
                    None => {
                        let end = (at + 2).min(text.len());
                        doc.problems.push(InputProblem {
                            kind: InputProblemKind::Syntax,
                            span: Span::new(at, end).on_char_boundaries(text),
                            message: "invalid .properties escape: `\\u` needs four hex digits"
                                .to_string(),
                        });
                        bytes.extend_from_slice(b"\\u");
                    }
                }
            }
            other => bytes.push(other),
        }
        k += 2;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, parse_text, setting};

    fn file(text: &str) -> crate::source::SourceFile {
        crate::source::SourceFile::new(
            "application.properties".into(),
            "application.properties".into(),
            text.into(),
            crate::source::Format::Properties,
        )
    }

    #[test]
    fn separators_comments_and_continuations() {
        let text = "# comment\n! also\nspring.datasource.url = jdbc:postgresql://db/app\n\
                    spring.datasource.username: app\nspring.datasource.password=a#b!c\n\
                    server.port 8080\nlong.value=one, \\\n    two\nempty=\nescaped\\:key=v\\u0041\n";
        let doc = parse_text("application.properties", text);
        let f = file(text);
        assert_eq!(
            setting(&doc, "spring.datasource.url").value.as_literal(),
            Some("jdbc:postgresql://db/app")
        );
        assert_eq!(
            setting(&doc, "spring.datasource.username")
                .value
                .as_literal(),
            Some("app")
        );
        let pw = setting(&doc, "spring.datasource.password");
        assert_eq!(pw.value.as_literal(), Some("a#b!c"));
        assert_eq!(at(&f, pw.value.span), (5, 28));
        assert_eq!(at(&f, pw.key_span), (5, 1));
        assert_eq!(
            setting(&doc, "server.port").value.as_literal(),
            Some("8080")
        );
        assert_eq!(
            setting(&doc, "long.value").value.as_literal(),
            Some("one, two")
        );
        assert_eq!(setting(&doc, "escaped:key").value.as_literal(), Some("vA"));
        assert_eq!(doc.comments.len(), 2);
        assert!(doc.problems.is_empty());
    }

    #[test]
    fn bad_escapes_are_reported_and_lexing_goes_on() {
        let text = "a=\\u12\nb=2\n";
        let doc = parse_text("application.properties", text);
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(at(&file(text), doc.problems[0].span), (1, 3));
        assert_eq!(setting(&doc, "b").value.as_literal(), Some("2"));
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "\\",
            "a\\",
            "a=\\",
            "=x",
            ":",
            "\\u",
            "k=\\uZZZZ",
            "é=ü\\\n",
            "\r\n\r\n",
        ] {
            let _ = parse_text("application.properties", text);
        }
    }
}
