//! YAML (Azure Pipelines, GitHub Actions, Kubernetes manifests, docker-compose, …) into the IR,
//! from `saphyr_parser` events.
//!
//! The loader is never used: aliases are not expanded (an alias becomes
//! `Expr::Ref(["*name"])`), so an alias bomb costs nothing. Nesting deeper than [`YAML_NESTING_LIMIT`] is an
//! `InputProblemKind::TooDeep` problem. saphyr markers count characters; [`CharMap`] turns them into
//! byte offsets. Marker spans are corrected where saphyr's are loose: anchors and tags before a
//! scalar are skipped, a quoted scalar ends at its closing quote (saphyr's end marker runs on to the
//! next token), block scalars lose their trailing blank lines.
//!
//! Plain `true`/`false`/`null`/`~`/numbers (YAML 1.2 core schema) become booleans, nulls and numbers;
//! every other scalar, and every quoted one, is a string classified by [`classify_literal`].
//! A stream of several documents becomes a list of them.
//!
//! Settings (`SettingSource::Environment`): Azure Pipelines `variables:` (map form and
//! `- name: X / value: Y` list form), `env:` maps at any depth (GitHub Actions, generic), Kubernetes
//! `env: - name: X / value: Y`, docker-compose `environment:` (map form and `- KEY=VALUE` with the
//! value's span inside the string). `#` comments go to `doc.comments`.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::ir::{
    Comment, Document, Entry, Expr, InputProblem, InputProblemKind, Node, NodeKind, Setting,
    SettingSource, Str,
};
use crate::source::{SourceFile, Span};

use crate::ir::classify::classify_literal;

/// Deepest nesting of collections accepted.
pub const YAML_NESTING_LIMIT: usize = 512;

/// Settings kept per file at most.
pub const MAX_SETTINGS: usize = 100_000;

pub fn parse(file: &SourceFile) -> Document {
    let text = file.text.as_str();
    let mut b = Builder {
        map: CharMap::new(text),
        text,
        stack: Vec::new(),
        docs: Vec::new(),
        scalar_spans: Vec::new(),
    };
    if let Err(problem) = b.run() {
        return super::failed(file, problem);
    }
    let bom = file.bom_len();
    let root = match b.docs.len() {
        0 => Node::new(Span::at(bom), NodeKind::Null),
        1 => b
            .docs
            .pop()
            .unwrap_or_else(|| Node::new(Span::at(bom), NodeKind::Null)),
        _ => {
            let start = b.docs.first().map_or(bom, |d| d.span.start);
            let end = b.docs.last().map_or(bom, |d| d.span.end);
            Node::new(
                Span::new(start, end),
                NodeKind::List(std::mem::take(&mut b.docs).into()),
            )
        }
    };
    let mut settings = Vec::new();
    let mut path = Vec::new();
    collect_settings(file, &root, &mut path, &mut settings);
    let comments = comments(text, bom, &mut b.scalar_spans);
    let resources = match &root.kind {
        NodeKind::List(docs) => docs.iter().filter_map(spec_resource).collect(),
        _ => spec_resource(&root).into_iter().collect(),
    };
    Document {
        root: Some(root),
        settings,
        comments,
        resources,
        ..Document::default()
    }
}

/// A Container Apps spec (`az containerapp create --yaml`) or a Container Instances spec
/// (`az container create --file`) is the ARM resource written in YAML: it is a resource, so the
/// identity and key rules judge it as they judge the template's. Known by its `type`, or by its
/// shape when the spec leaves the type out (`properties.managedEnvironmentId` or
/// `environmentId` with `template`; `properties.containers` with `osType`).
fn spec_resource(doc: &Node) -> Option<crate::ir::Resource> {
    const TYPES: [&str; 3] = [
        "Microsoft.App/containerApps",
        "Microsoft.App/jobs",
        "Microsoft.ContainerInstance/containerGroups",
    ];
    let props = doc.get("properties").filter(|p| p.is_map())?;
    let written = doc.get("type").and_then(Node::as_text);
    let azure_type = match written {
        Some(t) => *TYPES.iter().find(|k| k.eq_ignore_ascii_case(t))?,
        None if (props.get("managedEnvironmentId").is_some()
            || props.get("environmentId").is_some())
            && props.get("template").is_some() =>
        {
            TYPES[0]
        }
        None if props.get("containers").is_some() && props.get("osType").is_some() => TYPES[2],
        None => return None,
    };
    let head = doc
        .entry("type")
        .or_else(|| doc.entry("properties"))
        .map_or(doc.span, |e| e.key_span);
    Some(crate::ir::Resource {
        template: 0,
        dialect: crate::ir::Dialect::Arm,
        azure_type: azure_type.to_string(),
        kind: None,
        source_type: azure_type.to_string(),
        name: doc
            .get("name")
            .and_then(Node::as_text)
            .unwrap_or("")
            .to_string(),
        symbol: None,
        span: doc.span,
        head_span: head,
        body: doc.clone(),
        identity: super::arm::identity(doc.get("identity")),
        parent: None,
        existing: false,
    })
}

/// Character index → byte offset, moved incrementally (markers arrive nearly in order).
struct CharMap<'t> {
    text: &'t str,
    ascii: bool,
    ci: usize,
    bi: usize,
}

impl<'t> CharMap<'t> {
    fn new(text: &'t str) -> Self {
        CharMap {
            text,
            ascii: text.is_ascii(),
            ci: 0,
            bi: 0,
        }
    }

    fn byte(&mut self, ci: usize) -> usize {
        if self.ascii {
            return ci.min(self.text.len());
        }
        while self.ci < ci {
            match self.text.get(self.bi..).and_then(|r| r.chars().next()) {
                Some(c) => {
                    self.bi += c.len_utf8();
                    self.ci += 1;
                }
                None => return self.bi,
            }
        }
        while self.ci > ci && self.bi > 0 {
            self.bi -= 1;
            while self.bi > 0 && !self.text.is_char_boundary(self.bi) {
                self.bi -= 1;
            }
            self.ci -= 1;
        }
        self.bi
    }
}

enum Frame {
    Seq {
        start: usize,
        end: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        end: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

struct Builder<'t> {
    map: CharMap<'t>,
    text: &'t str,
    stack: Vec<Frame>,
    docs: Vec<Node>,
    /// Byte spans of every scalar, in order: `#` inside them is not a comment.
    scalar_spans: Vec<Span>,
}

/// saphyr's message, without the one form that quotes the input (`unexpected character: `c'`).
fn yaml_error_text(info: &str) -> String {
    match info.split_once('`') {
        Some((head, _)) => format!(
            "{}(a character that cannot start a token)",
            head.trim_end_matches(' ').to_string() + " "
        ),
        None => info.to_string(),
    }
}

impl Builder<'_> {
    fn run(&mut self) -> Result<(), InputProblem> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| {
                let at = self.map.byte(e.marker().index());
                // saphyr stops flow collections nested deeper than its own limit.
                if e.info().contains("recursion limit") {
                    InputProblem {
                        kind: InputProblemKind::TooDeep,
                        span: self.one_char(at),
                        message: "YAML nested too deep".to_string(),
                    }
                } else {
                    InputProblem {
                        kind: InputProblemKind::Syntax,
                        span: self.one_char(at),
                        message: format!("invalid YAML: {}", yaml_error_text(e.info())),
                    }
                }
            })?;
            let start = self.map.byte(span.start.index());
            let end = self.map.byte(span.end.index());
            match event {
                Event::Scalar(value, style, _anchor, tag) => {
                    let node = self.scalar(value, style, tag.as_deref(), start, end);
                    self.scalar_spans.push(node.span);
                    self.push(node);
                }
                Event::Alias(_) => {
                    let name = self.text.get(start..end).unwrap_or("*").trim();
                    let name = if name.starts_with('*') {
                        name.to_string()
                    } else {
                        format!("*{name}")
                    };
                    let span = Span::new(start, start + name.len().min(end.saturating_sub(start)));
                    self.push(Node::new(span, NodeKind::Expr(Expr::Ref(vec![name]))));
                }
                Event::SequenceStart(..) => {
                    self.open(start)?;
                    self.stack.push(Frame::Seq {
                        start,
                        end: start,
                        items: Vec::new(),
                    });
                }
                Event::MappingStart(..) => {
                    self.open(start)?;
                    self.stack.push(Frame::Map {
                        start,
                        end: start,
                        entries: Vec::new(),
                        key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    // A flow collection's end event covers its `]`/`}`; a block collection's is a
                    // zero-width marker at the next token, so it ends with its last child.
                    let flow_end = (end > start).then_some(end);
                    let node = match self.stack.pop() {
                        Some(Frame::Seq {
                            start,
                            end: last,
                            items,
                        }) => Node::new(
                            Span::new(start, flow_end.unwrap_or(last)),
                            NodeKind::List(items.into()),
                        ),
                        Some(Frame::Map {
                            start,
                            end: last,
                            entries,
                            ..
                        }) => Node::new(
                            Span::new(start, flow_end.unwrap_or(last)),
                            NodeKind::Map(entries.into()),
                        ),
                        None => continue,
                    };
                    self.push(node);
                }
                Event::StreamStart
                | Event::StreamEnd
                | Event::DocumentStart(_)
                | Event::DocumentEnd
                | Event::Nothing => {}
            }
        }
        Ok(())
    }

    fn one_char(&self, at: usize) -> Span {
        let len = self
            .text
            .get(at..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }

    fn open(&self, at: usize) -> Result<(), InputProblem> {
        if self.stack.len() >= YAML_NESTING_LIMIT {
            return Err(InputProblem {
                kind: InputProblemKind::TooDeep,
                span: self.one_char(at),
                message: format!("YAML nested deeper than {YAML_NESTING_LIMIT} levels"),
            });
        }
        Ok(())
    }

    /// Adds a finished node to the collection being built (or as a document root).
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq { end, items, .. }) => {
                *end = (*end).max(node.span.end);
                items.push(node);
            }
            Some(Frame::Map {
                end, entries, key, ..
            }) => {
                *end = (*end).max(node.span.end);
                match key.take() {
                    None => *key = Some((key_text(&node), node.span)),
                    Some((k, key_span)) => entries.push(Entry {
                        key: k,
                        key_span,
                        value: node,
                    }),
                }
            }
        }
    }

    fn scalar(
        &self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> Node {
        let b = self.text.as_bytes();
        match style {
            ScalarStyle::Plain => {
                let start = skip_props(b, start, end);
                let span = Span::new(start, end);
                let is_str_tag = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                let kind = if is_str_tag {
                    string(value.into_owned())
                } else {
                    resolve_plain(value)
                };
                Node::new(span, kind)
            }
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let start = skip_props(b, start, end);
                let close = closing_quote(b, start, style == ScalarStyle::DoubleQuoted);
                Node::new(
                    Span::new(start, close.map_or(end, |c| c + 1)),
                    string(value.into_owned()),
                )
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let mut e = end.min(b.len());
                while e > start && b[e - 1].is_ascii_whitespace() {
                    e -= 1;
                }
                Node::new(Span::new(start, e), string(value.into_owned()))
            }
        }
    }
}

fn string(value: String) -> NodeKind {
    let class = classify_literal(&value);
    NodeKind::Str(Str { value, class })
}

/// Skips `&anchor` and `!tag` properties (and the blanks after them) at the start of a scalar.
fn skip_props(b: &[u8], mut p: usize, end: usize) -> usize {
    while p < end && matches!(b.get(p), Some(b'&' | b'!')) {
        while p < end && !b[p].is_ascii_whitespace() {
            p += 1;
        }
        while p < end && b[p].is_ascii_whitespace() {
            p += 1;
        }
    }
    p
}

/// Offset of the quote closing the quoted scalar that opens at `open`.
fn closing_quote(b: &[u8], open: usize, double: bool) -> Option<usize> {
    let q = *b.get(open)?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let mut i = open + 1;
    while i < b.len() {
        let c = b[i];
        if double && c == b'\\' {
            i += 2;
            continue;
        }
        if c == q {
            if !double && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(value: Cow<'_, str>) -> NodeKind {
    match value.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        v if is_number(v) => NodeKind::Number(v.to_string()),
        _ => string(value.into_owned()),
    }
}

fn is_number(v: &str) -> bool {
    if let Some(h) = v.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(o) = v.strip_prefix("0o") {
        return !o.is_empty() && o.bytes().all(|c| (b'0'..=b'7').contains(&c));
    }
    if matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    if matches!(v, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // [0-9]+ (\.[0-9]*)? | \.[0-9]+, then an optional exponent.
    let (mantissa, exp) = match v.find(['e', 'E']) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int.is_empty() && digits(int),
        Some(f) => digits(int) && digits(f) && (!int.is_empty() || !f.is_empty()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exp_ok
}

fn key_text(node: &Node) -> String {
    match &node.kind {
        NodeKind::Str(s) => s.value.clone(),
        NodeKind::Number(n) => n.clone(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Expr(Expr::Ref(p)) => p.join("."),
        NodeKind::Null | NodeKind::List(_) | NodeKind::Map(_) | NodeKind::Expr(_) => String::new(),
    }
}

/// `#` comments: a `#` at the start of a line or after a blank, outside every scalar.
fn comments(text: &str, bom: usize, scalar_spans: &mut [Span]) -> Vec<Comment> {
    scalar_spans.sort_unstable();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = bom;
    while let Some(off) = b
        .get(from..)
        .and_then(|r| r.iter().position(|c| *c == b'#'))
    {
        let p = from + off;
        let after_blank = p == bom || matches!(b[p - 1], b' ' | b'\t' | b'\n' | b'\r');
        // The last scalar starting at or before `p`; spans do not overlap. A block scalar's span
        // starts at its first content character, which may be the `#` itself (a plain scalar
        // cannot start with `#`, a quoted one starts at its quote).
        let idx = scalar_spans.partition_point(|s| s.start <= p);
        let inside = idx > 0 && scalar_spans[idx - 1].end > p;
        if !after_blank || inside {
            from = p + 1;
            continue;
        }
        let mut end = b[p..]
            .iter()
            .position(|c| *c == b'\n')
            .map_or(b.len(), |n| p + n);
        let next = end + 1;
        if end > p && b[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(Comment {
            span: Span::new(p, end),
            text: text.get(p + 1..end).unwrap_or("").to_string(),
        });
        from = next;
    }
    out
}

/// Walks the tree for `variables:`, `env:` and `environment:` blocks.
fn collect_settings(
    file: &SourceFile,
    node: &Node,
    path: &mut Vec<String>,
    out: &mut Vec<Setting>,
) {
    if out.len() >= MAX_SETTINGS {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries.iter() {
                path.push(e.key.clone());
                if matches!(e.key.as_str(), "variables" | "env" | "environment") {
                    env_block(file, &e.key, &e.value, path, out);
                }
                collect_settings(file, &e.value, path, out);
                path.pop();
            }
        }
        NodeKind::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                collect_settings(file, item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn is_value(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::Str(_) | NodeKind::Number(_) | NodeKind::Bool(_) | NodeKind::Expr(_)
    )
}

fn env_block(file: &SourceFile, block: &str, node: &Node, path: &[String], out: &mut Vec<Setting>) {
    let mut add = |name: &str, key_span: Span, value: Node| {
        if out.len() < MAX_SETTINGS {
            out.push(Setting {
                key: format!("{}:{name}", path.join(":")),
                name: name.to_string(),
                key_span,
                value,
                source: SettingSource::Environment,
            });
        }
    };
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries.iter() {
                if is_value(&e.value) {
                    add(&e.key, e.key_span, e.value.clone());
                }
            }
        }
        NodeKind::List(items) => {
            for item in items.iter() {
                match &item.kind {
                    // `- name: X` / `value: Y` (Azure Pipelines variables, Kubernetes env).
                    NodeKind::Map(_) => {
                        let (Some(name), Some(value)) = (item.get("name"), item.get("value"))
                        else {
                            continue;
                        };
                        let Some(n) = name.as_str() else { continue };
                        if is_value(value) {
                            add(&n.value, name.span, value.clone());
                        }
                    }
                    // docker-compose `- KEY=VALUE`.
                    NodeKind::Str(s) if block == "environment" => {
                        if let Some((name, key_span, value)) =
                            split_assignment(file, item, &s.value)
                        {
                            add(&name, key_span, value);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// `KEY=VALUE` in a string node: the name, its span and the value as a node with its own span
/// (exact when the string is written without escapes, else the whole string's span).
fn split_assignment(file: &SourceFile, item: &Node, s: &str) -> Option<(String, Span, Node)> {
    let eq = s.find('=')?;
    let name = &s[..eq];
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let value = &s[eq + 1..];
    let raw = file.slice(item.span);
    // Where the decoded text starts in the source, when the source holds it verbatim.
    let body_start = if raw == s {
        Some(item.span.start)
    } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(s) {
        Some(item.span.start + 1)
    } else {
        None
    };
    let (key_span, value_span) = match body_start {
        Some(b) => (
            Span::new(b, b + eq),
            Span::new(b + eq + 1, b + eq + 1 + value.len()),
        ),
        None => (item.span, item.span),
    };
    Some((
        name.to_string(),
        key_span,
        Node::new(value_span, string(value.to_string())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::StrClass;
    use crate::source::Format;
    use crate::testing::{at, setting};
    use std::path::PathBuf;

    fn load(rel: &str) -> SourceFile {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        SourceFile::new(path, rel.into(), text, Format::Yaml)
    }

    fn inline(text: &str) -> SourceFile {
        SourceFile::new("a.yaml".into(), "a.yaml".into(), text.into(), Format::Yaml)
    }

    #[test]
    fn pipeline_values_sections_settings_and_comments() {
        let file = load("testdata/parse/yaml/azure-pipelines.yml");
        let doc = parse(&file);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        let root = doc.root.as_ref().unwrap();
        let vars = root.get("variables").unwrap();
        assert_eq!(at(&file, vars.span), (6, 3));
        let stages = root.get("stages").unwrap();
        assert_eq!(at(&file, stages.span), (12, 3));
        assert_eq!(file.line_col(stages.span.end), (25, 23));
        let script = root
            .path(&["stages"])
            .and_then(|s| s.items().first())
            .and_then(|s| s.path(&["jobs"]))
            .and_then(|j| j.items().first())
            .and_then(|j| j.get("steps"))
            .and_then(|s| s.items().first())
            .and_then(|s| s.get("script"))
            .unwrap();
        assert_eq!(at(&file, script.span), (21, 15));
        assert_eq!(
            file.slice(script.span).lines().last(),
            Some("              dotnet build")
        );
        assert_eq!(
            script.as_literal(),
            Some("echo \"# not a comment\"\ndotnet build\n")
        );

        let keys: Vec<&str> = doc.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "variables:buildConfiguration",
                "variables:storageKey",
                "variables:retries",
                "variables:secretRef",
                "stages:0:variables:dbPassword",
                "stages:0:jobs:0:steps:0:env:API_KEY",
                "stages:0:jobs:0:steps:0:env:LEVEL",
            ]
        );
        assert!(doc
            .settings
            .iter()
            .all(|s| s.source == SettingSource::Environment));
        let s = setting(&doc, "variables:buildConfiguration");
        assert_eq!(s.name, "buildConfiguration");
        assert_eq!(at(&file, s.key_span), (6, 3));
        assert_eq!(at(&file, s.value.span), (6, 23));
        assert_eq!(file.slice(s.value.span), "'Release'");
        let s = setting(&doc, "variables:storageKey");
        assert_eq!(file.slice(s.value.span), "\"abc#def\"");
        assert_eq!(s.value.as_literal(), Some("abc#def"));
        assert_eq!(
            setting(&doc, "variables:retries").value.kind,
            NodeKind::Number("3".into())
        );
        let s = setting(&doc, "variables:secretRef");
        assert_eq!(at(&file, s.value.span), (9, 14));
        assert_eq!(s.value.as_str().unwrap().class, StrClass::Placeholder);
        let s = setting(&doc, "stages:0:variables:dbPassword");
        assert_eq!(s.name, "dbPassword");
        assert_eq!(at(&file, s.key_span), (14, 15));
        assert_eq!(at(&file, s.value.span), (15, 16));
        assert_eq!(s.value.as_literal(), Some("P@ss#word1"));
        let s = setting(&doc, "stages:0:jobs:0:steps:0:env:API_KEY");
        assert_eq!(
            (at(&file, s.key_span), at(&file, s.value.span)),
            ((24, 15), (24, 24))
        );
        assert_eq!(s.value.as_str().unwrap().class, StrClass::Placeholder);

        let comments: Vec<((usize, usize), &str)> = doc
            .comments
            .iter()
            .map(|c| (at(&file, c.span), c.text.as_str()))
            .collect();
        assert_eq!(
            comments,
            [
                ((1, 1), " Build pipeline"),
                ((6, 35), " quoted"),
                ((25, 24), " two")
            ]
        );
    }

    #[test]
    fn kubernetes_and_compose_in_one_stream() {
        let file = load("testdata/parse/yaml/k8s.yaml");
        let doc = parse(&file);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        // Two documents: the root is a list of them.
        let root = doc.root.as_ref().unwrap();
        assert_eq!(root.items().len(), 2);
        assert_eq!(at(&file, root.items()[1].span), (15, 1));

        let keys: Vec<&str> = doc.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "0:spec:template:spec:containers:0:env:STORAGE_CONNECTION",
                "1:services:db:environment:POSTGRES_PASSWORD",
                "1:services:db:environment:PGDATA",
                "1:services:app:environment:CLIENT_ID",
                "1:services:app:environment:OTHER",
            ]
        );
        let s = &doc.settings[0];
        assert_eq!(s.name, "STORAGE_CONNECTION");
        assert_eq!(
            (at(&file, s.key_span), at(&file, s.value.span)),
            ((9, 21), (10, 22))
        );
        let s = &doc.settings[1];
        assert_eq!(
            (at(&file, s.key_span), at(&file, s.value.span)),
            ((19, 9), (19, 27))
        );
        assert_eq!(file.slice(s.key_span), "POSTGRES_PASSWORD");
        assert_eq!(file.slice(s.value.span), "hunter2");
        assert_eq!(s.value.as_literal(), Some("hunter2"));
        let s = &doc.settings[2];
        assert_eq!(
            (at(&file, s.key_span), at(&file, s.value.span)),
            ((20, 10), (20, 17))
        );
        assert_eq!(file.slice(s.value.span), "/var/lib/é");
        let s = &doc.settings[3];
        // The anchor is not part of the value's span.
        assert_eq!(at(&file, s.value.span), (24, 23));
        assert_eq!(file.slice(s.value.span), "abc");
        let s = &doc.settings[4];
        assert_eq!(at(&file, s.value.span), (25, 14));
        assert_eq!(s.value.kind, NodeKind::Expr(Expr::Ref(vec!["*cid".into()])));
    }

    #[test]
    fn scalars_resolve_by_the_core_schema() {
        let file =
            inline("a: true\nb: 'true'\nc: ~\nd: 0x1F\ne: 1.5e3\nf: 1.2.3\ng: !!str 12\nh:\n");
        let doc = parse(&file);
        let r = doc.root.unwrap();
        assert_eq!(r.get("a").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(r.get("b").unwrap().as_literal(), Some("true"));
        assert_eq!(r.get("c").unwrap().kind, NodeKind::Null);
        assert_eq!(r.get("d").unwrap().kind, NodeKind::Number("0x1F".into()));
        assert_eq!(r.get("e").unwrap().kind, NodeKind::Number("1.5e3".into()));
        assert_eq!(r.get("f").unwrap().as_literal(), Some("1.2.3"));
        let g = r.get("g").unwrap();
        assert_eq!(g.as_literal(), Some("12"));
        assert_eq!(at(&file, g.span), (7, 10));
        assert_eq!(r.get("h").unwrap().kind, NodeKind::Null);
    }

    #[test]
    fn byte_offsets_after_multibyte_text_and_bom() {
        let file = inline("\u{feff}k: \"é€😀\" # c1\nv: ok # c2\n");
        let doc = parse(&file);
        let r = doc.root.as_ref().unwrap();
        let k = r.get("k").unwrap();
        assert_eq!(file.slice(k.span), "\"é€😀\"");
        let v = r.entry("v").unwrap();
        assert_eq!(file.slice(v.key_span), "v");
        assert_eq!(file.slice(v.value.span), "ok");
        assert_eq!(at(&file, v.value.span), (2, 4));
        assert_eq!(doc.comments.len(), 2);
        assert_eq!(file.slice(doc.comments[0].span), "# c1");
        assert_eq!(at(&file, doc.comments[1].span), (2, 7));
    }

    #[test]
    fn alias_bomb_is_not_expanded() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            text.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
        }
        let started = std::time::Instant::now();
        let file = inline(&text);
        let doc = parse(&file);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(doc.problems.is_empty());
        let i = doc.root.as_ref().unwrap().get("i").unwrap();
        assert_eq!(i.items().len(), 9);
        assert_eq!(
            i.items()[8].kind,
            NodeKind::Expr(Expr::Ref(vec!["*h".into()]))
        );
        assert_eq!(at(&file, i.items()[0].span), (9, 8));
    }

    #[test]
    fn deep_nesting_is_a_problem_not_a_crash() {
        // Flow collections: saphyr's own limit (a little under 256 levels) answers first.
        let file = inline(&"[".repeat(100_000));
        let doc = parse(&file);
        assert!(doc.root.is_none());
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(doc.problems[0].kind, InputProblemKind::TooDeep);
        assert_eq!(at(&file, doc.problems[0].span), (1, 256));
        // Block collections: ours, at the 513th level.

        let file = inline(&("- ".repeat(100_000) + "x\n"));
        let doc = parse(&file);
        assert_eq!(doc.problems[0].kind, InputProblemKind::TooDeep);
        assert_eq!(at(&file, doc.problems[0].span), (1, 1025));
    }

    #[test]
    fn invalid_yaml_reports_the_position() {
        let file = inline("x: é\ny: [1, 2\nz: 3\n");
        let doc = parse(&file);
        assert!(doc.root.is_none());
        assert_eq!(doc.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&file, doc.problems[0].span), (3, 2));
        assert!(doc.problems[0].message.starts_with("invalid YAML: "));
        // The lines are kept as text for the pattern rules.
        assert_eq!(doc.text_lines.len(), 3);
    }
}
