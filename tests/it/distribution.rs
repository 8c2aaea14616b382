//! Distribution and setup: `--version`, the minimum Rust version, shell completions, the man
//! page, the configuration schema and `keyless init`, `[per-file-ignores]`, and the CI formats
//! (`azure`, the `github` summary line).

use std::path::Path;
use std::process::Command as Process;

use serde_json::Value;

use crate::support::{root, run, write};

/// An ARM template whose secure parameter has a literal default: KEY003 at 7:23.
const KEY003_TEMPLATE: &str = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {\n    \"adminPassword\": {\n      \"type\": \"securestring\",\n      \"defaultValue\": \"Fake-Dist-Pa55word!\"\n    }\n  },\n  \"resources\": []\n}\n";

// ---------------------------------------------------------------- version and MSRV

#[test]
fn version_names_the_commit_when_built_from_git() {
    let o = run(&root(), &["--version"]);
    assert_eq!(o.code, 0);
    let expected = format!("keyless {}", env!("CARGO_PKG_VERSION"));
    assert!(o.stdout.starts_with(&expected), "{}", o.stdout);
    let head = Process::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root())
        .output();
    match head {
        Ok(h) if h.status.success() && root().join(".git").exists() => {
            let sha = String::from_utf8_lossy(&h.stdout).trim().to_string();
            assert!(
                o.stdout.trim() == format!("{expected} ({})", &sha[..12]),
                "`{}` does not name HEAD {sha}",
                o.stdout.trim()
            );
        }
        // No git or no checkout (a packaged crate): the version alone, or the packaged commit.
        _ => assert!(
            o.stdout.trim() == expected || o.stdout.trim().starts_with(&format!("{expected} (")),
            "{}",
            o.stdout
        ),
    }
}

/// The platform cargo builds for here (`host:` of `cargo -vV`).
fn host_triple() -> String {
    let out = Process::new(env!("CARGO"))
        .arg("-vV")
        .output()
        .expect("cargo -vV runs");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("cargo -vV names the host")
        .trim()
        .to_string()
}

/// `rust-version` in Cargo.toml is the highest `rust-version` of the locked dependencies (normal,
/// build and dev) that build on this platform, and the README states it.
///
/// `--filter-platform` of the host keeps the check to what `cargo test --locked` has already
/// downloaded on a bare machine: without it `cargo metadata` wants every package of the lock file,
/// Windows-only crates included, which a Linux build never fetches (and `--offline` then fails).
#[test]
fn rust_version_is_the_minimum_of_the_locked_dependencies() {
    let out = Process::new(env!("CARGO"))
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .args(["--filter-platform", &host_triple()])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let parse = |v: &str| -> Vec<u64> {
        let mut parts: Vec<u64> = v.split('.').map(|p| p.parse().unwrap_or(0)).collect();
        parts.resize(3, 0);
        parts
    };
    let mut ours = None;
    let mut needed: (Vec<u64>, String) = (vec![0, 0, 0], String::new());
    for p in meta["packages"].as_array().expect("packages") {
        let Some(rv) = p["rust_version"].as_str() else {
            continue;
        };
        if p["name"] == "keyless" && p["source"].is_null() {
            ours = Some(rv.to_string());
        } else if parse(rv) > needed.0 {
            needed = (
                parse(rv),
                format!("{} {} needs {rv}", p["name"], p["version"]),
            );
        }
    }
    let ours = ours.expect("Cargo.toml declares rust-version");
    assert_eq!(
        parse(&ours),
        needed.0,
        "rust-version is {ours}, but {}: set rust-version (and the README) to it",
        needed.1
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust {ours} or newer")),
        "the README must state the minimum Rust version ({ours})"
    );
}

/// The test helpers (`keyless::testing`) stay out of what ships: the module is compiled only for
/// tests or with the `testing` feature, no default feature turns that on, a build without dev
/// dependencies resolves `keyless` without it (the integration tests' dev-dependency on the crate
/// itself turns it on only for them), and the fuzz crate asks for it.
#[test]
fn test_helpers_are_left_out_of_the_shipped_build() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("#[cfg(any(test, feature = \"testing\"))]\npub mod testing;"),
        "src/lib.rs must gate `pub mod testing` behind cfg(test) or the `testing` feature"
    );
    let manifest: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .expect("Cargo.toml");
    let names = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let default = names(manifest["features"].get("default"));
    assert!(
        !default.iter().any(|f| f == "testing"),
        "a default feature enables `testing`: {default:?}"
    );
    let features = |edges: &str| {
        let out = Process::new(env!("CARGO"))
            .args(["tree", "--locked", "--offline", "--depth", "0"])
            .args(["-e", edges, "-f", "{p} [{f}]"])
            .current_dir(root())
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shipped = features("no-dev");
    assert!(
        shipped.starts_with("keyless ") && !shipped.contains("testing"),
        "the build without dev dependencies enables `testing`: {shipped}"
    );
    // the same query sees the feature where the tests turn it on
    assert!(features("all").contains("testing"));
    let fuzz: toml::Table = std::fs::read_to_string(root().join("fuzz/Cargo.toml"))
        .unwrap()
        .parse()
        .expect("fuzz/Cargo.toml");
    let fuzz_features = names(fuzz["dependencies"]["keyless"].get("features"));
    assert!(
        fuzz_features.iter().any(|f| f == "testing"),
        "the fuzz crate must enable keyless's `testing` feature: {fuzz_features:?}"
    );
}

// ---------------------------------------------------------------- completions and man page

#[test]
fn bash_completion_loads_in_bash() {
    let o = run(&root(), &["completions", "bash"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let d = tempfile::tempdir().unwrap();
    let script = d.path().join("keyless.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    let out = Process::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg("source \"$1\" && complete -p keyless")
        .arg("bash")
        .arg(&script)
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("keyless"),
        "bash could not load the completion: {said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_for_every_shell_name_the_subcommands_and_formats() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&root(), &["completions", shell]);
        assert_eq!(o.code, 0, "{shell}: {}", o.stderr);
        for word in ["explain", "completions", "config-schema", "fail-on"] {
            assert!(o.stdout.contains(word), "{shell} completion lacks {word}");
        }
        if shell != "powershell" {
            // PowerShell's script completes option names, not their values.
            assert!(
                o.stdout.contains("azure"),
                "{shell} completion lacks the azure format"
            );
        }
    }
    let o = run(&root(), &["completions", "tcsh"]);
    assert_eq!(o.code, 2);
}

#[test]
fn man_page_is_roff_with_the_options() {
    let o = run(&root(), &["man"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with(".ie") || o.stdout.contains("\n.TH keyless"));
    assert!(o.stdout.contains(".TH keyless"), "no title header");
    for word in ["fail\\-on", "SUBCOMMANDS", "completions", "init"] {
        assert!(o.stdout.contains(word), "man page lacks {word}");
    }
}

// ---------------------------------------------------------------- schema and init

/// The README and the pages of the book (`docs/src/**/*.md`), as paths relative to the root.
fn documentation() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                let rel = p.strip_prefix(root()).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = vec!["README.md".to_string()];
    walk(&root().join("docs/src"), &mut out);
    out[1..].sort();
    assert!(out.len() > 10, "too few pages in docs/src: {out:?}");
    out
}

/// Every example configuration: the TOML blocks of the README and the book, `testdata/**/*.toml`
/// and the starter file of `keyless init`, as (name, text).
fn example_configs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for page in documentation() {
        let text = std::fs::read_to_string(root().join(&page)).unwrap();
        for (i, block) in text.split("```toml\n").skip(1).enumerate() {
            let text = block.split("```").next().unwrap_or_default();
            // Editor snippets (Helix's `languages.toml`) are TOML too, not keyless configurations.
            if text.contains("[language-server.") {
                continue;
            }
            out.push((format!("{page} TOML block {}", i + 1), text.to_string()));
        }
    }
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    walk(&root().join("testdata"), &mut out);
    out.push((
        "keyless init".to_string(),
        keyless::cli::STARTER_CONFIG.to_string(),
    ));
    out
}

#[test]
fn every_example_config_is_valid() {
    let configs = example_configs();
    assert!(
        configs.len() >= 4,
        "too few example configurations: {}",
        configs.len()
    );
    for (name, text) in configs {
        if let Err(e) = keyless::config::Config::parse(&text, &name, Path::new("/repo")) {
            panic!("{name}: {e}");
        }
    }
}

#[test]
fn config_schema_command_prints_the_committed_schema() {
    let o = run(&root(), &["config-schema"]);
    assert_eq!(o.code, 0);
    let committed = std::fs::read_to_string(root().join("keyless.schema.json")).unwrap();
    assert!(
        o.stdout == committed,
        "run `cargo run -- config-schema > keyless.schema.json`"
    );
    let v: Value = serde_json::from_str(&o.stdout).expect("JSON");
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn init_writes_a_starter_config_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["init"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let path = d.path().join(".keyless.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, keyless::cli::STARTER_CONFIG);
    assert!(written.starts_with("#:schema "));
    // The starter file is a working configuration: the scan uses it.
    write(d.path(), "azuredeploy.json", KEY003_TEMPLATE);
    assert_eq!(run(d.path(), &["--format", "compact", "."]).code, 1);

    std::fs::write(&path, "# mine\n").unwrap();
    let again = run(d.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");

    let sub = run(d.path(), &["init", "nested/missing"]);
    assert_eq!(sub.code, 2);
    assert!(sub.stderr.contains("could not write"), "{}", sub.stderr);
}

// ---------------------------------------------------------------- per-file-ignores

/// `testdata/config/per-file-ignores`: the same template in four places; only the one no entry
/// covers is reported, and the suppression comment in `legacy/` is not reported as unused.
#[test]
fn per_file_ignores_drop_the_named_rules_for_matching_files() {
    let dir = root().join("testdata/config/per-file-ignores");
    let o = run(&dir, &["--format", "json", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let found: Vec<(String, String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![(
            "KEY003".to_string(),
            "templates/azuredeploy.json".to_string(),
            7,
            23
        )]
    );
    assert_eq!(v["suppressed"].as_array().map(Vec::len), Some(0));

    // Without the configuration, all four are reported (the legacy one as suppressed).
    let empty = tempfile::tempdir().unwrap();
    let none = empty.path().join("empty.toml");
    std::fs::write(&none, "").unwrap();
    let o = run(
        &dir,
        &[
            "--format",
            "json",
            "--config",
            none.to_str().unwrap(),
            "--fail-on",
            "never",
            ".",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["suppressed"].as_array().map(Vec::len), Some(1));
}

#[test]
fn per_file_ignores_mistakes_are_located() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        ".keyless.toml",
        "[per-file-ignores]\n\"tests/**\" = [\"KEY01\"]\n",
    );
    let o = run(d.path(), &["."]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("keyless: error: .keyless.toml:2:15: unknown rule `KEY01`"),
        "{}",
        o.stderr
    );
    write(
        d.path(),
        ".keyless.toml",
        "[per-file-ignores]\n\"a/[b\" = [\"KEY\"]\n",
    );
    let o = run(d.path(), &["."]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("keyless: error: .keyless.toml:2:1: invalid glob `a/[b`"),
        "{}",
        o.stderr
    );
    write(
        d.path(),
        ".keyless.toml",
        "[per-file-ignores]\n\"tests/**\" = \"KEY\"\n",
    );
    let o = run(d.path(), &["."]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.starts_with("keyless: error: .keyless.toml:2:"),
        "{}",
        o.stderr
    );
}

// ---------------------------------------------------------------- CI formats

#[test]
fn azure_format_prints_logissue_commands_and_a_summary() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "app;v1]/azuredeploy.json", KEY003_TEMPLATE);
    write(
        d.path(),
        ".keyless.toml",
        "[rules.severity]\nINPUT = \"note\"\n",
    );
    // An ARM template with an invalid expression: INPUT001, a note here.
    write(
        d.path(),
        "broken/azuredeploy.json",
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [ { \"type\": \"Contoso.Test/widgets\", \"name\": \"[concat('a', ]\" } ]\n}\n",
    );
    write(d.path(), "empty.toml", "");
    let o = run(d.path(), &["--format", "azure", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", o.stdout);
    assert!(
        lines[0].starts_with("##vso[task.logissue type=error;sourcepath=app%3Bv1%5D/azuredeploy.json;linenumber=7;columnnumber=23;code=KEY003]KEY003 secure-parameter-default: "),
        "{}",
        lines[0]
    );
    assert!(!lines[0].contains("Fake-Dist-Pa55word!"), "secret printed");
    assert!(
        lines[0].contains("%0A"),
        "help on the same line: {}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("keyless: note: broken/azuredeploy.json:3:")
            && lines[1].contains("INPUT001"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "keyless: 2 files scanned, 2 findings (1 error, 0 warnings, 1 note) in 2 files"
    );
    assert!(!o.stdout.contains("task.complete"));

    let q = run(
        d.path(),
        &["--format", "azure", "--quiet", "--fail-on", "never", "."],
    );
    assert_eq!(q.code, 0);
    assert_eq!(q.stdout.lines().count(), 2);

    // warnings are type=warning (INPUT001 is an error by default: lowered here)
    write(
        d.path(),
        "warn.toml",
        "[rules.severity]\nINPUT001 = \"warning\"\n",
    );
    let w = run(
        d.path(),
        &[
            "--format",
            "azure",
            "--config",
            "warn.toml",
            "--select",
            "INPUT",
            ".",
        ],
    );
    assert!(
        w.stdout.lines().any(|l| l.starts_with(
            "##vso[task.logissue type=warning;sourcepath=broken/azuredeploy.json;linenumber=3;"
        )),
        "{}\n{}",
        w.stdout,
        w.stderr
    );
}

#[test]
fn github_format_ends_with_a_summary_notice() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "azuredeploy.json", KEY003_TEMPLATE);
    let o = run(d.path(), &["--format", "github", "."]);
    assert_eq!(o.code, 1);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", o.stdout);
    assert!(lines[0].starts_with("::error file=azuredeploy.json,line=7,col=23,"));
    assert_eq!(
        lines[1],
        "::notice title=keyless::1 file scanned, 1 finding (1 error, 0 warnings, 0 notes) in 1 file"
    );
    let q = run(d.path(), &["--format", "github", "--quiet", "."]);
    assert_eq!(q.stdout.lines().count(), 1);
}

/// SARIF locations: a path given relative is a URI reference under `%SRCROOT%`; a path given
/// absolute is a `file://` URI with no base id (a base id may only prefix a relative reference),
/// percent-encoded. `.ci/run` also runs Microsoft's SARIF validator on both forms.
#[test]
fn sarif_uris_are_relative_under_srcroot_or_absolute_file_uris() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "app 1/azuredeploy.json", KEY003_TEMPLATE);
    let location = |o: &crate::support::Out| -> Value {
        let v: Value = serde_json::from_str(&o.stdout).expect("SARIF is JSON");
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].clone()
    };
    let rel = run(d.path(), &["--format", "sarif", "."]);
    assert_eq!(rel.code, 1, "{}", rel.stderr);
    let loc = location(&rel);
    assert_eq!(loc["uri"], "app%201/azuredeploy.json");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");

    let abs = d.path().canonicalize().unwrap();
    let abs_arg = abs.to_str().unwrap();
    let o = run(&root(), &["--format", "sarif", abs_arg]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let loc = location(&o);
    let uri = loc["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/app%201/azuredeploy.json"),
        "{uri}"
    );
    assert!(!uri.contains(' ') && !uri.contains('\\'), "{uri}");
    assert!(loc.get("uriBaseId").is_none(), "{loc}");
}

// ---------------------------------------------------------------- packaging

/// The `"..."` string literals of `text` that follow `prefix` (`ext("` → each extension tested).
fn literals_after(text: &str, prefix: &str) -> Vec<String> {
    text.split(prefix)
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_string))
        .collect()
}

/// The release tag, the crate, the wheel (`pyproject.toml` takes its version from `Cargo.toml`),
/// the VS Code extension, the Action's, the README's and the book's examples and `CHANGELOG.md` name one
/// version. The changelog has that version's dated section, or (before its release) an
/// `Unreleased` section on top and no section for a version at or above it.
#[test]
fn versions_agree_across_crate_wheel_extension_action_and_changelog() {
    let version = env!("CARGO_PKG_VERSION");
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let pyproject: toml::Table = read("pyproject.toml").parse().expect("pyproject.toml");
    let project = &pyproject["project"];
    match project.get("version") {
        Some(v) => assert_eq!(v.as_str(), Some(version), "pyproject.toml version"),
        None => assert!(
            project["dynamic"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x.as_str() == Some("version"))),
            "pyproject.toml must set version or take it from Cargo.toml (dynamic)"
        ),
    }
    for p in [
        "editors/vscode/package.json",
        "editors/vscode/package-lock.json",
    ] {
        let v: Value = serde_json::from_str(&read(p)).unwrap();
        assert_eq!(v["version"], version, "{p}");
    }
    // Every version a user is told to write: `@v1.2.3`, `rev: v1.2.3`, `keyless==1.2.3`.
    let named_in: Vec<String> = ["action.yml", ".pre-commit-hooks.yaml"]
        .into_iter()
        .map(String::from)
        .chain(documentation())
        .collect();
    for p in &named_in {
        let text = read(p);
        let mut named = literals_after(&text.replace("keyless==", "\"v"), "\"v");
        for (i, _) in text.match_indices(['@', ' ']) {
            let rest = &text[i + 1..];
            if let Some(v) = rest.strip_prefix('v') {
                named.push(
                    v.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .next()
                        .unwrap()
                        .to_string(),
                );
            }
        }
        for v in named {
            let v = v.trim_end_matches('.');
            if v.split('.').count() == 3 && v.split('.').all(|n| n.parse::<u64>().is_ok()) {
                assert_eq!(v, version, "{p} names version {v}, the crate is {version}");
            }
        }
    }
    let changelog = read("CHANGELOG.md");
    let sections: Vec<&str> = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .filter_map(|l| l.split(']').next())
        .collect();
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    if !changelog.contains(&format!("\n## [{version}] - ")) {
        assert_eq!(
            sections.first().copied(),
            Some("Unreleased"),
            "CHANGELOG.md has no section for {version}: it must be unreleased, on top"
        );
        for s in &sections[1..] {
            assert!(
                parse(s) < parse(version),
                "CHANGELOG.md has {s}, the crate is still {version}: set the next version in Cargo.toml"
            );
        }
    }
}

/// The VS Code extension (editors/vscode/formats.json, read by extension.js and listed in
/// package.json's activation events, both generated from the format descriptors of
/// src/formats.rs) covers every file keyless reads: each name a descriptor lists, made concrete,
/// matches one of its globs (as VS Code reads them) and is read by `discover::format_for_path`,
/// names keyless does not read match none, and every language id the server scans an unsaved
/// buffer under is in its untitled selector.
#[test]
fn vscode_extension_activates_for_every_format_keyless_reads() {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let formats: Value = serde_json::from_str(&read("editors/vscode/formats.json")).unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let files = strings(&formats["files"]);
    let languages = strings(&formats["untitledLanguages"]);
    let mut globs = globset::GlobSetBuilder::new();
    for g in &files {
        globs.add(
            globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .unwrap(),
        );
    }
    let globs = globs.build().unwrap();

    let mut names = Vec::new();
    for spec in keyless::formats::FORMATS {
        for g in spec.names {
            names.push(format!("dir/{}", g.replace('*', "sample")));
        }
        for id in spec.language_ids {
            assert!(
                languages.iter().any(|l| l == id),
                "no untitled selector for language {id}"
            );
        }
    }
    assert!(names.len() >= 15, "too few names: {names:?}");
    for name in &names {
        let path = Path::new(name);
        assert!(
            keyless::discover::format_for_path(path).is_some(),
            "keyless does not read {name}"
        );
        assert!(globs.is_match(path), "the VS Code extension misses {name}");
    }
    for name in [
        "dir/notes.txt",
        "dir/main.xml",
        "dir/run.ps1",
        "dir/README.md",
        "dir/main.hcl",
    ] {
        assert!(keyless::discover::format_for_path(Path::new(name)).is_none());
        assert!(
            !globs.is_match(name),
            "the VS Code extension activates for {name}"
        );
    }

    let package: Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    let events = strings(&package["activationEvents"]);
    let expected: Vec<String> = files
        .iter()
        .map(|g| format!("workspaceContains:{g}"))
        .chain(languages.iter().map(|l| format!("onLanguage:{l}")))
        .collect();
    assert_eq!(
        events, expected,
        "package.json activationEvents and formats.json differ"
    );
    let extension = read("editors/vscode/extension.js");
    assert!(extension.contains("require(\"./formats.json\")"));
    assert!(extension.contains("scheme: \"untitled\""));
}

/// The README's first suppression example does what the text says: the comment suppresses the
/// finding below it (no other finding, no unused-suppression report, exit 0).
#[test]
fn readme_suppression_example_suppresses_its_finding() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Suppressions\n")
        .nth(1)
        .expect("Suppressions section");
    let block = section
        .split("```jsonc\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a jsonc block in Suppressions");
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "appsettings.json", block);
    let o = run(d.path(), &["--format", "json", "."]);
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["findings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        o.stdout
    );
    let suppressed = v["suppressed"].as_array().unwrap();
    assert_eq!(suppressed.len(), 1, "{}", o.stdout);
    let named = block
        .split("keyless:ignore ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap();
    assert!(
        suppressed[0].to_string().contains(&format!("\"{named}\"")),
        "the suppressed finding is not {named}: {}",
        suppressed[0]
    );
}
