//! Azure Pipelines logging commands: one `##vso[task.logissue …]` line per error and warning,
//! which Azure Pipelines lists on the run's summary and marks in the log.
//!
//! `##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=RULE]MESSAGE`
//!
//! - Errors are `type=error`, warnings `type=warning`.
//! - Notes are plain log lines (`keyless: note: PATH:L:C: [RULE] MESSAGE`), not issues: a
//!   warning issue marks the run "succeeded with issues", and notes are below the default gate.
//! - No `##vso[task.complete result=…]` is printed: keyless's exit status decides whether the step
//!   fails (`--fail-on`), as in every other format, so one flag controls the gate everywhere.
//! - The last line is a plain summary (`keyless: N files scanned, …`) unless `--quiet`.
//!
//! Control characters in paths, messages, evidence and help are first shown escaped (`\n`, `\e`,
//! `\u{…}`, as in the other text formats), so a file name cannot forge a logging command. Then
//! escaping follows the agent's rules: in property values `%`, `;`, `]`, `\r` and `\n` become
//! `%AZP25`, `%3B`, `%5D`, `%0D` and `%0A`; in the message `%`, `\r` and `\n` are escaped.

use crate::finding::Severity;
use crate::redact::escape_control;
use crate::results::ScanResult;

/// Escapes a logging command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a logging command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(';', "%3B").replace(']', "%5D")
}

pub fn render(result: &ScanResult) -> String {
    super::fault("azure", result);
    let mut out = String::new();
    for (file, f) in result.findings() {
        let mut message = format!("{} {}: {}", f.rule.id, f.rule.name, f.shown_message());
        let path = escape_control(&file.display);
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => {
                out.push_str(&format!(
                    "keyless: note: {}:{}:{}: {}\n",
                    path,
                    f.start.line.max(1),
                    f.start.column.max(1),
                    message
                ));
                continue;
            }
        };
        if let Some(h) = &f.help {
            message.push_str(&format!("\n{}", escape_control(h)));
        }
        out.push_str(&format!(
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}\n",
            escape_property(&path),
            f.start.line.max(1),
            f.start.column.max(1),
            escape_property(f.rule.id),
            escape_data(&message),
        ));
    }
    out
}

/// The summary line printed after the findings (unless `--quiet`).
pub fn summary(result: &ScanResult) -> String {
    format!("keyless: {}\n", super::summary_sentence(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\r\nc;d]e"), "a%AZP25b%0D%0Ac;d]e");
        assert_eq!(escape_property("a%b\r\nc;d]e"), "a%AZP25b%0D%0Ac%3Bd%5De");
        // `%` is escaped first, so an escape sequence in the input stays literal.
        assert_eq!(escape_property("%3B"), "%AZP253B");
    }
}
