//! Fixes end to end. For every fix of every fixture (each rule's `fire` files, in every format):
//! applying it alone leaves a file that parses and a re-scan without the fixed finding; applying
//! all of them gives the reviewed result in `testdata/fixes/<ID>/`; a second pass changes nothing.
//! Through the binary: `--diff` changes no file and prints a diff `git apply` accepts, `--fix`
//! applies only safe fixes, `--unsafe-fixes` the rest, and a second `--fix` changes nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use keyless::finding::Finding;
use keyless::fix::{apply, Fix};
use keyless::ir::InputProblemKind;
use keyless::scan::{check, ScanOptions};
use keyless::source::{Format, SourceFile};

use crate::support::{git, keyless_in, root};

/// The rules that offer fixes.
const RULES: &[&str] = &[
    "CONN001", "CONN002", "KEY003", "KEY006", "MI001", "MI003", "MI004", "RBAC003",
];

/// `(rule, path)` of every fire fixture of a rule with fixes.
fn fire_files() -> Vec<(&'static str, PathBuf)> {
    let mut out = Vec::new();
    for rule in RULES {
        let dir = root().join("testdata").join(rule).join("fire");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|p| (*rule, p)));
    }
    out
}

struct Checked {
    format: Format,
    findings: Vec<Finding>,
    syntax_problems: usize,
    parsed: bool,
}

fn check_text(path: &Path, text: &str) -> Checked {
    let format = keyless::discover::format_for_path(path).unwrap_or(Format::Text);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let file = SourceFile::new(path.to_path_buf(), name, text.to_string(), format);
    let parsed = keyless::parse::parse(&file);
    let report = check(&file, parsed.format, &parsed.doc, &ScanOptions::default());
    Checked {
        format: parsed.format,
        findings: report.findings,
        syntax_problems: parsed
            .doc
            .problems
            .iter()
            .filter(|p| matches!(p.kind, InputProblemKind::Syntax | InputProblemKind::TooDeep))
            .count(),
        parsed: parsed.doc.root.is_some(),
    }
}

fn count(findings: &[Finding], rule: &str) -> usize {
    findings.iter().filter(|f| f.rule.id == rule).count()
}

/// Applies every fix of `rule` (all rules when `None`), unsafe ones included, pass after pass until
/// none is left; returns the text and the number of passes that changed it.
fn fix_all(path: &Path, text: &str, rule: Option<&str>) -> (String, usize) {
    let mut text = text.to_string();
    for pass in 0..5 {
        let c = check_text(path, &text);
        let fixes: Vec<&Fix> = c
            .findings
            .iter()
            .filter(|f| rule.is_none_or(|r| f.rule.id == r))
            .filter_map(|f| f.fix.as_ref())
            .collect();
        let out = apply(&text, &fixes);
        assert!(out.invalid.is_empty(), "{}: invalid fixes", path.display());
        if out.text == text {
            return (text, pass);
        }
        text = out.text;
    }
    panic!("{}: fixes did not settle in 5 passes", path.display());
}

#[test]
fn every_fix_alone_parses_and_removes_its_finding() {
    let mut covered: BTreeSet<(String, &'static str)> = BTreeSet::new();
    for (rule, path) in fire_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let before = check_text(&path, &text);
        for f in before.findings.iter().filter(|f| f.rule.id == rule) {
            let Some(fix) = &f.fix else { continue };
            let out = apply(&text, &[fix]);
            assert_eq!(
                out.applied,
                vec![0],
                "{}: {rule} fix not applied",
                path.display()
            );
            let after = check_text(&path, &out.text);
            let at = format!("{}:{}:{}", path.display(), f.start.line, f.start.column);
            assert!(
                after.parsed && after.syntax_problems <= before.syntax_problems,
                "{at}: {rule} fix breaks the file:\n{}",
                out.text
            );
            assert!(
                count(&after.findings, rule) < count(&before.findings, rule),
                "{at}: {rule} finding still there after its fix:\n{}",
                out.text
            );
            // the edits are exactly where the fix says, and nothing else changed
            let edits: Vec<_> = fix.edits.iter().collect();
            assert_eq!(keyless::fix::splice(&text, &edits), out.text);
            covered.insert((rule.to_string(), before.format.name()));
        }
    }
    let want = [
        ("CONN001", "appsettings"),
        ("CONN001", "arm-template"),
        ("CONN001", "arm-parameters"),
        ("CONN001", "terraform"),
        ("CONN001", "xml-config"),
        ("CONN001", "dotenv"),
        ("CONN001", "yaml"),
        ("CONN002", "arm-template"),
        ("CONN002", "bicep"),
        ("CONN002", "terraform"),
        ("KEY003", "arm-template"),
        ("KEY003", "bicep"),
        ("KEY006", "terraform"),
        ("KEY006", "terraform-json"),
        ("MI001", "arm-template"),
        ("MI001", "bicep"),
        ("MI001", "terraform"),
        ("MI003", "arm-template"),
        ("MI003", "bicep"),
        ("MI003", "terraform"),
        ("MI003", "terraform-json"),
        ("MI004", "arm-template"),
        ("MI004", "bicep"),
        ("MI004", "terraform"),
    ];
    for (rule, format) in want {
        assert!(
            covered.contains(&(rule.to_string(), format)),
            "no {rule} fix exercised in {format}; covered: {covered:?}"
        );
    }
}

/// Each rule's fixes applied to its fire fixtures give the reviewed text in
/// `testdata/fixes/<ID>/<file>` (set `KEYLESS_BLESS=1` to write them after a reviewed change).
/// [`RULES`] is complete: no other rule offers a fix on its fire fixtures, so a rule that gains
/// a fix is checked end to end here (and gets reviewed results under `testdata/fixes/`).
#[test]
fn every_rule_whose_fixtures_get_a_fix_is_checked_here() {
    for rule in keyless::rules::all() {
        let id = rule.meta().id;
        if RULES.contains(&id) {
            continue;
        }
        let dir = root().join("testdata").join(id).join("fire");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()) {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let c = check_text(&path, &text);
            assert!(
                c.findings
                    .iter()
                    .filter(|f| f.rule.id == id)
                    .all(|f| f.fix.is_none()),
                "{}: {id} offers a fix; add it to RULES",
                path.display()
            );
        }
    }
}

#[test]
fn fixed_fixtures_match_the_reviewed_results() {
    let bless = std::env::var_os("KEYLESS_BLESS").is_some();
    for (rule, path) in fire_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let (fixed, passes) = fix_all(&path, &text, Some(rule));
        let golden = root()
            .join("testdata/fixes")
            .join(rule)
            .join(path.file_name().unwrap());
        if fixed == text {
            assert!(
                !golden.exists(),
                "{}: no fix, but a golden file",
                path.display()
            );
            continue;
        }
        assert!(passes >= 1);
        if bless {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &fixed).unwrap();
        }
        let want = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} missing (KEYLESS_BLESS=1)", golden.display()));
        assert_eq!(fixed, want, "{}", path.display());
        // what is left of the rule has no fix, and a further pass changes nothing
        let after = check_text(&path, &fixed);
        assert!(after
            .findings
            .iter()
            .filter(|f| f.rule.id == rule)
            .all(|f| f.fix.is_none()));
        assert_eq!(fix_all(&path, &fixed, Some(rule)), (fixed.clone(), 0));
    }
}

/// Copies the fire fixtures of the rules with fixes into `dir/<ID>/`.
fn copy_fixtures(dir: &Path) {
    for (rule, path) in fire_files() {
        let to = dir.join(rule);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for rule in RULES {
        let d = dir.join(rule);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            out.push((f, bytes));
        }
    }
    out
}

fn keyless(dir: &Path, args: &[&str]) -> std::process::Output {
    keyless_in(dir).args(args).output().unwrap()
}

fn rules_with_fixes(dir: &Path) -> Vec<String> {
    let out = keyless(dir, &["--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fix"].is_null())
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diff_changes_nothing_and_git_applies_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_fixtures(tmp.path());
    let before = snapshot(tmp.path());
    let out = keyless(tmp.path(), &["--diff", "--unsafe-fixes", "."]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(snapshot(tmp.path()), before, "--diff changed a file");
    let diff = out.stdout;
    assert!(
        diff.starts_with(b"--- a/"),
        "{}",
        String::from_utf8_lossy(&diff)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("would fix "), "{stderr}");
    assert!(
        stderr.contains("MI001 follow-up: grant the new identity"),
        "{stderr}"
    );
    let patch = tmp.path().join("fixes.patch");
    std::fs::write(&patch, &diff).unwrap();
    git(tmp.path(), &["apply", "--check", "fixes.patch"]);
    // applying the diff gives what --fix writes
    git(tmp.path(), &["apply", "fixes.patch"]);
    let by_patch = snapshot(tmp.path());
    let other = tempfile::tempdir().unwrap();
    copy_fixtures(other.path());
    let out = keyless(other.path(), &["--fix", "--unsafe-fixes", "-q", "."]);
    assert!(out.status.code().is_some());
    let by_fix = snapshot(other.path());
    // files whose diff would show a secret are named on standard error, not printed
    let withheld: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("is not shown: it changes lines that hold a secret"))
        .filter_map(|l| l.strip_prefix("keyless: ")?.split(": ").next())
        .collect();
    assert!(withheld.contains(&"CONN001/appsettings.json"), "{stderr}");
    assert_eq!(by_patch.len(), by_fix.len());
    let mut shown = 0;
    for (((a, x), (_, y)), (_, original)) in by_patch.iter().zip(&by_fix).zip(&before) {
        let rel = a
            .strip_prefix(tmp.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if withheld.contains(&rel.as_str()) {
            assert!(
                x == original && y != original,
                "{rel}: withheld, yet patched or not fixed"
            );
        } else {
            assert!(x == y, "{rel}: --diff and --fix differ");
            shown += usize::from(x != original);
        }
    }
    assert!(shown >= 10, "only {shown} files shown in the diff");
    // nothing to do: exit 0 and an empty diff
    let again = keyless(other.path(), &["--diff", "--unsafe-fixes", "."]);
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

/// keyless never prints a secret, the diff included: run on the repository's own fixtures (read
/// only), neither the diff nor the messages hold a fixture secret or a credential after its key.
#[test]
fn diff_never_prints_a_secret() {
    let out = keyless(&root(), &["--diff", "--unsafe-fixes", "testdata"]);
    assert_eq!(out.status.code(), Some(1));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(root().join("testdata/SECRETS.txt")).unwrap();
    for s in manifest
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert!(
            !text.contains(s),
            "the diff prints the fixture secret {s:?}"
        );
    }
    let credential =
        regex::Regex::new(r"(?i)(AccountKey|SharedAccessKey|Password|pwd)=[A-Za-z0-9+/=!~.\-]{6,}")
            .unwrap();
    assert!(
        credential.find(&text).is_none(),
        "{:?}",
        credential.find(&text)
    );
    // fixes that remove a secret are withheld from the diff, the others shown
    assert!(
        text.contains("is not shown: it changes lines that hold a secret"),
        "{text}"
    );
    assert!(text.starts_with("--- a/testdata/"), "{text}");
}

#[test]
fn fix_applies_safe_fixes_then_unsafe_ones_then_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    copy_fixtures(tmp.path());
    let before = rules_with_fixes(tmp.path());
    assert!(before.iter().any(|r| r == "KEY003") && before.iter().any(|r| r == "MI001"));

    let out = keyless(tmp.path(), &["--fix", "--format", "compact", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("keyless: fixed "), "{stderr}");
    assert!(stderr.contains("remain"), "{stderr}");
    assert!(stderr.contains("need --unsafe-fixes"), "{stderr}");
    assert!(!stderr.contains("follow-up"), "{stderr}");
    let left = rules_with_fixes(tmp.path());
    // safe fixes (parameter defaults) are gone; unsafe ones wait for --unsafe-fixes
    assert!(
        !left.iter().any(|r| r == "KEY003" || r == "KEY006"),
        "{left:?}"
    );
    assert!(left.iter().any(|r| r == "MI001"), "{left:?}");

    let out = keyless(tmp.path(), &["--fix", "--unsafe-fixes", "-q", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("follow-up"), "{stderr}");
    assert_eq!(rules_with_fixes(tmp.path()), Vec::<String>::new());
    let settled = snapshot(tmp.path());

    let out = keyless(tmp.path(), &["--fix", "--unsafe-fixes", "-q", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("keyless: fixed 0 findings in 0 files"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(tmp.path()),
        settled,
        "a second --fix changed a file"
    );
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = keyless(tmp.path(), &["--unsafe-fixes", "."]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_and_sarif_carry_the_same_edits() {
    let dir = root().join("testdata/MI003/fire");
    let out = keyless(&dir, &["--format", "json", "main.bicep"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = keyless(&dir, &["--format", "sarif", "main.bicep"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_json: Vec<(u64, u64, u64, u64, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let fix = f.get("fix").filter(|x| !x.is_null())?;
            Some(fix["edits"].as_array().unwrap().iter().map(move |e| {
                (
                    e["line"].as_u64().unwrap(),
                    e["column"].as_u64().unwrap(),
                    e["end_line"].as_u64().unwrap(),
                    e["end_column"].as_u64().unwrap(),
                    e["replacement"].as_str().unwrap().to_string(),
                    fix["safety"].as_str().unwrap().to_string(),
                )
            }))
        })
        .flatten()
        .collect();
    let from_sarif: Vec<(u64, u64, u64, u64, String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["fixes"].as_array().cloned().unwrap_or_default())
        .flat_map(|fix| {
            let safety = fix["properties"]["safety"].as_str().unwrap().to_string();
            fix["artifactChanges"][0]["replacements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let d = &r["deletedRegion"];
                    (
                        d["startLine"].as_u64().unwrap(),
                        d["startColumn"].as_u64().unwrap(),
                        d["endLine"].as_u64().unwrap(),
                        d["endColumn"].as_u64().unwrap(),
                        r["insertedContent"]["text"].as_str().unwrap().to_string(),
                        safety.clone(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(from_json.len(), 3, "{from_json:?}");
    assert_eq!(from_json, from_sarif);
    // the storage switch: `true` at 7:27 becomes `false`
    assert_eq!(
        from_json[0],
        (7, 27, 7, 31, "false".to_string(), "unsafe".to_string())
    );
}

/// Generated documents: resources of the types the fixes touch, with members in any order, any
/// indentation and line ending, comments after members, empty and one-line objects. Every fix is
/// applied (pass after pass, as re-runs would): each pass leaves a parseable file, and in the end no
/// finding with a fix is left.
mod generated {
    use super::*;
    use proptest::prelude::*;

    /// A resource: type index, which optional members it has and in which order, how its
    /// properties are written, whether members carry comments.
    #[derive(Debug, Clone)]
    struct Res {
        kind: usize,
        order: Vec<usize>,
        props: usize,
        comment: bool,
    }

    fn res() -> impl Strategy<Value = Res> {
        (
            0usize..6,
            Just((0..4).collect::<Vec<usize>>()).prop_shuffle(),
            0usize..4,
            any::<bool>(),
        )
            .prop_map(|(kind, order, props, comment)| Res {
                kind,
                order,
                props,
                comment,
            })
    }

    /// `(ARM type, Bicep type, azurerm type, the key-auth switch and its on value per dialect)`.
    const TYPES: &[(&str, &str, &str, &str, &str)] = &[
        (
            "Microsoft.Storage/storageAccounts",
            "2023-01-01",
            "azurerm_storage_account",
            "allowSharedKeyAccess",
            "shared_access_key_enabled",
        ),
        (
            "Microsoft.Web/sites",
            "2022-09-01",
            "azurerm_linux_web_app",
            "",
            "",
        ),
        (
            "Microsoft.ServiceBus/namespaces",
            "2022-10-01-preview",
            "azurerm_servicebus_namespace",
            "disableLocalAuth",
            "local_auth_enabled",
        ),
        (
            "Microsoft.ContainerRegistry/registries",
            "2023-07-01",
            "azurerm_container_registry",
            "adminUserEnabled",
            "admin_enabled",
        ),
        (
            "Microsoft.DocumentDB/databaseAccounts",
            "2023-04-15",
            "azurerm_cosmosdb_account",
            "disableLocalAuth",
            "local_authentication_disabled",
        ),
        (
            "Microsoft.Sql/servers",
            "2023-05-01-preview",
            "azurerm_mssql_server",
            "",
            "",
        ),
    ];

    fn on_value(switch: &str) -> &'static str {
        if switch.starts_with("disable") || switch.ends_with("_disabled") {
            "false"
        } else {
            "true"
        }
    }

    fn arm(rs: &[Res], unit: &str, nl: &str, param_default: bool) -> String {
        let i1 = unit.to_string();
        let i2 = unit.repeat(2);
        let i3 = unit.repeat(3);
        let i4 = unit.repeat(4);
        let mut s = format!("{{{nl}{i1}\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",{nl}{i1}\"contentVersion\": \"1.0.0.0\",{nl}");
        s += &format!(
            "{i1}\"parameters\": {{{nl}{i2}\"adminPassword\": {{{nl}{i3}\"type\": \"string\""
        );
        if param_default {
            s += &format!(",{nl}{i3}\"defaultValue\": \"Fake-Gen-Pa55word!\"");
        }
        s += &format!("{nl}{i2}}}{nl}{i1}}},{nl}{i1}\"resources\": [{nl}");
        let items: Vec<String> = rs
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let (ty, api, _, switch, _) = TYPES[r.kind];
                let mut members = vec![format!("\"type\": \"{ty}\""), format!("\"apiVersion\": \"{api}\"")];
                for o in &r.order {
                    match o {
                        0 => members.push(format!("\"name\": \"res{n}\"")),
                        1 => members.push("\"location\": \"westeurope\"".to_string()),
                        2 if ty == "Microsoft.Web/sites" => members.push("\"kind\": \"functionapp\"".into()),
                        3 => members.push(match (r.props, switch.is_empty()) {
                            (0, _) => "\"properties\": {}".into(),
                            (1, false) => format!("\"properties\": {{ \"{switch}\": {} }}", on_value(switch)),
                            (2, false) => format!("\"properties\": {{{nl}{i4}\"{switch}\": {},{nl}{i4}\"other\": 1{nl}{i3}}}", on_value(switch)),
                            (_, true) if ty == "Microsoft.Sql/servers" => format!("\"properties\": {{{nl}{i4}\"administrators\": {{ \"login\": \"dba\", \"sid\": \"x\", \"azureADOnlyAuthentication\": false }}{nl}{i3}}}"),
                            _ => format!("\"properties\": {{{nl}{i4}\"other\": 1{nl}{i3}}}"),
                        }),
                        _ => {}
                    }
                }
                let sep = if r.comment { format!(", // note{nl}{i3}") } else { format!(",{nl}{i3}") };
                format!("{i2}{{{nl}{i3}{}{nl}{i2}}}", members.join(&sep))
            })
            .collect();
        s += &items.join(&format!(",{nl}"));
        s += &format!("{nl}{i1}]{nl}}}{nl}");
        s
    }

    fn bicep(rs: &[Res], unit: &str, nl: &str, param_default: bool) -> String {
        let mut s = if param_default {
            format!("param adminPassword string = 'Fake-Gen-Pa55word!'{nl}{nl}")
        } else {
            String::new()
        };
        for (n, r) in rs.iter().enumerate() {
            let (ty, api, _, switch, _) = TYPES[r.kind];
            s += &format!("resource r{n} '{ty}@{api}' = {{{nl}");
            for o in &r.order {
                let c = if r.comment { " // note" } else { "" };
                match o {
                    0 => s += &format!("{unit}name: 'res{n}'{c}{nl}"),
                    1 => s += &format!("{unit}location: 'westeurope'{c}{nl}"),
                    3 => {
                        s += &match (r.props, switch.is_empty()) {
                            (0, _) => format!("{unit}properties: {{}}{nl}"),
                            (1 | 2, false) => format!("{unit}properties: {{{nl}{unit}{unit}{switch}: {}{c}{nl}{unit}}}{nl}", on_value(switch)),
                            (_, true) if ty == "Microsoft.Sql/servers" => format!("{unit}properties: {{{nl}{unit}{unit}administrators: {{{nl}{unit}{unit}{unit}login: 'dba'{nl}{unit}{unit}}}{nl}{unit}}}{nl}"),
                            _ => format!("{unit}properties: {{{nl}{unit}{unit}other: 1{nl}{unit}}}{nl}"),
                        }
                    }
                    _ => {}
                }
            }
            s += &format!("}}{nl}{nl}");
        }
        s
    }

    fn terraform(rs: &[Res], unit: &str, nl: &str, param_default: bool) -> String {
        let mut s = format!("variable \"admin_password\" {{{nl}{unit}type = string{nl}");
        if param_default {
            s += &format!("{unit}default = \"Fake-Gen-Pa55word!\"{nl}");
        }
        s += &format!("}}{nl}{nl}");
        for (n, r) in rs.iter().enumerate() {
            let (_, _, ty, _, switch) = TYPES[r.kind];
            s += &format!("resource \"{ty}\" \"r{n}\" {{{nl}");
            for o in &r.order {
                let c = if r.comment { " # note" } else { "" };
                match o {
                    0 => s += &format!("{unit}name = \"res{n}\"{c}{nl}"),
                    1 => s += &format!("{unit}location = \"westeurope\"{c}{nl}"),
                    3 if !switch.is_empty() && r.props > 0 => {
                        s += &format!("{unit}{switch} = {}{c}{nl}", on_value(switch))
                    }
                    3 if ty == "azurerm_mssql_server" && r.props > 0 => {
                        s += &format!("{unit}azuread_administrator {{{nl}{unit}{unit}login_username = \"dba\"{nl}{unit}{unit}object_id = \"x\"{nl}{unit}}}{nl}")
                    }
                    _ => {}
                }
            }
            s += &format!("}}{nl}{nl}");
        }
        s
    }

    /// Applies fixes pass after pass; returns how many were applied.
    fn settle(name: &str, text: &str) -> usize {
        let mut applied = 0;
        let path = Path::new(name);
        let before = check_text(path, text);
        assert!(before.parsed, "generated {name} does not parse:\n{text}");
        let mut cur = text.to_string();
        for _ in 0..5 {
            let c = check_text(path, &cur);
            let fixes: Vec<&Fix> = c.findings.iter().filter_map(|f| f.fix.as_ref()).collect();
            if fixes.is_empty() {
                return applied;
            }
            let out = apply(&cur, &fixes);
            applied += out.applied.len();
            assert!(out.invalid.is_empty(), "{name}: invalid fixes on\n{cur}");
            assert_ne!(out.text, cur, "{name}: fixes change nothing on\n{cur}");
            let after = check_text(path, &out.text);
            assert!(
                after.parsed && after.syntax_problems <= before.syntax_problems,
                "{name}: fixes break the file:\n{}",
                out.text
            );
            cur = out.text;
        }
        panic!("{name}: fixes did not settle:\n{cur}");
    }

    #[test]
    fn the_generator_makes_fixable_documents() {
        let rs: Vec<Res> = (0..6)
            .map(|kind| Res {
                kind,
                order: vec![3, 1, 0, 2],
                props: 2,
                comment: true,
            })
            .collect();
        for (name, text) in [
            ("azuredeploy.json", arm(&rs, "  ", "\n", true)),
            ("main.bicep", bicep(&rs, "\t", "\r\n", true)),
            ("main.tf", terraform(&rs, "    ", "\n", true)),
        ] {
            // a parameter default, identities for the two apps/servers, key auth on four services,
            // Entra-only on the SQL server (Terraform: its administrator block has no flag)
            let n = settle(name, &text);
            assert!(n >= 6, "{name}: only {n} fixes applied to\n{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn all_fixes_applied_to_generated_documents_reparse(
            rs in proptest::collection::vec(res(), 1..5),
            unit in prop::sample::select(vec!["  ", "    ", "\t"]),
            crlf in any::<bool>(),
            param_default in any::<bool>(),
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            settle("azuredeploy.json", &arm(&rs, unit, nl, param_default));
            settle("main.bicep", &bicep(&rs, unit, nl, param_default));
            settle("main.tf", &terraform(&rs, unit, nl, param_default));
        }
    }
}

/// A web.config saved as UTF-16 or UTF-32 (Visual Studio does so) is fixed and written back in its
/// own encoding with its mark; the report then offers nothing more and the summary counts what
/// was fixed. A file with a unit that is no character is left alone with an error.
#[test]
fn wide_encoded_files_are_fixed_in_their_encoding() {
    use keyless::encoding::{decode, detect, encode, Wide};
    let text = "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<configuration>\r\n  <connectionStrings>\r\n    <add name=\"Db\" connectionString=\"Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=Fake-Pa55w0rd-e5d16d4b\" />\r\n  </connectionStrings>\r\n</configuration>\r\n";
    for enc in [Wide::Utf16Le, Wide::Utf16Be, Wide::Utf32Le] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("web.config");
        std::fs::write(&file, encode(text, enc)).unwrap();
        let out = keyless(tmp.path(), &["--fix", "--unsafe-fixes", "-q", "."]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("error"), "{enc:?}: {stderr}");
        assert!(
            stderr.contains("fixed 1 finding in 1 file; 0 findings remain"),
            "{enc:?}: {stderr}"
        );
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(detect(&bytes), Some(enc));
        let (fixed, bad) = decode(&bytes, enc);
        assert_eq!(bad, None);
        assert!(fixed.starts_with('\u{feff}') && !fixed[3..].contains('\u{feff}'));
        assert!(!fixed.contains("Fake-Pa55w0rd"), "{enc:?}");
        assert!(
            fixed.contains("Database=appdb;Authentication=Active Directory Default\" />\r\n"),
            "{fixed}"
        );
    }
    // an unpaired surrogate: the scan reads it as `?`, the fix engine does not write it back
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("web.config");
    let mut bytes = encode(text, Wide::Utf16Le);
    bytes.extend([0x00, 0xD8]);
    std::fs::write(&file, &bytes).unwrap();
    let out = keyless(tmp.path(), &["--fix", "--unsafe-fixes", "-q", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("units that are not valid UTF-16LE; not fixed"),
        "{stderr}"
    );
    assert!(stderr.contains("fixed 0 findings in 0 files"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}
