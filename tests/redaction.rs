//! Never print a secret: scans all of testdata/ with the built binary in every output format and
//! checks that no fixture secret listed in testdata/SECRETS.txt appears in the output, and that its
//! redacted form does (so the secret was found and reported, not merely skipped).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use keyless::finding::redact;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The secrets of the manifest.
fn secrets() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("testdata/SECRETS.txt"))
        .expect("testdata/SECRETS.txt exists");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable testdata").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn scan(format: &str) -> String {
    let out = Command::cargo_bin("keyless")
        .expect("binary builds")
        .current_dir(root())
        .args(["--format", format, "--fail-on", "never", "--color", "never"])
        .arg("testdata")
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{format}: {:?}", out.status);
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The manifest is honest: every listed secret is in some fixture, so a leak would be seen.
#[test]
fn manifest_secrets_are_in_fixtures() {
    let mut all = Vec::new();
    files(&root().join("testdata"), &mut all);
    let texts: Vec<String> = all
        .iter()
        .filter(|p| !p.ends_with("SECRETS.txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let secrets = secrets();
    assert!(secrets.len() >= 10, "manifest too short");
    for s in &secrets {
        assert!(
            texts.iter().any(|t| t.contains(s.as_str())),
            "{s:?} is listed in testdata/SECRETS.txt but no fixture contains it"
        );
    }
}

#[test]
fn no_format_prints_a_fixture_secret() {
    let secrets = secrets();
    for format in ["human", "json", "sarif", "github", "compact", "azure"] {
        let out = scan(format);
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "{format} output contains the fixture secret {s:?}"
            );
        }
    }
}

#[test]
fn redacted_evidence_is_reported_instead() {
    let secrets = secrets();
    let json: serde_json::Value = serde_json::from_str(&scan("json")).expect("JSON report");
    let evidence: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["evidence"].as_str())
        .collect();
    let sarif = scan("sarif");
    let human = scan("human");
    for s in &secrets {
        let r = redact(s);
        assert!(
            evidence.contains(&r.as_str()),
            "no JSON finding has the evidence {r:?} for a manifest secret"
        );
        assert!(sarif.contains(&r), "SARIF lacks the evidence {r:?}");
        assert!(human.contains(&r), "human output lacks the evidence {r:?}");
    }
}
