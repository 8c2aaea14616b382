//! CLI tests for fitting keyless into a workflow: configuration (`.keyless.toml`), inline
//! suppressions, baselines, and the `github` and `compact` formats.
//!
//! The finding used throughout is INPUT001 from an ARM template with an invalid `[...]`
//! expression: the file still parses (so its comments are kept) and the finding does not depend
//! on any KEY/CONN/MI/RBAC rule.

use serde_json::Value;

use crate::support::{json_report as json, json_report_env as json_env, list, run, write};

fn ids(v: &Value) -> Vec<String> {
    list(v, "findings").into_iter().map(|f| f.0).collect()
}

/// An ARM template whose resource name is an invalid expression (INPUT001). `before_name` is
/// inserted on the line before the name; `after_name` right after the name's value on its line;
/// `metadata` as the resource's metadata object.
fn arm(before_name: &str, after_name: &str, metadata: &str) -> String {
    let mut s = String::from(
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {\n      \"type\": \"Contoso.Test/widgets\",\n      \"apiVersion\": \"2023-01-01\",\n",
    );
    if !metadata.is_empty() {
        s.push_str(&format!("      \"metadata\": {metadata},\n"));
    }
    if !before_name.is_empty() {
        s.push_str(&format!("      {before_name}\n"));
    }
    s.push_str(&format!(
        "      \"name\": \"[concat('st', ]\",{after_name}\n      \"location\": \"westeurope\"\n    }}\n  ]\n}}\n"
    ));
    s
}

/// Where INPUT001 lands in `arm("", "", "")`.
const NAME_LINE: u64 = 8;

#[test]
fn the_test_template_gives_input001_at_the_name() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", &arm("", "", ""));
    let (v, code) = json(d.path(), &["."]);
    assert_eq!(code, 1);
    let got = list(&v, "findings");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].2), ("INPUT001", NAME_LINE));
}

// ---------------------------------------------------------------- configuration

fn config_error(toml: &str) -> String {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", &arm("", "", ""));
    write(d.path(), ".keyless.toml", toml);
    let o = run(d.path(), &["."]);
    assert_eq!(o.code, 2, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    assert!(o.stdout.is_empty(), "nothing scanned: {}", o.stdout);
    assert_eq!(o.stderr.lines().count(), 1, "one line: {}", o.stderr);
    o.stderr
}

#[test]
fn config_unknown_key_is_located() {
    let e = config_error("[rules]\nselect = [\"INPUT\"]\nignroe = [\"INPUT002\"]\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:3:1: unknown field `ignroe`"),
        "{e}"
    );
    let e = config_error("[rule]\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:1:2: unknown field `rule`"),
        "{e}"
    );
}

#[test]
fn config_unknown_rule_is_located() {
    let e = config_error("[rules]\nignore = [\"INPUT001\", \"INPUT999\"]\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:2:23: unknown rule `INPUT999`"),
        "{e}"
    );
    let e = config_error("[rules.severity]\nNOPE = \"error\"\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:2:1: unknown rule `NOPE`"),
        "{e}"
    );
}

#[test]
fn config_bad_severity_is_located() {
    let e = config_error("[rules.severity]\nINPUT001 = \"critical\"\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:2:12: `critical` is not a severity"),
        "{e}"
    );
}

#[test]
fn config_bad_glob_is_located() {
    let e = config_error("[paths]\nexclude = [\"ok/**\", \"gen/[a\"]\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:2:21: invalid glob `gen/[a`"),
        "{e}"
    );
}

#[test]
fn config_bad_regex_is_located() {
    let e = config_error(
        "[[patterns]]\nid = \"acme\"\nregex = 'acme_[0-9a-f{32}'\ndescription = \"ACME key\"\n",
    );
    assert!(
        e.starts_with("keyless: error: .keyless.toml:3:9: invalid regex for pattern `acme`"),
        "{e}"
    );
}

#[test]
fn config_bad_size_and_bad_toml_are_located() {
    let e = config_error("[limits]\nmax-file-size = \"12X\"\n");
    assert!(
        e.starts_with("keyless: error: .keyless.toml:2:17: unknown size suffix `X`"),
        "{e}"
    );
    let e = config_error("[rules]\nselect = [\"INPUT\"\n");
    assert!(e.starts_with("keyless: error: .keyless.toml:2:"), "{e}");
}

#[test]
fn explicit_config_file_errors_and_missing_file() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", &arm("", "", ""));
    write(
        d.path(),
        "conf/k.toml",
        "[rules]\nignore = [\"INPUT001\"]\n",
    );
    let (v, code) = json(d.path(), &["--config", "conf/k.toml", "."]);
    assert_eq!((code, ids(&v)), (0, vec![]));
    let o = run(d.path(), &["--config", "conf/missing.toml", "."]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("keyless: error: conf/missing.toml:1:1: could not read"),
        "{}",
        o.stderr
    );
}

#[test]
fn select_ignore_and_command_line_override() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", &arm("", "", ""));
    write(
        d.path(),
        "big.json",
        &format!("{{\"a\": \"{}\"}}", "x".repeat(3000)),
    );
    write(
        d.path(),
        ".keyless.toml",
        "[rules]\nignore = [\"INPUT001\"]\n[limits]\nmax-file-size = \"2K\"\n",
    );
    // the file's ignore removes INPUT001; its size limit reports big.json
    let (v, code) = json(d.path(), &["."]);
    assert_eq!(ids(&v), vec!["INPUT002"]);
    assert_eq!(code, 1);
    // --max-file-size on the command line wins over the file
    let (v, _) = json(d.path(), &["--max-file-size", "1M", "."]);
    assert_eq!(ids(&v), Vec::<String>::new());
    // --ignore replaces the file's ignore
    let (v, _) = json(d.path(), &["--ignore", "INPUT002", "."]);
    assert_eq!(ids(&v), vec!["INPUT001"]);
    // --select narrows to a family or an id, but never hides the INPUT diagnostics: only
    // --ignore (or the file's ignore) does
    let (v, _) = json(d.path(), &["--select", "KEY,CONN", "--ignore", "", "."]);
    assert_eq!(ids(&v), vec!["INPUT001", "INPUT002"]);
    let (v, _) = json(d.path(), &["--select", "KEY,CONN", "."]);
    assert_eq!(ids(&v), vec!["INPUT002"]);
    let (v, _) = json(
        d.path(),
        &["--select", "input001", "--ignore", "INPUT002", "."],
    );
    assert_eq!(ids(&v), vec!["INPUT001"]);
    // unknown ids on the command line are usage errors too
    let o = run(d.path(), &["--select", "INPUT01", "."]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("keyless: error: --select: unknown rule `INPUT01`"),
        "{}",
        o.stderr
    );
}

#[test]
fn severity_overrides_change_report_and_exit_status() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", &arm("", "", ""));
    write(
        d.path(),
        ".keyless.toml",
        "[rules.severity]\nINPUT = \"note\"\n",
    );
    let (v, code) = json(d.path(), &["."]);
    assert_eq!(code, 0, "a note does not fail --fail-on warning");
    assert_eq!(v["findings"][0]["severity"], "note");
    write(
        d.path(),
        ".keyless.toml",
        "[rules.severity]\nINPUT = \"note\"\nINPUT001 = \"error\"\n",
    );
    let (v, code) = json(d.path(), &["--fail-on", "error", "."]);
    assert_eq!(code, 1, "the id wins over its family");
    assert_eq!(v["findings"][0]["severity"], "error");
}

#[test]
fn exclude_applies_to_walked_and_explicit_files_relative_to_the_config() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    let bad = arm("", "", "");
    write(d.path(), "infra/azuredeploy.json", &bad);
    write(d.path(), "infra/generated/a.json", &bad);
    write(d.path(), "infra/x.sample.json", &bad);
    write(d.path(), "generated/b.json", &bad);
    write(
        d.path(),
        ".keyless.toml",
        "[paths]\nexclude = [\"infra/generated\", \"*.sample.json\"]\n",
    );
    let (v, _) = json(d.path(), &["."]);
    let paths: Vec<String> = list(&v, "findings").into_iter().map(|f| f.1).collect();
    assert_eq!(paths, vec!["generated/b.json", "infra/azuredeploy.json"]);
    assert_eq!(v["summary"]["files_scanned"], 2);

    // found from a sub-folder scan root, and patterns stay relative to the config's folder
    let (v, _) = json(&d.path().join("infra"), &["."]);
    let paths: Vec<String> = list(&v, "findings").into_iter().map(|f| f.1).collect();
    assert_eq!(paths, vec!["azuredeploy.json"]);

    // explicit files (pre-commit's lists) are excluded too
    let (v, code) = json(
        d.path(),
        &[
            "infra/generated/a.json",
            "infra/x.sample.json",
            "generated/b.json",
        ],
    );
    let paths: Vec<String> = list(&v, "findings").into_iter().map(|f| f.1).collect();
    assert_eq!(paths, vec!["generated/b.json"]);
    assert_eq!(code, 1);
}

#[test]
fn config_lookup_stops_at_the_repository_root() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), ".keyless.toml", "[rules]\nignore = [\"INPUT\"]\n");
    std::fs::create_dir_all(d.path().join("repo/.git")).unwrap();
    write(d.path(), "repo/azuredeploy.json", &arm("", "", ""));
    let (v, _) = json(&d.path().join("repo"), &["."]);
    assert_eq!(ids(&v), vec!["INPUT001"], "the outer config is not used");
    let (v, _) = json(d.path(), &["repo"]);
    assert_eq!(ids(&v), vec!["INPUT001"], "nor when scanning from outside");
}

// ---------------------------------------------------------------- suppressions

fn one_file(text: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", text);
    d
}

fn assert_suppressed(text: &str, reason: &str) {
    let d = one_file(text);
    let (v, code) = json(d.path(), &["."]);
    assert_eq!(ids(&v), Vec::<String>::new(), "{text}");
    assert_eq!(code, 0);
    let s = &v["suppressed"][0];
    assert_eq!(s["rule_id"], "INPUT001");
    assert_eq!(s["justification"], reason);
    assert_eq!(v["summary"]["suppressed"], 1);
}

#[test]
fn json_line_comment_above_suppresses() {
    assert_suppressed(
        &arm(
            "// keyless:ignore INPUT001 -- generated by a broken tool",
            "",
            "",
        ),
        "generated by a broken tool",
    );
}

#[test]
fn json_block_comment_on_the_same_line_suppresses() {
    assert_suppressed(
        &arm("", " /* keyless:ignore INPUT -- family prefix */", ""),
        "family prefix",
    );
}

#[test]
fn arm_metadata_suppresses_inside_the_resource() {
    assert_suppressed(
        &arm(
            "",
            "",
            "{ \"keyless:ignore\": \"INPUT001 -- kept for the migration test\" }",
        ),
        "kept for the migration test",
    );
}

#[test]
fn trailing_comment_does_not_reach_the_next_line_and_far_comments_do_nothing() {
    // a comment after code covers only its own line: here the line above the finding
    let text = arm(
        "\"kind\": \"StorageV2\", // keyless:ignore INPUT001 -- not this line",
        "",
        "",
    );
    let d = one_file(&text);
    let (v, code) = json(d.path(), &["."]);
    assert_eq!(code, 1);
    let got: Vec<(String, u64)> = list(&v, "findings")
        .into_iter()
        .map(|x| (x.0, x.2))
        .collect();
    assert_eq!(
        got,
        vec![
            ("INPUT009".to_string(), NAME_LINE),
            ("INPUT001".to_string(), NAME_LINE + 1)
        ]
    );
}

#[test]
fn suppression_diagnostics() {
    // no reason
    let d = one_file(&arm("// keyless:ignore INPUT001", "", ""));
    let (v, code) = json(d.path(), &["."]);
    assert_eq!(code, 1);
    let got: Vec<(String, u64, u64)> = list(&v, "findings")
        .into_iter()
        .map(|x| (x.0, x.2, x.3))
        .collect();
    assert_eq!(got[0], ("INPUT008".to_string(), NAME_LINE, 7));
    assert_eq!((got[1].0.as_str(), got[1].1), ("INPUT001", NAME_LINE + 1));
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("gives no reason"));

    // unknown rule
    let d = one_file(&arm("// keyless:ignore INPUT001,KEY999 -- typo", "", ""));
    let (v, _) = json(d.path(), &["."]);
    assert_eq!(ids(&v), vec!["INPUT008", "INPUT001"]);
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("unknown rule `KEY999`"));

    // unused: names a rule that does not fire here
    let d = one_file(&arm("// keyless:ignore INPUT002 -- stale", "", ""));
    let (v, _) = json(d.path(), &["."]);
    assert_eq!(ids(&v), vec!["INPUT009", "INPUT001"]);

    // ... but not when that rule was not run at all
    let (v, _) = json(d.path(), &["--ignore", "INPUT002", "."]);
    assert_eq!(ids(&v), vec!["INPUT001"]);

    // the diagnostics obey selection too
    let (v, _) = json(d.path(), &["--ignore", "INPUT009", "."]);
    assert_eq!(ids(&v), vec!["INPUT001"]);
}

#[test]
fn expiry() {
    let d = one_file(&arm(
        "// keyless:ignore INPUT001 until=2027-03-31 -- until the template is regenerated",
        "",
        "",
    ));
    for today in ["2026-11-23", "2027-03-31"] {
        let (v, code) = json_env(d.path(), &["."], &[("KEYLESS_TODAY", today)]);
        assert_eq!((code, ids(&v)), (0, vec![]), "{today}");
        assert_eq!(v["summary"]["suppressed"], 1);
    }
    let (v, code) = json_env(d.path(), &["."], &[("KEYLESS_TODAY", "2027-04-01")]);
    assert_eq!(code, 1);
    assert_eq!(ids(&v), vec!["INPUT010", "INPUT001"]);
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("expired on 2027-03-31"));
    assert_eq!(v["summary"]["suppressed"], 0);
}

#[test]
fn suppressed_findings_in_sarif_human_compact_and_github() {
    let d = one_file(&arm(
        "// keyless:ignore INPUT001 -- known, tracked in #12",
        "",
        "",
    ));
    let o = run(d.path(), &["--format", "sarif", "."]);
    assert_eq!(o.code, 0);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "INPUT001");
    assert_eq!(
        results[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "known, tracked in #12"}])
    );
    assert_eq!(
        v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "a suppressed input problem is not a notification"
    );

    let o = run(d.path(), &["--color", "never", "."]);
    assert_eq!(o.code, 0);
    assert!(!o.stdout.contains("INPUT001"), "{}", o.stdout);
    assert!(o.stdout.contains("0 findings"), "{}", o.stdout);
    assert!(
        o.stdout.trim_end().ends_with("; 1 suppressed"),
        "{}",
        o.stdout
    );

    let o = run(d.path(), &["--format", "compact", "."]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    // github: no annotation, only the summary notice, which counts the suppressed finding.
    let o = run(d.path(), &["--format", "github", "."]);
    assert_eq!(o.code, 0);
    assert_eq!(
        o.stdout,
        "::notice title=keyless::1 file scanned, 0 findings (0 errors, 0 warnings, 0 notes) in 0 files; 1 suppressed\n"
    );
}

// ---------------------------------------------------------------- baselines

#[test]
fn a_written_baseline_counts_findings_as_the_next_run_does() {
    // Merged findings are recorded under each rule they stand for: the message counts findings
    // (what `--baseline` later reports as baselined) and names the entries apart.
    let d = tempfile::tempdir().unwrap();
    for f in ["appsettings.json", "local.env", "main.tf"] {
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/merge")
                .join(f),
            d.path().join(f),
        )
        .unwrap();
    }
    let o = run(d.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let wrote: usize = o
        .stderr
        .split("wrote ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(
        o.stderr.contains("entries: a merged finding"),
        "{}",
        o.stderr
    );
    let o = run(d.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains(&format!("; {wrote} in the baseline")),
        "wrote {wrote}: {}",
        o.stdout
    );
}

#[test]
fn baseline_round_trip_survives_moves_and_reformatting() {
    let d = one_file(&arm("", "", ""));
    let o = run(d.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("wrote 1 finding to the baseline"),
        "{}",
        o.stderr
    );
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["version"], 2);
    assert_eq!(b["key"].as_str().unwrap().len(), 32);
    assert_eq!(b["entries"][0]["rule_id"], "INPUT001");
    assert_eq!(b["entries"][0]["path"], "azuredeploy.json");
    assert_eq!(b["entries"][0]["fingerprint"].as_str().unwrap().len(), 16);

    let (v, code) = json(d.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!((code, ids(&v)), (0, vec![]));
    assert_eq!(v["summary"]["baselined"], 1);

    // lines inserted above, and the whole file re-indented
    let moved = arm("", "", "").replace("\n  ", "\n\n\n        ");
    std::fs::write(d.path().join("azuredeploy.json"), &moved).unwrap();
    let (v, _) = json(d.path(), &["."]);
    assert!(
        list(&v, "findings")[0].2 > NAME_LINE + 3,
        "the finding moved"
    );
    let (v, code) = json(d.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!((code, ids(&v)), (0, vec![]), "still matched after moving");

    // a new finding is reported
    let two = moved.replace(
        "\"location\": \"westeurope\"",
        "\"location\": \"[resourceGroup(.location]\"",
    );
    std::fs::write(d.path().join("azuredeploy.json"), two).unwrap();
    let (v, code) = json(d.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(code, 1);
    assert_eq!(ids(&v), vec!["INPUT001"]);
    assert_eq!(v["summary"]["baselined"], 1);
    let human = run(
        d.path(),
        &["--baseline", "baseline.json", "--color", "never", "."],
    );
    assert!(
        human.stdout.trim_end().ends_with("; 1 in the baseline"),
        "{}",
        human.stdout
    );
}

#[test]
fn bad_baselines_are_usage_errors() {
    let d = one_file(&arm("", "", ""));
    write(d.path(), "b.json", "{\"version\": 1}");
    let o = run(d.path(), &["--baseline", "b.json", "."]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("is not a keyless baseline"),
        "{}",
        o.stderr
    );
    write(d.path(), "b.json", "{\"version\": 7, \"entries\": []}");
    let o = run(d.path(), &["--baseline", "b.json", "."]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("version 7"), "{}", o.stderr);
    let o = run(d.path(), &["--baseline", "nope.json", "."]);
    assert_eq!(o.code, 2);
    let o = run(
        d.path(),
        &["--baseline", "b.json", "--write-baseline", "c.json", "."],
    );
    assert_eq!(o.code, 2, "the two options exclude each other");
}

// ---------------------------------------------------------------- github and compact

#[test]
fn compact_format() {
    let d = one_file(&arm("", "", ""));
    let o = run(d.path(), &["--format", "compact", "."]);
    assert_eq!(o.code, 1);
    let (v, _) = json(d.path(), &["."]);
    let col = list(&v, "findings")[0].3;
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert_eq!(
        o.stdout,
        format!("azuredeploy.json:{NAME_LINE}:{col}: error[INPUT001] {msg}\n")
    );
}

#[test]
fn github_format_escapes_properties_and_data() {
    let d = tempfile::tempdir().unwrap();
    // a path with `,` and `:` in it, and a message that holds `%`
    write(d.path(), "a,b:c%/azuredeploy.json", &arm("", "", ""));
    let o = run(d.path(), &["--format", "github", "."]);
    assert_eq!(o.code, 1);
    let (v, _) = json(d.path(), &["."]);
    let x = &v["findings"][0];
    let line = o.stdout.lines().next().unwrap();
    let expected_head = format!(
        "::error file=a%2Cb%3Ac%25/azuredeploy.json,line={},col={},endLine={},endColumn={},title=INPUT001 unparseable-file::",
        x["line"], x["column"], x["end_line"], x["end_column"]
    );
    assert!(line.starts_with(&expected_head), "{line}\n{expected_head}");
    // the finding, then the summary notice
    assert_eq!(o.stdout.lines().count(), 2);
    assert!(!line[expected_head.len()..].contains('\n'));
}

// ---------------------------------------------------------------- suppressions with a real rule

/// Each comment syntax suppresses KEY002 (a password written as a literal), and the same files
/// without the comment report it: the suppression, not the parser, is what hides the finding.
#[test]
fn every_comment_syntax_suppresses_a_real_secret_rule() {
    let pw = "Tr0ub4dor3-horse-battery";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "appsettings.json",
            format!("{{\n  // keyless:ignore KEY002 -- json line comment\n  \"Password\": \"{pw}\"\n}}\n"),
            "json line comment",
        ),
        (
            "local.settings.json",
            format!("{{ \"Values\": {{\n  \"Password\": \"{pw}\" /* keyless:ignore KEY -- json block */\n}} }}\n"),
            "json block",
        ),
        (
            "pipeline.yaml",
            format!("variables:\n  # keyless:ignore KEY002 -- yaml hash\n  password: \"{pw}\"\n"),
            "yaml hash",
        ),
        (
            "hash.tf",
            format!("resource \"azurerm_mssql_server\" \"s\" {{\n  # keyless:ignore KEY002 -- hcl hash\n  administrator_login_password = \"{pw}\"\n}}\n"),
            "hcl hash",
        ),
        (
            "slash.tf",
            format!("resource \"azurerm_mssql_server\" \"t\" {{\n  administrator_login_password = \"{pw}\" // keyless:ignore KEY002 -- hcl slashes\n}}\n"),
            "hcl slashes",
        ),
        (
            "web.config",
            format!("<configuration>\n  <appSettings>\n    <!-- keyless:ignore KEY002 - xml comment -->\n    <add key=\"Password\" value=\"{pw}\" />\n  </appSettings>\n</configuration>\n"),
            "xml comment",
        ),
        (
            ".env",
            format!("# keyless:ignore KEY002 -- dotenv hash\nDB_PASSWORD={pw}\n"),
            "dotenv hash",
        ),
        (
            "azuredeploy.json",
            format!("{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Sql/servers\",\n      \"apiVersion\": \"2023-05-01-preview\",\n      \"name\": \"sql\",\n      \"location\": \"westeurope\",\n      \"metadata\": {{ \"keyless:ignore\": \"KEY002 -- arm metadata\" }},\n      \"properties\": {{ \"administratorLogin\": \"admin\", \"administratorLoginPassword\": \"{pw}\" }}\n    }}\n  ]\n}}\n"),
            "arm metadata",
        ),
    ];
    for (name, text, reason) in &cases {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), name, text);
        // only KEY002: other rules (MI, RBAC) may have things to say about these resources
        let (v, code) = json(d.path(), &["--select", "KEY002", "."]);
        assert_eq!((code, ids(&v)), (0, vec![]), "{name}: {v}");
        let sup = list(&v, "suppressed");
        assert_eq!(sup.len(), 1, "{name}: {v}");
        assert_eq!(sup[0].0, "KEY002", "{name}");
        assert_eq!(v["suppressed"][0]["justification"], *reason, "{name}");
        assert!(
            !v.to_string().contains(pw),
            "{name}: the secret is never printed"
        );

        // without the marker, the same file reports KEY002
        let plain = text.replace("keyless:ignore", "see-also");
        write(d.path(), name, &plain);
        let (v, code) = json(d.path(), &["--select", "KEY002", "."]);
        assert_eq!(code, 1, "{name}");
        assert!(ids(&v).contains(&"KEY002".to_string()), "{name}: {v}");
    }
}

#[test]
fn extra_patterns_from_the_config_are_found_by_key001_and_redacted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".keyless.toml",
        "[[patterns]]\nid = \"acme\"\nregex = 'acme_[0-9a-f]{32}'\ndescription = \"ACME API token\"\n",
    );
    let token = "acme_0123456789abcdef0123456789abcdef";
    write(
        dir.path(),
        "config.yaml",
        &format!("service:\n  name: billing\n  upstream: \"{token}\"\n"),
    );
    let (v, code) = json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let hits: Vec<_> = list(&v, "findings")
        .into_iter()
        .filter(|(r, ..)| r == "KEY001")
        .collect();
    assert_eq!(hits, vec![("KEY001".into(), "config.yaml".into(), 3, 14)]);
    let f = &v["findings"][0];
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("ACME API token (pattern `acme`"));
    assert_eq!(f["evidence"], "********");
    let human = run(dir.path(), &["--color", "never", "."]);
    assert!(!human.stdout.contains(token), "{}", human.stdout);
    // without the config the built-in patterns do not know the format
    std::fs::remove_file(dir.path().join(".keyless.toml")).unwrap();
    let (v, _) = json(dir.path(), &["."]);
    assert!(list(&v, "findings").is_empty(), "{v}");
}
