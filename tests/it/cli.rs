//! CLI-level tests: exit codes, report formats, and bad input. Each broken-input case asserts the
//! diagnostic it must produce, not only the absence of a crash.

use std::path::Path;

use serde_json::Value;

use crate::support::{findings, json_report, keyless};

fn rule_at(v: &Value, rule: &str, path: &str) -> Vec<(u64, u64)> {
    findings(v)
        .into_iter()
        .filter(|(r, p, _, _)| r == rule && p == path)
        .map(|(_, _, l, c)| (l, c))
        .collect()
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = keyless().args(["--format", "nope", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid value 'nope'"), "{err}");
    assert!(
        err.contains("human") && err.contains("sarif"),
        "lists the choices: {err}"
    );
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = keyless().arg("/no/such/path").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`/no/such/path` does not exist"), "{err}");
    assert_eq!(err.lines().count(), 1, "one-line message: {err}");
}

#[test]
fn rules_and_explain() {
    let out = keyless().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text
        .lines()
        .any(|l| l.starts_with("INPUT001") && l.contains("unparseable-file")));
    // aligned columns: the severity, name and summary start at the same column on every line
    let starts = |l: &str| -> Vec<usize> {
        let mut v = Vec::new();
        let b = l.as_bytes();
        for i in 1..b.len() {
            if b[i] != b' ' && b[i - 1] == b' ' && i >= 2 && b[i - 2] == b' ' {
                v.push(i);
            }
        }
        v.truncate(3);
        v
    };
    let first = starts(text.lines().next().unwrap_or_default());
    assert_eq!(first.len(), 3, "{text}");
    for l in text.lines() {
        assert_eq!(starts(l), first, "misaligned: {l}");
    }

    let out = keyless().args(["explain", "INPUT001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# INPUT001 unparseable-file"));

    let out = keyless()
        .args(["explain", "unparseable-file"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));

    let out = keyless().args(["explain", "NOPE999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("keyless rules"));
}

#[test]
fn clean_tree_exits_zero_and_findings_exit_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("appsettings.json"),
        "{\"Logging\": {\"Level\": \"Info\"}}",
    )
    .unwrap();
    let (v, code) = json_report(dir.path(), &["."]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["files_scanned"], 1);
    assert_eq!(v["summary"]["findings"], 0);

    std::fs::write(dir.path().join("broken.json"), "{\"a\" 1}").unwrap();
    let (_, code) = json_report(dir.path(), &["."]);
    assert_eq!(
        code, 1,
        "an unparseable file fails at the default --fail-on warning"
    );
    let (_, code) = json_report(dir.path(), &["--fail-on", "error", "."]);
    assert_eq!(code, 1, "what was not checked fails an error gate too");
    let (_, code) = json_report(dir.path(), &["--fail-on", "never", "."]);
    assert_eq!(code, 0);
}

#[test]
fn broken_json_is_reported_at_the_error_and_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{\n  \"a\": 1\n  \"b\": 2\n}").unwrap();
    std::fs::write(dir.path().join("ok.json"), "{\"fine\": true}").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    // jsonc-parser points where the comma is missing: after `1`.
    assert_eq!(rule_at(&v, "INPUT001", "a.json"), vec![(2, 9)]);
    assert_eq!(v["summary"]["files_scanned"], 2);
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte_and_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.json"),
        b"{\n  \"name\": \"caf\xe9\"\n}",
    )
    .unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(rule_at(&v, "INPUT004", "app.json"), vec![(2, 15)]);
    assert!(
        rule_at(&v, "INPUT001", "app.json").is_empty(),
        "parsed after repair"
    );
}

#[test]
fn empty_json_file_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("appsettings.json"), "").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(rule_at(&v, "INPUT001", "appsettings.json"), vec![(1, 1)]);
}

#[test]
fn binary_file_is_reported_not_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.config"), b"MZ\x90\x00\x03\x00\x00\x00").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(rule_at(&v, "INPUT003", "web.config"), vec![(1, 1)]);
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("NUL byte at offset 3"), "{msg}");
}

#[test]
fn json_nested_100000_deep_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    std::fs::write(dir.path().join("deep.json"), deep).unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    let hits = rule_at(&v, "INPUT006", "deep.json");
    assert_eq!(hits.len(), 1, "{v}");
    assert_eq!(hits[0].0, 1);
}

/// Long chains of `.name`, `[i]`, calls and binary operators build trees as deep as the chain is
/// long; before they counted against the nesting limit, 100,000 links overflowed the stack and
/// aborted the whole scan.
#[test]
fn long_operator_and_accessor_chains_are_too_deep_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let arm = |expr: String| {
        format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n\"variables\": {{\"x\": \"[{expr}]\"}}}}"
        )
    };
    let files = [
        ("member.bicep", format!("var x = a{}\n", ".b".repeat(n))),
        ("index.bicep", format!("var x = a{}\n", "[0]".repeat(n))),
        ("calls.bicep", format!("var x = a{}\n", ".b()".repeat(n))),
        ("sum.bicep", format!("var x = 1{}\n", " + 1".repeat(n))),
        (
            "member.json",
            arm(format!("variables('a'){}", ".b".repeat(n))),
        ),
        (
            "index.json",
            arm(format!("variables('a'){}", "[0]".repeat(n))),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("ok.bicep"), "var y = a.b.c[0]\n").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(v["summary"]["files_scanned"], files.len() + 1, "{v}");
    for (name, _) in &files[..4] {
        let hits = rule_at(&v, "INPUT006", name);
        assert_eq!(hits.len(), 1, "{name}: {v}");
        assert_eq!(hits[0].0, 1, "{name}");
    }
    for (name, _) in &files[4..] {
        let msg = findings_message(&v, "INPUT001", name);
        assert!(msg.contains("nested too deeply"), "{name}: {msg}");
    }
    assert!(findings(&v).iter().all(|f| f.1 != "ok.bicep"), "{v}");
}

#[test]
fn fifty_megabyte_single_line_file_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!("{{\"blob\": \"{}\"}}", "A".repeat(50 * 1024 * 1024));
    std::fs::write(dir.path().join("big.json"), big).unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(rule_at(&v, "INPUT002", "big.json"), vec![(1, 1)]);
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("--max-file-size"), "{msg}");
    // Raising the cap scans it, in bounded time.
    let (v, _) = json_report(dir.path(), &["--max-file-size", "64M", "."]);
    assert!(rule_at(&v, "INPUT002", "big.json").is_empty());
    assert_eq!(v["summary"]["files_scanned"], 1);
}

#[test]
fn per_file_time_bound_skips_the_remaining_rules_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("appsettings.json"),
        "{\n  \"ConnectionStrings\": {\n    \"Db\": \"Server=tcp:db.database.windows.net;User ID=app;Password=Fixture-Not-Real-42;\"\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"a\": 1\n  \"b\": 2\n}",
    )
    .unwrap();
    let rule_findings = |v: &Value| {
        findings(v)
            .into_iter()
            .filter(|(r, _, _, _)| !r.starts_with("INPUT"))
            .count()
    };

    // Within the default bound every rule runs.
    let (v, _) = json_report(dir.path(), &["."]);
    assert!(rule_findings(&v) > 0, "{v}");
    assert!(rule_at(&v, "INPUT011", "appsettings.json").is_empty());

    // A bound of zero is exceeded by every file as soon as it is parsed: the INPUT rules still
    // report what parsing found, every other rule is skipped and named, and the scan goes on.
    let (v, _) = json_report(dir.path(), &["--file-timeout", "0", "."]);
    assert_eq!(rule_findings(&v), 0, "{v}");
    assert_eq!(rule_at(&v, "INPUT011", "appsettings.json"), vec![(1, 1)]);
    assert_eq!(rule_at(&v, "INPUT011", "broken.json"), vec![(1, 1)]);
    assert_eq!(rule_at(&v, "INPUT001", "broken.json"), vec![(2, 9)]);
    assert_eq!(v["summary"]["files_scanned"], 2);
    let msg = findings_message(&v, "INPUT011", "appsettings.json");
    assert!(msg.contains("--file-timeout"), "{msg}");
    assert!(msg.contains("KEY002") && msg.contains("CONN001"), "{msg}");

    // Only the selected rules are named.
    let (v, _) = json_report(
        dir.path(),
        &[
            "--file-timeout",
            "0s",
            "--select",
            "KEY002,INPUT",
            "appsettings.json",
        ],
    );
    let msg = findings_message(&v, "INPUT011", "appsettings.json");
    assert!(msg.ends_with("1 rule was not run on it: KEY002"), "{msg}");

    // Malformed durations are usage errors.
    let out = keyless()
        .current_dir(dir.path())
        .args(["--file-timeout", "soon", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn findings_message(v: &Value, rule: &str, path: &str) -> String {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["path"] == path)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} on {path}: {v}"))
        .to_string()
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop_is_reported_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("modules");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink("..", sub.join("loop")).unwrap();
    std::fs::write(sub.join("appsettings.json"), "{}").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    let loops: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(r, ..)| r == "INPUT007")
        .collect();
    assert_eq!(loops.len(), 1, "{v}");
    assert_eq!(loops[0].1, "modules/loop");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("appsettings.json");
    std::fs::write(&path, "{}").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(&path).is_ok(); // root ignores file modes
    let (v, _) = if readable_anyway {
        // As root, a read error comes from a file the kernel refuses to read: /proc/self/mem
        // reads fail with EIO at offset 0.
        json_report(dir.path(), &["/proc/self/mem"])
    } else {
        json_report(dir.path(), &["."])
    };
    let hits: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(r, ..)| r == "INPUT005")
        .collect();
    assert_eq!(hits.len(), 1, "{v}");
    assert_eq!((hits[0].2, hits[0].3), (1, 1));
}

#[test]
fn explicit_files_are_scanned_even_when_ignored_or_unknown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored.json\n").unwrap();
    std::fs::write(dir.path().join("ignored.json"), "{\"a\" 1}").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert!(
        rule_at(&v, "INPUT001", "ignored.json").is_empty(),
        "gitignored in a walk"
    );
    let (v, _) = json_report(dir.path(), &["ignored.json", "notes.txt"]);
    assert_eq!(rule_at(&v, "INPUT001", "ignored.json"), vec![(1, 6)]);
    assert_eq!(v["summary"]["files_scanned"], 2);
    let (v, _) = json_report(dir.path(), &["--no-ignore", "."]);
    assert_eq!(rule_at(&v, "INPUT001", "ignored.json"), vec![(1, 6)]);
}

#[test]
fn skipped_folders_are_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["node_modules", ".terraform", ".git"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
        std::fs::write(dir.path().join(d).join("bad.json"), "{").unwrap();
    }
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(v["summary"]["files_scanned"], 0, "{v}");
    let (v, _) = json_report(dir.path(), &["--no-ignore", "."]);
    assert_eq!(v["summary"]["files_scanned"], 3, "{v}");
}

#[test]
fn json_report_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "keyless");
    let f = &v["findings"][0];
    for key in [
        "rule_id",
        "rule_name",
        "family",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "evidence",
        "help",
        "fix",
        "fingerprint",
        "also",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["rule_id"], "INPUT001");
    assert_eq!(f["family"], "INPUT");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(7))
    );
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
}

#[test]
fn sarif_report_shape() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{\"a\" 1}").unwrap();
    let out = keyless()
        .current_dir(dir.path())
        .args(["--format", "sarif", "."])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["helpUri"].as_str().unwrap().starts_with("https://")));
    assert!(rules
        .iter()
        .all(|r| r["help"]["markdown"].as_str().unwrap().starts_with("# ")));
    let result = &run["results"][0];
    let idx = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], result["ruleId"]);
    assert_eq!(result["ruleId"], "INPUT001");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "a.json");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 6);
    assert!(result["partialFingerprints"]["keyless/v1"].is_string());
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'));
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["descriptor"]["id"], "INPUT001");
    assert!(n["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("a.json: "));
}

#[test]
fn human_report_has_code_frame_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{\n  \"a\": 1\n  \"b\": 2\n}").unwrap();
    let out = keyless()
        .current_dir(dir.path())
        .args(["--color", "never", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("INPUT001(unparseable-file)"), "{text}");
    assert!(
        text.contains("[a.json:2:9]"),
        "location in the frame header: {text}"
    );
    assert!(text.contains("2 │   \"a\": 1"), "code frame: {text}");
    assert!(text.contains("keyless explain INPUT001"), "{text}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("keyless: 1 file scanned in "),
        "summary line: {text}"
    );
    assert!(
        text.contains("1 finding (1 error, 0 warnings, 0 notes) in 1 file"),
        "{text}"
    );
    let quiet = keyless()
        .current_dir(dir.path())
        .args(["--color", "never", "--quiet", "."])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("keyless: 1 file"));
}

#[test]
fn output_file_option_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{}").unwrap();
    let out = keyless()
        .current_dir(dir.path())
        .args(["--format", "sarif", "--output", "report.sarif", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.sarif")).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
}

/// Bicep-generated JSON beside its `.bicep` source is skipped and counted; without a source
/// beside it, or written by hand, it is scanned; `--include-generated` and the configuration
/// key scan it too.
#[test]
fn bicep_generated_json_beside_its_source_is_skipped_and_counted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (v, _) = json_report(root, &["testdata/generated"]);
    let mut got: Vec<(String, u64, u64)> = findings(&v)
        .into_iter()
        .map(|(r, p, l, c)| {
            assert_eq!(r, "KEY005");
            (p, l, c)
        })
        .collect();
    got.sort();
    let want = |paths: &[&str]| -> Vec<(String, u64, u64)> {
        paths
            .iter()
            .map(|p| {
                let (l, c) = if p.ends_with(".bicep") {
                    (7, 21)
                } else {
                    (10, 16)
                };
                (format!("testdata/generated/{p}"), l, c)
            })
            .collect()
    };
    assert_eq!(
        got,
        want(&[
            "beside/main.bicep",
            "handwritten/main.bicep",
            "handwritten/main.json",
            "no-source/main.json",
            "quickstart/main.bicep",
        ])
    );
    assert_eq!(v["summary"]["generated_skipped"], 2);
    assert_eq!(v["summary"]["files_scanned"], 5);
    let all = want(&[
        "beside/main.bicep",
        "beside/main.json",
        "handwritten/main.bicep",
        "handwritten/main.json",
        "no-source/main.json",
        "quickstart/azuredeploy.json",
        "quickstart/main.bicep",
    ]);
    let (v, _) = json_report(root, &["--include-generated", "testdata/generated"]);
    let mut got: Vec<(String, u64, u64)> = findings(&v)
        .into_iter()
        .map(|(_, p, l, c)| (p, l, c))
        .collect();
    got.sort();
    assert_eq!(got, all);
    assert_eq!(v["summary"]["generated_skipped"], 0);

    // the configuration key, in a copy of the folder
    let dir = tempfile::tempdir().unwrap();
    for sub in ["beside", "quickstart"] {
        let from = root.join("testdata/generated").join(sub);
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(&from).unwrap().flatten() {
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(v["summary"]["generated_skipped"], 2);
    std::fs::write(
        dir.path().join(".keyless.toml"),
        "[paths]\ninclude-generated = true\n",
    )
    .unwrap();
    let (v, _) = json_report(dir.path(), &["."]);
    assert_eq!(v["summary"]["generated_skipped"], 0);
    assert_eq!(findings(&v).len(), 4);

    // the human summary says how many were checked for literal secrets only and how to include them
    let out = keyless()
        .current_dir(root)
        .args(["--color", "never", "testdata/generated/beside"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "; 1 Bicep-generated JSON file checked for literal secrets only, the rest reported at \
             the .bicep source beside it (--include-generated checks it fully)"
        ),
        "{text}"
    );
}

/// `--statistics`: a per-rule table after the findings (with --quiet too), most findings first.
#[test]
fn statistics_table_counts_findings_per_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = keyless()
        .current_dir(root)
        .args([
            "--color",
            "never",
            "--quiet",
            "--statistics",
            "testdata/KEY005/fire",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("count"))
        .collect();
    assert_eq!(
        table,
        vec![
            "count  rule    error  warning  note  name",
            "   13  KEY005     10        1     2  secret-in-output",
            "    3  MI003       0        3     0  key-auth-enabled",
        ],
        "{text}"
    );
    // without the flag, no table
    let out = keyless()
        .current_dir(root)
        .args(["--color", "never", "--quiet", "testdata/KEY005/fire"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("count  rule"));
}
