//! `keyless history`: repositories built in a temporary folder with the `git` program; each
//! distinct secret is reported once, at the commit that introduced it, with where it stands now.

use std::path::Path;

use serde_json::Value;

use crate::support::{git, git_at, run, write};

const PASSWORD: &str = "Hist0ry-Pa55word-9x";
const OTHER: &str = "An0ther-Pa55word-7q";

fn sql(password: &str) -> String {
    format!("Server=tcp:x.database.windows.net;Database=d;User ID=u;Password={password}")
}

fn appsettings(password: &str) -> String {
    format!(
        "{{\n  \"ConnectionStrings\": {{\n    \"Db\": \"{}\"\n  }}\n}}\n",
        sql(password)
    )
}

/// Commits everything in `dir` on `date` (`YYYY-MM-DD`); the new commit's id.
fn commit(dir: &Path, message: &str, date: &str) -> String {
    git(dir, &["add", "-A"]);
    git_at(
        dir,
        &["commit", "-q", "--allow-empty", "-m", message],
        &format!("{date}T12:00:00Z"),
    );
    git(dir, &["rev-parse", "HEAD"])
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    dir
}

/// `keyless history --format json ARGS` in `dir`: the report and the exit status.
fn history(dir: &Path, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["history", "--format", "json"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert!(!o.stdout.contains(PASSWORD) && !o.stderr.contains(PASSWORD));
    let v = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", o.stdout, o.stderr));
    (v, o.code)
}

/// `(rule, path, line, commit, status, removed_in)` of each finding.
fn secrets(v: &Value) -> Vec<(String, String, u64, String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let h = &f["history"];
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                h["commit"].as_str().unwrap().to_string(),
                h["status"].as_str().unwrap().to_string(),
                h["removed_in"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_key_added_then_removed_is_reported_once_at_its_commit_with_the_removal() {
    let dir = repo();
    let d = dir.path();
    write(d, "README.md", "x\n");
    commit(d, "start", "2024-01-01");
    write(d, "app/appsettings.json", &appsettings(PASSWORD));
    let added = commit(d, "add settings", "2024-02-03");
    write(
        d,
        "app/appsettings.json",
        "{\n  \"ConnectionStrings\": {}\n}\n",
    );
    let removed = commit(d, "remove the password", "2024-02-04");
    write(d, "README.md", "y\n");
    commit(d, "later", "2024-03-01");

    let (v, code) = history(d, &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        secrets(&v),
        vec![(
            "CONN001".to_string(),
            "app/appsettings.json".to_string(),
            3,
            added.clone(),
            "removed".to_string(),
            removed.clone()
        )]
    );
    let f = &v["findings"][0];
    assert_eq!(f["history"]["author_date"], "2024-02-03");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains(&added[..12]), "{message}");
    assert!(message.contains(&removed[..12]), "{message}");
    assert!(message.contains("still readable"), "{message}");
    assert!(message.contains("rotate it"), "{message}");
    assert_eq!(v["history"]["commits"], 4);
    // two versions of the file were scanned, once each
    assert_eq!(v["history"]["blobs_scanned"], 2);

    // no format prints the secret
    for format in ["human", "json", "sarif", "github", "compact", "azure"] {
        let o = run(d, &["history", "--format", format, "--color", "always"]);
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(o.stdout.contains("app/appsettings.json"), "{format}");
        assert!(
            !o.stdout.contains(PASSWORD) && !o.stderr.contains(PASSWORD),
            "{format}"
        );
        assert!(!o.stdout.contains("Hist0ry"), "{format}: no part of it");
    }
}

#[test]
fn the_same_blob_on_many_branches_is_scanned_and_reported_once() {
    let dir = repo();
    let d = dir.path();
    write(d, "README.md", "x\n");
    commit(d, "start", "2024-01-01");
    let mut first = String::new();
    for (i, branch) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        git(d, &["checkout", "-q", "-b", branch, "main"]);
        write(d, "deploy/.env", &format!("SQL={}\n", sql(PASSWORD)));
        write(d, "notes.txt", branch);
        let c = commit(d, branch, &format!("2024-02-0{}", i + 1));
        if i == 0 {
            first = c;
        }
    }
    git(d, &["checkout", "-q", "main"]);
    let (v, _) = history(d, &["--all"]);
    let found = secrets(&v);
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0].1, "deploy/.env");
    assert_eq!(found[0].3, first, "the oldest commit that has it");
    // HEAD (main) never had it; no commit removed it: it is on other refs
    assert_eq!(found[0].4, "other-ref");
    assert_eq!(v["history"]["blobs_scanned"], 1);
    // without --all, HEAD's history has no secret
    let (v, code) = history(d, &[]);
    assert_eq!((secrets(&v).len(), code), (0, 0), "{v}");
}

#[test]
fn a_renamed_file_keeps_its_secret_at_the_commit_that_added_it() {
    let dir = repo();
    let d = dir.path();
    write(d, "config/appsettings.json", &appsettings(PASSWORD));
    let added = commit(d, "add", "2024-01-01");
    git(d, &["mv", "config", "settings"]);
    commit(d, "rename", "2024-01-02");
    let (v, _) = history(d, &[]);
    assert_eq!(
        secrets(&v),
        vec![(
            "CONN001".to_string(),
            "config/appsettings.json".to_string(),
            3,
            added,
            "in-head".to_string(),
            String::new()
        )],
    );
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("still in HEAD"));
}

#[test]
fn a_secret_merged_in_from_a_branch_and_removed_there_is_reported_at_its_commit() {
    let dir = repo();
    let d = dir.path();
    write(d, "main.tf", "locals {}\n");
    commit(d, "start", "2024-01-01");
    git(d, &["checkout", "-q", "-b", "feature"]);
    write(d, "web.config", &format!("<configuration>\n<connectionStrings>\n<add name=\"Db\" connectionString=\"{}\" />\n</connectionStrings>\n</configuration>\n", sql(PASSWORD)));
    let added = commit(d, "add", "2024-01-02");
    write(d, "web.config", "<configuration />\n");
    let removed = commit(d, "remove", "2024-01-03");
    git(d, &["checkout", "-q", "main"]);
    write(d, "other.tf", "locals {}\n");
    commit(d, "main moves on", "2024-01-04");
    git_at(
        d,
        &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
        "2024-01-05T12:00:00Z",
    );
    // and a second secret still in HEAD, added after the merge
    write(d, "local.settings.json", &appsettings(OTHER));
    let later = commit(d, "another", "2024-01-06");
    let (v, code) = history(d, &[]);
    assert_eq!(code, 1);
    let found = secrets(&v);
    assert_eq!(found.len(), 2, "{v}");
    assert_eq!(
        (&found[0].1, &found[0].3, found[0].4.as_str(), &found[0].5),
        (&"web.config".to_string(), &added, "removed", &removed)
    );
    assert_eq!(
        (&found[1].1, &found[1].3, found[1].4.as_str()),
        (&"local.settings.json".to_string(), &later, "in-head")
    );
    // a pull request's commits only: the range of the feature branch has the first one
    let base = git(d, &["rev-parse", "main~2"]);
    let (v, _) = history(d, &["--range", &format!("{base}..feature")]);
    let found = secrets(&v);
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0].3, added);
    // --since leaves out what came before
    let (v, _) = history(d, &["--since", "2024-01-06"]);
    let found = secrets(&v);
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0].1, "local.settings.json");
}

#[test]
fn binary_and_oversized_blobs_are_reported_as_input_diagnostics() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("blob.json"), b"{\"a\": \"\0\0\0\"}").unwrap();
    write(
        d,
        "big.json",
        &format!("{{\"pad\": \"{}\"}}\n", "x".repeat(4096)),
    );
    let c = commit(d, "add", "2024-01-01");
    let (v, code) = history(d, &["--max-file-size", "1K"]);
    assert_eq!(code, 1, "{v}");
    let ids: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule_id"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        vec![("INPUT002", "big.json"), ("INPUT003", "blob.json")]
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["history"]["commit"], c.as_str());
        assert_eq!(f["history"]["status"], "diagnostic");
    }
    assert_eq!(v["history"]["binary"], 1);
    assert_eq!(v["history"]["too_large"], 1);
    assert_eq!(v["history"]["blobs_scanned"], 1, "the binary one was read");
}

#[test]
fn a_shallow_clone_says_how_deep_it_looked() {
    let dir = repo();
    let d = dir.path().join("origin");
    std::fs::create_dir(&d).unwrap();
    git(&d, &["init", "-q"]);
    write(&d, "a.env", &format!("SQL={}\n", sql(PASSWORD)));
    commit(&d, "one", "2024-01-01");
    for i in 2..=5 {
        write(&d, "n.txt", &i.to_string());
        commit(&d, "more", &format!("2024-01-0{i}"));
    }
    let url = format!("file://{}", d.display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "2", &url, "shallow"],
    );
    let shallow = dir.path().join("shallow");
    let (v, code) = history(&shallow, &[]);
    assert_eq!(code, 1);
    assert_eq!(v["history"]["commits"], 2);
    assert_eq!(v["history"]["shallow"], true);
    let found = secrets(&v);
    assert_eq!(found.len(), 1);
    // the oldest commit in the clone is where it first shows
    assert_eq!(found[0].3, git(&shallow, &["rev-parse", "HEAD~1"]));
    let o = run(&shallow, &["history"]);
    assert!(
        o.stdout
            .contains("shallow clone: looked back 2 commits to 2024-01-04"),
        "{}",
        o.stdout
    );
    // a bare repository reads the same
    git(dir.path(), &["clone", "-q", "--bare", &url, "bare.git"]);
    let (v, _) = history(&dir.path().join("bare.git"), &[]);
    assert_eq!(v["history"]["commits"], 5);
    assert_eq!(secrets(&v).len(), 1);
    assert_eq!(v["history"]["shallow"], false);
}

#[test]
fn nothing_the_repository_configuration_names_is_run() {
    let dir = repo();
    let d = dir.path();
    write(d, "appsettings.json", &appsettings(PASSWORD));
    write(d, ".gitattributes", "* filter=planted diff=planted\n");
    commit(d, "add", "2024-01-01");
    // planted after the commits, so that the test's own git does not run them
    let marker = d.join("ran");
    let cmd = format!("touch {}", marker.display());
    let mut config = std::fs::read_to_string(d.join(".git/config")).unwrap();
    config.push_str(&format!(
        "[core]\n\tfsmonitor = {cmd}\n\thooksPath = hooks\n[filter \"planted\"]\n\tclean = {cmd}\n\tsmudge = {cmd}\n\tprocess = {cmd}\n[diff \"planted\"]\n\ttextconv = {cmd}\n"
    ));
    std::fs::write(d.join(".git/config"), config).unwrap();
    let o = run(d, &["history", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        !marker.exists(),
        "a command from the repository's configuration ran"
    );
}

#[test]
fn sarif_names_the_commit_of_each_result_and_the_revision_scanned() {
    let dir = repo();
    let d = dir.path();
    write(d, "appsettings.json", &appsettings(PASSWORD));
    let added = commit(d, "add", "2024-01-01");
    git(
        d,
        &[
            "remote",
            "add",
            "origin",
            "https://user:tok3n@example.invalid/org/repo.git",
        ],
    );
    let o = run(d, &["history", "--format", "sarif"]);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let run0 = &v["runs"][0];
    let vcs = &run0["versionControlProvenance"][0];
    assert_eq!(vcs["revisionId"], added.as_str());
    assert_eq!(vcs["branch"], "main");
    assert_eq!(vcs["repositoryUri"], "https://example.invalid/org/repo.git");
    assert!(!o.stdout.contains("tok3n"));
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "appsettings.json");
    assert_eq!(
        loc["artifactLocation"]["properties"]["commit"],
        added.as_str()
    );
    assert_eq!(results[0]["properties"]["history"]["status"], "in-head");
    assert!(!o.stdout.contains(PASSWORD));

    // a second secret, committed and removed later: one result per secret, each at its commit
    write(d, "deploy/.env", &format!("SQL={}\n", sql(OTHER)));
    let second = commit(d, "second", "2024-01-02");
    std::fs::remove_file(d.join("deploy/.env")).unwrap();
    let removed = commit(d, "remove it", "2024-01-03");
    let o = run(d, &["history", "--format", "sarif"]);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let run0 = &v["runs"][0];
    assert_eq!(
        run0["versionControlProvenance"][0]["revisionId"],
        removed.as_str()
    );
    let at: Vec<(String, String, String)> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (
                loc["uri"].as_str().unwrap().to_string(),
                loc["properties"]["commit"].as_str().unwrap().to_string(),
                r["properties"]["history"]["status"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            ("appsettings.json".into(), added.clone(), "in-head".into()),
            ("deploy/.env".into(), second, "removed".into()),
        ]
    );
    assert!(!o.stdout.contains(PASSWORD) && !o.stdout.contains(OTHER));
}

#[test]
fn a_baseline_records_the_rotated_secrets_once() {
    let dir = repo();
    let d = dir.path();
    write(d, "appsettings.json", &appsettings(PASSWORD));
    commit(d, "add", "2024-01-01");
    write(d, "appsettings.json", "{}\n");
    commit(d, "remove", "2024-01-02");
    let o = run(d, &["history", "--write-baseline", "rotated.json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let baseline = std::fs::read_to_string(d.join("rotated.json")).unwrap();
    assert!(!baseline.contains(PASSWORD));
    let (v, code) = history(d, &["--baseline", "rotated.json"]);
    assert_eq!((secrets(&v).len(), code), (0, 0), "{v}");
    assert_eq!(v["summary"]["baselined"], 1);
    // another secret later is new
    write(d, ".env", &format!("SQL={}\n", sql(OTHER)));
    commit(d, "again", "2024-01-03");
    let (v, code) = history(d, &["--baseline", "rotated.json"]);
    assert_eq!(code, 1);
    let found = secrets(&v);
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0].1, ".env");
}

#[test]
fn an_empty_repository_or_an_unknown_revision_is_a_usage_error() {
    let r = repo();
    let o = run(r.path(), &["history"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no commit yet"), "{}", o.stderr);
    write(r.path(), "a.json", "{}");
    commit(r.path(), "one", "2024-01-01");
    let o = run(r.path(), &["history", "--range", "nope..HEAD"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("`nope` names no commit"), "{}", o.stderr);
}

#[test]
fn a_range_is_read_as_git_reads_it() {
    let dir = repo();
    let origin = dir.path().join("origin");
    std::fs::create_dir(&origin).unwrap();
    git(&origin, &["init", "-q"]);
    write(&origin, "README.md", "x\n");
    commit(&origin, "start", "2024-01-01");
    let url = format!("file://{}", origin.display());
    git(dir.path(), &["clone", "-q", &url, "work"]);
    let d = dir.path().join("work");
    let d = d.as_path();
    write(d, "a/.env", &format!("SQL={}\n", sql(PASSWORD)));
    let first = commit(d, "one", "2024-01-02");
    git(d, &["tag", "v1"]);
    write(d, "b/.env", &format!("SQL={}\n", sql(OTHER)));
    commit(d, "two", "2024-01-03");
    write(d, "n.txt", "1\n");
    commit(d, "three", "2024-01-04");
    let paths = |args: &[&str]| -> Vec<String> {
        let (v, code) = history(d, args);
        assert_ne!(code, 2, "{args:?}: {v}");
        secrets(&v).into_iter().map(|s| s.1).collect()
    };
    let both = vec!["a/.env".to_string(), "b/.env".to_string()];
    // a pull request's commits: what the branch has that the remote-tracking branch has not
    assert_eq!(paths(&["--range", "origin/main..HEAD"]), both);
    assert_eq!(paths(&["--range", "origin/main.."]), both);
    assert_eq!(paths(&["--range", "HEAD~3..HEAD"]), both);
    assert_eq!(paths(&["--range", "HEAD~2..HEAD"]), vec!["b/.env"]);
    assert_eq!(paths(&["--range", "v1..main"]), vec!["b/.env"]);
    assert_eq!(
        paths(&["--range", &format!("{}..HEAD", &first[..8])]),
        vec!["b/.env"]
    );
    assert!(paths(&["--range", "HEAD~1..HEAD"]).is_empty());
    // a bad spec is a usage error that names it
    for (spec, named) in [
        ("nope..HEAD", "`nope` names no commit"),
        ("HEAD~1", "expected A..B"),
        ("origin/main...HEAD", "A...B"),
        ("HEAD~99..HEAD", "`HEAD~99` names no commit"),
        ("--all..HEAD", "`--all` names no commit"),
    ] {
        let o = run(d, &["history", &format!("--range={spec}")]);
        assert_eq!(o.code, 2, "{spec}: {}", o.stderr);
        assert!(
            o.stderr.contains(&format!("--range `{spec}`")),
            "{spec}: {}",
            o.stderr
        );
        assert!(o.stderr.contains(named), "{spec}: {}", o.stderr);
    }
}

/// An ARM template declaring `vmAuthValue` with this type.
fn template(kind: &str) -> String {
    format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ \"vmAuthValue\": {{ \"type\": \"{kind}\" }} }},\n  \"resources\": []\n}}\n"
    )
}

const PARAMETERS: &str = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {\n    \"vmAuthValue\": { \"value\": \"Hist-Sibling-Auth-77x\" }\n  }\n}\n";

#[test]
fn the_files_a_version_names_are_read_from_its_own_commit() {
    let dir = repo();
    let d = dir.path();
    // the template declares the value secure in this commit: the parameter file's literal is a
    // secret (KEY004 knows it only from the sibling template)
    write(d, "deploy/azuredeploy.json", &template("securestring"));
    write(d, "deploy/azuredeploy.parameters.json", PARAMETERS);
    let secure = commit(d, "secure", "2024-01-01");
    // ... and in the work tree today it is not: the history still reads the commit's template
    write(d, "deploy/azuredeploy.json", &template("string"));
    let (v, _) = history(d, &[]);
    let found = secrets(&v);
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str(), &found[0].3),
        ("KEY004", "deploy/azuredeploy.parameters.json", &secure)
    );
    // a bare repository (no work tree at all) reads the same sibling
    let bare = dir.path().join("bare.git");
    git(d, &["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    let (v, _) = history(&bare, &[]);
    assert_eq!(secrets(&v).len(), 1, "{v}");

    // the other way round: committed with a plain string, made secure only in the work tree
    let dir = repo();
    let d = dir.path();
    write(d, "deploy/azuredeploy.json", &template("string"));
    write(d, "deploy/azuredeploy.parameters.json", PARAMETERS);
    commit(d, "plain", "2024-01-01");
    write(d, "deploy/azuredeploy.json", &template("securestring"));
    let (v, code) = history(d, &[]);
    assert_eq!((secrets(&v).len(), code), (0, 0), "{v}");
    // the working-tree scan does read today's template
    let o = run(d, &["--format", "json", "deploy"]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(o.stdout.contains("KEY004"));
}

#[test]
fn a_module_is_read_from_the_commit_of_its_caller() {
    let dir = repo();
    let d = dir.path();
    let caller = "module db './db.bicep' = {\n  name: 'db'\n  params: {\n    name: 'db-app'\n    authValue: 'Spring2024!Red#Lamp'\n  }\n}\n";
    write(d, "infra/main.bicep", caller);
    // in this commit the module takes the value as a secure administrator password
    write(
        d,
        "infra/db.bicep",
        "param name string\n@secure()\nparam authValue string\n\nresource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {\n  name: name\n  location: 'westeurope'\n  properties: {\n    administratorLogin: 'dbadmin'\n    administratorLoginPassword: authValue\n  }\n}\n",
    );
    let added = commit(d, "add", "2024-01-01");
    // today's module (not committed) takes a display name under that parameter
    write(
        d,
        "infra/db.bicep",
        "param name string\nparam authValue string\n\noutput label string = '${name}-${authValue}'\n",
    );
    let (v, _) = history(d, &["--select", "KEY"]);
    let found: Vec<(String, String, String)> = secrets(&v)
        .into_iter()
        .filter(|s| s.1 == "infra/main.bicep")
        .map(|s| (s.0, s.1, s.3))
        .collect();
    assert!(!found.is_empty(), "{v}");
    assert!(found.iter().all(|f| f.2 == added), "{v}");
    // the working-tree scan, reading today's module, has nothing to say about the caller
    let o = run(d, &["--format", "compact", "--select", "KEY", "infra"]);
    assert!(!o.stdout.contains("infra/main.bicep"), "{}", o.stdout);
}
