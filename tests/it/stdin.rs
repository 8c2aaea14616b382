//! `keyless - --stdin-filename NAME`: one document from standard input, scanned as the file NAME.

use assert_cmd::Command;

use crate::support::keyless_in;

const SECRET: &str = "Fake-Sql-Pa55word!";

fn sql() -> String {
    format!("Server=tcp:x.database.windows.net;Database=d;User ID=u;Password={SECRET}")
}

fn keyless(dir: &std::path::Path) -> Command {
    let mut c = keyless_in(dir);
    c.env_remove("NO_COLOR");
    c
}

#[test]
fn stdin_is_scanned_as_the_named_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "appsettings.json",
            format!("{{\n  \"Db\": \"{}\"\n}}\n", sql()),
            2,
        ),
        (
            "infra/main.tf",
            format!("locals {{\n\n  conn = \"{}\"\n}}\n", sql()),
            3,
        ),
        ("main.bicep", format!("var conn = '{}'\n", sql()), 1),
        (".env", format!("# x\n\n\n\nSQL={}\n", sql()), 5),
    ];
    for (name, text, line) in cases {
        let out = keyless(dir.path())
            .args(["--format", "compact", "-", "--stdin-filename", name])
            .write_stdin(text.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let col = text.lines().nth(line - 1).unwrap().find(SECRET).unwrap() + 1;
        assert_eq!(
            stdout.lines().next().unwrap().split(": ").next().unwrap(),
            format!("{name}:{line}:{col}"),
            "{stdout}"
        );
        assert!(stdout.contains("[CONN001]"));
        assert!(!stdout.contains(SECRET));
    }
}

#[test]
fn stdin_uses_the_configuration_suppressions_and_excludes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join(".keyless.toml"),
        "[rules.severity]\nCONN001 = \"note\"\n[paths]\nexclude = [\"generated/**\"]\n",
    )
    .unwrap();
    let text = format!("{{\"Db\": \"{}\"}}\n", sql());
    // severity from the configuration found from the named file's folder upwards
    let out = keyless(&dir.path().join("sub"))
        .args(["--format", "compact", "--fail-on", "warning", "-"])
        .args(["--stdin-filename", "appsettings.json"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("note[CONN001]"));
    // an excluded name: nothing reported
    let out = keyless(dir.path())
        .args([
            "--format",
            "compact",
            "-",
            "--stdin-filename",
            "generated/appsettings.json",
        ])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // an inline suppression works as in a file
    let suppressed = format!(
        "{{\n  // keyless:ignore CONN001 -- test document\n  \"Db\": \"{}\"\n}}\n",
        sql()
    );
    let out = keyless(dir.path())
        .args([
            "--format",
            "json",
            "-",
            "--stdin-filename",
            "appsettings.json",
        ])
        .write_stdin(suppressed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["suppressed"], 1, "{v}");
    assert_eq!(v["summary"]["files_scanned"], 1);
}

#[test]
fn stdin_without_a_name_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    // no name: JSON by content
    let out = keyless(dir.path())
        .args(["--format", "compact", "-"])
        .write_stdin(format!("{{\"Db\": \"{}\"}}", sql()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("-:1:"));
    // binary and oversized input are diagnostics, not crashes
    let out = keyless(dir.path())
        .args(["--format", "compact", "-", "--stdin-filename", "a.json"])
        .write_stdin(b"{\0}".to_vec())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("[INPUT"),
        "{out:?}"
    );
    let out = keyless(dir.path())
        .args(["--format", "compact", "--max-file-size", "10", "-"])
        .args(["--stdin-filename", "a.json"])
        .write_stdin("{\"a\": \"0123456789\"}")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("INPUT002"),
        "{out:?}"
    );
    for args in [vec!["-", "."], vec!["--stdin-filename", "a.json", "."]] {
        let out = keyless(dir.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
