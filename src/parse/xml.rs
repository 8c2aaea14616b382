//! XML configuration (`web.config`, `app.config`, other `*.config`) into the IR, through roxmltree.
//!
//! Value tree: the root is a map with one entry, the document element; an element is a map whose
//! entries are its attributes (key = attribute name, key span = the name, value = a string with the
//! span of the value text without quotes) and its child elements (key = element name, value = their
//! map), in document order; non-blank text becomes an entry `#text`. An element that holds only
//! text (no attributes, no child elements) is that text instead: a string whose span is the text
//! as written between the tags (inside `<![CDATA[…]]>`), its value decoded and trimmed, so
//! `<password>…</password>` and `<add><key>…</key><value>…</value></add>` read like any
//! `name: value` pair.
//!
//! Settings: `<appSettings><add key="X" value="Y"/>` (`appSettings:X`), `<connectionStrings><add
//! name="X" connectionString="…"/>` (`connectionStrings:X`, a connection string) and
//! `<applicationSettings><Section><setting name="X"><value>Y</value>` (`applicationSettings:Section:X`),
//! anywhere in the document (`<location>` included). `<!-- -->` comments go to `doc.comments`.
//!
//! DTDs are rejected (roxmltree's default): no entity expansion, no external fetches. roxmltree
//! parses nesting iteratively; lowering stops at [`XML_NESTING_LIMIT`] with a `TooDeep` problem.

use roxmltree::{Attribute, ParsingOptions};

use crate::ir::{
    Comment, Document, Entry, InputProblem, InputProblemKind, Node, NodeKind, Setting,
    SettingSource, Str,
};
use crate::source::{SourceFile, Span};

use crate::ir::classify::classify_literal;

/// Deepest element nesting lowered.
pub const XML_NESTING_LIMIT: usize = 512;

/// Settings kept per file at most.
pub const MAX_SETTINGS: usize = 100_000;

pub fn parse(file: &SourceFile) -> Document {
    let text = file.text.as_str();
    let opts = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let xml = match roxmltree::Document::parse_with_options(text, opts) {
        Ok(x) => x,
        Err(e) => return super::failed(file, error_problem(file, &e)),
    };
    let mut doc = Document::default();
    let root_el = xml.root_element();
    let lowered = match element(file, root_el, 1) {
        Ok(n) => n,
        Err(problem) => return super::failed(file, problem),
    };
    let bom = file.bom_len();
    doc.root = Some(Node::new(
        Span::new(bom, text.len()),
        NodeKind::Map(
            vec![Entry {
                key: root_el.tag_name().name().to_string(),
                key_span: name_span(file, root_el),
                value: lowered,
            }]
            .into(),
        ),
    ));
    for n in xml.descendants() {
        if n.is_comment() {
            let r = n.range();
            doc.comments.push(Comment {
                span: Span::new(r.start, r.end),
                text: n.text().unwrap_or("").to_string(),
            });
        } else if n.is_element() && doc.settings.len() < MAX_SETTINGS {
            settings_of(file, n, &mut doc.settings);
        }
    }
    doc.settings.truncate(MAX_SETTINGS);
    doc
}

/// What went wrong, without the input text roxmltree's own messages quote (an entity name taken
/// from an unescaped `&` inside a password, a tag name, a character).
fn describe_xml_error(e: &roxmltree::Error) -> String {
    use roxmltree::Error as E;
    match e {
        E::InvalidXmlPrefixUri(_) | E::UnexpectedXmlUri(_) | E::UnexpectedXmlnsUri(_) => {
            "a reserved XML namespace is misused".into()
        }
        E::InvalidElementNamePrefix(_) => "an element name has an invalid prefix".into(),
        E::DuplicatedNamespace(..) => "a namespace is declared twice".into(),
        E::UnknownNamespace(..) => "an element or attribute uses an undeclared prefix".into(),
        E::UnexpectedCloseTag(..) | E::UnexpectedEntityCloseTag(_) => {
            "a closing tag does not match the open element".into()
        }
        E::UnknownEntityReference(..) => {
            "an unknown entity reference (an unescaped `&`? write `&amp;`)".into()
        }
        E::MalformedEntityReference(_) => {
            "a malformed entity reference (an unescaped `&`? write `&amp;`)".into()
        }
        E::EntityReferenceLoop(_) => "entity references loop".into(),
        E::InvalidAttributeValue(_) => "an attribute value is invalid".into(),
        E::DuplicatedAttribute(..) => "an attribute is given twice".into(),
        E::NoRootNode => "the document has no root element".into(),
        E::UnclosedRootNode => "the root element is not closed".into(),
        E::UnexpectedDeclaration(_) => "an XML declaration is not at the start".into(),
        E::NodesLimitReached | E::AttributesLimitReached | E::NamespacesLimitReached => {
            "the document exceeds the parser's size limits".into()
        }
        E::InvalidName(_) => "an invalid name".into(),
        E::NonXmlChar(c, _) => format!(
            "a character not allowed in XML ({})",
            crate::parse::describe_char(*c)
        ),
        E::InvalidChar(..) | E::InvalidChar2(..) => "an unexpected character".into(),
        E::InvalidString(expected, _) => format!("expected `{expected}`"),
        E::InvalidExternalID(_) => "an invalid external id".into(),
        E::InvalidComment(_) => "an invalid comment".into(),
        E::InvalidCharacterData(_) => "invalid character data".into(),
        E::UnknownToken(_) => "unexpected text".into(),
        E::UnexpectedEndOfStream => "the file ends too early".into(),
        _ => "malformed XML".into(),
    }
}

fn error_problem(file: &SourceFile, e: &roxmltree::Error) -> InputProblem {
    let at = match e {
        // roxmltree reports these at 1:1; point at the declaration itself.
        roxmltree::Error::DtdDetected => file.text.find("<!DOCTYPE").unwrap_or(0),
        _ => {
            let pos = e.pos();
            offset_of(file, pos.row as usize, pos.col as usize)
        }
    };
    let message = match e {
        roxmltree::Error::DtdDetected => {
            "XML with a DTD (<!DOCTYPE …>) is not read: DTDs can expand entities without bound"
                .to_string()
        }
        other => format!("invalid XML: {}", describe_xml_error(other)),
    };
    let len = file
        .text
        .get(at..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    InputProblem {
        kind: InputProblemKind::Syntax,
        span: Span::new(at, at + len),
        message,
    }
}

/// Byte offset of a 1-based row and a 1-based column counted in characters.
fn offset_of(file: &SourceFile, row: usize, col: usize) -> usize {
    let Some(start) = file.lines().line_start(row) else {
        return file.text.len();
    };
    let line = file.text.get(start..).unwrap_or("");
    let skip = col.saturating_sub(1);
    start + line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i)
}

/// The span of an element's (qualified) name in its start tag.
fn name_span(file: &SourceFile, n: roxmltree::Node) -> Span {
    let start = n.range().start + 1;
    let rest = file.text.as_bytes().get(start..).unwrap_or(&[]);
    let len = rest
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
        .unwrap_or(rest.len());
    Span::new(start, start + len)
}

fn string_node(span: Span, value: &str) -> Node {
    Node::new(
        span,
        NodeKind::Str(Str {
            value: value.to_string(),
            class: classify_literal(value),
        }),
    )
}

fn attr_node(a: &Attribute) -> Node {
    let r = a.range_value();
    string_node(Span::new(r.start, r.end), a.value())
}

fn attr_entry(a: &Attribute) -> Entry {
    let q = a.range_qname();
    Entry {
        key: a.name().to_string(),
        key_span: Span::new(q.start, q.end),
        value: attr_node(a),
    }
}

/// A text node as a string: trimmed, with the trimmed span when the source holds the text
/// verbatim (no entities), else the whole node's span.
fn text_node(file: &SourceFile, n: roxmltree::Node) -> Option<Node> {
    let decoded = n.text()?;
    let value = decoded.trim();
    if value.is_empty() {
        return None;
    }
    let r = n.range();
    let raw = file.text.get(r.start..r.end).unwrap_or("");
    let span = match raw.find(value) {
        Some(i) if raw.trim() == value => Span::new(r.start + i, r.start + i + value.len()),
        _ => Span::new(r.start, r.end),
    };
    Some(string_node(span, value))
}

/// The text of an element that holds nothing else (no attributes, no child elements, no
/// comments): `<password>…</password>`, `<value><![CDATA[…]]></value>`. The value is the decoded
/// text, trimmed; the span covers the text as written between the tags (entities as written,
/// inside the CDATA markers). `None` for an empty element or one with other content.
fn leaf_text(file: &SourceFile, n: roxmltree::Node) -> Option<Node> {
    if n.attributes().next().is_some() || n.children().any(|c| !c.is_text()) {
        return None;
    }
    let decoded: String = n.children().filter_map(|c| c.text()).collect();
    let value = decoded.trim();
    if value.is_empty() {
        return None;
    }
    let r = n.range();
    let raw = file.text.get(r.start..r.end)?;
    // `<name>` (no attributes, so the first `>` ends the start tag) … `</name>`.
    let open = raw.find('>')? + 1;
    let close = raw.rfind("</")?;
    let content = raw.get(open..close)?;
    let trimmed = content.trim();
    let lead = content.len() - content.trim_start().len();
    let mut start = r.start + open + lead;
    let mut text = trimmed;
    if let Some(inner) = trimmed
        .strip_prefix("<![CDATA[")
        .and_then(|t| t.strip_suffix("]]>"))
        .filter(|t| !t.contains("<![CDATA["))
    {
        let inner_lead = inner.len() - inner.trim_start().len();
        start += "<![CDATA[".len() + inner_lead;
        text = inner.trim();
    }
    Some(string_node(Span::new(start, start + text.len()), value))
}

fn element(file: &SourceFile, n: roxmltree::Node, depth: usize) -> Result<Node, InputProblem> {
    if depth > XML_NESTING_LIMIT {
        let start = n.range().start;
        return Err(InputProblem {
            kind: InputProblemKind::TooDeep,
            span: Span::new(start, start + 1),
            message: format!("XML nested deeper than {XML_NESTING_LIMIT} levels"),
        });
    }
    if let Some(text) = leaf_text(file, n) {
        return Ok(text);
    }
    let mut entries: Vec<Entry> = n.attributes().map(|a| attr_entry(&a)).collect();
    for c in n.children() {
        if c.is_element() {
            entries.push(Entry {
                key: c.tag_name().name().to_string(),
                key_span: name_span(file, c),
                value: element(file, c, depth + 1)?,
            });
        } else if c.is_text() {
            if let Some(t) = text_node(file, c) {
                entries.push(Entry {
                    key: "#text".to_string(),
                    key_span: t.span,
                    value: t,
                });
            }
        }
    }
    let r = n.range();
    Ok(Node::new(
        Span::new(r.start, r.end),
        NodeKind::Map(entries.into()),
    ))
}

fn attr<'a, 'input>(n: roxmltree::Node<'a, 'input>, name: &str) -> Option<Attribute<'a, 'input>> {
    n.attributes().find(|a| a.name().eq_ignore_ascii_case(name))
}

fn is(n: roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name().eq_ignore_ascii_case(name)
}

/// The settings a section element holds.
fn settings_of(file: &SourceFile, n: roxmltree::Node, out: &mut Vec<Setting>) {
    let (section, name_attr, value_attr, source) = if is(n, "appSettings") {
        ("appSettings", "key", "value", SettingSource::AppConfig)
    } else if is(n, "connectionStrings") {
        (
            "connectionStrings",
            "name",
            "connectionString",
            SettingSource::ConnectionString,
        )
    } else if is(n, "applicationSettings") {
        application_settings(file, n, out);
        return;
    } else {
        return;
    };
    for add in n.children().filter(|c| is(*c, "add")) {
        let (Some(k), Some(v)) = (attr(add, name_attr), attr(add, value_attr)) else {
            continue;
        };
        let r = k.range_value();
        out.push(Setting {
            key: format!("{section}:{}", k.value()),
            name: k.value().to_string(),
            key_span: Span::new(r.start, r.end),
            value: attr_node(&v),
            source,
        });
    }
}

/// `<applicationSettings><My.Settings><setting name="X" serializeAs="String"><value>Y</value>`.
fn application_settings(file: &SourceFile, n: roxmltree::Node, out: &mut Vec<Setting>) {
    for group in n.children().filter(|c| c.is_element()) {
        for setting in group.children().filter(|c| is(*c, "setting")) {
            let Some(name) = attr(setting, "name") else {
                continue;
            };
            let Some(value_el) = setting.children().find(|c| is(*c, "value")) else {
                continue;
            };
            let value = leaf_text(file, value_el)
                .or_else(|| {
                    value_el
                        .children()
                        .find(|c| c.is_text())
                        .and_then(|t| text_node(file, t))
                })
                .unwrap_or_else(|| {
                    // `<value />` or `<value></value>`: an empty string at the element.
                    let r = value_el.range();
                    string_node(Span::at(r.start), "")
                });
            let r = name.range_value();
            out.push(Setting {
                key: format!(
                    "applicationSettings:{}:{}",
                    group.tag_name().name(),
                    name.value()
                ),
                name: name.value().to_string(),
                key_span: Span::new(r.start, r.end),
                value,
                source: SettingSource::AppConfig,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Format;
    use crate::testing::at;
    use std::path::PathBuf;

    fn load(rel: &str) -> SourceFile {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        SourceFile::new(path, rel.into(), text, Format::XmlConfig)
    }

    fn inline(text: &str) -> SourceFile {
        SourceFile::new(
            "a.config".into(),
            "a.config".into(),
            text.into(),
            Format::XmlConfig,
        )
    }

    #[test]
    fn web_config_tree_settings_and_comments() {
        let file = load("testdata/parse/xml/web.config");
        let doc = parse(&file);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        let root = doc.root.as_ref().unwrap();
        let conf = root.entry("configuration").unwrap();
        assert_eq!(at(&file, conf.key_span), (3, 2));
        let app = conf.value.entry("appSettings").unwrap();
        assert_eq!(at(&file, app.key_span), (4, 4));
        assert_eq!(at(&file, app.value.span), (4, 3));
        assert_eq!(app.value.get_all("add").count(), 2);
        let provider = root
            .path(&["configuration", "connectionStrings", "add"])
            .and_then(|a| a.entry("providerName"))
            .unwrap();
        assert_eq!(at(&file, provider.key_span), (10, 119));
        assert_eq!(file.slice(provider.value.span), "System.Data.SqlClient");
        let text = root
            .path(&[
                "configuration",
                "applicationSettings",
                "My.App.Properties.Settings",
            ])
            .and_then(|g| g.get("setting"))
            .and_then(|s| s.get("value"))
            .unwrap();
        assert_eq!(at(&file, text.span), (15, 16));
        assert_eq!(text.as_literal(), Some("https://api.example.com"));

        let got: Vec<(&str, &str, SettingSource)> = doc
            .settings
            .iter()
            .map(|s| (s.key.as_str(), s.name.as_str(), s.source))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "appSettings:StorageAccount",
                    "StorageAccount",
                    SettingSource::AppConfig
                ),
                ("appSettings:ApiKey", "ApiKey", SettingSource::AppConfig),
                (
                    "connectionStrings:Default",
                    "Default",
                    SettingSource::ConnectionString
                ),
                (
                    "applicationSettings:My.App.Properties.Settings:ServiceUrl",
                    "ServiceUrl",
                    SettingSource::AppConfig
                ),
                (
                    "applicationSettings:My.App.Properties.Settings:Empty",
                    "Empty",
                    SettingSource::AppConfig
                ),
                ("appSettings:Nested", "Nested", SettingSource::AppConfig),
            ]
        );
        let pos: Vec<((usize, usize), (usize, usize))> = doc
            .settings
            .iter()
            .map(|s| (at(&file, s.key_span), at(&file, s.value.span)))
            .collect();
        assert_eq!(
            pos,
            [
                ((5, 15), (5, 38)),
                ((6, 15), (6, 30)),
                ((10, 16), (10, 43)),
                ((14, 22), (15, 16)),
                ((17, 22), (18, 9)),
                ((23, 28), (23, 43)),
            ]
        );
        // Entities are decoded; the span still covers the text as written.
        assert_eq!(doc.settings[1].value.as_literal(), Some("k3y&more"));
        assert_eq!(file.slice(doc.settings[1].value.span), "k3y&amp;more");
        let empty = doc.settings[4].value.as_str().unwrap();
        assert_eq!(empty.value, "");
        assert_eq!(empty.class, crate::ir::StrClass::Placeholder);

        assert_eq!(doc.comments.len(), 1);
        assert_eq!(at(&file, doc.comments[0].span), (2, 1));
        assert_eq!(
            file.slice(doc.comments[0].span),
            "<!-- Production settings -->"
        );
        assert_eq!(doc.comments[0].text, " Production settings ");
    }

    /// An element holding only text is a string at the text as written: entities decoded in
    /// the value but spanned as written, CDATA spanned inside its markers, surrounding
    /// whitespace trimmed; attributes, child elements or comments keep the element a map.
    #[test]
    fn text_only_elements_are_strings_at_their_text() {
        let file = inline(concat!(
            "<c>\n",
            "  <password>a&amp;b</password>\n",
            "  <secret><![CDATA[ x<y ]]></secret>\n",
            "  <token>\n    t0k\n  </token>\n",
            "  <key id=\"1\">v</key>\n",
            "  <empty/><blank> </blank><note><!-- c -->n</note>\n",
            "  <add><key>K</key><value>V</value></add>\n",
            "</c>"
        ));
        let doc = parse(&file);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        let c = doc.root.as_ref().and_then(|r| r.get("c")).unwrap();
        let pw = c.get("password").unwrap();
        assert_eq!(pw.as_literal(), Some("a&b"));
        assert_eq!(file.slice(pw.span), "a&amp;b");
        assert_eq!(at(&file, pw.span), (2, 13));
        let secret = c.get("secret").unwrap();
        assert_eq!(secret.as_literal(), Some("x<y"));
        assert_eq!(file.slice(secret.span), "x<y");
        assert_eq!(at(&file, secret.span), (3, 21));
        let token = c.get("token").unwrap();
        assert_eq!(token.as_literal(), Some("t0k"));
        assert_eq!(at(&file, token.span), (5, 5));
        let key = c.get("key").unwrap();
        assert!(key.is_map());
        assert_eq!(key.get("#text").and_then(Node::as_literal), Some("v"));
        assert!(c.get("empty").is_some_and(Node::is_map));
        assert!(c.get("blank").is_some_and(Node::is_map));
        assert!(c.get("note").is_some_and(Node::is_map));
        let add = c.get("add").unwrap();
        assert_eq!(add.get("key").and_then(Node::as_literal), Some("K"));
        let v = add.get("value").unwrap();
        assert_eq!(at(&file, v.span), (9, 27));
    }

    #[test]
    fn invalid_xml_reports_the_position() {
        let file = inline("<a>\n  <é></c>\n</a>");
        let doc = parse(&file);
        assert!(doc.root.is_none());
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(doc.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&file, doc.problems[0].span), (2, 6));
        assert!(doc.problems[0].message.starts_with("invalid XML"));
    }

    #[test]
    fn dtd_is_rejected_at_the_doctype() {
        let file = inline(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<lolz>&lol;</lolz>",
        );
        let doc = parse(&file);
        assert!(doc.root.is_none());
        assert_eq!(doc.problems[0].kind, InputProblemKind::Syntax);
        assert_eq!(at(&file, doc.problems[0].span), (2, 1));
        assert!(doc.problems[0].message.contains("DTD"));
    }

    #[test]
    fn deep_nesting_is_a_problem_not_a_crash() {
        let text = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
        let file = inline(&text);
        let doc = parse(&file);
        assert!(doc.root.is_none());
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(doc.problems[0].kind, InputProblemKind::TooDeep);
        // The 513th element opens at byte 512 * 3.
        assert_eq!(at(&file, doc.problems[0].span), (1, 1537));
    }
}
