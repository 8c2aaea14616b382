//! Every report format on one fixed result: `testdata/report-snapshot/input/` (findings of every
//! family in ARM, Terraform and app settings, safe and unsafe fixes, a note from the folder's
//! `.keyless.toml`, a suppressed finding and two baselined ones, `baseline.keyless`) is scanned
//! with the built binary in each `--format`, and the output must match the committed
//! `testdata/report-snapshot/<format>.snap`. What depends on the machine or the build is
//! normalised first: the crate version, the scan time, the absolute root in SARIF; and the rule
//! pages SARIF embeds (`rules/*.md`, checked by their own tests) are replaced by their names.
//! insta snapshots: `INSTA_UPDATE=always cargo test --locked --test it report_snapshots` rewrites
//! them (or `cargo insta test --review`); a missing one fails.

use regex::Regex;

use crate::support::{keyless_in, root};

/// Every value `--format` accepts, and the name of its snapshot.
const FORMATS: &[&str] = &["human", "compact", "json", "sarif", "github", "azure"];

/// Runs the fixed scan in one format: standard output, which must be all there is.
fn scan(format: &str) -> String {
    let dir = root().join("testdata/report-snapshot/input");
    let out = keyless_in(&dir)
        // the human report wraps at the terminal's width
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .args(["--color", "never", "--format", format])
        .args(["--baseline", "../baseline.keyless", "."])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
    assert!(stderr.is_empty(), "{format}: {stderr}");
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// Takes out what varies between machines and builds.
fn normalise(format: &str, text: &str) -> String {
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    let mut text = text.replace(&version, "\"<version>\"");
    let time = Regex::new(r"scanned in [0-9]+\.[0-9]+s").unwrap();
    text = time.replace_all(&text, "scanned in <time>").into_owned();
    if format == "sarif" {
        text = sarif_pages_and_root(&text);
    }
    text
}

/// SARIF: the `file://` URI of the scan root becomes `file:///<root>/`, and the texts of each
/// rule's `fullDescription` and `help` (its page) become `<rules/ID.md>`.
fn sarif_pages_and_root(text: &str) -> String {
    let mut out = String::new();
    let mut id = String::new();
    // indentation of the open `"help": {` or `"fullDescription": {`
    let mut page: Option<usize> = None;
    for line in text.lines() {
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let comma = if t.ends_with(',') { "," } else { "" };
        if let Some(rest) = t.strip_prefix("\"id\": \"") {
            id = rest.trim_end_matches(',').trim_end_matches('"').to_string();
        }
        if let Some(open) = page {
            if indent.len() == open && t.starts_with('}') {
                page = None;
            } else if let Some((key, _)) = t.split_once(": ") {
                out.push_str(&format!("{indent}{key}: \"<rules/{id}.md>\"{comma}\n"));
                continue;
            }
        } else if t == "\"help\": {" || t == "\"fullDescription\": {" {
            page = Some(indent.len());
        } else if t.starts_with("\"uri\": \"file://") {
            out.push_str(&format!("{indent}\"uri\": \"file:///<root>/\"{comma}\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn every_format_matches_its_snapshot() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("testdata/report-snapshot"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let mut stale = Vec::new();
    for format in FORMATS {
        let text = normalise(format, &scan(format));
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(*format, text));
        }));
        if checked.is_err() {
            stale.push(format!("testdata/report-snapshot/{format}.snap"));
        }
    }
    assert!(
        stale.is_empty(),
        "stale (diffs above): {}; review the change, then rewrite them with \
         `INSTA_UPDATE=always cargo test --locked --test it report_snapshots`",
        stale.join(", ")
    );
}

/// The snapshots cover every value `--format` accepts.
#[test]
fn every_report_format_has_a_snapshot() {
    use clap::ValueEnum;
    let accepted: Vec<String> = keyless::cli::OutputFormat::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect();
    let mut listed: Vec<String> = FORMATS.iter().map(|f| f.to_string()).collect();
    listed.sort();
    let mut accepted_sorted = accepted.clone();
    accepted_sorted.sort();
    assert_eq!(
        listed, accepted_sorted,
        "FORMATS must list every `--format` value"
    );
}

/// The fixed scan has what each report must show, so the snapshots cover it: every family, every
/// severity, a fix, a suppressed and a baselined finding.
#[test]
fn the_fixed_scan_covers_every_kind_of_result() {
    let v: serde_json::Value = serde_json::from_str(&scan("json")).expect("JSON report");
    let findings = v["findings"].as_array().expect("findings");
    for family in ["KEY", "CONN", "MI"] {
        assert!(
            findings.iter().any(|f| f["family"] == family),
            "no {family} finding"
        );
    }
    // the other two families are the baselined findings
    let baseline =
        std::fs::read_to_string(root().join("testdata/report-snapshot/baseline.keyless"))
            .expect("baseline");
    let baseline: serde_json::Value = serde_json::from_str(&baseline).expect("baseline JSON");
    let baselined: Vec<&str> = baseline["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["rule_id"].as_str())
        .collect();
    assert_eq!(baselined, ["INPUT001", "RBAC001"]);
    for severity in ["error", "warning", "note"] {
        assert!(
            findings.iter().any(|f| f["severity"] == severity),
            "no {severity}"
        );
    }
    assert!(findings.iter().any(|f| !f["fix"].is_null()), "no fix");
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["summary"]["baselined"], 2);
}

/// A normalised report keeps its shape: only the varying values change.
#[test]
fn normalising_replaces_only_what_varies() {
    let sarif = "{\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"version\": \"V\",\n          \"rules\": [\n            {\n              \"id\": \"KEY001\",\n              \"fullDescription\": {\n                \"text\": \"long\"\n              },\n              \"help\": {\n                \"text\": \"page\",\n                \"markdown\": \"page\"\n              },\n              \"helpUri\": \"https://example.invalid/KEY001\"\n            }\n          ]\n        }\n      },\n      \"originalUriBaseIds\": {\n        \"%SRCROOT%\": {\n          \"uri\": \"file:///home/me/repo/\"\n        }\n      }\n    }\n  ]\n}\n"
        .replace("\"V\"", &format!("\"{}\"", env!("CARGO_PKG_VERSION")));
    let expected = "{\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"version\": \"<version>\",\n          \"rules\": [\n            {\n              \"id\": \"KEY001\",\n              \"fullDescription\": {\n                \"text\": \"<rules/KEY001.md>\"\n              },\n              \"help\": {\n                \"text\": \"<rules/KEY001.md>\",\n                \"markdown\": \"<rules/KEY001.md>\"\n              },\n              \"helpUri\": \"https://example.invalid/KEY001\"\n            }\n          ]\n        }\n      },\n      \"originalUriBaseIds\": {\n        \"%SRCROOT%\": {\n          \"uri\": \"file:///<root>/\"\n        }\n      }\n    }\n  ]\n}\n";
    assert_eq!(normalise("sarif", &sarif), expected);
    assert_eq!(
        normalise(
            "human",
            "keyless: 3 files scanned in 0.06s, 6 findings\nscanned in the end\n"
        ),
        "keyless: 3 files scanned in <time>, 6 findings\nscanned in the end\n"
    );
}
