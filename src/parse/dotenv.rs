//! `.env` files into the IR, through a small hand-written line lexer (dotenvy gives no positions).
//!
//! Accepted: `KEY=VALUE`, `export KEY=VALUE`, blanks around `=`, single-quoted values (literal),
//! double-quoted values (backslash escapes, may span lines), backtick-quoted values (literal, may span
//! lines), unquoted values ending at the line end or at a ` # comment`. `${VAR}` / `$VAR` are kept
//! as written; a value that is nothing but an expansion is a placeholder ([`classify_literal`]).
//!
//! The root is a map of the variables; each variable is also an `AppConfig` [`Setting`](crate::ir::Setting) whose value
//! span is the value inside its quotes. A malformed line (no name, no `=`, an unterminated quote) is
//! reported as a syntax problem at its position and lexing goes on with the next line.

use crate::ir::{Comment, Document, Entry, InputProblem, InputProblemKind, Node, NodeKind, Str};
use crate::source::{SourceFile, Span};

use crate::ir::classify::classify_literal;

pub fn parse(file: &SourceFile) -> Document {
    let text = file.text.as_str();
    let bom = file.bom_len();
    let mut lx = Lexer {
        text,
        b: text.as_bytes(),
        doc: Document::default(),
        entries: Vec::new(),
    };
    let mut i = bom;
    while i < lx.b.len() {
        i = lx.line(i);
    }
    let Lexer {
        mut doc, entries, ..
    } = lx;
    doc.settings = super::app_config_settings(&entries);
    doc.root = Some(Node::new(
        Span::new(bom, text.len()),
        NodeKind::Map(entries.into()),
    ));
    doc
}

struct Lexer<'t> {
    text: &'t str,
    b: &'t [u8],
    doc: Document,
    entries: Vec<Entry>,
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

impl Lexer<'_> {
    /// End of the line starting at or containing `i`: the offset of its `\n`, or the text length.
    fn line_end(&self, i: usize) -> usize {
        self.b
            .get(i..)
            .and_then(|rest| rest.iter().position(|c| *c == b'\n'))
            .map_or(self.b.len(), |p| i + p)
    }

    /// `end` without a trailing `\r`.
    fn content_end(&self, start: usize, end: usize) -> usize {
        if end > start && self.b.get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }

    fn skip_blanks(&self, mut p: usize, end: usize) -> usize {
        while p < end && is_blank(self.b[p]) {
            p += 1;
        }
        p
    }

    fn problem(&mut self, at: usize, message: &str) {
        let end = (at + 1).min(self.b.len());
        self.doc.problems.push(InputProblem {
            kind: InputProblemKind::Syntax,
            span: Span::new(
                at,
                if self.text.is_char_boundary(end) {
                    end
                } else {
                    at
                },
            ),
            message: format!("invalid .env line: {message}"),
        });
    }

    fn comment(&mut self, hash: usize, end: usize) {
        let end = self.content_end(hash, end);
        self.doc.comments.push(Comment {
            span: Span::new(hash, end),
            text: self.text.get(hash + 1..end).unwrap_or("").to_string(),
        });
    }

    /// A trailing ` # comment` (or nothing but blanks) from `p` to the line end `end`.
    fn trailing(&mut self, p: usize, end: usize) {
        let p = self.skip_blanks(p, end);
        if p < end && self.b[p] == b'#' {
            self.comment(p, end);
        }
    }

    /// Lexes the line starting at `start`; returns where the next line starts.
    fn line(&mut self, start: usize) -> usize {
        let end = self.line_end(start);
        let next = end + 1;
        let content_end = self.content_end(start, end);
        let mut p = self.skip_blanks(start, content_end);
        if p >= content_end {
            return next;
        }
        if self.b[p] == b'#' {
            self.comment(p, end);
            return next;
        }
        if self.b[p..content_end].starts_with(b"export")
            && self.b.get(p + 6).is_some_and(|c| is_blank(*c))
        {
            p = self.skip_blanks(p + 6, content_end);
        }
        let key_start = p;
        while p < content_end && is_name_char(self.b[p]) {
            p += 1;
        }
        if p == key_start {
            self.problem(key_start, "expected a variable name");
            return next;
        }
        let key_span = Span::new(key_start, p);
        let key = self.text[key_start..p].to_string();
        p = self.skip_blanks(p, content_end);
        if p >= content_end || self.b[p] != b'=' {
            self.problem(p.min(content_end), "expected `=` after the variable name");
            return next;
        }
        p = self.skip_blanks(p + 1, content_end);
        let quote = self.b.get(p).copied().filter(|_| p < content_end);
        let (value, value_span, next) = match quote {
            Some(q @ (b'"' | b'\'' | b'`')) => match self.closing_quote(p + 1, q) {
                Some(close) => {
                    let raw = &self.text[p + 1..close];
                    let value = if q == b'"' {
                        unescape(raw)
                    } else {
                        raw.to_string()
                    };
                    let close_line_end = self.line_end(close);
                    self.trailing(close + 1, close_line_end);
                    (value, Span::new(p + 1, close), close_line_end + 1)
                }
                None => {
                    self.problem(p, "unterminated quoted value");
                    let raw = &self.text[p + 1..content_end];
                    (raw.to_string(), Span::new(p + 1, content_end), next)
                }
            },
            _ => {
                // Unquoted: up to a ` #` comment or the line end, trailing blanks trimmed.
                let mut q = p;
                let mut value_end = content_end;
                while q < content_end {
                    if self.b[q] == b'#' && (q == p || is_blank(self.b[q - 1])) {
                        value_end = q;
                        self.comment(q, end);
                        break;
                    }
                    q += 1;
                }
                while value_end > p && is_blank(self.b[value_end - 1]) {
                    value_end -= 1;
                }
                (
                    self.text[p..value_end].to_string(),
                    Span::new(p, value_end),
                    next,
                )
            }
        };
        let class = classify_literal(&value);
        self.entries.push(Entry {
            key,
            key_span,
            value: Node::new(value_span, NodeKind::Str(Str { value, class })),
        });
        next
    }

    /// Offset of the quote closing a value opened just before `from` (`"` honours backslashes).
    fn closing_quote(&self, from: usize, q: u8) -> Option<usize> {
        let mut i = from;
        while i < self.b.len() {
            let c = self.b[i];
            if c == b'\\' && q == b'"' {
                i += 2;
                continue;
            }
            if c == q {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

/// Resolves the escapes of a double-quoted value.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(c @ ('\\' | '"' | '$' | '\'' | '`')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{SettingSource, StrClass};
    use crate::source::Format;
    use crate::testing::{at, setting};
    use std::path::PathBuf;

    fn load(rel: &str) -> SourceFile {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        SourceFile::new(path, rel.into(), text, Format::Dotenv)
    }

    fn inline(text: &str) -> SourceFile {
        SourceFile::new(".env".into(), ".env".into(), text.into(), Format::Dotenv)
    }

    #[test]
    fn variables_values_and_spans() {
        let file = load("testdata/parse/dotenv/.env");
        let doc = parse(&file);
        let keys: Vec<&str> = doc.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "DB_HOST",
                "DB_PASSWORD",
                "SINGLE",
                "MULTI",
                "TICK",
                "REF",
                "URL",
                "EMPTY",
                "STORAGE_KEY",
                "BROKEN"
            ]
        );
        let s = setting(&doc, "DB_HOST");
        assert_eq!(
            (at(&file, s.key_span), at(&file, s.value.span)),
            ((2, 8), (2, 18))
        );
        assert_eq!(s.value.as_literal(), Some("db.example.com"));
        assert_eq!(s.source, SettingSource::AppConfig);

        let s = setting(&doc, "DB_PASSWORD");
        assert_eq!(at(&file, s.value.span), (3, 14));
        assert_eq!(file.slice(s.value.span), "p@ss\\\"word");
        assert_eq!(s.value.as_literal(), Some("p@ss\"word"));

        assert_eq!(setting(&doc, "SINGLE").value.as_literal(), Some("lit ${X}"));
        let s = setting(&doc, "MULTI");
        assert_eq!(at(&file, s.value.span), (5, 8));
        assert_eq!(s.value.as_literal(), Some("line one\nline two"));
        assert_eq!(setting(&doc, "TICK").value.as_literal(), Some("back tick"));
        let r = setting(&doc, "REF").value.as_str().unwrap();
        assert_eq!(r.class, StrClass::Placeholder);
        let s = setting(&doc, "URL");
        assert_eq!(s.value.as_literal(), Some("http://$DB_HOST/x"));
        let s = setting(&doc, "EMPTY");
        assert_eq!(at(&file, s.value.span), (10, 7));
        assert!(s.value.span.is_empty());
        assert_eq!(s.value.as_str().unwrap().class, StrClass::Placeholder);
        let s = setting(&doc, "STORAGE_KEY");
        assert_eq!(s.value.as_literal(), Some("abc#notacomment"));

        // The root map holds the same entries.
        let root = doc.root.as_ref().unwrap();
        assert_eq!(root.entries().len(), 10);
        assert_eq!(at(&file, root.entry("TICK").unwrap().key_span), (7, 1));

        let comments: Vec<(usize, usize)> =
            doc.comments.iter().map(|c| at(&file, c.span)).collect();
        assert_eq!(comments, [(1, 1), (3, 26), (9, 25)]);
        assert_eq!(doc.comments[0].text, " Database settings");
        assert_eq!(doc.comments[1].text, " trailing comment");

        // Broken lines are reported where they break; the rest of the file is still read.
        let problems: Vec<(usize, usize)> =
            doc.problems.iter().map(|p| at(&file, p.span)).collect();
        assert_eq!(problems, [(11, 9), (13, 8)]);
        assert!(doc
            .problems
            .iter()
            .all(|p| p.kind == InputProblemKind::Syntax));
        assert!(doc.problems[1].message.contains("unterminated"));
    }

    #[test]
    fn unterminated_quote_keeps_lexing() {
        let file = inline("A='open\r\nB=2\r\n=3\r\n");
        let doc = parse(&file);
        // A single quote has no closing quote anywhere: the line is reported, B still read.
        assert_eq!(doc.problems.len(), 2);
        assert_eq!(at(&file, doc.problems[0].span), (1, 3));
        assert_eq!(at(&file, doc.problems[1].span), (3, 1));
        let a = setting(&doc, "A");
        assert_eq!(file.slice(a.value.span), "open");
        let b = setting(&doc, "B");
        assert_eq!(at(&file, b.value.span), (2, 3));
        assert_eq!(file.slice(b.value.span), "2");
    }

    #[test]
    fn bom_and_unicode_columns() {
        let file = inline("\u{feff}KÉY=1\nNAME=é # c\n");
        let doc = parse(&file);
        // `K` is a name character, `É` is not (the BOM is no column: editors start after it).
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(at(&file, doc.problems[0].span), (1, 2));
        let s = setting(&doc, "NAME");
        assert_eq!(s.value.as_literal(), Some("é"));
        assert_eq!(at(&file, doc.comments[0].span), (2, 8));
    }
}
