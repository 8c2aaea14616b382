//! Throughput benchmarks (divan): each parser in MB/s on generated inputs of about 1 MiB,
//! `find_secrets` on generated text, and the whole pipeline (`scan::scan`) on a generated
//! monorepo of 10,000 files in a temporary folder. No corpus needed: `cargo bench`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use keyless::analysis::secrets::find_secrets;
use keyless::config::Config;
use keyless::parse;
use keyless::scan::{self, ScanOptions};
use keyless::source::{DeploymentScope, Format, SourceFile};

fn main() {
    divan::main();
}

const MIB: usize = 1 << 20;

/// A fake value that looks like a key to the pattern rules (not a real credential).
fn fake_key(i: usize) -> String {
    let mut s = String::new();
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for _ in 0..86 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push(ALPHABET[(x % 64) as usize] as char);
    }
    s.push_str("==");
    s
}

/// Generated text of one kind with `n` repeated units (resources, settings, steps…).
fn generate(kind: &str, n: usize) -> String {
    let mut s = String::new();
    match kind {
        "arm" => {
            s.push_str("{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": { \"adminPassword\": { \"type\": \"securestring\" } },\n  \"resources\": [\n");
            for i in 0..n {
                if i > 0 {
                    s.push_str(",\n");
                }
                let _ = write!(
                    s,
                    "    {{ \"type\": \"Microsoft.Web/sites\", \"apiVersion\": \"2022-03-01\", \"name\": \"[concat('app', '{i}')]\", \"location\": \"[resourceGroup().location]\",\n      \"properties\": {{ \"siteConfig\": {{ \"appSettings\": [\n        {{ \"name\": \"Storage\", \"value\": \"[concat('DefaultEndpointsProtocol=https;AccountName=st{i};AccountKey=', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st{i}'), '2022-09-01').keys[0].value)]\" }},\n        {{ \"name\": \"Mode\", \"value\": \"production\" }} ] }} }} }}"
                );
            }
            s.push_str("\n  ]\n}\n");
        }
        "appsettings" => {
            s.push_str("{\n");
            for i in 0..n {
                let _ = writeln!(
                    s,
                    "  \"Service{i}\": {{ \"ConnectionStrings\": {{ \"Db\": \"Server=tcp:db{i}.database.windows.net;Database=app;User ID=app;Password=P@ssw0rd{i}!;\" }}, \"Logging\": {{ \"LogLevel\": {{ \"Default\": \"Information\" }} }}, \"Retries\": {i} }},"
                );
            }
            s.push_str("  \"End\": true\n}\n");
        }
        "terraform" => {
            for i in 0..n {
                let _ = write!(
                    s,
                    "resource \"azurerm_linux_web_app\" \"app{i}\" {{\n  name                = \"app-{i}\"\n  resource_group_name = azurerm_resource_group.rg.name\n  location            = var.location\n  app_settings = {{\n    \"STORAGE\" = \"DefaultEndpointsProtocol=https;AccountName=st{i};AccountKey=${{azurerm_storage_account.st.primary_access_key}}\"\n    \"MODE\"    = \"production\"\n  }}\n  tags = {{ env = \"prod\", index = {i} }}\n}}\n\n"
                );
            }
        }
        "tfvars" => {
            for i in 0..n {
                let _ = writeln!(
                    s,
                    "setting_{i} = \"value-{i}\"\nlist_{i} = [\"a\", \"b\", {i}]"
                );
            }
        }
        "yaml" => {
            s.push_str("trigger:\n  - main\nsteps:\n");
            for i in 0..n {
                let _ = write!(
                    s,
                    "  - task: AzureCLI@2\n    displayName: Step {i}\n    inputs:\n      azureSubscription: conn-{i}\n      scriptType: bash\n      inlineScript: az storage blob upload --account-name st{i} --name f{i}\n    env:\n      DB: \"Server=db{i};User ID=app;Password=secret{i}x\"\n"
                );
            }
        }
        "xml" => {
            s.push_str(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>\n",
            );
            for i in 0..n {
                let _ = writeln!(
                    s,
                    "    <add key=\"Setting{i}\" value=\"value {i}\" />\n    <add key=\"Storage{i}\" value=\"DefaultEndpointsProtocol=https;AccountName=st{i};AccountKey={}\" />",
                    fake_key(i)
                );
            }
            s.push_str("  </appSettings>\n</configuration>\n");
        }
        "dotenv" => {
            for i in 0..n {
                let _ = writeln!(
                    s,
                    "# service {i}\nSERVICE_{i}_URL=https://svc{i}.example.com\nSERVICE_{i}_PASSWORD=\"correct horse {i}\"\nexport MODE_{i}=production"
                );
            }
        }
        "bicep" => {
            s.push_str("param location string = resourceGroup().location\n@secure()\nparam adminPassword string\n\n");
            for i in 0..n {
                let _ = write!(
                    s,
                    "resource st{i} 'Microsoft.Storage/storageAccounts@2022-09-01' = {{\n  name: 'st{i}${{uniqueString(resourceGroup().id)}}'\n  location: location\n  sku: {{ name: 'Standard_LRS' }}\n  kind: 'StorageV2'\n}}\n\nresource app{i} 'Microsoft.Web/sites@2022-03-01' = {{\n  name: 'app{i}'\n  location: location\n  properties: {{\n    siteConfig: {{\n      appSettings: [\n        {{ name: 'Storage', value: 'DefaultEndpointsProtocol=https;AccountName=${{st{i}.name}};AccountKey=${{st{i}.listKeys().keys[0].value}}' }}\n      ]\n    }}\n  }}\n}}\n\n"
                );
            }
        }
        other => panic!("unknown kind {other}"),
    }
    s
}

fn format_of(kind: &str) -> (Format, &'static str) {
    match kind {
        "arm" => (
            Format::ArmTemplate(DeploymentScope::ResourceGroup),
            "azuredeploy.json",
        ),
        "appsettings" => (Format::AppSettings, "appsettings.json"),
        "terraform" => (Format::Terraform, "main.tf"),
        "tfvars" => (Format::TerraformVars, "prod.tfvars"),
        "yaml" => (Format::Yaml, "azure-pipelines.yml"),
        "xml" => (Format::XmlConfig, "web.config"),
        "dotenv" => (Format::Dotenv, ".env"),
        "bicep" => (Format::Bicep, "main.bicep"),
        other => panic!("unknown kind {other}"),
    }
}

/// About 1 MiB of one kind.
fn about_one_mib(kind: &str) -> String {
    let unit = generate(kind, 1).len().max(1);
    generate(kind, MIB / unit + 1)
}

const KINDS: &[&str] = &[
    "arm",
    "appsettings",
    "terraform",
    "tfvars",
    "yaml",
    "xml",
    "dotenv",
    "bicep",
];

/// Parser throughput per format (bytes/s in divan's throughput column).
#[divan::bench(args = KINDS, sample_count = 20)]
fn parse_format(bencher: Bencher, kind: &str) {
    let (format, name) = format_of(kind);
    let file = SourceFile::new(
        PathBuf::from(name),
        name.to_string(),
        about_one_mib(kind),
        format,
    );
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| parse::parse(black_box(&file)));
}

/// The secret patterns over about 1 MiB of configuration text with keys in it.
#[divan::bench(sample_count = 20)]
fn find_secrets_mixed_text(bencher: Bencher) {
    let mut text = String::new();
    for kind in KINDS {
        text.push_str(&generate(kind, 200));
    }
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| find_secrets(black_box(&text)));
}

const MONOREPO_FILES: usize = 10_000;

/// A generated monorepo of 10,000 small files of every kind, written once to a temporary folder.
fn monorepo() -> &'static (tempfile::TempDir, u64) {
    static REPO: OnceLock<(tempfile::TempDir, u64)> = OnceLock::new();
    REPO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut bytes = 0u64;
        for i in 0..MONOREPO_FILES {
            let kind = KINDS[i % KINDS.len()];
            let (_, name) = format_of(kind);
            let folder = dir
                .path()
                .join(format!("team{:02}", i % 37))
                .join(format!("service{:04}", i / KINDS.len()));
            std::fs::create_dir_all(&folder).expect("create folder");
            let text = generate(kind, 1 + i % 7);
            bytes += text.len() as u64;
            std::fs::write(folder.join(name), text).expect("write file");
        }
        (dir, bytes)
    })
}

/// The whole pipeline (walk, read, parse, rules, sort) on the generated monorepo, all cores.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn scan_monorepo_10k_files(bencher: Bencher) {
    let (dir, bytes) = monorepo();
    let opts = ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        config: Arc::new(Config::default()),
        ..ScanOptions::default()
    };
    bencher
        .counter(ItemsCount::new(MONOREPO_FILES))
        .counter(BytesCount::new(*bytes))
        .bench(|| {
            let result = scan::scan(black_box(&opts));
            assert_eq!(result.files_scanned, MONOREPO_FILES);
            result
        });
}
