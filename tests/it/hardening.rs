//! Regression tests of issue 11's output side: what keyless prints must never crash, forge a
//! line, shift a line number or leak a secret, and every option keeps to exit status 0, 1 or 2.

use std::path::Path;

use serde_json::Value;

use crate::support::{self, Out};

/// Every value `--format` accepts (`keyless::cli::OutputFormat`), so that a new report format is
/// covered by the tests of redaction, escaping and a panic while reporting without being listed.
fn report_formats() -> Vec<String> {
    use clap::ValueEnum;
    keyless::cli::OutputFormat::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}

/// Runs the binary in `dir` without colour.
fn run(dir: &Path, args: &[&str]) -> Out {
    let mut a = vec!["--color", "never"];
    a.extend_from_slice(args);
    support::run(dir, &a)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut a = vec!["--color", "never"];
    a.extend_from_slice(args);
    support::json_report(dir, &a).0
}

/// `(rule_id, line)` of every finding.
fn findings(v: &Value) -> Vec<(String, u64)> {
    support::findings(v)
        .into_iter()
        .map(|(rule, _, line, _)| (rule, line))
        .collect()
}

const SQL: &str = "Server=tcp:db1.database.windows.net,1433;Initial Catalog=app;User ID=app;Password=Fake-LongLine-Pw-9731;Encrypt=True";

/// Item 13: a finding past column 65,535 on a one-line file (minified JSON) crashed the human
/// report inside miette (exit 101). It gets a window of the line instead of a frame.
#[test]
fn human_report_survives_a_finding_past_column_65535() {
    let d = tempfile::tempdir().unwrap();
    let pad = "a".repeat(70_000);
    std::fs::write(
        d.path().join("appsettings.json"),
        format!("{{\"Pad\":\"{pad}\",\"ConnectionStrings\":{{\"Db\":\"{SQL}\"}}}}"),
    )
    .unwrap();
    for format in &report_formats() {
        let o = run(d.path(), &["--format", format, "."]);
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(o.stdout.contains("CONN001"), "{format}");
        assert!(!o.stdout.contains("LongLine-Pw"), "{format}");
    }
    let o = run(d.path(), &["."]);
    // the window: some context, no 70,000-character line
    assert!(o.stdout.contains("appsettings.json:1:701"), "{}", o.stdout);
    assert!(o.stdout.lines().all(|l| l.chars().count() < 1000));
    assert!(
        o.stdout
            .contains("  | …e.windows.net,1433;Initial Catalog=app;"),
        "{}",
        o.stdout
    );
}

/// Item 14: absurd `--threads` values are usage errors (exit 2), not hangs or panics.
#[test]
fn absurd_thread_counts_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    for n in [
        "18446744073709551615",
        "99999999999999999999999",
        "5000",
        "-1",
    ] {
        let o = run(d.path(), &["--threads", n, "."]);
        assert_eq!(o.code, 2, "--threads {n}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    }
    let o = run(d.path(), &["--threads", "5000", "."]);
    assert!(o.stderr.contains("at most 1024"), "{}", o.stderr);
    let o = run(d.path(), &["--threads", "1024", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// Item 16: a newline in a file name cannot start a line of its own in compact or GitHub
/// output (a forged finding or `::error` command), and ESC or tabs never reach the terminal.
#[test]
fn control_characters_in_paths_and_text_are_escaped() {
    let d = tempfile::tempdir().unwrap();
    let name = "x\n::error file=forged.tf,line=1::forged\n\u{1b}[31mred\t.env";
    let written = std::fs::write(d.path().join(name), format!("CONN=\"{SQL}\"\n"));
    if written.is_err() {
        // a file system that refuses such names has nothing to forge
        return;
    }
    for format in ["compact", "github", "human", "azure"] {
        let o = run(d.path(), &["--format", format, "--quiet", "."]);
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(!o.stdout.contains('\u{1b}'), "{format}: ESC printed");
        assert!(!o.stdout.contains('\t'), "{format}: tab printed");
        assert!(
            !o.stdout
                .lines()
                .any(|l| l.starts_with("::error file=forged")),
            "{format}: forged workflow command"
        );
        let shown = if format == "github" {
            "x\\n%3A%3Aerror"
        } else {
            "x\\n::error"
        };
        assert!(o.stdout.contains(shown), "{format}: {}", o.stdout);
    }
    let o = run(d.path(), &["--format", "compact", "."]);
    assert_eq!(o.stdout.lines().count(), 1, "{}", o.stdout);
    let o = run(d.path(), &["--format", "azure", "--quiet", "."]);
    assert_eq!(o.stdout.lines().count(), 1, "{}", o.stdout);
    assert!(o
        .stdout
        .starts_with("##vso[task.logissue type=error;sourcepath=x\\n::error"));
    let o = run(d.path(), &["--format", "github", "."]);
    // the finding, then the summary notice
    assert_eq!(o.stdout.lines().count(), 2, "{}", o.stdout);
    assert!(o
        .stdout
        .lines()
        .nth(1)
        .unwrap_or_default()
        .starts_with("::notice title=keyless::"));
}

/// Item 4: a masked multi-line secret (a PEM body in a quoted .env value) keeps its newlines, so
/// the human report's later line numbers agree with the compact report's.
#[test]
fn masked_multi_line_secrets_keep_later_line_numbers() {
    let d = tempfile::tempdir().unwrap();
    let body: Vec<String> = (0..6)
        .map(|i| {
            format!("MIIEpAIBAAKCAQEAfakefakefake{i}Xq7ZfakeFAKEfakeFAKEfakeFAKEfakeFAKEfake00{i}")
        })
        .collect();
    let text = format!(
        "PRIVATE_KEY=\"-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\"\nA=1\nDB=\"{SQL}\"\n",
        body.join("\n")
    );
    std::fs::write(d.path().join(".env"), &text).unwrap();
    let conn_line = text.lines().position(|l| l.starts_with("DB=")).unwrap() + 1;
    let v = json(d.path(), &["."]);
    assert!(
        findings(&v).contains(&("CONN001".to_string(), conn_line as u64)),
        "{v}"
    );
    let o = run(d.path(), &["."]);
    assert!(
        o.stdout.contains(&format!("[.env:{conn_line}:")),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("fakeFAKE"), "{}", o.stdout);
}

/// Item 11: a baseline entry is tied to the secret's value by a keyed hash: a rotated password
/// with the same first characters and length is new; moving the line keeps it baselined; the
/// baseline never holds the value.
#[test]
fn baselines_follow_the_secret_not_its_shape() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("appsettings.json");
    let settings = |pw: &str, pad: &str| {
        format!("{{{pad}\n  \"Smtp\": {{\n    \"Password\": \"{pw}\"\n  }}\n}}\n")
    };
    std::fs::write(&file, settings("Rotate-Me-0001-Aa", "")).unwrap();
    let o = run(d.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let b = std::fs::read_to_string(d.path().join("baseline.json")).unwrap();
    assert!(!b.contains("Me-0001"), "the baseline holds the secret");
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["entries"][0]["rule_id"], "KEY002");
    assert_eq!(v["entries"][0]["value"].as_str().map(str::len), Some(32));
    // the same secret, lines moved: still baselined
    std::fs::write(&file, settings("Rotate-Me-0001-Aa", "\n\n\n")).unwrap();
    let o = run(d.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    // rotated to a value of the same length and first characters: reported again
    std::fs::write(&file, settings("Rotate-Me-0002-Bb", "\n\n\n")).unwrap();
    let o = run(d.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    // the value digest is the baseline's own: the report's fingerprint does not change with it
    let a = json(d.path(), &["."]);
    std::fs::write(&file, settings("Rotate-Me-0001-Aa", "\n\n\n")).unwrap();
    let b = json(d.path(), &["."]);
    assert_eq!(
        a["findings"][0]["fingerprint"],
        b["findings"][0]["fingerprint"]
    );
}

/// Item 17: the same file given twice (or a file and its folder) is scanned once.
#[test]
fn the_same_path_twice_is_scanned_once() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("app")).unwrap();
    std::fs::write(
        d.path().join("app/appsettings.json"),
        format!("{{\"ConnectionStrings\": {{\"Db\": \"{SQL}\"}}}}"),
    )
    .unwrap();
    for args in [
        vec!["app/appsettings.json", "app/appsettings.json"],
        vec!["app/appsettings.json", "./app/appsettings.json"],
        vec!["app", "app/appsettings.json"],
        vec!["app", "app"],
    ] {
        let v = json(d.path(), &args);
        assert_eq!(findings(&v).len(), 1, "{args:?}: {v}");
        assert_eq!(v["summary"]["files_scanned"], 1, "{args:?}");
    }
}

/// Item 17: a `.keyless.toml` that is a folder is a usage error, not ignored in silence.
#[test]
fn a_configuration_folder_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    std::fs::create_dir(d.path().join(".keyless.toml")).unwrap();
    let o = run(d.path(), &["."]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("is a folder"), "{}", o.stderr);
}

/// Item 3: configuration errors never echo a secret-looking value.
#[test]
fn configuration_errors_mask_secrets() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join(".keyless.toml"),
        "[rules]\nselect = \"Password=Zq81-Conf-Leak-77\"\n",
    )
    .unwrap();
    let o = run(d.path(), &["."]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!o.stderr.contains("Conf-Leak"), "{}", o.stderr);
}

/// Item 17: `-o` replaces the file whole, through a temporary file that does not stay behind.
#[test]
fn output_files_are_written_through_a_rename() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("appsettings.json"),
        format!("{{\"ConnectionStrings\": {{\"Db\": \"{SQL}\"}}}}"),
    )
    .unwrap();
    std::fs::create_dir(d.path().join("out")).unwrap();
    let report = d.path().join("out/report.json");
    std::fs::write(&report, "x".repeat(100_000)).unwrap();
    // a hard link to the old report keeps the old contents: the new one is a new file
    std::fs::hard_link(&report, d.path().join("old.json")).unwrap();
    let o = run(
        d.path(),
        &[
            "--format",
            "json",
            "-o",
            "out/report.json",
            "appsettings.json",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["summary"]["findings"], 1);
    assert_eq!(
        std::fs::read_to_string(d.path().join("old.json"))
            .unwrap()
            .len(),
        100_000
    );
    let names: Vec<String> = std::fs::read_dir(d.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["report.json"]);
    // a folder that does not exist: exit 2, nothing left behind
    let o = run(
        d.path(),
        &[
            "--format",
            "json",
            "-o",
            "nope/report.json",
            "appsettings.json",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
}

/// Items 1 and 3 end to end: a second secret in a SQL connection string is not copied into the
/// fix, and a suppression reason that repeats a secret is masked in JSON and SARIF.
#[test]
fn fixes_and_justifications_never_carry_a_secret() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join(".env"),
        "# keyless:ignore KEY002 -- was Old-Pa55-Zq81-Leak before the rotation\nDB_PASSWORD=Old-Pa55-Zq81-Leak\nDB=\"Server=tcp:db1.database.windows.net;Initial Catalog=app;Application Name=tok-Second-Zq77-Leak;User ID=app;Password=Fake-Pa55word-123\"\n",
    )
    .unwrap();
    for format in &report_formats() {
        let o = run(d.path(), &["--format", format, "--fail-on", "never", "."]);
        assert_eq!(o.code, 0, "{format}: {}", o.stderr);
        assert!(!o.stdout.contains("Zq81-Leak"), "{format}: {}", o.stdout);
        assert!(!o.stdout.contains("Second-Zq77"), "{format}: {}", o.stdout);
    }
    let v = json(d.path(), &["."]);
    assert_eq!(v["suppressed"].as_array().map(Vec::len), Some(1), "{v}");
    let j = v["suppressed"][0]["justification"].as_str().unwrap();
    assert!(j.starts_with("was ********"), "{j}");
    let fix = &v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "CONN001")
        .expect("CONN001")["fix"]["edits"][0]["replacement"];
    assert_eq!(
        fix.as_str(),
        Some("Server=tcp:db1.database.windows.net;Initial Catalog=app;Authentication=Active Directory Default")
    );
}

/// `-o /dev/null` writes into the device: the atomic write (a temporary file renamed over the
/// target) must never replace a device or a pipe with a regular file (as root it can).
#[cfg(unix)]
#[test]
fn output_to_a_device_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(".env"), "DB_PASSWORD=Zx81-Qw3r-Ty55-Uiop\n").unwrap();
    let o = run(d.path(), &["--format", "json", "-o", "/dev/null", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is no longer a device"
    );
}

/// [`run`] with the test-only fault injection of debug builds set (`keyless::fault`).
fn run_panicking(dir: &Path, at: &str, args: &[&str]) -> Out {
    let mut all = vec!["--color", "never"];
    all.extend_from_slice(args);
    support::run_env(dir, &all, &[(keyless::fault::VAR, at)])
}

/// Two files with a password each; the injected panic's message carries a file's whole text.
fn panic_fixture() -> (tempfile::TempDir, [&'static str; 2]) {
    let secrets = ["Zq7U-nL1k-3LyP-a55w-QQ91", "Xv9T-nM2k-4LyP-a77w-RR82"];
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("one.env"),
        format!("A=1\nDB_PASSWORD={}\n", secrets[0]),
    )
    .unwrap();
    std::fs::write(
        d.path().join("two.env"),
        format!("Password={}\n", secrets[1]),
    )
    .unwrap();
    (d, secrets)
}

fn assert_no_secret(o: &Out, secrets: &[&str], what: &str) {
    for s in secrets {
        for w in s.as_bytes().windows(8) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                !o.stdout.contains(w) && !o.stderr.contains(w),
                "{what}: a piece of a secret was printed"
            );
        }
    }
}

/// Item 14: a panic while parsing one file or inside one rule costs that file (or that rule) an
/// INPUT finding, with the rest of the scan reported and exit 1: never exit 0 or 101, never the
/// panic's message (which carries the file's text here).
#[test]
fn a_panic_in_a_parser_or_a_rule_is_a_finding_of_that_file() {
    let (d, secrets) = panic_fixture();
    let o = run_panicking(d.path(), "parse:one", &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stderr, "", "the hook printed something");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert!(
        lines.contains(
            &"one.env:1:1: error[INPUT001] internal error while parsing this file (please report it); scanned as text"
        ),
        "{}",
        o.stdout
    );
    // the text fallback still finds the password of the broken file; the other file is whole
    assert!(lines
        .iter()
        .any(|l| l.starts_with("one.env:2:13: error[KEY002]")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("two.env:1:10: error[KEY002]")));
    assert_no_secret(&o, &secrets, "parse");

    // every rule of every file panicking: each file still gets a finding (exit 1, not 0)
    for (at, want) in [("rule:KEY002", 2), ("rule", 2)] {
        for threads in ["1", "4"] {
            let o = run_panicking(
                d.path(),
                at,
                &["--format", "json", "--threads", threads, "."],
            );
            assert_eq!(o.code, 1, "{at}: {}", o.stderr);
            assert_eq!(o.stderr, "", "{at}: the hook printed something");
            let v: Value = serde_json::from_str(&o.stdout).expect("a JSON report");
            let internal = v["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter(|f| {
                    f["rule_id"] == "INPUT001"
                        && f["message"]
                            .as_str()
                            .is_some_and(|m| m.starts_with("internal error in rule "))
                })
                .count();
            assert!(internal >= want, "{at}: {}", o.stdout);
            assert_no_secret(&o, &secrets, at);
        }
    }
}

/// Item 14: a panic while a report is rendered ends the run with exit 2 (never 101) and the one
/// line that says what to do, in every format; the panic's message (every path and message of the
/// report here) is not printed, nor is any half-written report.
#[test]
fn a_panic_in_reporting_exits_2_with_one_line() {
    let (d, secrets) = panic_fixture();
    for format in &report_formats() {
        let o = run_panicking(
            d.path(),
            &format!("report:{format}"),
            &["--format", format, "."],
        );
        assert_eq!(o.code, 2, "{format}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{format}: a report was printed");
        let lines: Vec<&str> = o.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{format}: {}", o.stderr);
        assert!(
            lines[0].starts_with("keyless: internal error (a bug in keyless at src/")
                && lines[0].contains("please report it at https://")
                && lines[0].ends_with("the scan's result is unknown"),
            "{format}: {}",
            lines[0]
        );
        assert!(
            !o.stderr.contains("injected"),
            "{format}: the payload was printed"
        );
        assert!(
            !o.stderr.contains("one.env"),
            "{format}: a path was printed"
        );
        assert_no_secret(&o, &secrets, format);
    }
    // `-o` leaves no report file behind either
    let o = run_panicking(
        d.path(),
        "report:json",
        &["--format", "json", "-o", "out.json", "."],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!d.path().join("out.json").exists());
}

/// A character that can change what a reader sees of a line without being seen: DEL, C1 controls,
/// bidirectional and invisible format characters (`keyless::redact::is_unsafe_char`), other than
/// the line layout of a text report.
fn spoofing(c: char) -> bool {
    !matches!(c, '\n' | '\r') && keyless::redact::is_unsafe_char(c)
}

/// Issue 11, item 16 (Trojan Source): DEL, C1 controls and bidirectional or invisible format
/// characters in a file name, a key name and a value are never printed raw, in any format: text
/// formats show them escaped (`\u{202e}`), JSON formats as `\u202e` escapes that read back to
/// the same path; SARIF's URIs are percent-encoded and its messages escaped like the text formats;
/// a baseline file escapes its paths and still matches.
#[test]
fn spoofing_characters_are_escaped_in_every_format() {
    let d = tempfile::tempdir().unwrap();
    let name = "a\u{202e}b\u{200b}c\u{feff}d\u{7f}e\u{85}f\u{2066}g\u{2028}.env";
    let written = std::fs::write(
        d.path().join(name),
        "X_PASSWORD=Zq7\u{202e}U-nL1k-3LyP-a55w-QQ92\n",
    );
    if written.is_err() {
        // a file system that refuses such names has nothing to show
        return;
    }
    std::fs::write(
        d.path().join("appsettings.json"),
        "{ \"Db\u{202e}Password\": \"\u{2067}Xv9T-nM2k-4LyP-a77w-RR82\" }\n",
    )
    .unwrap();
    for format in ["compact", "human", "github", "azure", "json", "sarif"] {
        let o = run(d.path(), &["--format", format, "--quiet", "."]);
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        let raw: Vec<String> = o
            .stdout
            .chars()
            .filter(|c| spoofing(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(raw.is_empty(), "{format}: printed raw {raw:?}");
        if matches!(format, "compact" | "human" | "github" | "azure") {
            assert!(
                o.stdout
                    .contains("a\\u{202e}b\\u{200b}c\\u{feff}d\\u{7f}e\\u{85}f"),
                "{format}: {}",
                o.stdout
            );
            assert!(
                o.stdout.contains("`Db\\u{202e}Password`"),
                "{format}: {}",
                o.stdout
            );
            // the value shows no character at all (a fixed-width mask)
            assert!(!o.stdout.contains("Xv9"), "{format}: {}", o.stdout);
        }
    }
    let v = json(d.path(), &["."]);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.contains(&name), "{paths:?}");
    let o = run(d.path(), &["--format", "json", "."]);
    assert!(o
        .stdout
        .contains("a\\u202eb\\u200bc\\ufeffd\\u007fe\\u0085f\\u2066g\\u2028.env"));
    let o = run(d.path(), &["--format", "sarif", "."]);
    assert!(
        o.stdout
            .contains("\"uri\": \"a%E2%80%AEb%E2%80%8Bc%EF%BB%BFd%7Fe%C2%85f"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("`Db\\\\u{202e}Password`"),
        "SARIF message not escaped"
    );

    let o = run(d.path(), &["--write-baseline", "base.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let base = std::fs::read_to_string(d.path().join("base.json")).unwrap();
    assert!(
        !base.chars().any(spoofing),
        "the baseline holds a raw spoofing character"
    );
    assert!(base.contains("a\\u202eb\\u200bc"), "{base}");
    let o = run(
        d.path(),
        &["--baseline", "base.json", "--format", "compact", "."],
    );
    assert_eq!(o.code, 0, "every finding is in the baseline: {}", o.stdout);
}

/// Issue 11, item 15: the rules that loop over a document's resources, settings or strings read
/// the per-file clock while they run. On each of their fire fixtures, with a deadline already
/// passed, each one looks at the clock (the context records it was late) and reports no more than
/// it does without a deadline; with a far deadline it reports the same as without one.
#[test]
fn long_rules_read_the_clock_on_every_fixture() {
    use keyless::rules::{Context, Settings};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for id in ["KEY001", "KEY002", "CONN001", "CONN002", "MI001", "MI002"] {
        let rule = keyless::rules::find(id).expect("a rule");
        let dir = root.join("testdata").join(id).join("fire");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .expect("fire fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        assert!(!names.is_empty(), "{id}: no fire fixture");
        for path in names {
            let text = std::fs::read_to_string(&path).expect("a text fixture");
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let format = keyless::discover::format_for_explicit(&path, text.as_bytes());
            let file =
                keyless::source::SourceFile::new(path.clone(), name.to_string(), text, format);
            let parsed = keyless::parse::parse(&file);
            let run = |deadline: Option<std::time::Instant>| {
                let mut cx = Context::new(&file, parsed.format, &parsed.doc, Settings::default());
                if let Some(d) = deadline {
                    cx = cx.with_deadline(d);
                }
                let mut out = Vec::new();
                rule.run(&cx, &mut out);
                (out.len(), cx.was_late())
            };
            let (all, late) = run(None);
            assert!(!late, "{id} {name}");
            let far = std::time::Instant::now() + std::time::Duration::from_secs(3600);
            assert_eq!(run(Some(far)), (all, false), "{id} {name}");
            let (cut, late) = run(Some(std::time::Instant::now()));
            assert!(late, "{id} {name}: the rule never looked at the clock");
            assert!(cut <= all, "{id} {name}");
        }
    }
}

/// Issue 11, item 16: `--fix` names the files it changed on standard error (follow-ups, diffs it
/// withholds): their names are escaped there as in the reports.
#[test]
fn fix_summaries_escape_spoofing_characters() {
    let d = tempfile::tempdir().unwrap();
    let name = "a\u{202e}b\u{200b}c.env";
    if std::fs::write(d.path().join(name), format!("CONN=\"{SQL}\"\n")).is_err() {
        return;
    }
    for args in [
        // the diff is withheld (the line holds a secret) and says of which file; then the fix
        &["--diff", "--unsafe-fixes", "."][..],
        &["--fix", "--unsafe-fixes", "."][..],
    ] {
        let o = run(d.path(), args);
        assert!(
            o.stderr.contains("a\\u{202e}b\\u{200b}c.env"),
            "{args:?}: {}",
            o.stderr
        );
        assert!(!o.stderr.chars().any(spoofing), "{args:?}: {}", o.stderr);
    }
}
