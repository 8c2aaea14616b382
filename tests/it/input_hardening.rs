//! Input hardening (issue 11): nothing a CI gate could have seen may pass with exit 0. Each test
//! here failed before its fix: a selection that hid INPUT diagnostics, ignored but tracked files,
//! UTF-16 files read as binary, file names that are not UTF-8, `--changed-since`.

use serde_json::Value;

use crate::support::{git, json_report, json_report_env, keyless, write};

/// `(rule_id, path, line, column)` of every finding, sorted.
fn findings(v: &Value) -> Vec<(String, String, u64, u64)> {
    let mut out = crate::support::findings(v);
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

/// Findings other than INPUT…, sorted.
fn rule_findings(v: &Value) -> Vec<(String, String, u64, u64)> {
    findings(v)
        .into_iter()
        .filter(|(r, _, _, _)| !r.starts_with("INPUT"))
        .collect()
}

#[test]
fn broken_files_keep_their_password_settings_and_connection_strings() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "appsettings.json",
            "{\n  \"Smtp\": { \"Password\": \"Fake-Smtp-Pa55!\" },,\n  \"ConnectionStrings\": { \"Db\": \"Server=tcp:db.database.windows.net;Database=app;User ID=app;Password=Fake-Db-Pa55word!;\" }\n",
        ),
        (
            "web.config",
            "<configuration>\n  <appSettings>\n    <add key=\"SmtpPassword\" value=\"Fake-Smtp-Pa55!\" />\n  </appSettings\n  <connectionStrings>\n    <add name=\"Db\" connectionString=\"Server=tcp:db.database.windows.net;Database=app;User ID=app;Password=Fake-Db-Pa55word!;\" />\n</configuration>\n",
        ),
        (
            "pipeline.yml",
            "variables:\n  dbPassword: Fake-Db-Pa55word!\n  - [ broken\n",
        ),
        (
            "main.tf",
            "resource \"azurerm_mssql_server\" \"s\" {\n  administrator_login_password = \"Fake-Sql-Pa55word!\"\n  {{ broken\n}\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (v, _) = json_report(dir.path(), &["."]);
    let inputs: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(r, _, _, _)| r == "INPUT001")
        .map(|(_, p, _, _)| p)
        .collect();
    assert_eq!(
        inputs,
        vec!["appsettings.json", "main.tf", "pipeline.yml", "web.config"],
        "every file here is broken"
    );
    assert_eq!(
        rule_findings(&v),
        vec![
            f("CONN001", "appsettings.json", 3, 102),
            f("CONN001", "web.config", 6, 107),
            f("KEY002", "appsettings.json", 2, 25),
            f("KEY002", "main.tf", 2, 35),
            f("KEY002", "pipeline.yml", 2, 15),
            f("KEY002", "web.config", 3, 36),
        ]
    );
}

#[test]
fn broken_files_stay_silent_on_placeholders_and_references() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "appsettings.json",
            "{\n  \"Smtp\": { \"Password\": \"<your-password>\" },,\n  \"Db\": \"Server=tcp:db.database.windows.net;Authentication=Active Directory Default;\"\n",
        ),
        (
            "main.tf",
            "resource \"azurerm_mssql_server\" \"s\" {\n  administrator_login_password = var.sql_password\n  other = \"${random_password.p.result}\"\n  {{ broken\n}\n",
        ),
        (
            "pipeline.yml",
            "variables:\n  dbPassword: $(DbPassword)\n  note: see the wiki for the password\n  - [ broken\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(rule_findings(&v), vec![], "{v}");
}

#[test]
fn comments_are_scanned_in_every_dialect() {
    let dir = tempfile::tempdir().unwrap();
    let cs =
        "Server=tcp:db.database.windows.net;Database=app;User ID=app;Password=Fake-Db-Pa55word!;";
    let files = [
        (".env", format!("# DB={cs}\nAPP=1 # SMTP_PASSWORD=Fake-Smtp-Pa55!\n")),
        (
            "web.config",
            format!("<configuration>\n  <!-- old: <add name=\"Db\" connectionString=\"{cs}\" /> -->\n  <appSettings>\n    <!--\n    <add key=\"SmtpPassword\" value=\"Fake-Smtp-Pa55!\" />\n    -->\n  </appSettings>\n</configuration>\n"),
        ),
        (
            "appsettings.json",
            format!("{{\n  // \"SmtpPassword\": \"Fake-Smtp-Pa55!\",\n  /* \"Db\": \"{cs}\" */\n  \"Logging\": {{}}\n}}\n"),
        ),
        (
            "main.tf",
            "# administrator_login_password = \"Fake-Sql-Pa55word!\"\nlocals {\n  a = 1 // client_secret = \"Fake~8Q~tfcl1ent.s3cret-valu3\"\n}\n/*\n  password = \"Fake-Db-Pa55word!\"\n*/\n".to_string(),
        ),
        (
            "pipeline.yml",
            "variables:\n  # dbPassword: Fake-Db-Pa55word!\n  region: westeurope # apiKey: Fake-Api-K3y-Value-0001\n".to_string(),
        ),
        (
            "main.bicep",
            "param region string = 'westeurope' // adminPassword: 'Fake-Bicep-Adm1n-Pa55!'\n/* var sqlPassword = 'Fake-Bicep-Sql-Pa55!' */\n".to_string(),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (v, code) = json_report(dir.path(), &["."]);
    assert_eq!(
        findings(&v),
        vec![
            f("CONN001", ".env", 1, 75),
            f("CONN001", "appsettings.json", 3, 82),
            f("CONN001", "web.config", 2, 115),
            f("KEY002", ".env", 2, 23),
            f("KEY002", "appsettings.json", 2, 23),
            f("KEY002", "main.bicep", 1, 55),
            f("KEY002", "main.bicep", 2, 23),
            f("KEY002", "main.tf", 1, 35),
            f("KEY002", "main.tf", 3, 29),
            f("KEY002", "main.tf", 6, 15),
            f("KEY002", "pipeline.yml", 2, 17),
            f("KEY002", "pipeline.yml", 3, 32),
            f("KEY002", "web.config", 5, 36),
        ],
        "{v}"
    );
    assert_eq!(code, 1);
    for finding in v["findings"].as_array().unwrap() {
        let msg = finding["message"].as_str().unwrap();
        assert!(
            msg.ends_with("(in a comment: commented out, but still in the file and its history)"),
            "{msg}"
        );
        assert!(finding["fix"].is_null(), "{finding}");
    }
}

#[test]
fn suppression_and_prose_comments_are_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            ".env",
            "# keyless:ignore KEY002 -- the value below is a test fixture\nSMTP_PASSWORD=Fake-Smtp-Pa55!\n# Password: read it from Key Vault, never write it here\n# DB_PASSWORD=<your-password>\n",
        ),
        (
            "pipeline.yml",
            "# password: $(DbPassword)\n# connection: Server=tcp:x.database.windows.net;Authentication=Active Directory Default;\nvariables:\n  a: 1\n",
        ),
        (
            "main.tf",
            "# password = var.sql_password\nlocals {\n  a = 1\n}\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (v, code) = json_report(dir.path(), &["."]);
    assert_eq!(findings(&v), vec![], "{v}");
    assert_eq!(code, 0);
}

const APPSETTINGS: &str = "{\n  \"Smtp\": { \"Password\": \"Fake-Smtp-Pa55!\" }\n}\n";

#[test]
fn tracked_files_are_scanned_even_when_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "app/appsettings.json", APPSETTINGS);
    write(d, "app/web.config", WEB_CONFIG);
    write(d, "vendor/node_modules/pkg/appsettings.json", APPSETTINGS);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "initial"]);
    // a later change ignores the committed files; an untracked ignored file stays unscanned
    write(d, ".gitignore", "appsettings.json\nlocal/\n");
    write(d, "app/.ignore", "web.config\n");
    write(d, "local/.env", "DB_PASSWORD=Fake-Db-Pa55word!\n");
    let (v, code) = json_report(d, &["."]);
    assert_eq!(
        findings(&v),
        vec![
            f("KEY002", "app/appsettings.json", 2, 25),
            f("KEY002", "app/web.config", 3, 36),
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files_scanned"], 2, "{v}");
    // a subfolder root, and a root given with a trailing slash, see the same
    let (v, _) = json_report(d, &["app/"]);
    assert_eq!(findings(&v).len(), 2, "{v}");
    // --no-ignore walks everything, once
    let (v, _) = json_report(d, &["--no-ignore", "."]);
    assert_eq!(
        findings(&v)
            .iter()
            .map(|x| x.1.as_str())
            .collect::<Vec<_>>(),
        vec![
            "app/appsettings.json",
            "app/web.config",
            "local/.env",
            "vendor/node_modules/pkg/appsettings.json"
        ]
    );
    // outside a repository the walk is as before: .gitignore still applies
    std::fs::remove_dir_all(d.join(".git")).unwrap();
    let (v, _) = json_report(d, &["."]);
    assert_eq!(
        findings(&v),
        vec![] as Vec<(String, String, u64, u64)>,
        "{v}"
    );
}

#[test]
fn changed_since_scans_only_what_the_branch_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "old/appsettings.json", APPSETTINGS);
    write(d, "changed/web.config", "<configuration />\n");
    write(d, "staged/appsettings.json", "{}\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    git(d, &["checkout", "-qb", "feature"]);
    write(d, "changed/web.config", WEB_CONFIG);
    git(d, &["commit", "-qam", "feature work"]);
    // main moves on after the branch left it: its changes are not the branch's
    git(d, &["checkout", "-q", "main"]);
    write(d, "main-only/appsettings.json", APPSETTINGS);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "main work"]);
    git(d, &["checkout", "-q", "feature"]);
    // staged, and untracked (not ignored), count too; deleted files do not
    write(d, "staged/appsettings.json", APPSETTINGS);
    git(d, &["add", "staged/appsettings.json"]);
    write(d, "new/.env", "DB_PASSWORD=Fake-Db-Pa55word!\n");
    git(d, &["rm", "-q", "old/appsettings.json"]);
    let (v, code) = json_report(d, &["--changed-since", "main", "."]);
    assert_eq!(
        findings(&v),
        vec![
            f("KEY002", "changed/web.config", 3, 36),
            f("KEY002", "new/.env", 1, 13),
            f("KEY002", "staged/appsettings.json", 2, 25),
        ]
    );
    assert_eq!(v["summary"]["files_scanned"], 3, "{v}");
    assert_eq!(code, 1);
    // only under the given paths
    let (v, _) = json_report(d, &["--changed-since", "main", "new"]);
    assert_eq!(findings(&v), vec![f("KEY002", "new/.env", 1, 13)]);

    // an unknown ref and a folder outside any repository are usage errors that say so
    let out = keyless()
        .current_dir(d)
        .args(["--changed-since", "no-such-branch", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`no-such-branch` names no commit"), "{err}");
    let out = keyless()
        .current_dir(d)
        .args(["--changed-since", "--upload-pack=x", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let outside = tempfile::tempdir().unwrap();
    let out = keyless()
        .current_dir(outside.path())
        .args(["--changed-since", "main", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not inside a git repository"), "{err}");
}

/// The user's global ignore file (`core.excludesFile` in the global git configuration) leaves out
/// untracked files the same way with and without `--changed-since`; a tracked file it matches is
/// still scanned (an ignore file cannot hide a committed secret).
#[test]
fn changed_since_honours_the_global_excludes_file_like_the_walk() {
    let home = tempfile::tempdir().unwrap();
    let excludes = home.path().join("global-ignore");
    std::fs::write(&excludes, "scratch/\n").unwrap();
    std::fs::write(
        home.path().join(".gitconfig"),
        format!("[core]\n\texcludesFile = {}\n", excludes.display()),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "tracked/scratch/.env", "DB_PASSWORD=Fake-Db-Pa55word!\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    write(
        d,
        "tracked/scratch/.env",
        "DB_PASSWORD=Other-Fake-Pa55word!\n",
    );
    write(d, "scratch/.env", "DB_PASSWORD=Fake-Db-Pa55word!\n");
    write(d, "new/.env", "DB_PASSWORD=Fake-Db-Pa55word!\n");
    let home_dir = home.path().to_str().unwrap();
    let env = [("HOME", home_dir), ("XDG_CONFIG_HOME", home_dir)];
    for args in [&["--changed-since", "HEAD", "."][..], &["."]] {
        let (v, code) = json_report_env(d, args, &env);
        assert_eq!(
            findings(&v),
            vec![
                f("KEY002", "new/.env", 1, 13),
                f("KEY002", "tracked/scratch/.env", 1, 13),
            ],
            "{args:?}: {v}"
        );
        assert_eq!(code, 1);
    }
}

/// Issue 11, item 15: the line-level reading of a file no parser accepted, and of comments, looks
/// at the per-file clock: past `--file-timeout` it stops, the file's INPUT011 names the first line
/// it did not read, and the scan goes on with the next file. (A bound of 0 has always passed when the
/// reading starts, so the test does not depend on the machine's speed.)
#[test]
fn the_line_reading_of_broken_files_and_comments_keeps_the_file_timeout() {
    let d = tempfile::tempdir().unwrap();
    let many = |line: &dyn Fn(usize) -> String| (0..3000).map(line).collect::<String>();
    // broken files of every dialect the line reading serves
    let broken = [
        (
            "appsettings.json",
            format!(
                "{{\n{}  broken\n}}\n",
                many(&|i| format!("  \"Db{i}Password\": \"Zq7-{i}-Pw\",\n"))
            ),
        ),
        (
            "web.config",
            format!(
                "<configuration><appSettings>\n{}<broken\n",
                many(&|i| format!("<add key=\"Db{i}Password\" value=\"Zq7-{i}-Pw\" />\n"))
            ),
        ),
        (
            "main.bicep",
            format!(
                "{}resource {{ broken\n",
                many(&|i| format!("// db{i}Password = 'Zq7-{i}-Pw'\n"))
            ),
        ),
        // well-formed files whose comments are read line by line
        (
            "local.env",
            many(&|i| format!("# DB{i}_PASSWORD=Zq7-{i}-Pw\n")),
        ),
        (
            "main.tf",
            many(&|i| format!("# db{i}_password = \"Zq7-{i}-Pw\"\n")),
        ),
    ];
    for (name, text) in &broken {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    let (v, code) = json_report(d.path(), &["--file-timeout", "0", "."]);
    assert_eq!(code, 1);
    for (name, _) in &broken {
        let stopped = v["findings"].as_array().expect("findings").iter().any(|f| {
            f["rule_id"] == "INPUT011"
                && f["path"] == *name
                && f["message"].as_str().is_some_and(|m| {
                    m.contains(
                        "line-by-line reading of its text (broken, or comments) stopped at line ",
                    )
                })
        });
        assert!(stopped, "{name}: no INPUT011 from the line reading: {v}");
    }
    // with the default bound every line is read: no such diagnostic
    let (v, _) = json_report(d.path(), &["."]);
    assert!(
        !v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule_id"] == "INPUT011"),
        "{v}"
    );
}
