//! Source files, byte spans and the line index that turns spans into lines and columns.

use std::path::PathBuf;

/// A half-open byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// A zero-width span at `offset`.
    pub fn at(offset: usize) -> Self {
        Span::new(offset, offset)
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// This span clamped to `text` and widened to char boundaries (error offsets of the
    /// underlying parsers may count one byte where a multi-byte character stands).
    pub fn on_char_boundaries(self, text: &str) -> Span {
        let mut start = self.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = self.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(start, end)
    }
}

/// What kind of file this is, decided by name and, for JSON, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// ARM deployment template (also Bicep-compiled JSON), with the scope its `$schema` targets.
    ArmTemplate(DeploymentScope),
    /// ARM deployment parameter file.
    ArmParameters,
    /// Terraform native syntax (`.tf`).
    Terraform,
    /// Terraform variable definitions (`.tfvars`).
    TerraformVars,
    /// Terraform JSON syntax (`.tf.json`, `.tfvars.json`).
    TerraformJson,
    /// `terraform show -json` output.
    TerraformPlan,
    /// `appsettings*.json`, `local.settings.json` and similar app configuration JSON.
    AppSettings,
    /// Any other JSON file.
    Json,
    /// `web.config`, `app.config` and other `*.config` XML.
    XmlConfig,
    /// `.env` files.
    Dotenv,
    /// Java `.properties` (Spring Boot `application*.properties`).
    Properties,
    /// YAML (pipelines, Kubernetes manifests, compose files, …).
    Yaml,
    /// Bicep source.
    Bicep,
    /// Bicep parameter file.
    BicepParams,
    /// A file named on the command line whose kind is unknown: scanned as lines of text.
    Text,
}

impl Format {
    pub fn name(&self) -> &'static str {
        match self {
            Format::ArmTemplate(_) => "arm-template",
            Format::ArmParameters => "arm-parameters",
            Format::Terraform => "terraform",
            Format::TerraformVars => "terraform-vars",
            Format::TerraformJson => "terraform-json",
            Format::TerraformPlan => "terraform-plan",
            Format::AppSettings => "appsettings",
            Format::Json => "json",
            Format::XmlConfig => "xml-config",
            Format::Dotenv => "dotenv",
            Format::Properties => "properties",
            Format::Yaml => "yaml",
            Format::Bicep => "bicep",
            Format::BicepParams => "bicepparam",
            Format::Text => "text",
        }
    }
}

/// The scope a deployment targets, and the scope a role assignment lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeploymentScope {
    Tenant,
    ManagementGroup,
    Subscription,
    ResourceGroup,
}

impl DeploymentScope {
    pub fn name(&self) -> &'static str {
        match self {
            DeploymentScope::Tenant => "tenant",
            DeploymentScope::ManagementGroup => "management group",
            DeploymentScope::Subscription => "subscription",
            DeploymentScope::ResourceGroup => "resource group",
        }
    }
}

/// Byte offsets of line starts; turns a byte offset into a 1-based line and column.
///
/// Columns count Unicode scalar values (SARIF `columnKind: unicodeCodePoints`).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        // A byte order mark is no column: editors show the first character of the file at 1.
        let start = if line == 0 && text.starts_with('\u{feff}') {
            start + '\u{feff}'.len_utf8()
        } else {
            start
        };
        let col = text.get(start..end).map_or(0, |t| t.chars().count()) + 1;
        (line + 1, col)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

/// A file read for scanning.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as found on disk.
    pub path: PathBuf,
    /// The path shown to users and written to reports: relative to the scan root where possible,
    /// always with `/` separators.
    pub display: String,
    /// The text, decoded as UTF-8 (lossily where the file was not valid UTF-8; a diagnostic says so).
    /// A UTF-8 byte order mark is kept here and skipped by the parsers, so offsets stay true to the file.
    pub text: String,
    /// Built on first use ([`SourceFile::lines`]): most files scanned have no finding to place,
    /// and the texts a bound module is checked in (module and caller joined) never need one.
    lines: std::sync::OnceLock<LineIndex>,
    /// The format guessed from the file's name (by discovery, or `--stdin-filename`), which picks
    /// the parser. For JSON the content can say otherwise (an ARM template named `main.json`, a plan):
    /// the format found from the content is [`crate::ir::Parsed::format`], and that is the one rules
    /// and reports use.
    pub format_by_name: Format,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String, format_by_name: Format) -> Self {
        SourceFile {
            path,
            display,
            text,
            lines: std::sync::OnceLock::new(),
            format_by_name,
        }
    }

    /// The line index of the text, built on first use.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines().line_col(&self.text, offset)
    }

    /// The text under a span (empty when the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Length of a leading UTF-8 byte order mark, 0 or 3.
    pub fn bom_len(&self) -> usize {
        if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        }
    }
}

/// Is this a character that shows nothing (format characters and fillers: soft hyphen, combining
/// grapheme joiner, zero-width space/joiners, direction marks, embeddings, overrides and isolates,
/// word joiner and invisible operators, Hangul fillers, variation selectors, byte order mark, tag
/// characters)? The one list: key names are judged without them
/// (`analysis::names`), a suppression reason made only of them is no reason, and every report
/// escapes them (`redact::is_unsafe_char`).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_lines() {
        let text = "ab\ncdé\nfg";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // 'g' is after the two-byte é: byte 10, column 2 of line 3
        assert_eq!(idx.line_col(text, text.find('g').unwrap()), (3, 2));
        assert_eq!(idx.line_col(text, text.find('é').unwrap() + 2), (2, 4));
        assert_eq!(idx.line_col(text, 999), (3, 3));
    }

    #[test]
    fn byte_order_mark_is_no_column() {
        let text = "\u{feff}ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (1, 1));
        assert_eq!(idx.line_col(text, 4), (1, 2));
        assert_eq!(idx.line_col(text, 7), (2, 2));
    }
}
