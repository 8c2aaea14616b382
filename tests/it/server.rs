//! `keyless server` driven over standard input and output with JSON-RPC, as an editor drives it.

use crate::support;
use crate::support::lsp_client::{apply_edits, file_uri, position, Client};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_keyless");
const SECRET: &str = "Fake-Sql-Pa55word!";

fn sql(prefix: &str) -> String {
    format!("{prefix}Server=tcp:x.database.windows.net;Database=d;User ID=u;Password={SECRET}")
}

fn open(c: &mut Client, uri: &str, lang: &str, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": lang, "version": 1, "text": text } }),
    );
}

fn change_full(c: &mut Client, uri: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }] }),
    );
}

fn code_actions(c: &mut Client, uri: &str, range: &Value) -> Vec<Value> {
    let r = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range,
                "context": { "diagnostics": [] } }),
    );
    r["result"].as_array().cloned().unwrap_or_default()
}

fn edits_for(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn no_secret(transcript: &[String]) {
    for m in transcript {
        assert!(
            !m.contains(SECRET),
            "a server message holds the secret: {m}"
        );
    }
}

#[test]
fn lifecycle_diagnostics_fix_code_action_hover_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(BIN, dir.path());
    let init = c.initialize(dir.path(), json!({ "workspaceScan": false }));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "{init}");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(init["result"]["serverInfo"]["name"], "keyless");

    // multi-byte text before the secret on its line: é (1 UTF-16 unit, 2 bytes) and 😀 (2 units)
    let path = dir.path().join("appsettings.json");
    let uri = file_uri(&path);
    let value = sql("");
    let text =
        format!("{{\n  \"ConnectionStrings\": {{\n    \"Défaut😀\": \"{value}\"\n  }}\n}}\n");
    open(&mut c, &uri, "json", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d["code"], "CONN001");
    assert_eq!(d["source"], "keyless");
    assert_eq!(d["severity"], 1);
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/rules/CONN001.md"));
    let secret_at = text.find(SECRET).unwrap();
    assert_eq!(d["range"]["start"], position(&text, secret_at));
    assert_eq!(d["range"]["end"], position(&text, secret_at + SECRET.len()));
    // line 3 (0-based 2): `    "Défaut😀": "` is 17 UTF-16 units, 19 bytes; the secret is inside the string
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(
        d["range"]["start"]["character"],
        17 + value.find(SECRET).unwrap()
    );
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("(evidence: ********)"));

    // code actions on the diagnostic: the fix (unsafe, not preferred) and the suppression
    let actions = code_actions(&mut c, &uri, &d["range"]);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Apply unsafe fix"))
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(fix["isPreferred"], false);
    assert_eq!(fix["kind"], "quickfix");
    let suppress = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Suppress CONN001 here")
        })
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(suppress["command"]["command"], "keyless.selectReason");

    // hover on the diagnostic: the rule page
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": d["range"]["start"] }),
    );
    let page = hover["result"]["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    assert_eq!(page, keyless::rules::find("CONN001").unwrap().meta().doc);
    // hover away from any diagnostic: nothing
    let none = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(none["result"].is_null(), "{none}");

    // applying the fix as an incremental change removes the secret: no diagnostics
    let fixed = apply_edits(&text, &edits_for(fix, &uri));
    assert!(!fixed.contains(SECRET));
    assert!(fixed.contains("Authentication=Active Directory Default"));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": edits_for(fix, &uri).iter().map(|e| json!({
                    "range": e["range"], "text": e["newText"] })).collect::<Vec<_>>() }),
    );
    assert_eq!(c.diagnostics(&uri, Some(2)), Vec::<Value>::new());

    // the secret back, then the suppression: its edit applied, no diagnostics, and the command
    // selects the reason placeholder through window/showDocument
    change_full(&mut c, &uri, 3, &text);
    assert_eq!(c.diagnostics(&uri, Some(3)).len(), 1);
    let suppressed = apply_edits(&text, &edits_for(suppress, &uri));
    assert!(
        suppressed.contains("// keyless:ignore CONN001 -- <reason>\n"),
        "{suppressed}"
    );
    change_full(&mut c, &uri, 4, &suppressed);
    assert_eq!(c.diagnostics(&uri, Some(4)), Vec::<Value>::new());
    let cmd = &suppress["command"];
    let r = c.request(
        "workspace/executeCommand",
        json!({ "command": cmd["command"], "arguments": cmd["arguments"] }),
    );
    assert!(r.get("error").is_none(), "{r}");
    let show = c.wait(|m| m["method"] == "window/showDocument");
    let sel = &show["params"]["selection"];
    let start = support::lsp_client::offset(&suppressed, &sel["start"]);
    let end = support::lsp_client::offset(&suppressed, &sel["end"]);
    assert_eq!(&suppressed[start..end], "<reason>");

    let (status, transcript) = c.shutdown();
    assert_eq!(status, Some(0));
    no_secret(&transcript);
}

/// "Suppress RULE here" in every format with comments: the edit, applied, leaves no finding of
/// the rule and no new problem, and the comment uses the format's syntax.
#[test]
fn suppress_action_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(BIN, dir.path());
    c.initialize(dir.path(), json!({ "workspaceScan": false }));
    let arm = format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Web/sites/config\",\n      \"apiVersion\": \"2022-03-01\",\n      \"name\": \"app/connectionstrings\",\n      \"properties\": {{ \"db\": {{ \"value\": \"{}\", \"type\": \"SQLAzure\" }} }}\n    }}\n  ]\n}}\n",
        sql("")
    );
    let cases: Vec<(&str, &str, String, &str)> = vec![
        ("appsettings.json", "json", format!("{{\n  \"Db\": \"{}\"\n}}\n", sql("")), "// keyless:ignore"),
        ("azuredeploy.json", "json", arm.clone(), "// keyless:ignore"),
        ("main.bicep", "bicep", format!("param location string\nvar conn = '{}'\n", sql("")), "// keyless:ignore"),
        ("main.tf", "terraform", format!("locals {{\n  conn = \"{}\"\n}}\n", sql("")), "# keyless:ignore"),
        ("azure-pipelines.yml", "yaml", format!("variables:\n  sql: \"{}\"\n", sql("")), "# keyless:ignore"),
        (".env", "sh", format!("# app\nSQL={}\n", sql("")), "# keyless:ignore"),
        ("web.config", "xml", format!("<configuration>\n  <connectionStrings>\n    <add name=\"db\" connectionString=\"{}\" />\n  </connectionStrings>\n</configuration>\n", sql("")), "<!-- keyless:ignore CONN001 - <reason> -->"),
        // the value on the second line of a tag: the line above is inside the tag, so the comment
        // goes after the tag's end
        ("app.config", "xml", format!("<configuration>\n  <connectionStrings>\n    <add name=\"db\"\n         connectionString=\"{}\" />\n  </connectionStrings>\n</configuration>\n", sql("")), "/> <!-- keyless:ignore CONN001 - <reason> -->"),
    ];
    for (name, lang, text, expect) in &cases {
        let uri = file_uri(&dir.path().join(name));
        open(&mut c, &uri, lang, text);
        let diags = c.diagnostics(&uri, Some(1));
        let d = diags
            .iter()
            .find(|d| d["code"] == "CONN001")
            .unwrap_or_else(|| panic!("{name}: {diags:#?}"));
        let actions = code_actions(&mut c, &uri, &d["range"]);
        let suppress: Vec<&Value> = actions
            .iter()
            .filter(|a| a["title"].as_str().unwrap().starts_with("Suppress CONN001"))
            .collect();
        assert!(!suppress.is_empty(), "{name}: {actions:#?}");
        for (i, a) in suppress.iter().enumerate() {
            let edited = apply_edits(text, &edits_for(a, &uri));
            if i == 0 {
                assert!(edited.contains(expect), "{name}: {edited}");
            }
            change_full(&mut c, &uri, 2 + i as i64, &edited);
            let after = c.diagnostics(&uri, Some(2 + i as i64));
            assert!(
                after
                    .iter()
                    .all(|d| d["code"] != "CONN001"
                        && !d["code"].as_str().unwrap().starts_with("INPUT")),
                "{name} after `{}`: {after:#?}",
                a["title"]
            );
        }
        if *name == "azuredeploy.json" {
            // an ARM template also gets the comment-free form: metadata on the resource
            assert!(
                suppress
                    .iter()
                    .any(|a| a["title"].as_str().unwrap().contains("metadata")),
                "{suppress:#?}"
            );
        }
    }
    // Terraform JSON has no comments: no suppress action, and the diagnostic is still there
    let uri = file_uri(&dir.path().join("main.tf.json"));
    let tfjson = format!("{{\"locals\": {{\"conn\": \"{}\"}}}}\n", sql(""));
    open(&mut c, &uri, "json", &tfjson);
    let diags = c.diagnostics(&uri, Some(1));
    let d = diags.iter().find(|d| d["code"] == "CONN001").unwrap();
    let actions = code_actions(&mut c, &uri, &d["range"]);
    assert!(actions
        .iter()
        .all(|a| !a["title"].as_str().unwrap().starts_with("Suppress")));
    let (_, transcript) = c.shutdown();
    no_secret(&transcript);
}

/// Files that are not open get diagnostics from the workspace scan; opening shows the editor's
/// text, closing falls back to the disk; `.keyless.toml` changes reload and re-lint; an invalid
/// configuration is shown on the file.
#[test]
fn workspace_scan_close_and_config_reload() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let disk_text = format!("locals {{\n  conn = \"{}\"\n}}\n", sql(""));
    std::fs::write(root.join("main.tf"), &disk_text).unwrap();
    std::fs::write(root.join("clean.tf"), "locals {}\n").unwrap();
    let mut c = Client::start(BIN, &root);
    c.initialize(&root, json!({}));
    let uri = file_uri(&root.join("main.tf"));
    let diags = c.diagnostics(&uri, None);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "CONN001");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);

    // open with the secret removed: the editor's text wins
    open(&mut c, &uri, "terraform", "locals {\n  conn = \"\"\n}\n");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    // close: back to the file on disk
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(c.diagnostics(&uri, None).len(), 1);

    // a file the walk ignores (.gitignore) falls back to nothing when closed
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir(root.join("ignored")).unwrap();
    std::fs::write(root.join("ignored/main.tf"), &disk_text).unwrap();
    let ignored = file_uri(&root.join("ignored/main.tf"));
    open(&mut c, &ignored, "terraform", &disk_text);
    assert_eq!(c.diagnostics(&ignored, Some(1)).len(), 1);
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": ignored } }),
    );
    assert!(c.diagnostics(&ignored, None).is_empty());

    // a configuration that ignores CONN: the workspace scan publishes nothing for the file
    let cfg = root.join(".keyless.toml");
    std::fs::write(&cfg, "[rules]\nignore = [\"CONN\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&cfg), "type": 1 }] }),
    );
    assert!(c.diagnostics(&uri, None).is_empty());

    // an open document is re-linted with the new configuration too
    let other = file_uri(&root.join("other.tf"));
    open(&mut c, &other, "terraform", &disk_text);
    assert!(c.diagnostics(&other, Some(1)).is_empty());

    // an invalid configuration: a diagnostic on the file, defaults until fixed
    std::fs::write(&cfg, "[rules]\nignore = [\"KEY01\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&cfg), "type": 2 }] }),
    );
    let cfg_diags = c.diagnostics(&file_uri(&cfg), None);
    assert_eq!(cfg_diags.len(), 1);
    assert_eq!(cfg_diags[0]["range"]["start"]["line"], 1);
    assert!(cfg_diags[0]["message"].as_str().unwrap().contains("KEY01"));
    let shown = c.wait(|m| m["method"] == "window/showMessage");
    assert!(shown["params"]["message"]
        .as_str()
        .unwrap()
        .contains("default configuration"));
    assert_eq!(c.diagnostics(&other, Some(1)).len(), 1);
    let (status, transcript) = c.shutdown();
    assert_eq!(status, Some(0));
    no_secret(&transcript);
}

/// A burst of edits is debounced and only the last text's diagnostics are published; requests
/// are answered while scans run.
#[test]
fn debounced_edits_publish_the_latest_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(BIN, dir.path());
    c.initialize(
        dir.path(),
        json!({ "workspaceScan": false, "debounceMs": 500 }),
    );
    let uri = file_uri(&dir.path().join("appsettings.json"));
    open(&mut c, &uri, "json", "{}\n");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    for v in 2..=10 {
        let text = if v % 2 == 0 {
            format!("{{\"Db\": \"{}\"}}\n", sql(""))
        } else {
            "{}\n".to_string()
        };
        change_full(&mut c, &uri, v, &text);
    }
    // version 10 has the secret; no intermediate version gets diagnostics
    let diags = c.diagnostics(&uri, Some(10));
    assert_eq!(diags.len(), 1);
    assert!(c
        .transcript
        .iter()
        .all(|m| !(m.contains("publishDiagnostics")
            && (2..10).any(|v| m.contains(&format!("\"version\":{v}"))))));
    let (_, transcript) = c.shutdown();
    no_secret(&transcript);
}

/// A large document does not hold up a small one opened after it: scans run on workers. The
/// per-file time bound of `.keyless.toml` applies to editor buffers as in the CLI.
#[test]
fn a_slow_file_does_not_block_others_and_the_time_bound_applies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(BIN, &root);
    c.initialize(&root, json!({ "workspaceScan": false }));
    // about 2 MB of app settings with one secret: a second or more to scan in a debug build
    let mut big = format!("{{\n  \"Db\": \"{}\",\n", sql(""));
    for i in 0..40_000 {
        big.push_str(&format!(
            "  \"Setting{i}\": \"https://example.org/value/{i}\",\n"
        ));
    }
    big.push_str("  \"Last\": 1\n}\n");
    let big_uri = file_uri(&root.join("appsettings.big.json"));
    let small_uri = file_uri(&root.join("appsettings.json"));
    open(&mut c, &big_uri, "json", &big);
    open(
        &mut c,
        &small_uri,
        "json",
        &format!("{{\"Db\": \"{}\"}}\n", sql("")),
    );
    let first = c.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(first["params"]["uri"], small_uri.as_str());
    assert_eq!(c.diagnostics(&big_uri, Some(1)).len(), 1);

    // a per-file bound of 1 ms: the rules left out are named in INPUT011, and the editor is told
    std::fs::write(
        root.join(".keyless.toml"),
        "[limits]\nfile-timeout = \"1ms\"\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&root.join(".keyless.toml")), "type": 1 }] }),
    );
    let diags = c.diagnostics(&big_uri, Some(1));
    assert!(
        diags.iter().any(|d| d["code"] == "INPUT011"),
        "{:?}",
        &diags[..diags.len().min(3)]
    );
    let (status, _) = c.shutdown();
    assert_eq!(status, Some(0));
}

/// Messages with bad parameters, unknown documents and unknown methods get errors or are
/// ignored; the server goes on.
#[test]
fn bad_messages_do_not_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(BIN, dir.path());
    c.initialize(dir.path(), json!({ "workspaceScan": false }));
    let r = c.request("textDocument/codeAction", json!({ "nonsense": true }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.request("textDocument/definition", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///nowhere.json", "version": 3 }, "contentChanges": [{ "text": "{}" }] }));
    c.notify("textDocument/didOpen", json!({ "textDocument": 7 }));
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": "file:///never-opened.json" } }),
    );
    // a change range past the end of the text, and a non-file URI
    let uri = file_uri(&dir.path().join("appsettings.json"));
    open(&mut c, &uri, "json", "{}\n");
    c.diagnostics(&uri, Some(1));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{
            "range": { "start": { "line": 40, "character": 9 }, "end": { "line": 99, "character": 0 } },
            "text": format!("{{\"Db\": \"{}\"}}", sql("")) }] }),
    );
    // the change lands at the end of the text
    let d = c.diagnostics(&uri, Some(2));
    assert!(
        d.iter()
            .any(|d| d["code"] == "CONN001" && d["range"]["start"]["line"] == 1),
        "{d:#?}"
    );
    // unsaved buffers are scanned by their language
    let tf = format!("locals {{\n  conn = \"{}\"\n}}\n", sql(""));
    open(&mut c, "untitled:Untitled-1", "terraform", &tf);
    let d = c.diagnostics("untitled:Untitled-1", Some(1));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["range"]["start"]["line"], 1);
    let r = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "untitled:Untitled-1" }, "position": d[0]["range"]["start"] }),
    );
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("CONN001"),
        "{r}"
    );
    let (status, transcript) = c.shutdown();
    assert_eq!(status, Some(0));
    no_secret(&transcript);
}

/// Two findings of one rule on one line get one suppress action; diagnostics about suppressions
/// (an unused one) get none.
#[test]
fn suppress_actions_are_offered_once_and_not_for_suppression_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(BIN, dir.path());
    c.initialize(dir.path(), json!({ "workspaceScan": false }));
    let uri = file_uri(&dir.path().join("appsettings.json"));
    let text = format!(
        "{{\n  // keyless:ignore RBAC001 -- nothing to suppress here\n  \"A\": \"{}\", \"B\": \"{}\"\n}}\n",
        sql(""),
        sql("")
    );
    open(&mut c, &uri, "json", &text);
    let diags = c.diagnostics(&uri, Some(1));
    let conn: Vec<&Value> = diags.iter().filter(|d| d["code"] == "CONN001").collect();
    assert_eq!(conn.len(), 2, "{diags:#?}");
    let whole_line =
        json!({ "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 400 } });
    let actions = code_actions(&mut c, &uri, &whole_line);
    let suppress = actions
        .iter()
        .filter(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Suppress CONN001 here")
        })
        .count();
    assert_eq!(suppress, 1, "{actions:#?}");
    let unused = diags
        .iter()
        .find(|d| d["code"] == "INPUT009")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let actions = code_actions(&mut c, &uri, &unused["range"]);
    assert!(
        actions
            .iter()
            .all(|a| !a["title"].as_str().unwrap().starts_with("Suppress")),
        "{actions:#?}"
    );
    c.shutdown();
}

/// Closing a file that `.gitignore` matches but git tracks falls back to its disk state, as the
/// CLI's walk scans tracked files whatever the ignore files say.
#[test]
fn closing_a_tracked_ignored_file_falls_back_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let git = |args: &[&str]| support::git(&root, args);
    git(&["init", "-q"]);
    std::fs::create_dir(root.join("gen")).unwrap();
    let text = format!("locals {{\n  conn = \"{}\"\n}}\n", sql(""));
    std::fs::write(root.join("gen/main.tf"), &text).unwrap();
    git(&["add", "gen/main.tf"]);
    std::fs::write(root.join(".gitignore"), "gen/\n").unwrap();
    let mut c = Client::start(BIN, &root);
    c.initialize(&root, json!({ "workspaceScan": false }));
    let uri = file_uri(&root.join("gen/main.tf"));
    open(&mut c, &uri, "terraform", "locals {}\n");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(c.diagnostics(&uri, None).len(), 1);
    c.shutdown();
}

/// An ARM template that Bicep generated beside its `.bicep` source is checked for literal secrets
/// only, as in the CLI; `[paths] include-generated = true` checks it fully.
#[test]
fn generated_arm_beside_its_bicep_source_follows_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("main.bicep"), "param location string\n").unwrap();
    let json = format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"metadata\": {{ \"_generator\": {{ \"name\": \"bicep\", \"version\": \"0.30.3.12046\" }} }},\n  \"variables\": {{ \"conn\": \"{}\" }},\n  \"resources\": []\n}}\n",
        sql("")
    );
    let mut c = Client::start(BIN, &root);
    c.initialize(&root, json!({ "workspaceScan": false }));
    let uri = file_uri(&root.join("main.json"));
    open(&mut c, &uri, "json", &json);
    // checked for literal secrets even beside its source: a connection string planted in the
    // generated file (its source holds none) is reported
    let d = c.diagnostics(&uri, Some(1));
    assert!(
        d.iter().all(|d| d["code"] == "CONN001") && d.len() == 1,
        "{d:#?}"
    );
    let cfg = root.join(".keyless.toml");
    std::fs::write(&cfg, "[paths]\ninclude-generated = true\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&cfg), "type": 1 }] }),
    );
    let d = c.diagnostics(&uri, Some(1));
    assert!(d.iter().any(|d| d["code"] == "CONN001"), "{d:#?}");
    c.shutdown();
}
