//! Diagnostics latency of `keyless server`, end to end: the real binary driven over stdio, the time
//! from sending `didChange` to receiving the matching `publishDiagnostics`. A typical app-settings
//! file and a generated 3 MB compiled ARM template. Prints figures; asserts nothing about time.
//!
//! cargo bench --bench server

#[path = "../tests/it/support/lsp_client.rs"]
mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::{file_uri, Client};
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_keyless");

fn typical(i: usize) -> String {
    // an appsettings.json of about 2 KB with one literal SQL password; `i` varies a setting
    let mut s =
        String::from("{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },\n");
    s.push_str("  \"ConnectionStrings\": {\n");
    s.push_str("    \"Sql\": \"Server=tcp:x.database.windows.net;Database=d;User ID=u;Password=Fake-Sql-Pa55word!\",\n");
    s.push_str("    \"Storage\": \"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/st)\"\n  },\n");
    s.push_str("  \"Settings\": {\n");
    for k in 0..40 {
        s.push_str(&format!("    \"Feature{k}\": \"value-{k}-{i}\",\n"));
    }
    s.push_str("    \"Last\": true\n  }\n}\n");
    s
}

/// A compiled template of about `bytes`: storage accounts, sites with app settings built from
/// expressions, role assignments, nested deployments; a literal key here and there.
fn compiled_template(bytes: usize) -> String {
    let mut s = String::from(
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"metadata\": { \"_generator\": { \"name\": \"bicep\", \"version\": \"0.30.3.12046\" } },\n  \"parameters\": { \"location\": { \"type\": \"string\", \"defaultValue\": \"[resourceGroup().location]\" } },\n  \"resources\": [\n",
    );
    let mut i = 0;
    while s.len() < bytes {
        if i > 0 {
            s.push_str(",\n");
        }
        // a literal password in one app of 500, a connection string built with listKeys in one
        // of 50, identity-based settings elsewhere
        let key = if i % 500 == 0 {
            "Server=tcp:x.database.windows.net;Database=d;User ID=u;Password=Fake-Sql-Pa55word!"
                .to_string()
        } else if i % 50 == 0 {
            format!("[format('DefaultEndpointsProtocol=https;AccountName={{0}};AccountKey={{1}}', 'st{i}', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st{i}'), '2023-01-01').keys[0].value)]")
        } else {
            format!("[reference(resourceId('Microsoft.Storage/storageAccounts', 'st{i}'), '2023-01-01').primaryEndpoints.blob]")
        };
        s.push_str(&format!(
            r#"    {{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[format('st{{0}}{i}', uniqueString(resourceGroup().id))]",
      "location": "[parameters('location')]",
      "sku": {{ "name": "Standard_LRS" }},
      "kind": "StorageV2",
      "properties": {{ "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false, "allowSharedKeyAccess": false, "supportsHttpsTrafficOnly": true }}
    }},
    {{
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "[format('app-{i}-{{0}}', uniqueString(resourceGroup().id))]",
      "location": "[parameters('location')]",
      "identity": {{ "type": "SystemAssigned" }},
      "properties": {{
        "httpsOnly": true,
        "siteConfig": {{
          "appSettings": [
            {{ "name": "WEBSITE_RUN_FROM_PACKAGE", "value": "1" }},
            {{ "name": "Storage{i}", "value": "{key}" }},
            {{ "name": "Queue__serviceUri", "value": "[reference(resourceId('Microsoft.Storage/storageAccounts', 'st{i}'), '2023-01-01').primaryEndpoints.queue]" }}
          ]
        }}
      }},
      "dependsOn": [ "[resourceId('Microsoft.Storage/storageAccounts', 'st{i}')]" ]
    }},
    {{
      "type": "Microsoft.Authorization/roleAssignments",
      "apiVersion": "2022-04-01",
      "scope": "[format('Microsoft.Storage/storageAccounts/{{0}}', 'st{i}')]",
      "name": "[guid(resourceGroup().id, 'st{i}')]",
      "properties": {{
        "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')]",
        "principalId": "[reference(resourceId('Microsoft.Web/sites', 'app-{i}'), '2022-09-01', 'full').identity.principalId]",
        "principalType": "ServicePrincipal"
      }}
    }}"#
        ));
        i += 1;
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        ms(v[v.len() / 2]),
        ms(v[v.len() * 9 / 10]),
        ms(v[0]),
        ms(v[v.len() - 1]),
        v.len()
    )
}

/// didChange of one character (an incremental edit, as editors send while typing) →
/// publishDiagnostics of that version, `runs` times. `at` is a position inside a string value.
fn measure_incremental(
    c: &mut Client,
    uri: &str,
    at: serde_json::Value,
    runs: usize,
) -> Vec<Duration> {
    let mut out = Vec::new();
    for r in 0..runs {
        let version = 2 + r as i64;
        let started = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "range": { "start": at, "end": {
                        "line": at["line"], "character": at["character"].as_u64().unwrap_or(0) + 1 } },
                        "text": if r % 2 == 0 { "X" } else { "S" } }] }),
        );
        c.diagnostics(uri, Some(version));
        out.push(started.elapsed());
        c.forget();
    }
    out
}

/// The scan alone, in this process: `scan::scan_text` and the conversion to diagnostics.
fn scan_alone(name: &str, text: &str, runs: usize) -> Vec<Duration> {
    let opts = keyless::scan::ScanOptions::default();
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let report = keyless::scan::scan_text(
                std::path::Path::new(name),
                std::path::Path::new(""),
                text,
                &opts,
            );
            let lines = keyless::server::text::Lines::new(text);
            let items = keyless::server::actions::items(&report.findings, &lines);
            std::hint::black_box(items);
            started.elapsed()
        })
        .collect()
}

/// didChange (full text) → publishDiagnostics of that version, `runs` times.
fn measure(
    c: &mut Client,
    uri: &str,
    texts: &[String],
    runs: usize,
    first_version: i64,
) -> Vec<Duration> {
    let mut out = Vec::new();
    for r in 0..runs {
        let version = first_version + r as i64;
        let text = &texts[r % texts.len()];
        let started = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
        let diags = c.diagnostics(uri, Some(version));
        out.push(started.elapsed());
        assert!(!diags.is_empty());
        c.forget();
    }
    out
}

fn session(debounce_ms: u64) -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut c = Client::start(BIN, dir.path());
    c.initialize(
        dir.path(),
        json!({ "workspaceScan": false, "debounceMs": debounce_ms }),
    );
    (dir, c)
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("keyless server diagnostics latency (didChange -> publishDiagnostics), {cores} cores");
    for debounce in [0u64, 25] {
        let (dir, mut c) = session(debounce);
        let uri = file_uri(&dir.path().join("appsettings.json"));
        let texts: Vec<String> = (0..4).map(typical).collect();
        c.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "json", "version": 1, "text": texts[0] } }),
        );
        c.diagnostics(&uri, Some(1));
        let v = measure(&mut c, &uri, &texts, 60, 2);
        println!(
            "  typical appsettings.json ({} bytes), debounce {debounce} ms: {}",
            texts[0].len(),
            stats(v)
        );
        c.shutdown();
    }
    let big = compiled_template(3 * 1024 * 1024);
    println!(
        "  typical appsettings.json, the scan alone (in process): {}",
        stats(scan_alone("appsettings.json", &typical(0), 60))
    );
    println!(
        "  compiled template ({:.1} MB), the scan alone (in process): {}",
        big.len() as f64 / 1048576.0,
        stats(scan_alone("main.json", &big, 8))
    );
    for debounce in [0u64, 25] {
        let (dir, mut c) = session(debounce);
        let uri = file_uri(&dir.path().join("main.json"));
        let started = Instant::now();
        c.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "json", "version": 1, "text": big } }),
        );
        let n = c.diagnostics(&uri, Some(1)).len();
        println!(
            "  compiled template ({:.1} MB, {n} diagnostics), debounce {debounce} ms: didOpen -> diagnostics {:.1} ms",
            big.len() as f64 / 1048576.0,
            started.elapsed().as_secs_f64() * 1000.0
        );
        // inside the "kind" value of the first storage account: `StorageV2`
        let line = big
            .lines()
            .position(|l| l.contains("\"kind\": \"StorageV2\""))
            .unwrap_or(0);
        let col = big
            .lines()
            .nth(line)
            .and_then(|l| l.find("StorageV2"))
            .unwrap_or(0);
        let v = measure_incremental(
            &mut c,
            &uri,
            json!({ "line": line, "character": col + 3 }),
            12,
        );
        println!(
            "  compiled template, one-character didChange, debounce {debounce} ms: {}",
            stats(v)
        );
        c.shutdown();
    }
}
