//! Never print a secret: scans all of testdata/ with the built binary in every output format and
//! checks that no fixture secret listed in testdata/SECRETS.txt appears in the output, and that its
//! redacted form does (so the secret was found and reported, not merely skipped).

use std::path::{Path, PathBuf};

use keyless::redact::redact;

use crate::support::{keyless, root};

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
    let out = keyless()
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

// ------------------------------------------------------------------ the secret battery (issue 11)

use keyless::analysis::secrets::testkeys;

/// A password-like secret: 20 characters from a label, mixed classes.
fn password(label: &str) -> String {
    let alpha = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-!";
    let mut s: String = testkeys::rand_bytes(label, 18)
        .iter()
        .map(|b| alpha[(*b as usize) % alpha.len()] as char)
        .collect();
    s.insert(0, 'P');
    s.push('7');
    s
}

/// Every kind of secret the issue names, several of each, generated (valid checksums).
fn battery_secrets() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for i in 0..3 {
        out.push((
            "storage",
            testkeys::identifiable(
                &format!("bat-st{i}"),
                64,
                "+ASt",
                0x4465_6661_756c_7430,
                false,
            ),
        ));
        out.push((
            "servicebus",
            testkeys::identifiable(
                &format!("bat-sb{i}"),
                32,
                "+ASb",
                0x5365_6e64_3030_3030,
                false,
            ),
        ));
        out.push(("cask", testkeys::cask(&format!("bat-cask{i}"), "AZEG")));
        out.push(("entra", testkeys::aad(&format!("bat-aad{i}"))));
        out.push(("pat", testkeys::ado_pat(&format!("bat-pat{i}"))));
        out.push(("legacy", testkeys::legacy64(&format!("bat-legacy{i}"))));
        out.push((
            "sas",
            testkeys::b64(&testkeys::rand_bytes(&format!("bat-sas{i}"), 32), false),
        ));
        out.push(("password", password(&format!("bat-pw{i}"))));
        let body = testkeys::b64(&testkeys::rand_bytes(&format!("bat-pem{i}"), 96), false);
        out.push(("pem", body));
    }
    out
}

fn pem_block(body: &str) -> String {
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
        lines.join("\n")
    )
}

/// Writes one folder of files: every secret in every format, in settings, connection strings,
/// broken files, comments, fixes, suppression reasons, next to multi-byte characters and under
/// JSON escapes.
fn write_battery(dir: &Path, secrets: &[(&str, String)]) {
    let w = |name: &str, text: String| {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap()
    };
    for (i, (kind, s)) in secrets.iter().enumerate() {
        let pw = password(&format!("bat-second{i}"));
        // the value as a setting would hold it (PEM bodies as a whole block)
        let value = if *kind == "pem" {
            pem_block(s)
        } else {
            s.clone()
        };
        let json_value = value.replace('\n', "\\n");
        let conn = match *kind {
            "storage" | "legacy" => format!("DefaultEndpointsProtocol=https;AccountName=acct{i};AccountKey={s};EndpointSuffix=core.windows.net"),
            "servicebus" => format!("Endpoint=sb://ns{i}.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey={s}"),
            "sas" => format!("BlobEndpoint=https://acct{i}.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01&sig={}", s.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")),
            _ => format!("Server=tcp:db{i}.database.windows.net,1433;Initial Catalog=app;Application Name={s};User ID=app;Password={pw};Encrypt=True"),
        };
        // app settings: plain, escaped, multi-byte neighbours, a SQL string whose fix must not
        // copy the other parts, a comment and a suppression reason
        let escaped = {
            let mut e = String::new();
            for (n, c) in json_value.chars().enumerate() {
                if n == 5 && c.is_ascii_alphanumeric() {
                    e.push_str(&format!("\\u{:04x}", c as u32));
                } else if c == '/' {
                    e.push_str("\\/");
                } else {
                    e.push(c);
                }
            }
            e
        };
        std::fs::create_dir_all(dir.join(format!("app{i}"))).unwrap();
        w(
            &format!("app{i}/appsettings.json"),
            format!(
                "{{\n  // old: \"ClientSecret\": \"{json_value}\"\n  \"Smtp\": {{ \"Password\": \"{json_value}\" }},\n  \"Api\": {{ \"ApiKey\": \"{escaped}\" }},\n  \"Près\": {{ \"ClientSecret\": \"é{json_value}ü\" }},\n  \"ConnectionStrings\": {{ \"Db\": \"{conn}\" }},\n  // keyless:ignore KEY002 -- it was {value_one_line} before, rotated\n  \"Other\": {{ \"Password\": \"{pw}\" }}\n}}\n",
                value_one_line = json_value,
            ),
        );
        // the same file, broken next to the secret
        w(
            &format!("app{i}/appsettings.Development.json"),
            format!("{{\n  \"Smtp\": {{ \"Password\": \"{json_value}\" \"Broken\": {json_value} }},\n  \"ConnectionStrings\": {{ \"Db\": \"{conn}\" }}\n}}\n"),
        );
        // ARM template with an expression error quoting the secret
        w(
            &format!("arm{i}.json"),
            format!("{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"variables\": {{ \"bad\": \"[concat('a') {}]\", \"conn\": \"{conn}\" }},\n  \"resources\": [],\n  \"outputs\": {{ \"x\": {{ \"type\": \"string\", \"value\": \"[{}]\" }} }}\n}}\n", s.replace('\'', ""), s.chars().filter(char::is_ascii_alphanumeric).collect::<String>()),
        );
        // Bicep: a parameter default, a property, a broken line with the secret as a token
        let one_line = value.replace('\n', "\\n");
        w(
            &format!("main{i}.bicep"),
            format!("// old value {one_line}\nparam adminPassword string = '{one_line}'\nvar conn = '{conn}'\nresource s 'Microsoft.Web/sites@2022-03-01' = {{\n  name: 'x'\n  properties: {{\n    siteConfig: {{ appSettings: [ {{ name: 'Pw', value: '{one_line}' }} ] }}\n  }}\n}}\n"),
        );
        w(
            &format!("broken{i}.bicep"),
            format!(
                "param adminPassword string = '{one_line}'\nvar x = {} {}\n",
                s.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>(),
                s.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            ),
        );
        // Terraform, good and broken
        w(
            &format!("tf{i}/main.tf"),
            format!("# admin_password = \"{one_line}\"\nresource \"azurerm_mssql_server\" \"s\" {{\n  administrator_login_password = \"{one_line}\"\n}}\nlocals {{\n  conn = \"{conn}\"\n}}\n"),
        );
        w(
            &format!("tf{i}/broken.tf"),
            format!(
                "resource \"x\" \"y\" {{\n  client_secret = \"{one_line}\" {}\n",
                s.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            ),
        );
        // web.config: an unescaped `&` next to the secret makes it invalid XML
        std::fs::create_dir_all(dir.join(format!("web{i}"))).unwrap();
        let xml_value = value.replace('&', "&amp;");
        w(
            &format!("web{i}/web.config"),
            format!("<configuration>\n  <!-- old: Password={xml_value} -->\n  <appSettings>\n    <add key=\"DbPassword\" value=\"{xml_value}\" />\n  </appSettings>\n  <connectionStrings>\n    <add name=\"Db\" connectionString=\"{}\" />\n  </connectionStrings>\n</configuration>\n", conn.replace('&', "&amp;")),
        );
        std::fs::create_dir_all(dir.join(format!("webbad{i}"))).unwrap();
        w(
            &format!("webbad{i}/web.config"),
            format!("<configuration>\n  <appSettings>\n    <add key=\"DbPassword\" value=\"{}&{}\" />\n  </appSettings>\n</configuration>\n", s[..s.len() / 2].replace(['&', '<', '"'], ""), s[s.len() / 2..].replace(['&', '<', '"', ';'], "")),
        );
        // .env: a quoted multi-line PEM, a comment, a suppression reason, a connection string
        std::fs::create_dir_all(dir.join(format!("env{i}"))).unwrap();
        w(
            &format!("env{i}/.env"),
            format!("# ACCOUNT_KEY={one_line}\nPRIVATE_KEY=\"{value}\"\n# keyless:ignore KEY002 -- was {one_line}\nDB_PASSWORD={pw}\nCONN=\"{conn}\"\nCLIENT_SECRET=ñ{one_line}\n"),
        );
        // YAML: a pipeline variable and a broken document
        std::fs::create_dir_all(dir.join(format!("yml{i}"))).unwrap();
        w(
            &format!("yml{i}/azure-pipelines.yml"),
            format!("# password: {one_line}\nvariables:\n  dbPassword: '{one_line}'\n  conn: '{conn}'\n"),
        );
        w(
            &format!("yml{i}/config.yaml"),
            format!(
                "password: '{one_line}'\nkey: `{}\n  - [\n",
                s.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            ),
        );
    }
}

/// No 8-character piece of any generated secret appears in any of the five formats.
#[test]
fn secret_battery_never_leaks_in_any_format() {
    let secrets = battery_secrets();
    let dir = tempfile::tempdir().unwrap();
    write_battery(dir.path(), &secrets);
    let mut pieces: Vec<(&str, &str)> = Vec::new();
    for (kind, s) in &secrets {
        for w in s.as_bytes().windows(8) {
            pieces.push((kind, std::str::from_utf8(w).unwrap()));
        }
    }
    for format in ["human", "json", "sarif", "github", "compact"] {
        let out = keyless()
            .current_dir(dir.path())
            .args(["--format", format, "--fail-on", "never", "--color", "never"])
            .arg(".")
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.len() > 1000,
            "{format}: the battery found almost nothing"
        );
        // every 8-byte window of the output once, then each piece looked up: a `contains` per
        // piece over the whole output was 90% of this test's time
        let windows: std::collections::HashSet<&[u8]> = text.as_bytes().windows(8).collect();
        for (kind, p) in &pieces {
            assert!(
                !windows.contains(p.as_bytes()),
                "{format} output holds an 8-character piece of a {kind} secret"
            );
        }
    }
}
