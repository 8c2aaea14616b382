//! Compact report: `path:line:col: severity[RULE] message`, one finding per line, for Vim's
//! quickfix list (`:set errorformat=%f:%l:%c:\ %m`), VS Code problem matchers and grep-like tools.

use crate::scan::ScanResult;

pub fn render(result: &ScanResult) -> String {
    let mut out = String::new();
    for (file, f) in result.findings() {
        let mut message = f.message.clone();
        if let Some(e) = &f.evidence {
            message.push_str(&format!(" (evidence: {e})"));
        }
        let message: String = message
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            file.display,
            f.start.line.max(1),
            f.start.column.max(1),
            f.severity,
            f.rule.id,
            message
        ));
    }
    out
}
