//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding, which
//! GitHub shows as annotations on the pull request's diff.
//!
//! `::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=RULE name::MESSAGE`
//!
//! Escaping follows the workflow-command rules: in the message `%`, `\r` and `\n` become `%25`,
//! `%0D` and `%0A`; in property values `:` and `,` are also escaped (`%3A`, `%2C`).

use crate::finding::Severity;
use crate::redact::escape_control;
use crate::results::ScanResult;

/// Escapes a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(result: &ScanResult) -> String {
    super::fault("github", result);
    let mut out = String::new();
    for (file, f) in result.findings() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        // Control characters inside the pieces are escaped first (ESC, tabs, a newline in a
        // message); the one newline before the help is the command's own, encoded as `%0A`.
        let mut message = f.shown_message();
        if let Some(h) = &f.help {
            message.push_str(&format!("\n{}", escape_control(h)));
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&escape_control(&file.display)),
            f.start.line.max(1),
            f.start.column.max(1),
            f.end.line.max(1),
            f.end.column.max(1),
            escape_property(&format!("{} {}", f.rule.id, f.rule.name)),
            escape_data(&message),
        ));
    }
    out
}

/// The summary line printed after the findings (unless `--quiet`): a `::notice` with the counts,
/// shown on the run's summary page.
pub fn summary(result: &ScanResult) -> String {
    format!(
        "::notice title=keyless::{}\n",
        escape_data(&super::summary_sentence(result))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    }
}
