//! Issue 21, the input classes: what a parser, a suppression, the redaction and the diff printer
//! must do with hostile or broken input. Each test failed before its fix.

use crate::support::{findings, json_report, root};

fn f(rule: &str, path: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (rule.to_string(), path.to_string(), line, column)
}

/// `(rule_id, path, line, column)` of a JSON report's findings, sorted by place.
fn in_place_order(v: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    let mut got = findings(v);
    got.sort_by(|a, b| (&a.1, a.2, a.3, &a.0).cmp(&(&b.1, b.2, b.3, &b.0)));
    got
}

/// A `keyless:ignore` written inside a string (a YAML block scalar, a Bicep multi-line string, an
/// HCL heredoc or string, a JSON string, a quoted .env value, an XML attribute or CDATA) is content,
/// not a comment: it suppresses nothing, in every format that has comments.
#[test]
fn suppression_markers_inside_strings_suppress_nothing() {
    let dir = root().join("testdata/suppressions/in-strings");
    let (v, code) = json_report(&dir, &["."]);
    assert_eq!(
        in_place_order(&v),
        vec![
            f("KEY002", ".env", 5, 13),
            f("KEY002", ".env", 7, 16),
            f("KEY002", "appsettings.json", 3, 17),
            f("KEY002", "appsettings.json", 4, 81),
            f("CONN001", "azure-pipelines.yml", 5, 69),
            f("KEY002", "azure-pipelines.yml", 10, 20),
            f("KEY002", "main.bicep", 5, 18),
            f("KEY002", "main.bicep", 7, 21),
            f("KEY002", "main.tf", 6, 17),
            f("KEY002", "main.tf", 8, 20),
            f("KEY002", "web.config", 4, 34),
            f("KEY002", "web.config", 6, 37),
        ]
    );
    assert_eq!(v["suppressed"].as_array().map(Vec::len), Some(0), "{v}");
    assert_eq!(code, 1);
}

/// `(rule_id, path, line, column)` of a folder's findings, sorted by place.
fn by_place(dir: &std::path::Path, args: &[&str]) -> (Vec<(String, String, u64, u64)>, i32) {
    let (v, code) = json_report(dir, args);
    (in_place_order(&v), code)
}

/// A syntax error further down a file does not lose what parsed before it: the declarations and
/// values before the error are checked as in a file that parses (Bicep, `.bicepparam`, ARM and
/// app settings JSON, Terraform, YAML), and the declarations after a broken Bicep one too.
#[test]
fn what_parsed_before_a_syntax_error_is_checked() {
    let (got, code) = by_place(&root().join("testdata/recovery"), &["."]);
    assert_eq!(
        got,
        vec![
            f("KEY002", "appsettings.json", 2, 25),
            f("INPUT001", "appsettings.json", 3, 58),
            f("KEY002", "azure-pipelines.yml", 2, 15),
            f("INPUT001", "azure-pipelines.yml", 5, 4),
            f("KEY003", "azuredeploy.json", 7, 23),
            f("INPUT001", "azuredeploy.json", 15, 32),
            f("KEY003", "main.bicep", 3, 30),
            f("INPUT001", "main.bicep", 8, 1),
            f("KEY003", "main.bicep", 10, 27),
            f("KEY004", "main.bicepparam", 3, 23),
            f("INPUT001", "main.bicepparam", 5, 1),
            f("KEY002", "main.tf", 3, 35),
            f("INPUT001", "main.tf", 7, 9),
        ]
    );
    assert_eq!(code, 1);
}

/// A key written twice in a JSON object: the last value is the one Azure deploys and the one
/// judged, and the duplicate is reported at the second key (INPUT012).
#[test]
fn a_key_written_twice_is_judged_by_its_last_value_and_reported() {
    let (got, _) = by_place(&root().join("testdata/duplicate-keys/fire"), &["."]);
    assert_eq!(
        got,
        vec![
            f("INPUT012", "appsettings.json", 4, 5),
            f("KEY002", "appsettings.json", 4, 17),
            f("INPUT012", "azuredeploy.json", 8, 7),
            f("KEY003", "azuredeploy.json", 8, 23),
            f("INPUT012", "azuredeploy.parameters.json", 7, 7),
            f("KEY004", "azuredeploy.parameters.json", 7, 16),
        ]
    );
    let (got, code) = by_place(&root().join("testdata/duplicate-keys/silent"), &["."]);
    assert_eq!(got, vec![]);
    assert_eq!(code, 0);
}

/// What keyless could not check (a binary file under a configuration name, a file that does not
/// parse at all) fails a gate at `--fail-on error` by default; `[rules.severity]` lowers it.
#[test]
fn not_checked_fails_an_error_gate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.config"), b"MZ\x90\x00\x03\x00").unwrap();
    std::fs::write(dir.path().join("appsettings.json"), "{ \"a\": ").unwrap();
    let (got, code) = by_place(dir.path(), &["--fail-on", "error", "."]);
    assert_eq!(
        got,
        vec![
            f("INPUT001", "appsettings.json", 1, 8),
            f("INPUT003", "web.config", 1, 1)
        ]
    );
    assert_eq!(code, 1);
    std::fs::write(
        dir.path().join(".keyless.toml"),
        "[rules.severity]\nINPUT001 = \"warning\"\nINPUT003 = \"warning\"\n",
    )
    .unwrap();
    let (got, code) = by_place(dir.path(), &["--fail-on", "error", "."]);
    assert_eq!(got.len(), 2);
    assert_eq!(code, 0);
}

/// A Bicep storage account with shared key access left on (an MI003 fix turns it off) and a
/// literal password three lines above the fixed line: on a context line of its diff.
const SHARED_KEY_AND_PASSWORD: &str = "param location string = resourceGroup().location\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'stapp'\n  location: location\n  properties: {\n    administratorLoginPassword: 'Fake-Diff-Ctx-Pa55'\n    allowSharedKeyAccess: true\n  }\n}\n";

/// `--diff` never prints a secret on a context line, whatever turns off the rule that finds it:
/// `--select`, `--ignore` or `[per-file-ignores]`. The diff is withheld and named instead.
#[test]
fn diff_withholds_a_secret_the_selection_does_not_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.bicep"), SHARED_KEY_AND_PASSWORD).unwrap();
    std::fs::write(
        dir.path().join("pfi.toml"),
        "[per-file-ignores]\n\"*.bicep\" = [\"KEY\"]\n",
    )
    .unwrap();
    for args in [
        &["--select", "MI"][..],
        &["--ignore", "KEY"],
        &["--config", "pfi.toml"],
        &[],
    ] {
        let mut all = vec!["--diff", "--unsafe-fixes"];
        all.extend_from_slice(args);
        all.push(".");
        let o = crate::support::run(dir.path(), &all);
        assert!(
            !o.stdout.contains("Fake-Diff") && !o.stderr.contains("Fake-Diff"),
            "{args:?} printed the secret:\n{}",
            o.stdout
        );
        assert!(
            o.stderr
                .contains("main.bicep: the diff of 1 fix is not shown"),
            "{args:?}: {}",
            o.stderr
        );
        assert_eq!(o.code, 1, "{args:?}: there is something to fix");
    }
}

/// `--diff` headers quote file names as git does: a newline in a name cannot forge a header or a
/// hunk, and `git apply` reads the names back. A UTF-16 file's diff is not printed in UTF-8 (it
/// would not apply): it is named as not shown, with the reason.
#[cfg(unix)]
#[test]
fn diff_headers_quote_paths_and_wide_files_are_not_printed_as_utf8() {
    let fixable = SHARED_KEY_AND_PASSWORD
        .replace("    administratorLoginPassword: 'Fake-Diff-Ctx-Pa55'\n", "");
    let dir = tempfile::tempdir().unwrap();
    let forged = "x\n+++ b/victim.bicep\n@@ -1 +1 @@\ny.bicep";
    let name = forged.replace('/', "_");
    std::fs::write(dir.path().join(&name), &fixable).unwrap();
    std::fs::write(dir.path().join("café.bicep"), &fixable).unwrap();
    std::fs::write(dir.path().join("victim.bicep"), "param keep string\n").unwrap();
    let mut wide = vec![0xff, 0xfe];
    wide.extend(fixable.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("wide.bicep"), wide).unwrap();
    let o = crate::support::run(dir.path(), &["--diff", "--unsafe-fixes", "."]);
    let headers: Vec<&str> = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("--- ") || l.starts_with("+++ "))
        .collect();
    assert_eq!(
        headers,
        vec![
            "--- \"a/caf\\303\\251.bicep\"",
            "+++ \"b/caf\\303\\251.bicep\"",
            "--- \"a/x\\n+++ b_victim.bicep\\n@@ -1 +1 @@\\ny.bicep\"",
            "+++ \"b/x\\n+++ b_victim.bicep\\n@@ -1 +1 @@\\ny.bicep\"",
        ],
        "{}",
        o.stdout
    );
    assert!(
        o.stderr.contains(
            "wide.bicep: the diff of 1 fix is not shown: the file is in UTF-16LE, and a diff printed in UTF-8 would not apply to it"
        ),
        "{}",
        o.stderr
    );
    let patch = dir.path().join("fix.patch");
    std::fs::write(&patch, &o.stdout).unwrap();
    let check = std::process::Command::new("git")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .arg("-C")
        .arg(dir.path())
        .args(["apply", "--check", "--unsafe-paths", "fix.patch"])
        .output()
        .expect("git runs");
    assert!(
        check.status.success(),
        "git apply: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A password shows no character and no length, in evidence and in code frames, in every format:
/// a short and a long one print the same.
#[test]
fn a_password_shows_no_character_and_no_length() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("appsettings.json"),
        "{\n  \"Smtp\": { \"Password\": \"Zq81-Pa55-Long-Value-0042\" },\n  \"Db\": { \"Password\": \"Zq81-Pw\" }\n}\n",
    )
    .unwrap();
    for format in ["human", "compact", "json", "sarif", "github", "azure"] {
        let o = crate::support::run(dir.path(), &["--format", format, "."]);
        assert!(!o.stdout.contains("Zq8"), "{format}: {}", o.stdout);
        assert!(o.stdout.contains("********"), "{format}: {}", o.stdout);
    }
    let o = crate::support::run(dir.path(), &["--format", "human", "."]);
    assert!(
        o.stdout
            .contains("2 │   \"Smtp\": { \"Password\": \"********\" },"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("3 │   \"Db\": { \"Password\": \"********\" }"),
        "{}",
        o.stdout
    );
}

/// The files a source file names through `crate::…` paths outside its tests (comments skipped).
fn imports(file: &std::path::Path) -> std::collections::BTreeSet<std::path::PathBuf> {
    let src = root().join("src");
    let text = std::fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = std::collections::BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let path: Vec<&str> = line[i + 7..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .collect();
            // the longest prefix of the path that is a file
            for n in (1..=path.len()).rev() {
                let base = src.join(path[..n].join("/"));
                let found = [base.with_extension("rs"), base.join("mod.rs")]
                    .into_iter()
                    .find(|p| p.is_file());
                if let Some(p) = found {
                    if p != file {
                        out.insert(p);
                    }
                    break;
                }
            }
        }
    }
    out
}

/// Layers point one way: no parser imports an analysis (the connection-string grammar the
/// line-level recovery needs is `src/connstr.rs`, below both), and the connection-string files
/// and `analysis/exposure.rs` import each other in one direction only.
#[test]
fn parsers_import_no_analysis_and_connection_strings_form_no_cycle() {
    let src = root().join("src");
    let mut parse_files = Vec::new();
    let mut stack = vec![src.join("parse")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("tests.rs") {
                parse_files.push(p);
            }
        }
    }
    for f in &parse_files {
        for i in imports(f) {
            assert!(
                !i.starts_with(src.join("analysis")),
                "{} imports {}",
                f.display(),
                i.display()
            );
        }
    }
    let group = [
        src.join("connstr.rs"),
        src.join("analysis/connstr.rs"),
        src.join("analysis/connstr/search.rs"),
        src.join("analysis/exposure.rs"),
    ];
    for a in &group {
        for b in imports(a).iter().filter(|b| group.contains(b)) {
            assert!(
                !imports(b).contains(a),
                "{} and {} import each other",
                a.display(),
                b.display()
            );
        }
    }
}

/// Errors that quote input pass the one masking and escaping function (`redact::input_text`):
/// a baseline's or a configuration's value echoed by the deserializer is masked, on the command
/// line and in the language server (diagnostic and message); `keyless explain` escapes control
/// characters of its argument.
#[test]
fn errors_that_quote_input_are_masked_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "hunter2-Zq9m";
    std::fs::write(
        dir.path().join("b.json"),
        format!("{{\"version\": 1, \"key\": \"00\", \"entries\": \"{secret}\"}}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".keyless.toml"),
        format!("[rules]\nselect = \"{secret}\"\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.toml"), "").unwrap();
    let o = crate::support::run(
        dir.path(),
        &["--baseline", "b.json", "--config", "empty.toml", "."],
    );
    let o2 = crate::support::run(dir.path(), &["."]);
    for o in [&o, &o2] {
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(!o.stderr.contains("hunter2"), "{}", o.stderr);
        assert!(o.stderr.contains("string \"********\""), "{}", o.stderr);
    }
    let o = crate::support::run(dir.path(), &["explain", "X\u{1b}[2JY\u{7}"]);
    assert_eq!(o.code, 2);
    assert!(!o.stderr.contains('\u{1b}') && !o.stderr.contains('\u{7}'));
    assert!(o.stderr.contains("no rule `X\\e[2JY"), "{}", o.stderr);

    // the server: the configuration's diagnostic and the message shown
    use crate::support::lsp_client::{file_uri, Client};
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(env!("CARGO_BIN_EXE_keyless"), &root);
    c.initialize(&root, serde_json::json!({}));
    let cfg = file_uri(&root.join(".keyless.toml"));
    let diags = c.diagnostics(&cfg, None);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let (status, transcript) = c.shutdown();
    assert_eq!(status, Some(0));
    assert!(
        transcript
            .iter()
            .any(|m| m.contains("string \\\"********\\\"")),
        "{transcript:#?}"
    );
    for m in &transcript {
        assert!(!m.contains("hunter2"), "the server echoed the value: {m}");
    }
}

/// A Bicep-generated template beside its source is checked for literal secrets: one planted in it
/// is reported, one its source also holds is reported once (at the source), a value derived by an
/// expression and the rest of its rules are left to the source. Every format names the file and
/// its source.
#[test]
fn generated_json_beside_its_source_is_checked_for_literal_secrets_and_named() {
    let dir = root().join("testdata/generated-planted");
    let (v, code) = json_report(&dir, &["."]);
    assert_eq!(
        in_place_order(&v),
        vec![
            f("KEY003", "main.bicep", 5, 32),
            f("KEY002", "main.bicep", 7, 20),
            f("MI001", "main.bicep", 9, 1),
            f("KEY003", "main.json", 10, 23),
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["generated_skipped"], 1);
    assert_eq!(
        v["summary"]["generated"],
        serde_json::json!([{ "path": "main.json", "source": "main.bicep" }])
    );
    let named = "1 Bicep-generated JSON file checked for literal secrets only";
    for format in ["human", "github", "azure"] {
        let o = crate::support::run(&dir, &["--format", format, "."]);
        assert!(o.stdout.contains(named), "{format}: {}", o.stdout);
    }
    let o = crate::support::run(&dir, &["--format", "compact", "."]);
    assert!(o.stderr.contains(named), "compact: {}", o.stderr);
    let o = crate::support::run(&dir, &["--format", "sarif", "."]);
    let sarif: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(
        run["properties"]["generatedCheckedForLiteralSecretsOnly"],
        serde_json::json!([{ "path": "main.json", "source": "main.bicep" }])
    );
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes.iter().any(|n| n["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("main.json: Bicep-generated JSON checked for literal secrets only")),
        "{notes:#?}"
    );
}
