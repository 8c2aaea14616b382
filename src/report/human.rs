//! Human report: rustc-style code frames through miette, with the label on the exact span, then a
//! summary line. Code frames are cut from the file's masked text, so no secret is shown.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::Counts;
use crate::finding::{Finding, Severity};
use crate::redact::{escape_control, neutralise_frame};
use crate::results::ScanResult;
use crate::source::Span;

pub struct HumanOptions {
    pub color: bool,
    pub quiet: bool,
    /// Print the per-rule table (`--statistics`).
    pub statistics: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

struct Frame<'a> {
    finding: &'a Finding,
    source: &'a Lines,
    /// The finding's span in the masked text.
    span: Span,
}

/// A file's (masked, neutralised) text with the offset of each line, so that miette reads only the
/// lines of a frame: on its own it counts lines from the start of the file for every frame, which
/// made a file with 20,000 findings cost minutes.
struct Lines {
    name: String,
    text: Arc<String>,
    /// Where each line starts; lines end as miette ends them (`\n`, `\r\n` or a lone `\r`).
    starts: Vec<usize>,
}

impl Lines {
    fn new(name: String, text: Arc<String>) -> Lines {
        let b = text.as_bytes();
        let mut starts = vec![0];
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { name, text, starts }
    }
}

impl SourceCode for Lines {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // from one line above the frame's first line (`context_lines_before` lines above the
        // span's own), so that miette reads the frame as it would from the start of the text
        let line = self
            .starts
            .partition_point(|&s| s <= span.offset())
            .saturating_sub(1);
        let first = line.saturating_sub(context_lines_before + 1);
        let base = self.starts.get(first).copied().unwrap_or(0);
        let rest = self
            .text
            .as_bytes()
            .get(base..)
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((span.offset().saturating_sub(base)).into(), span.len());
        let inner = rest.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_control(&self.finding.message))
    }
}

impl std::error::Error for Frame<'_> {}

impl Diagnostic for Frame<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.finding.rule.id, self.finding.rule.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn Display + 'b>> {
        let f = self.finding;
        let mut parts = Vec::new();
        if let Some(h) = &f.help {
            parts.push(escape_control(h).into_owned());
        }
        if let Some(fix) = &f.fix {
            parts.push(match fix.safety.follow_up() {
                None => format!(
                    "fix available: {} (`keyless --fix`)",
                    escape_control(&fix.description)
                ),
                Some(then) => format!(
                    "unsafe fix available: {} (`keyless --fix --unsafe-fixes`; then {then})",
                    escape_control(&fix.description)
                ),
            });
        }
        parts.push(format!("run `keyless explain {}` for details", f.rule.id));
        Some(Box::new(parts.join("\n")))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let label = match &f.evidence {
            Some(e) => format!("{} ({})", f.rule.name, escape_control(e)),
            None => f.rule.name.to_string(),
        };
        let len = self.span.len().max(usize::from(self.span.is_empty()));
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            self.span.start,
            len,
        ))))
    }
}

pub fn render(result: &ScanResult, opts: &HumanOptions) -> String {
    super::fault("human", result);
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(opts.width)
        .with_links(false);
    let mut out = String::new();
    for file in result.files.iter().filter(|f| !f.findings.is_empty()) {
        // The text with every secret replaced by a fixed-width mask; spans are mapped into it.
        let masked = file.source.clone().unwrap_or_default();
        let text = masked.text.clone();
        // Control characters in the text would reach the terminal through the frame: each
        // becomes `?` (byte for byte, so spans stay valid).
        let text = match neutralise_frame(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(t) => Arc::new(t),
        };
        let name = escape_control(&file.display).into_owned();
        let lines = Lines::new(name.clone(), text.clone());
        for f in &file.findings {
            let span = masked.span(f.span);
            // A span past the text (a walk error on a folder) gets no frame; a span on a very
            // long line (minified JSON, one-line plan JSON) gets a window of that line instead.
            let framed = span.end <= text.len()
                && !text.is_empty()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
                && !long_lines_around(&text, span.start, span.end);
            let mut rendered = String::new();
            let ok = framed && {
                let frame = Frame {
                    finding: f,
                    source: &lines,
                    span,
                };
                // A panic inside the renderer costs the frame, never the report.
                catch_unwind(AssertUnwindSafe(|| {
                    handler.render_report(&mut rendered, &frame).is_ok()
                }))
                .unwrap_or(false)
            };
            if ok {
                out.push_str(&rendered);
            } else {
                plain_line(&mut out, &name, f);
                if span.end <= text.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end)
                    && !text.is_empty()
                {
                    window(&mut out, &text, span.start, span.end);
                }
            }
            out.push('\n');
        }
    }
    if opts.statistics {
        out.push_str(&statistics(result));
    }
    if !opts.quiet {
        out.push_str("keyless: ");
        out.push_str(&super::sentence(result, Some(result.elapsed)));
        out.push('\n');
    }
    out
}

/// The `--statistics` table: one line per rule with findings, most findings first (then rule id),
/// with the count by severity and the rule's name, as ruff and Checkov print it.
pub fn statistics(result: &ScanResult) -> String {
    let mut by_rule: std::collections::BTreeMap<&'static str, (&'static str, Counts)> =
        std::collections::BTreeMap::new();
    for (_, f) in result.findings() {
        let entry = by_rule
            .entry(f.rule.id)
            .or_insert((f.rule.name, Counts::default()));
        match f.severity {
            Severity::Error => entry.1.error += 1,
            Severity::Warning => entry.1.warning += 1,
            Severity::Note => entry.1.note += 1,
        }
    }
    if by_rule.is_empty() {
        return String::new();
    }
    let mut rows: Vec<(&str, &str, Counts)> =
        by_rule.into_iter().map(|(id, (n, c))| (id, n, c)).collect();
    rows.sort_by(|a, b| b.2.total().cmp(&a.2.total()).then(a.0.cmp(b.0)));
    let header = ["count", "rule", "error", "warning", "note", "name"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|(id, name, c)| {
            [
                c.total().to_string(),
                id.to_string(),
                c.error.to_string(),
                c.warning.to_string(),
                c.note.to_string(),
                name.to_string(),
            ]
        })
        .collect();
    let mut w = header.map(str::len);
    for row in &cells {
        for (i, cell) in row.iter().enumerate() {
            w[i] = w[i].max(cell.len());
        }
    }
    let line = |r: [&str; 6]| {
        format!(
            "{:>w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}  {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
            w4 = w[4]
        )
    };
    let mut out = line(header);
    for row in &cells {
        out.push_str(&line([
            &row[0], &row[1], &row[2], &row[3], &row[4], &row[5],
        ]));
    }
    out
}

fn plain_line(out: &mut String, path: &str, f: &Finding) {
    let message = f.shown_message();
    out.push_str(&format!(
        "{}: {}:{}:{}: {} [{}]\n",
        f.severity, path, f.start.line, f.start.column, message, f.rule.id
    ));
}

/// Lines longer than this get a window instead of a code frame.
pub const MAX_FRAME_LINE: usize = 1000;
/// Characters shown on each side of the span in a window.
const WINDOW: usize = 60;

/// Is any line a frame of `start..end` would show (one line of context each side) too long?
fn long_lines_around(text: &str, start: usize, end: usize) -> bool {
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let first = text[..first.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let last = text
        .get(last + 1..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| last + 1 + i);
    text[first..last.max(first)]
        .split('\n')
        .any(|l| l.len() > MAX_FRAME_LINE)
}

/// One line of context around a span on a long line: at most [`WINDOW`] characters each side,
/// the span itself cut to 2 × [`WINDOW`] characters, control characters escaped.
fn window(out: &mut String, text: &str, start: usize, end: usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = end.clamp(start, line_end);
    let before: String = {
        let b: Vec<char> = text[line_start..start].chars().rev().take(WINDOW).collect();
        b.into_iter().rev().collect()
    };
    let span: String = text[start..end].chars().take(2 * WINDOW).collect();
    let after: String = text[end..line_end].chars().take(WINDOW).collect();
    let cut_before = before.len() < start - line_start;
    let cut_after = after.len() < line_end - end;
    out.push_str(&format!(
        "  | {}{}{}{}{}\n",
        if cut_before { "…" } else { "" },
        escape_control(&before),
        escape_control(&span),
        escape_control(&after),
        if cut_after { "…" } else { "" },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading only a frame's own lines gives what miette's reading from the start of the text
    /// gives: the same lines, offsets, line and column numbers, with `\n`, `\r\n` and a lone `\r`.
    #[test]
    fn frames_read_from_the_line_index_match_a_read_from_the_start() {
        let text = "a=1\nPassword=x1\r\nb=2\rc=3\n\nd = 'long value'\r\n\re=5";
        let lines = Lines::new("f".into(), Arc::new(text.to_string()));
        for start in 0..text.len() {
            for len in [0, 1, 3, 9] {
                if start + len > text.len() {
                    continue;
                }
                let span = SourceSpan::new(start.into(), len);
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let want = text.read_span(&span, before, after);
                    let got = lines.read_span(&span, before, after);
                    let at = format!("{start}+{len} ({before}, {after})");
                    assert_eq!(want.is_ok(), got.is_ok(), "{at}");
                    let (Ok(want), Ok(got)) = (want, got) else {
                        continue;
                    };
                    assert_eq!(got.data(), want.data(), "{at}");
                    assert_eq!(got.span(), want.span(), "{at}");
                    assert_eq!(got.line(), want.line(), "{at}");
                    assert_eq!(got.column(), want.column(), "{at}");
                }
            }
        }
    }
}
