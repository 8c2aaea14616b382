//! JSON with comments (ARM allows `//` and `/* */`) into spanned [`Node`]s, through `jsonc-parser`.
//!
//! Beyond strict JSON, comments and trailing commas are accepted, as Azure Resource Manager and the
//! .NET configuration reader both accept them (real quickstart templates that deploy have them);
//! every other lenient extension of the crate is off, so a file Azure would reject is reported. A UTF-8 byte order mark is skipped and
//! every span is shifted back to file offsets. String classification is left to a caller-supplied
//! function, because only the format knows what an expression is (ARM `[...]`).

use std::borrow::Cow;
use std::collections::HashMap;

use jsonc_parser::errors::ParseError;
use jsonc_parser::tokens::Token;
use jsonc_parser::{Scanner, ScannerOptions};

use crate::ir::{Comment, Entry, InputProblem, InputProblemKind, Node, NodeKind, Str, StrClass};
use crate::source::Span;

/// Deepest nesting accepted: deeper input stops with an error instead of recursing further, so a
/// file nested 100,000 deep costs nothing.
pub const JSON_NESTING_LIMIT: usize = 512;

/// Members of an object from which duplicate keys are looked up through an index.
const INDEXED: usize = 16;

#[derive(Debug)]
pub struct JsonParse {
    pub root: Node,
    pub comments: Vec<Comment>,
    /// Problems of a document that parsed: keys written twice in one object (the last value is
    /// kept, as Azure Resource Manager's and .NET's JSON readers keep it).
    pub problems: Vec<InputProblem>,
}

/// A JSON text that did not parse: the problem, and what parsed before it.
#[derive(Debug)]
pub struct JsonFailure {
    pub problem: InputProblem,
    /// The values complete before the error (objects cut at the error keep their complete members;
    /// an incomplete item of an array is left out) and the file offset where the text they do not
    /// cover starts. `None` when nothing parsed.
    pub partial: Option<Box<(JsonParse, usize)>>,
}

/// Parses `text` (a whole file). `classify` decides the class of each string value (not of keys).
///
/// The values are built straight from `jsonc-parser`'s token scanner (its string unescaping, number
/// validation and comment scanning) by the small recursive descent below, which keeps the crate's
/// grammar, error positions and messages. Going through the crate's AST first cost an allocation
/// per value twice over: the AST was a third of the time of a JSON-heavy scan.
pub fn parse(
    text: &str,
    classify: &mut dyn FnMut(&str, Span) -> StrClass,
) -> Result<JsonParse, JsonFailure> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let opts = ScannerOptions {
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let mut p = Parser {
        scanner: Scanner::new(body, &opts),
        token: None,
        start: 0,
        end: 0,
        bom,
        comments: Vec::new(),
        duplicates: Vec::new(),
        members: Vec::with_capacity(64),
        items: Vec::with_capacity(64),
        classify,
    };
    let problem = |e: Failure| {
        let (kind, span, message) = match e {
            Failure::Scan(e) => {
                let r = e.range();
                (
                    InputProblemKind::Syntax,
                    Span::new(r.start, r.end),
                    format!("invalid JSON: {}", e.kind()),
                )
            }
            Failure::Parse(span, msg) => (
                InputProblemKind::Syntax,
                span,
                format!("invalid JSON: {msg}"),
            ),
            Failure::TooDeep(span) => (
                InputProblemKind::TooDeep,
                span,
                format!("JSON nested deeper than {JSON_NESTING_LIMIT} levels"),
            ),
        };
        InputProblem {
            kind,
            span: Span::new(span.start + bom, span.end + bom).on_char_boundaries(text),
            message,
        }
    };
    let start = |p: &mut Parser| -> Result<Node, Broken> {
        p.next().map_err(Broken::from)?;
        if p.token.is_none() {
            return Err(Broken::from(Failure::Parse(
                Span::at(0),
                "empty JSON document",
            )));
        }
        let root = p.value(0)?;
        match p.next() {
            Ok(()) if p.token.is_some() => Err(Box::new(BrokenParts {
                failure: p.error("Text cannot contain more than one JSON value"),
                partial: Some(root),
                cut: p.start,
            })),
            Ok(()) => Ok(root),
            Err(e) => Err(Box::new(BrokenParts {
                failure: e,
                partial: Some(root),
                cut: p.start,
            })),
        }
    };
    let result = start(&mut p);
    let mut comments = std::mem::take(&mut p.comments);
    comments.sort_by_key(|c| c.span.start);
    comments.dedup_by_key(|c| c.span);
    let problems = p.duplicate_problems(text);
    match result {
        Ok(root) => Ok(JsonParse {
            root,
            comments,
            problems,
        }),
        Err(b) => {
            let b = *b;
            let empty = matches!(b.failure, Failure::Parse(_, "empty JSON document"));
            let mut problem = problem(b.failure);
            if empty {
                problem.message = "empty JSON document".to_string();
            }
            Err(JsonFailure {
                problem,
                partial: b.partial.map(|root| {
                    Box::new((
                        JsonParse {
                            root,
                            comments,
                            problems,
                        },
                        b.cut + bom,
                    ))
                }),
            })
        }
    }
}

/// A failure with what parsed before it (boxed: it travels up every level of the descent).
type Broken = Box<BrokenParts>;

/// A failure with what parsed before it: the incomplete value (objects keep their complete
/// members) and the offset (after the BOM) of the first text it does not cover.
struct BrokenParts {
    failure: Failure,
    partial: Option<Node>,
    cut: usize,
}

impl From<Failure> for Broken {
    fn from(failure: Failure) -> Self {
        let cut = match &failure {
            Failure::Scan(e) => e.range().start,
            Failure::Parse(span, _) | Failure::TooDeep(span) => span.start,
        };
        Box::new(BrokenParts {
            failure,
            partial: None,
            cut,
        })
    }
}

impl From<ParseError> for Broken {
    fn from(e: ParseError) -> Self {
        Broken::from(Failure::Scan(e))
    }
}

enum Failure {
    Scan(ParseError),
    /// A grammar error: where (relative to the text after the BOM) and jsonc-parser's wording.
    Parse(Span, &'static str),
    TooDeep(Span),
}

impl From<ParseError> for Failure {
    fn from(e: ParseError) -> Self {
        Failure::Scan(e)
    }
}

struct Parser<'a, 'c> {
    scanner: Scanner<'a>,
    /// The current token (comments are skipped and collected) and its range.
    token: Option<Token<'a>>,
    start: usize,
    end: usize,
    bom: usize,
    comments: Vec<Comment>,
    /// Keys written twice in one object: (the second key's span, the first one's start).
    duplicates: Vec<(Span, usize)>,
    /// The members of the objects being parsed, innermost last, and the items of the arrays
    /// (one stack each for the whole text): an object or array takes its own from the top when it
    /// closes, in one allocation of the exact size, instead of growing a vector of its own.
    members: Vec<Entry>,
    items: Vec<Node>,
    classify: &'c mut dyn FnMut(&str, Span) -> StrClass,
}

impl<'a> Parser<'a, '_> {
    /// Moves to the next token that is not a comment.
    fn next(&mut self) -> Result<(), Failure> {
        loop {
            let token = self.scanner.scan()?;
            self.start = self.scanner.token_start();
            self.end = self.scanner.token_end();
            match token {
                Some(Token::CommentLine(t) | Token::CommentBlock(t)) => {
                    self.comments.push(Comment {
                        span: self.span(self.start, self.end),
                        text: t.to_string(),
                    });
                }
                other => {
                    self.token = other;
                    return Ok(());
                }
            }
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(start + self.bom, end + self.bom)
    }

    /// An error at the current token.
    fn error(&self, msg: &'static str) -> Failure {
        Failure::Parse(Span::new(self.start, self.end), msg)
    }

    /// The value starting at the current token; leaves the last token of the value current.
    fn value(&mut self, depth: usize) -> Result<Node, Broken> {
        let start = self.start;
        match self.token.take() {
            Some(Token::OpenBrace) => self.object(start, depth + 1),
            Some(Token::OpenBracket) => self.array(start, depth + 1),
            Some(Token::String(value)) => Ok(self.string(value)),
            Some(Token::Number(n)) => Ok(Node::new(
                self.span(self.start, self.end),
                NodeKind::Number(n.to_string()),
            )),
            Some(Token::Boolean(b)) => Ok(Node::new(
                self.span(self.start, self.end),
                NodeKind::Bool(b),
            )),
            Some(Token::Null) => Ok(Node::new(self.span(self.start, self.end), NodeKind::Null)),
            Some(Token::CloseBracket) => Err(self.error("Unexpected close bracket").into()),
            Some(Token::CloseBrace) => Err(self.error("Unexpected close brace").into()),
            Some(Token::Comma) => Err(self.error("Unexpected comma").into()),
            Some(Token::Colon) => Err(self.error("Unexpected colon").into()),
            Some(Token::Word(_)) => Err(self.error("Unexpected word").into()),
            Some(Token::CommentLine(_) | Token::CommentBlock(_)) | None => {
                Err(self.error("Expected a value").into())
            }
        }
    }

    fn string(&mut self, value: Cow<'a, str>) -> Node {
        let span = self.span(self.start, self.end);
        let class = (self.classify)(&value, span);
        Node::new(
            span,
            NodeKind::Str(Str {
                value: value.into_owned(),
                class,
            }),
        )
    }

    /// After an item: moves past a comma (a trailing one is allowed, the closing bracket then
    /// ends the loop), or fails with "Expected comma" just after the item when the next token is
    /// one `missing` says must have been preceded by one; anything else is left for the caller.
    fn comma(&mut self, missing: impl Fn(&Token) -> bool) -> Result<(), Failure> {
        let after_item = self.end;
        self.next()?;
        match &self.token {
            Some(Token::Comma) => self.next(),
            Some(t) if missing(t) => Err(Failure::Parse(Span::at(after_item), "Expected comma")),
            _ => Ok(()),
        }
    }

    fn object(&mut self, open: usize, depth: usize) -> Result<Node, Broken> {
        if depth > JSON_NESTING_LIMIT {
            return Err(Failure::TooDeep(Span::new(open, self.end)).into());
        }
        let mark = self.members.len();
        let mut index = HashMap::new();
        // What parsed before a failure: this object with its complete members (and the member
        // whose value was cut, with what of it parsed).
        let cut = |this: &mut Self, b: Broken, key: Option<(String, Span)>| {
            let mut entries = this.members.split_off(mark);
            let mut cut = b.cut;
            match (key, b.partial) {
                (Some((key, key_span)), Some(value)) => entries.push(Entry {
                    key,
                    key_span,
                    value,
                }),
                (Some((_, key_span)), None) => cut = cut.min(key_span.start - this.bom),
                (None, _) => {}
            }
            Box::new(BrokenParts {
                failure: b.failure,
                partial: Some(Node::new(
                    this.span(open, cut.max(open)),
                    NodeKind::Map(entries.into()),
                )),
                cut,
            })
        };
        if let Err(e) = self.next() {
            return Err(cut(self, e.into(), None));
        }
        loop {
            match self.token.take() {
                Some(Token::CloseBrace) => break,
                Some(Token::String(key)) => {
                    let key_span = self.span(self.start, self.end);
                    let key = key.into_owned();
                    let value = (|| {
                        self.next()?;
                        if self.token != Some(Token::Colon) {
                            return Err(self
                                .error("Expected colon after the string or word in object property")
                                .into());
                        }
                        self.next()?;
                        if self.token.is_none() {
                            return Err(self
                                .error("Expected value after colon in object property")
                                .into());
                        }
                        self.value(depth)
                    })();
                    let value = match value {
                        Ok(v) => v,
                        Err(b) => return Err(cut(self, b, Some((key, key_span)))),
                    };
                    self.insert(mark, &mut index, key, key_span, value);
                }
                None => {
                    let e = Failure::Parse(Span::new(open, self.end), "Unterminated object");
                    let b = Box::new(BrokenParts {
                        failure: e,
                        partial: None,
                        cut: self.start,
                    });
                    return Err(cut(self, b, None));
                }
                Some(Token::Word(_) | Token::Number(_) | Token::Boolean(_) | Token::Null) => {
                    let b = self.error("Expected string for object property").into();
                    return Err(cut(self, b, None));
                }
                Some(_) => {
                    let b = self.error("Unexpected token in object").into();
                    return Err(cut(self, b, None));
                }
            }
            // jsonc-parser reports a missing comma before the next key (or a word in its place).
            let after = self.comma(|t| {
                matches!(
                    t,
                    Token::String(_)
                        | Token::Word(_)
                        | Token::Number(_)
                        | Token::Boolean(_)
                        | Token::Null
                )
            });
            if let Err(e) = after {
                return Err(cut(self, e.into(), None));
            }
        }
        Ok(Node::new(
            self.span(open, self.end),
            NodeKind::Map(self.members.drain(mark..).collect()),
        ))
    }

    /// Adds a member to an object; a key written twice keeps its last value (as Azure Resource
    /// Manager's and .NET's readers do), in the first one's place, and is recorded. Small objects
    /// are searched in place; from [`INDEXED`] members on, through an index of their keys, so a
    /// generated object with 100,000 keys costs no more than its length.
    fn insert(
        &mut self,
        mark: usize,
        index: &mut HashMap<String, usize>,
        key: String,
        key_span: Span,
        value: Node,
    ) {
        let entries = &mut self.members;
        if entries.len() - mark == INDEXED && index.is_empty() {
            index.extend(
                entries[mark..]
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key.clone(), mark + i)),
            );
        }
        let found = if index.is_empty() {
            entries[mark..]
                .iter()
                .position(|e| e.key == key)
                .map(|i| mark + i)
        } else {
            index.get(&key).copied()
        };
        match found {
            Some(i) => {
                let first = entries[i].key_span.start;
                entries[i] = Entry {
                    key,
                    key_span,
                    value,
                };
                self.duplicates.push((key_span, first));
            }
            None => {
                if !index.is_empty() {
                    index.insert(key.clone(), entries.len());
                }
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
            }
        }
    }

    /// The duplicate keys as problems (INPUT012), at the second key, naming the first one's line.
    fn duplicate_problems(&self, text: &str) -> Vec<InputProblem> {
        self.duplicates
            .iter()
            .map(|&(span, first)| {
                let line = text
                    .as_bytes()
                    .get(..first)
                    .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
                    + 1;
                InputProblem {
                    kind: InputProblemKind::DuplicateKey,
                    span,
                    message: format!(
                        "this key is written twice in the object (first on line {line}): the last value is \
                         the one Azure reads and the one checked; remove the other"
                    ),
                }
            })
            .collect()
    }

    fn array(&mut self, open: usize, depth: usize) -> Result<Node, Broken> {
        if depth > JSON_NESTING_LIMIT {
            return Err(Failure::TooDeep(Span::new(open, self.end)).into());
        }
        let mark = self.items.len();
        // What parsed before a failure: this array with its complete items; an item cut by the
        // error is left out (a resource cut short would look like one that lacks what follows).
        let cut = |this: &mut Self, b: Broken, item_start: Option<usize>| {
            let items = this.items.split_off(mark);
            let cut = item_start.map_or(b.cut, |s| s.min(b.cut));
            Box::new(BrokenParts {
                failure: b.failure,
                partial: Some(Node::new(
                    this.span(open, cut.max(open)),
                    NodeKind::List(items.into()),
                )),
                cut,
            })
        };
        if let Err(e) = self.next() {
            return Err(cut(self, e.into(), None));
        }
        loop {
            match &self.token {
                Some(Token::CloseBracket) => break,
                None => {
                    let b = Box::new(BrokenParts {
                        failure: Failure::Parse(Span::new(open, self.end), "Unterminated array"),
                        partial: None,
                        cut: self.start,
                    });
                    return Err(cut(self, b, None));
                }
                _ => {
                    let item_start = self.start;
                    match self.value(depth) {
                        Ok(v) => self.items.push(v),
                        Err(b) => return Err(cut(self, b, Some(item_start))),
                    }
                }
            }
            // ... and before the next value that could start an item (a word is left to `value`).
            let after = self.comma(|t| {
                matches!(
                    t,
                    Token::OpenBrace
                        | Token::OpenBracket
                        | Token::String(_)
                        | Token::Number(_)
                        | Token::Boolean(_)
                        | Token::Null
                )
            });
            if let Err(e) = after {
                return Err(cut(self, e.into(), None));
            }
        }
        Ok(Node::new(
            self.span(open, self.end),
            NodeKind::List(self.items.drain(mark..).collect()),
        ))
    }
}

/// Classifies every string as a literal (through [`crate::ir::classify::classify_literal`]).
pub fn parse_plain(text: &str) -> Result<JsonParse, JsonFailure> {
    parse(text, &mut |s, _| crate::ir::classify::classify_literal(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonc_parser::ast::{ObjectPropName, Value};
    use jsonc_parser::common::Ranged;
    use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
    use proptest::prelude::*;

    /// The reference: jsonc-parser's own AST parser with the same options, lowered the way this
    /// module did before it read tokens directly. Returns the tree and the comment spans, or the
    /// error's start offset.
    fn reference(text: &str) -> Result<(Node, Vec<Span>), usize> {
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
        let parsed =
            jsonc_parser::parse_to_ast(text, &collect, &opts).map_err(|e| e.range().start)?;
        fn lower(v: &Value) -> Node {
            let sp = |r: jsonc_parser::common::Range| Span::new(r.start, r.end);
            match v {
                Value::StringLit(s) => Node::new(
                    sp(s.range),
                    NodeKind::Str(Str {
                        value: s.value.to_string(),
                        class: StrClass::Literal,
                    }),
                ),
                Value::NumberLit(n) => {
                    Node::new(sp(n.range), NodeKind::Number(n.value.to_string()))
                }
                Value::BooleanLit(b) => Node::new(sp(b.range), NodeKind::Bool(b.value)),
                Value::NullKeyword(n) => Node::new(sp(n.range), NodeKind::Null),
                Value::Array(a) => Node::new(
                    sp(a.range),
                    NodeKind::List(a.elements.iter().map(lower).collect()),
                ),
                Value::Object(o) => {
                    // a key written twice keeps its last value, in the first one's place
                    let mut entries: Vec<Entry> = Vec::new();
                    for p in &o.properties {
                        let (key, r) = match &p.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        let e = Entry {
                            key,
                            key_span: sp(r),
                            value: lower(&p.value),
                        };
                        match entries.iter().position(|x| x.key == e.key) {
                            Some(i) => entries[i] = e,
                            None => entries.push(e),
                        }
                    }
                    Node::new(sp(o.range), NodeKind::Map(entries.into()))
                }
            }
        }
        let Some(v) = parsed.value else {
            return Err(0);
        };
        let mut comments: Vec<Span> = Vec::new();
        for list in parsed.comments.iter().flat_map(|m| m.values()) {
            comments.extend(
                list.iter()
                    .map(|c| Span::new(c.range().start, c.range().end)),
            );
        }
        comments.sort_by_key(|c| c.start);
        comments.dedup();
        Ok((lower(&v), comments))
    }

    fn literal(_: &str, _: Span) -> StrClass {
        StrClass::Literal
    }

    /// The token-level parser accepts exactly what jsonc-parser accepts, builds the same tree with
    /// the same spans and comments, and reports errors at the same offset.
    fn agrees_with_reference(text: &str) -> Result<(), TestCaseError> {
        let ours = parse(text, &mut literal);
        match (ours, reference(text)) {
            (Ok(p), Ok((root, comments))) => {
                prop_assert_eq!(&p.root, &root, "tree of {:?}", text);
                let spans: Vec<Span> = p.comments.iter().map(|c| c.span).collect();
                prop_assert_eq!(spans, comments, "comments of {:?}", text);
            }
            (Err(e), Err(at)) => {
                prop_assert_eq!(
                    e.problem.span.start,
                    at,
                    "error offset for {:?}: {}",
                    text,
                    e.problem.message
                );
            }
            (Ok(_), Err(at)) => {
                prop_assert!(false, "{:?}: reference fails at {}, ours accepts", text, at)
            }
            (Err(e), Ok(_)) => prop_assert!(
                false,
                "{:?}: ours fails ({}), reference accepts",
                text,
                e.problem.message
            ),
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn token_parser_matches_the_ast_parser_on_json_noise(
            text in "[ \\n{}\\[\\],:\"a-z0-9./*\\\\-]{0,60}",
        ) {
            agrees_with_reference(&text)?;
        }

        #[test]
        fn token_parser_matches_the_ast_parser_on_mutated_json(
            cut in 0usize..200,
            insert in proptest::sample::select(vec!["", ",", "}", "]", "{", "[", ":", "\"", "//x\n", "/*", "1", "-", "tru", "'a'", "\\u12", "\u{e9}"]),
        ) {
            let base = "{\n  // c\n  \"a\": [1, -2.5e3, true, false, null, \"x\\n\\u00e9\"],\n  \"b\": {\"c\": {}, \"d\": [],}, /* k */ \"e\": \"\u{e9}\"\n}\n";
            let mut at = cut.min(base.len());
            while !base.is_char_boundary(at) { at -= 1; }
            let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
            agrees_with_reference(&text)?;
            let truncated = &base[..at];
            agrees_with_reference(truncated)?;
        }
    }

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
        assert_eq!(err.problem.kind, InputProblemKind::TooDeep);
    }

    #[test]
    fn trailing_commas_pass_and_single_quotes_fail_with_position() {
        assert!(parse_plain("{\"a\": [1,],}").is_ok());
        let err = parse_plain("{\"a\": 'x'}").err().unwrap();
        assert_eq!(err.problem.kind, InputProblemKind::Syntax);
        assert_eq!(err.problem.span.start, 6);
    }
}
