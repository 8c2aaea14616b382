//! Compact report: `path:line:col: severity[RULE] message`, one finding per line, for Vim's
//! quickfix list (`:set errorformat=%f:%l:%c:\ %m`), VS Code problem matchers and grep-like tools.

use crate::redact::escape_control;
use crate::results::ScanResult;

pub fn render(result: &ScanResult) -> String {
    super::fault("compact", result);
    let mut out = String::new();
    for (file, f) in result.findings() {
        let message = f.shown_message();
        // Control characters are escaped (`\n`, `\e`, …): a newline in a path or a message
        // cannot start a line of its own and forge a finding or a CI log command.
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            escape_control(&file.display),
            f.start.line.max(1),
            f.start.column.max(1),
            f.severity,
            f.rule.id,
            message
        ));
    }
    out
}
