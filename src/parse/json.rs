//! JSON with comments (ARM allows `//` and `/* */`) into spanned [`Node`]s, through `jsonc-parser`.
//!
//! Beyond strict JSON, comments and trailing commas are accepted, as Azure Resource Manager and the
//! .NET configuration reader both accept them (real quickstart templates that deploy have them);
//! every other lenient extension of the crate is off, so a file Azure would reject is reported. A UTF-8 byte order mark is skipped and
//! every span is shifted back to file offsets. String classification is left to a caller-supplied
//! function, because only the format knows what an expression is (ARM `[...]`).

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use crate::ir::{Comment, Entry, InputProblem, InputProblemKind, Node, NodeKind, Str, StrClass};
use crate::source::Span;

/// Deepest nesting accepted. jsonc-parser stops at this depth with an error instead of recursing
/// further, so a file nested 100,000 deep costs nothing.
pub const MAX_DEPTH: usize = 512;

pub struct JsonParse {
    pub root: Node,
    pub comments: Vec<Comment>,
}

/// Parses `text` (a whole file). `classify` decides the class of each string value (not of keys).
pub fn parse(
    text: &str,
    classify: &mut dyn FnMut(&str, Span) -> StrClass,
) -> Result<JsonParse, InputProblem> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Separate,
        tokens: false,
    };
    let opts = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(body, &collect, &opts).map_err(|e| {
        let r = e.range();
        let msg = e.kind().to_string();
        let kind = if msg.contains("nesting depth") {
            InputProblemKind::TooDeep
        } else {
            InputProblemKind::Syntax
        };
        InputProblem {
            kind,
            span: Span::new(r.start + bom, r.end + bom).on_char_boundaries(text),
            message: if kind == InputProblemKind::TooDeep {
                format!("JSON nested deeper than {MAX_DEPTH} levels")
            } else {
                format!("invalid JSON: {msg}")
            },
        }
    })?;
    let mut comments = Vec::new();
    if let Some(map) = &parsed.comments {
        for (_, list) in map.iter() {
            for c in list.iter() {
                let r = c.range();
                comments.push(Comment {
                    span: Span::new(r.start + bom, r.end + bom),
                    text: c.text().to_string(),
                });
            }
        }
    }
    comments.sort_by_key(|c| c.span.start);
    comments.dedup_by_key(|c| c.span);
    let Some(value) = parsed.value else {
        return Err(InputProblem {
            kind: InputProblemKind::Syntax,
            span: Span::at(bom),
            message: "empty JSON document".to_string(),
        });
    };
    let mut lower = Lower { bom, classify };
    let root = lower.value(&value);
    Ok(JsonParse { root, comments })
}

struct Lower<'c> {
    bom: usize,
    classify: &'c mut dyn FnMut(&str, Span) -> StrClass,
}

impl Lower<'_> {
    fn span(&self, r: jsonc_parser::common::Range) -> Span {
        Span::new(r.start + self.bom, r.end + self.bom)
    }

    fn value(&mut self, v: &Value) -> Node {
        match v {
            Value::StringLit(s) => {
                let span = self.span(s.range);
                let class = (self.classify)(&s.value, span);
                Node::new(
                    span,
                    NodeKind::Str(Str {
                        value: s.value.to_string(),
                        class,
                    }),
                )
            }
            Value::NumberLit(n) => {
                Node::new(self.span(n.range), NodeKind::Number(n.value.to_string()))
            }
            Value::BooleanLit(b) => Node::new(self.span(b.range), NodeKind::Bool(b.value)),
            Value::NullKeyword(n) => Node::new(self.span(n.range), NodeKind::Null),
            Value::Array(a) => Node::new(
                self.span(a.range),
                NodeKind::List(a.elements.iter().map(|e| self.value(e)).collect()),
            ),
            Value::Object(o) => {
                let entries = o
                    .properties
                    .iter()
                    .map(|p| {
                        let (key, key_range) = match &p.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        Entry {
                            key,
                            key_span: self.span(key_range),
                            value: self.value(&p.value),
                        }
                    })
                    .collect();
                Node::new(self.span(o.range), NodeKind::Map(entries))
            }
        }
    }
}

/// Classifies every string as a literal (through [`super::classify::classify_literal`]).
pub fn parse_plain(text: &str) -> Result<JsonParse, InputProblem> {
    parse(text, &mut |s, _| super::classify::classify_literal(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_byte_offsets_of_the_file() {
        let text = "\u{feff}{\n  // c\n  \"ké\": \"v\" /* x */\n}";
        let p = parse_plain(text).unwrap();
        let e = &p.root.entries()[0];
        assert_eq!(&text[e.key_span.start..e.key_span.end], "\"ké\"");
        assert_eq!(&text[e.value.span.start..e.value.span.end], "\"v\"");
        assert_eq!(p.comments.len(), 2);
        assert_eq!(
            &text[p.comments[0].span.start..p.comments[0].span.end],
            "// c"
        );
    }

    #[test]
    fn deep_nesting_is_a_problem_not_a_crash() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse_plain(&text).err().unwrap();
        assert_eq!(err.kind, InputProblemKind::TooDeep);
    }

    #[test]
    fn trailing_commas_pass_and_single_quotes_fail_with_position() {
        assert!(parse_plain("{\"a\": [1,],}").is_ok());
        let err = parse_plain("{\"a\": 'x'}").err().unwrap();
        assert_eq!(err.kind, InputProblemKind::Syntax);
        assert_eq!(err.span.start, 6);
    }
}
