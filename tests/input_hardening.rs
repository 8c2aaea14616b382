//! Input hardening (issue 11): nothing a CI gate could have seen may pass with exit 0. Each test
//! here failed before its fix: a selection that hid INPUT diagnostics, ignored but tracked files,
//! UTF-16 files read as binary, file names that are not UTF-8, `--changed-since`.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn keyless() -> Command {
    Command::cargo_bin("keyless").expect("binary builds")
}

/// Runs keyless with JSON output in `dir` and returns the parsed report and the exit status.
fn json_report(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = keyless()
        .current_dir(dir)
        .args(["--format", "json"])
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("runs");
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, code)
}

/// `(rule_id, path, line, column)` of every finding, sorted.
fn findings(v: &Value) -> Vec<(String, String, u64, u64)> {
    let mut out: Vec<_> = v["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    out.sort();
    out
}

fn f(rule: &str, path: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (rule.to_string(), path.to_string(), line, column)
}

#[test]
fn select_does_not_turn_off_input_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.config"), b"MZ\x90\x00\x03\x00").unwrap();
    std::fs::write(dir.path().join("appsettings.json"), "{ \"a\": ").unwrap();
    for args in [
        &["--select", "KEY,CONN", "."][..],
        &["--select", "MI001", "."],
    ] {
        let (v, code) = json_report(dir.path(), args);
        assert_eq!(
            findings(&v),
            vec![
                f("INPUT001", "appsettings.json", 1, 8),
                f("INPUT003", "web.config", 1, 1)
            ],
            "{args:?}"
        );
        assert_eq!(code, 1);
    }
    std::fs::write(
        dir.path().join(".keyless.toml"),
        "[rules]\nselect = [\"KEY\"]\nignore = [\"INPUT003\"]\n",
    )
    .unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(findings(&v), vec![f("INPUT001", "appsettings.json", 1, 8)]);
}

const WEB_CONFIG: &str = "<configuration>\n  <appSettings>\n    <add key=\"SmtpPassword\" value=\"Fake-Smtp-Pa55!\" />\n  </appSettings>\n</configuration>\n";

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_scanned_with_a_lossy_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join(std::ffi::OsStr::from_bytes(b"web\xff.config")),
        WEB_CONFIG,
    )
    .unwrap();
    let (v, code) = json_report(dir.path(), &["."]);
    assert_eq!(
        findings(&v),
        vec![f("KEY002", "caf\u{fffd}/web\u{fffd}.config", 3, 36)]
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files_scanned"], 1, "{v}");
}

#[test]
fn utf16_and_utf32_files_are_decoded_by_their_mark_with_exact_positions() {
    use keyless::encoding::{encode, Wide};
    let dir = tempfile::tempdir().unwrap();
    // non-ASCII and astral characters before the secrets, so a column counted in bytes or in
    // UTF-16 units would differ from one counted in code points
    let files = [
        (
            "web.config",
            "<configuration>\n  <appSettings>\n    <!-- café 😀 -->\n    <add key=\"Tëst😀\" value=\"1\" /><add key=\"SmtpPassword\" value=\"Fake-Smtp-Pa55!\" />\n  </appSettings>\n</configuration>\n",
        ),
        (
            "appsettings.json",
            "{\n  \"Naïve😀\": \"x\", \"DbPassword\": \"Fake-Db-Pa55word!\"\n}\n",
        ),
        (".env", "# ünïcode 😀\nAPI_TOKEN=Fake-Api-K3y-Value-0001\n"),
    ];
    let mut expected = Vec::new();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (v, _) = json_report(dir.path(), &["."]);
    for (rule, path, line, col) in findings(&v) {
        expected.push((rule, path, line, col));
    }
    assert_eq!(expected.len(), 3, "{expected:?}");
    assert!(
        expected.contains(&f("KEY002", "web.config", 4, 65)),
        "{expected:?}"
    );
    for enc in [Wide::Utf16Le, Wide::Utf16Be, Wide::Utf32Le, Wide::Utf32Be] {
        for (name, text) in files {
            std::fs::write(dir.path().join(name), encode(text, enc)).unwrap();
        }
        let (v, code) = json_report(dir.path(), &["."]);
        assert_eq!(findings(&v), expected, "{}", enc.name());
        assert_eq!(code, 1);
    }
}

#[test]
fn broken_utf16_is_reported_and_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = keyless::encoding::encode(
        "DB_PASSWORD=Fake-Db-Pa55word!\nNOTE=a",
        keyless::encoding::Wide::Utf16Le,
    );
    bytes.extend([0x00, 0xD8, b'b', 0, b'\n', 0]); // a lone high surrogate, then `b`
    std::fs::write(dir.path().join(".env"), bytes).unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(
        findings(&v),
        vec![f("INPUT004", ".env", 2, 7), f("KEY002", ".env", 1, 13)]
    );
}
