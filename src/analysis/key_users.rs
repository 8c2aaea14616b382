//! Who uses a storage account's shared key in the same deployment (`rules/key-consumers.tsv`):
//! virtual machines' boot diagnostics and unmanaged disks, deployment scripts, Batch auto-storage,
//! Azure Machine Learning workspaces, cloud witnesses, Azure Files mounts, SMB shares, resources
//! that read the keys, templates beside this one that read them, and Terraform's azurerm provider.
//! MI003 asks this before it offers to turn shared key access off: a fix must not break what the
//! deployment itself does.

use std::sync::OnceLock;

use crate::analysis::exposure::{is_secret_attribute, is_secret_list_function};
use crate::ir::{Dialect, Document, Expr, Node, NodeKind, Resource, StrClass};
use crate::source::Span;
use crate::table::Table;

/// A row of the key-consumer catalog.
#[derive(Debug)]
pub struct Row {
    pub id: &'static str,
    pub label: &'static str,
    /// The consumer has an identity-based form (else the key is the only way it works).
    pub identity: bool,
    pub instead: &'static str,
}

pub fn catalog() -> &'static [Row] {
    static CAT: OnceLock<Vec<Row>> = OnceLock::new();
    CAT.get_or_init(|| {
        Table::embedded(
            "rules/key-consumers.tsv",
            include_str!("../../rules/key-consumers.tsv"),
        )
        .map_embedded(|c| {
            Ok(Row {
                id: c.get("consumer")?,
                label: c.get("label")?,
                identity: match c.get("identity")? {
                    "yes" => true,
                    "none" => false,
                    other => return Err(format!("identity `{other}`: yes or none")),
                },
                instead: c.get("instead")?,
            })
        })
    })
}

/// The label without its parenthesis, for messages (`a virtual machine's boot diagnostics`).
pub fn short(row: &Row) -> &'static str {
    row.label.split(" (").next().unwrap_or(row.label)
}

/// The row with this id (the ids the code names are checked by a test).
pub fn row(id: &str) -> &'static Row {
    catalog()
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("rules/key-consumers.tsv has no row `{id}`"))
}

/// A key consumer found for an account.
#[derive(Debug, Clone)]
pub struct Consumer {
    pub row: &'static Row,
    /// Where it is in this file (the consuming value or resource).
    pub at: Option<Span>,
    /// The file it is in, when it is another file (a template beside this one).
    pub file: Option<String>,
}

/// A consumer found in a file beside the scanned one, recorded on the document by the scan:
/// (consumer id, file name, the symbol of the resource it uses when it names one).
pub type Nearby = (&'static str, String, Option<String>);

/// The ids the code detects, for the test that the table has a row for each.
pub const IDS: &[&str] = &[
    "boot-diagnostics",
    "unmanaged-disk",
    "deployment-script",
    "script-key",
    "batch-autostorage",
    "ml-workspace",
    "cloud-witness",
    "azure-files-mount",
    "smb-shares",
    "service-fabric-diagnostics",
    "key-vault-secret",
    "key-reader",
    "nearby-key-reader",
    "terraform-data-plane",
];

/// How a value refers to the account: the account's symbol (Bicep, Terraform), its name as
/// written (ARM), and whether it is the only storage account the document deploys (then any
/// storage reference is to it).
struct Refs {
    needles: Vec<String>,
    sole: bool,
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `needle` occurs in `hay` as a whole word (not inside a longer identifier).
fn has_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let s = from + i;
        let e = s + needle.len();
        let before = hay[..s].chars().next_back().is_none_or(|c| !is_ident(c));
        let after = hay[e..].chars().next().is_none_or(|c| !is_ident(c));
        if before && after {
            return true;
        }
        from = s + needle.len().max(1);
        if from >= hay.len() {
            break;
        }
    }
    false
}

impl Refs {
    fn new(text: &str, doc: &Document, r: &Resource) -> Refs {
        let mut needles = Vec::new();
        if let Some(sym) = r.symbol.as_deref().filter(|s| !s.is_empty()) {
            if r.dialect != Dialect::Arm {
                needles.push(sym.to_ascii_lowercase());
            }
        }
        if r.dialect == Dialect::Arm {
            if let Some(n) = r.body.get("name") {
                let raw = text.get(n.span.start..n.span.end).unwrap_or("");
                let raw = raw.trim().trim_matches('"');
                let inner = raw
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .unwrap_or(raw)
                    .trim()
                    .to_ascii_lowercase();
                if inner.len() >= 3 {
                    needles.push(inner);
                }
            }
        }
        let sole = doc
            .resources
            .iter()
            .filter(|o| !o.existing && o.is_type("Microsoft.Storage/storageAccounts"))
            .count()
            == 1;
        Refs { needles, sole }
    }

    /// Does this source text refer to the account?
    fn in_text(&self, t: &str) -> bool {
        let t = t.to_ascii_lowercase();
        if self.needles.iter().any(|n| {
            if n.chars().all(|c| is_ident(c) || c == '.') {
                has_word(&t, n)
            } else {
                t.contains(n.as_str())
            }
        }) {
            return true;
        }
        self.sole
            && [
                "microsoft.storage/storageaccounts",
                "blob.core",
                "suffixes.storage",
                "primaryendpoints",
                "azurerm_storage_account.",
            ]
            .iter()
            .any(|w| t.contains(w))
    }
}

fn slice(text: &str, s: Span) -> &str {
    text.get(s.start..s.end).unwrap_or("")
}

/// The words of a value: its strings and expressions, for matching a resource ID kept in a
/// variable.
fn node_words(n: &Node) -> String {
    let mut out = String::new();
    n.walk(&mut |_, v| match &v.kind {
        NodeKind::Str(s) => {
            out.push(' ');
            match &s.class {
                StrClass::Expression(e) => out.push_str(&e.to_string()),
                _ => out.push_str(&s.value),
            }
        }
        NodeKind::Expr(e) => {
            out.push(' ');
            out.push_str(&e.to_string());
        }
        _ => {}
    });
    out
}

/// The text of a `list*` call with the values of the variables and locals it names, lower case:
/// `listKeys(variables('authRuleResourceId'), ...)` names the type its variable's `resourceId()`
/// does.
pub(crate) fn call_text(doc: Option<&Document>, x: &Expr) -> String {
    let mut t = x.to_string();
    if let Some(doc) = doc {
        for v in x.variable_refs() {
            if let Some(var) = doc.vars.iter().find(|d| d.name.eq_ignore_ascii_case(v)) {
                t.push_str(&node_words(&var.value));
            }
        }
    }
    t.to_ascii_lowercase()
}

/// Does this subtree read a resource's keys: a `list*` credentials call whose text (lower case,
/// variables expanded through `doc`) passes `call`, or a key attribute of the Terraform address
/// `symbol`?
fn reads_keys_where(
    n: &Node,
    symbol: &str,
    doc: Option<&Document>,
    call: &dyn Fn(&str) -> bool,
) -> bool {
    let mut found = false;
    let mut check = |e: &Expr| {
        e.walk(&mut |x| match x {
            Expr::Call { name, .. } if is_secret_list_function(name) => {
                let t = call_text(doc, x);
                found |= call(&t);
            }
            Expr::Resource { address, path } => {
                found |= !symbol.is_empty()
                    && address.eq_ignore_ascii_case(symbol)
                    && path.iter().any(|p| is_secret_attribute(p));
            }
            _ => {}
        });
    };
    n.walk(&mut |_, node| match &node.kind {
        NodeKind::Expr(e) => check(e),
        NodeKind::Str(s) => {
            if let StrClass::Expression(e) = &s.class {
                check(e)
            }
        }
        _ => {}
    });
    found
}

/// Terraform resources that the azurerm provider manages over the storage data plane.
const TF_DATA_PLANE: &[&str] = &[
    "azurerm_storage_container",
    "azurerm_storage_blob",
    "azurerm_storage_queue",
    "azurerm_storage_share",
    "azurerm_storage_share_file",
    "azurerm_storage_share_directory",
    "azurerm_storage_table",
    "azurerm_storage_table_entity",
    "azurerm_storage_data_lake_gen2_filesystem",
    "azurerm_storage_data_lake_gen2_path",
];

/// The `provider "azurerm"` blocks of a Terraform document.
pub fn azurerm_providers<'a>(text: &str, doc: &'a Document) -> Vec<&'a Node> {
    let Some(root) = doc.root.as_ref() else {
        return Vec::new();
    };
    root.entries()
        .iter()
        .filter(|e| e.key == "provider")
        .filter(|e| {
            text.get(e.key_span.end..e.value.span.start)
                .is_some_and(|between| between.contains("azurerm"))
        })
        .map(|e| &e.value)
        .collect()
}

/// Does a provider block set `storage_use_azuread = true`?
pub fn uses_azuread(provider: &Node) -> bool {
    provider
        .get("storage_use_azuread")
        .and_then(Node::as_bool)
        .unwrap_or(false)
}

/// Does any value at or under `n` have a key path naming a word (`witness`, `azurefile`)?
fn path_names(n: &Node, words: &[&str]) -> bool {
    let mut found = false;
    n.walk(&mut |p, _| {
        if !found {
            if let Some(k) = p.last_key() {
                let k = k.to_ascii_lowercase();
                found = words.iter().any(|w| k.contains(w));
            }
        }
    });
    found
}

/// A deployment script: ARM `Microsoft.Resources/deploymentScripts`, Terraform
/// `azurerm_resource_deployment_script_azure_power_shell` / `_azure_cli`.
fn is_deployment_script(o: &Resource) -> bool {
    o.is_type("Microsoft.Resources/deploymentScripts")
        || o.source_type
            .starts_with("azurerm_resource_deployment_script_")
}

/// Where a deployment script is handed the account (its name or ID in `arguments`,
/// `environmentVariables` or `scriptContent`; Terraform `command_line`, `environment_variable`,
/// `script_content`) when nothing in the script shows identity sign-in to the data plane
/// (`-UseConnectedAccount`, `--auth-mode login`).
fn script_handed(text: &str, refs: &Refs, o: &Resource) -> Option<Span> {
    let places: Vec<&Node> = [
        o.body.path(&["properties", "arguments"]),
        o.body.path(&["properties", "environmentVariables"]),
        o.body.path(&["properties", "scriptContent"]),
        o.body.get("command_line"),
        o.body.get("script_content"),
    ]
    .into_iter()
    .flatten()
    .chain(o.body.get_all("environment_variable"))
    .collect();
    let at = places
        .iter()
        .find(|n| refs.in_text(slice(text, n.span)))?
        .span;
    let script = slice(text, o.span).to_ascii_lowercase();
    let identity = script.contains("-useconnectedaccount")
        || script.match_indices("--auth-mode").any(|(i, _)| {
            script[i + "--auth-mode".len()..]
                .trim_start()
                .starts_with("login")
        });
    (!identity).then_some(at)
}

fn push(out: &mut Vec<Consumer>, id: &str, at: Option<Span>) {
    if !out.iter().any(|c| c.row.id == id) {
        out.push(Consumer {
            row: row(id),
            at,
            file: None,
        });
    }
}

/// The key consumers of a storage account in its own document (and, through
/// [`Document::nearby_key_users`], in the templates beside it). Empty for other types.
pub fn storage_consumers(text: &str, doc: &Document, r: &Resource) -> Vec<Consumer> {
    let mut out = Vec::new();
    if !r.is_type("Microsoft.Storage/storageAccounts") {
        return out;
    }
    let refs = Refs::new(text, doc, r);
    let symbol = r.symbol.as_deref().unwrap_or("").to_ascii_lowercase();
    // A `list*` call reads this account's keys when it names the account, or names a storage
    // account that is none of the others the document deploys (a resource ID in a variable).
    let others: Vec<Refs> = doc
        .resources
        .iter()
        .filter(|o| {
            !o.existing && !std::ptr::eq(*o, r) && o.is_type("Microsoft.Storage/storageAccounts")
        })
        .map(|o| Refs::new(text, doc, o))
        .collect();
    let mine = |t: &str| {
        refs.in_text(t) || (t.contains("storage") && !others.iter().any(|o| o.in_text(t)))
    };
    let reads_keys = |n: &Node| reads_keys_where(n, &symbol, Some(doc), &mine);
    // An account named for a cloud witness is one.
    let own_name = format!(
        "{} {}",
        symbol,
        r.body
            .get("name")
            .map(|n| slice(text, n.span))
            .unwrap_or("")
    )
    .to_ascii_lowercase();
    if own_name.contains("witness") {
        push(&mut out, "cloud-witness", Some(r.head_span));
    }
    let explicit_shared_key = r
        .body
        .path(&["properties", "allowSharedKeyAccess"])
        .or_else(|| r.body.get("shared_access_key_enabled"))
        .is_some_and(|n| matches!(n.kind, NodeKind::Bool(true)));
    let mut shares = false;
    let mut other_data = false;
    for o in &doc.resources {
        if o.existing || std::ptr::eq(o, r) {
            continue;
        }
        let inside = r.span.start <= o.span.start && o.span.end <= r.span.end;
        let ot = o.azure_type.to_ascii_lowercase();
        let body_text = slice(text, o.span);
        // The account's own children (nested or top-level): what it holds.
        let child_of_account = ot.starts_with("microsoft.storage/storageaccounts/")
            && (inside || refs.in_text(body_text));
        let tf_child = TF_DATA_PLANE.contains(&o.source_type.as_str()) && refs.in_text(body_text);
        if child_of_account || tf_child {
            let kind = if tf_child {
                o.source_type.as_str()
            } else {
                ot.as_str()
            };
            if kind.contains("shares") || kind.contains("storage_share") {
                shares = true;
            } else if !kind.ends_with("/fileservices") && !kind.contains("managementpolicies") {
                other_data = true;
            }
            if tf_child {
                push(&mut out, "terraform-data-plane", Some(o.head_span));
            }
            continue;
        }
        if inside {
            continue;
        }
        // Virtual machines: boot diagnostics and unmanaged disks on the account.
        let mut boot = None;
        let mut vhd = None;
        o.body.walk(&mut |p, n| {
            let Some(k) = p.last_key() else { return };
            let k = k.to_ascii_lowercase();
            let path = p.render().to_ascii_lowercase();
            if matches!(n.kind, NodeKind::Map(_) | NodeKind::List(_)) {
                return;
            }
            let t = slice(text, n.span);
            if !refs.in_text(t) {
                return;
            }
            if (path.contains("bootdiagnostics") || path.contains("boot_diagnostics"))
                && (k == "storageuri" || k == "storage_account_uri" || k == "storage_uri")
            {
                boot = boot.or(Some(n.span));
            } else if (k == "uri" && path.contains("vhd"))
                || k == "vhd_uri"
                || k == "vhdcontainers"
                || path.contains("vhdcontainers")
                || (k == "image_uri" && path.contains("os_disk"))
            {
                vhd = vhd.or(Some(n.span));
            }
        });
        if let Some(s) = boot {
            push(&mut out, "boot-diagnostics", Some(s));
        }
        if let Some(s) = vhd {
            push(&mut out, "unmanaged-disk", Some(s));
        }
        // A deployment script's own storage account.
        if o.is_type("Microsoft.Resources/deploymentScripts") {
            if let Some(s) = o.body.path(&["properties", "storageAccountSettings"]) {
                if refs.in_text(slice(text, s.span)) {
                    push(&mut out, "deployment-script", Some(s.span));
                    continue;
                }
            }
        }
        // A deployment script handed the account (its name or ID in its arguments, environment
        // variables or script) that shows no identity sign-in to the data plane: Az PowerShell's
        // `Get-AzStorageAccount` `.Context` and az cli without `--auth-mode login` use the key.
        if is_deployment_script(o) && !reads_keys(&o.body) {
            if let Some(at) = script_handed(text, &refs, o) {
                push(&mut out, "script-key", Some(at));
                continue;
            }
        }
        // Batch auto-storage, unless it signs in with the Batch account's identity.
        let batch_at = match o.dialect {
            Dialect::Terraform if o.source_type == "azurerm_batch_account" => o
                .body
                .get("storage_account_id")
                .map(|n| (n, o.body.get("storage_account_authentication_mode"))),
            _ if o.is_type("Microsoft.Batch/batchAccounts") => o
                .body
                .path(&["properties", "autoStorage", "storageAccountId"])
                .map(|n| {
                    (
                        n,
                        o.body
                            .path(&["properties", "autoStorage", "authenticationMode"]),
                    )
                }),
            _ => None,
        };
        if let Some((id, mode)) = batch_at {
            let identity_mode = mode.is_some_and(|m| {
                m.as_text()
                    .is_some_and(|t| t.eq_ignore_ascii_case("BatchAccountManagedIdentity"))
            });
            if refs.in_text(slice(text, id.span)) && !identity_mode {
                push(&mut out, "batch-autostorage", Some(id.span));
            }
        }
        // An Azure Machine Learning / AI Foundry hub workspace's default datastores.
        let ml_at = match o.dialect {
            Dialect::Terraform if o.source_type == "azurerm_machine_learning_workspace" => {
                o.body.get("storage_account_id")
            }
            _ if o.is_type("Microsoft.MachineLearningServices/workspaces") => {
                o.body.path(&["properties", "storageAccount"])
            }
            _ => None,
        };
        if let Some(n) = ml_at {
            let identity_mode = o
                .body
                .path(&["properties", "systemDatastoresAuthMode"])
                .and_then(Node::as_text)
                .is_some_and(|t| t.eq_ignore_ascii_case("identity"));
            if refs.in_text(slice(text, n.span)) && !identity_mode {
                push(&mut out, "ml-workspace", Some(n.span));
            }
        }
        // A Service Fabric cluster's support-log storage, read with the key it names.
        let fabric_at = match o.dialect {
            Dialect::Terraform if o.source_type == "azurerm_service_fabric_cluster" => {
                o.body.get("diagnostics_config")
            }
            _ if o.is_type("Microsoft.ServiceFabric/clusters") => o
                .body
                .path(&["properties", "diagnosticsStorageAccountConfig"]),
            _ => None,
        };
        if let Some(n) = fabric_at {
            if refs.in_text(slice(text, n.span)) {
                push(&mut out, "service-fabric-diagnostics", Some(n.span));
            }
        }
        // SQL Server VM groups take a cloud witness account.
        if o.is_type("Microsoft.SqlVirtualMachine/sqlVirtualMachineGroups")
            && refs.in_text(body_text)
        {
            push(&mut out, "cloud-witness", Some(o.head_span));
        }
        // What reads the keys, by what it does with them.
        if reads_keys(&o.body) {
            let files = ot.starts_with("microsoft.app/managedenvironments/storages")
                || o.source_type == "azurerm_container_app_environment_storage"
                || path_names(&o.body, &["azurefile", "azurestorageaccounts"])
                || (o.dialect == Dialect::Terraform
                    && (o.body.get("storage_account").is_some()
                        || o.body.get("volume").is_some_and(&reads_keys)))
                || body_text.contains("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING");
            let witness = path_names(&o.body, &["witness"])
                || body_text.to_ascii_lowercase().contains("witness");
            if witness {
                push(&mut out, "cloud-witness", Some(o.head_span));
            } else if files {
                push(&mut out, "azure-files-mount", Some(o.head_span));
            } else if !o.is_type("Microsoft.KeyVault/vaults/secrets")
                && o.source_type != "azurerm_key_vault_secret"
            {
                push(&mut out, "key-reader", Some(o.head_span));
            } else if explicit_shared_key {
                // The key stored in Key Vault while the account turns shared key access on in
                // so many words: kept on on purpose, for whoever reads the secret.
                push(&mut out, "key-vault-secret", Some(o.head_span));
            }
        }
    }
    // File shares and nothing else, without identity-based SMB access: clients mount with the key.
    let identity_smb = r
        .body
        .path(&["properties", "azureFilesIdentityBasedAuthentication"])
        .or_else(|| r.body.get("azure_files_authentication"))
        .is_some();
    if shares && !other_data && !identity_smb {
        push(&mut out, "smb-shares", Some(r.head_span));
    }
    // A key read anywhere else: a variable a resource uses, an output that hands it on.
    if !out.iter().any(|c| c.row.id == "key-reader") {
        let var = doc.vars.iter().find(|v| reads_keys(&v.value));
        let output = doc.outputs.iter().find(|o| reads_keys(&o.value));
        if let Some(at) = var.map(|v| v.name_span).or(output.map(|o| o.name_span)) {
            push(&mut out, "key-reader", Some(at));
        }
    }
    // Terraform: the provider manages the account's data plane with Shared Key.
    if r.dialect == Dialect::Terraform && out.iter().any(|c| c.row.id == "terraform-data-plane") {
        let providers = azurerm_providers(text, doc);
        if providers.iter().any(|p| uses_azuread(p)) {
            out.retain(|c| c.row.id != "terraform-data-plane");
        }
    }
    for (id, file, sym) in &doc.nearby_key_users {
        if *id == PROVIDER_ELSEWHERE || *id == PROVIDER_AZUREAD_ELSEWHERE {
            continue;
        }
        if sym
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case(&symbol))
        {
            continue;
        }
        // Boot diagnostics in a sibling name no account this file can match by name: the only
        // account it deploys, or the one named for diagnostics.
        if *id == "boot-diagnostics" && !others.is_empty() && !own_name.contains("diag") {
            continue;
        }
        if !out
            .iter()
            .any(|c| c.row.id == *id && c.file.as_deref() == Some(file))
        {
            out.push(Consumer {
                row: row(id),
                at: None,
                file: Some(file.clone()),
            });
        }
    }
    out
}

/// What the scan records about the Terraform provider in the `.tf` files beside this one (not
/// key consumers): `terraform-provider` when a `provider "azurerm"` block there leaves
/// `storage_use_azuread` unset, `terraform-provider-azuread` when it sets it.
pub const PROVIDER_ELSEWHERE: &str = "terraform-provider";
pub const PROVIDER_AZUREAD_ELSEWHERE: &str = "terraform-provider-azuread";

/// The most files read in one folder.
const NEARBY_FILES: usize = 40;

/// Key consumers of this document's storage accounts in the templates beside it, for
/// [`Document::nearby_key_users`]: ARM and Bicep templates in the same folder and the folder
/// above (sibling nested templates, the calling template) that read a storage account's keys
/// without deploying one of their own, and Bicep callers that pass this file's storage account
/// output to a Batch account or a Machine Learning workspace module; for Terraform, the `.tf`
/// files of the same module (the same configuration): key attributes of the account, data-plane
/// resources on it and the provider block. `read` returns a file's text (the scan's reader,
/// with its size limit), `list` a folder's files (the disk, or a commit's tree for history) and
/// `parse` its document (the scan's parser); nothing is read when the
/// document deploys nothing the catalog knows.
pub fn nearby(
    path: &std::path::Path,
    doc: &Document,
    list: &dyn Fn(&std::path::Path) -> Option<Vec<std::path::PathBuf>>,
    read: &dyn Fn(&std::path::Path) -> Option<String>,
    parse: &dyn Fn(&std::path::Path, String) -> Option<Document>,
) -> Vec<Nearby> {
    let tf = doc.dialect == Dialect::Terraform;
    // ARM and Bicep: storage accounts; Terraform: every resource of a service the catalog knows
    // (a module's other files read their key attributes).
    let accounts: Vec<&Resource> = doc
        .resources
        .iter()
        .filter(|r| {
            !r.existing
                && (r.is_type("Microsoft.Storage/storageAccounts")
                    || (tf && crate::analysis::services::has_rows(&r.azure_type)))
        })
        .collect();
    let mut out: Vec<Nearby> = Vec::new();
    let Some(dir) = path.parent() else {
        return out;
    };
    if accounts.is_empty() {
        return out;
    }
    let mut dirs = vec![dir.to_path_buf()];
    if !tf {
        // The folder above (the calling template, sibling nested templates) and, under a
        // `nested…`/`linked…` folder, the one above that (the main template of
        // `nested/<provider>/x.json`).
        if let Some(up) = dir.parent() {
            dirs.push(up.to_path_buf());
            let nested = up
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_ascii_lowercase)
                .is_some_and(|n| n.starts_with("nested") || n.starts_with("linked"));
            if let Some(top) = up.parent().filter(|t| nested && !t.as_os_str().is_empty()) {
                dirs.push(top.to_path_buf());
            }
        }
    }
    // Every neighbour is read once: the folders' files, then the templates this file and its
    // callers link (`templateLink.uri` built from `_artifactsLocation`, `relativePath`).
    let mut read_files: Vec<std::path::PathBuf> = vec![normalise(path)];
    let mut links: Vec<(std::path::PathBuf, String)> = if tf {
        Vec::new()
    } else {
        linked_templates(doc)
            .into_iter()
            .map(|l| (dir.to_path_buf(), l))
            .collect()
    };
    let self_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    for (depth, d) in dirs.iter().enumerate() {
        let Some(entries) = list(d) else {
            continue;
        };
        let mut files: Vec<std::path::PathBuf> = entries
            .into_iter()
            .filter(|p| p.as_path() != path)
            .filter(|p| {
                let name = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if tf {
                    name.ends_with(".tf")
                } else {
                    (name.ends_with(".json") && !name.contains("parameters"))
                        || name.ends_with(".bicep")
                }
            })
            .collect();
        files.sort();
        files.truncate(NEARBY_FILES);
        for f in files {
            let Some(text) = read(&f) else { continue };
            let shown = match depth {
                0 => f
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("")
                    .to_string(),
                _ => format!(
                    "{}{}",
                    "../".repeat(depth),
                    f.file_name().and_then(|n| n.to_str()).unwrap_or("")
                ),
            };
            let lower = text.to_ascii_lowercase();
            if tf {
                nearby_terraform(&text, &lower, &accounts, &shown, &mut out);
                continue;
            }
            read_files.push(normalise(&f));
            let parsed = arm_neighbour(&f, &text, &lower, &shown, parse, &mut out);
            // A caller (the folder above, or two above under `nested…/`) that links templates: they are
            // this file's siblings in the deployment, read below.
            if depth > 0 && lower.contains("templatelink") {
                if let (Some(p), Some(fdir)) =
                    (parsed.or_else(|| parse(&f, text.clone())), f.parent())
                {
                    links.extend(
                        linked_templates(&p)
                            .into_iter()
                            .map(|l| (fdir.to_path_buf(), l)),
                    );
                }
            }
            if depth == 0 && lower.contains(&format!("'{}'", self_name.to_ascii_lowercase())) {
                nearby_bicep_caller(&f, &lower, &self_name, doc, read, &mut out);
            }
        }
    }
    // The linked templates, read once each, at most [`NEARBY_FILES`].
    let mut linked_read = 0;
    for (base, link) in links {
        if linked_read >= NEARBY_FILES {
            break;
        }
        let f = normalise(&base.join(&link));
        if read_files.contains(&f) {
            continue;
        }
        read_files.push(f.clone());
        let Some(text) = read(&f) else { continue };
        linked_read += 1;
        let lower = text.to_ascii_lowercase();
        arm_neighbour(&f, &text, &lower, &link, parse, &mut out);
    }
    out.dedup();
    out
}

/// `a/b/../c` → `a/c`, `a/./b` → `a/b` (a linked template's path joined to its caller's folder).
fn normalise(p: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The relative paths of the templates a document links from its deployments
/// (`Microsoft.Resources/deployments`): `templateLink.relativePath`, and the `….json` string parts
/// of a `templateLink.uri` (`concat(parameters('_artifactsLocation'), 'nested/x.json', …)`,
/// `uri(deployment().properties.templateLink.uri, 'nested/x.json')`). Absolute URLs are not
/// followed.
fn linked_templates(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &doc.resources {
        if !r.is_type("Microsoft.Resources/deployments") {
            continue;
        }
        let Some(link) = r.body.path(&["properties", "templateLink"]) else {
            continue;
        };
        link.walk(&mut |_, n| {
            let mut take = |s: &str| {
                let s = s.trim().trim_start_matches("./");
                if s.to_ascii_lowercase().ends_with(".json")
                    && !s.contains("://")
                    && !s.starts_with('/')
                    && !out.iter().any(|o| o == s)
                {
                    out.push(s.to_string());
                }
            };
            let strings = |e: &Expr, take: &mut dyn FnMut(&str)| {
                e.walk(&mut |x| {
                    if let Expr::Str(s) = x {
                        take(s);
                    }
                })
            };
            match n.as_expr() {
                Some(e) => {
                    strings(e, &mut take);
                    // `"uri": "[variables('createVMSSUrl')]"`: the variable's strings.
                    for v in e.variable_refs() {
                        if let Some(var) = doc.vars.iter().find(|d| d.name.eq_ignore_ascii_case(v))
                        {
                            var.value.walk(&mut |_, vn| match vn.as_expr() {
                                Some(ve) => strings(ve, &mut take),
                                None => {
                                    if let Some(t) = vn.as_literal() {
                                        take(t);
                                    }
                                }
                            });
                        }
                    }
                }
                None => {
                    if let Some(t) = n.as_literal() {
                        take(t);
                    }
                }
            }
        });
    }
    out
}

/// An ARM or Bicep neighbour (a sibling, a caller, a linked template): one that reads a storage
/// account's keys (`listKeys` on a `Microsoft.Storage/storageAccounts` ID, or on an ID or name
/// from a parameter or variable named for storage) without deploying an account of its own, or
/// that points virtual machines' boot diagnostics at an account it does not deploy. Returns the
/// parsed document when it was parsed.
fn arm_neighbour(
    f: &std::path::Path,
    text: &str,
    lower: &str,
    shown: &str,
    parse: &dyn Fn(&std::path::Path, String) -> Option<Document>,
    out: &mut Vec<Nearby>,
) -> Option<Document> {
    let keys = lower.contains("listkeys") && lower.contains("storage");
    let boot = lower.contains("bootdiagnostics") && lower.contains("storageuri");
    if !keys && !boot {
        return None;
    }
    let p = parse(f, text.to_string())?;
    let own = p
        .resources
        .iter()
        .any(|r| !r.existing && r.is_type("Microsoft.Storage/storageAccounts"));
    if keys && !own {
        let reads = p
            .root
            .as_ref()
            .is_some_and(|root| reads_keys_where(root, "", Some(&p), &|t| t.contains("storage")));
        if reads {
            out.push(("nearby-key-reader", shown.to_string(), None));
        }
    }
    // Virtual machines with boot diagnostics on a storage account the neighbour does not deploy,
    // named by a URI it builds by hand (`concat('http://', name, '.blob.core.windows.net')`,
    // `'https://${name}.blob.${environment().suffixes.storage}'`) or by a reference: the account
    // is this one's.
    if boot && boot_diagnostics_elsewhere(text, &p) {
        out.push(("boot-diagnostics", shown.to_string(), None));
    }
    Some(p)
}

/// Does this template deploy a virtual machine (or scale set) whose boot diagnostics name a
/// storage account (`bootDiagnostics.storageUri`) that the template does not deploy itself?
fn boot_diagnostics_elsewhere(text: &str, doc: &Document) -> bool {
    let own = doc
        .resources
        .iter()
        .any(|r| !r.existing && r.is_type("Microsoft.Storage/storageAccounts"));
    if own {
        return false;
    }
    doc.resources.iter().filter(|r| !r.existing).any(|r| {
        let mut found = false;
        r.body.walk(&mut |p, n| {
            if found || matches!(n.kind, NodeKind::Map(_) | NodeKind::List(_)) {
                return;
            }
            let key = p.last_key().unwrap_or("").to_ascii_lowercase();
            if key != "storageuri" || !p.render().to_ascii_lowercase().contains("bootdiagnostics") {
                return;
            }
            let t = slice(text, n.span).to_ascii_lowercase();
            found = t.contains(".blob.") || t.contains("primaryendpoints");
        });
        found
    })
}

/// A `.tf` file of the same module: key attributes of the accounts, data-plane resources on them,
/// the azurerm provider block.
fn nearby_terraform(
    text: &str,
    lower: &str,
    accounts: &[&Resource],
    shown: &str,
    out: &mut Vec<Nearby>,
) {
    for r in accounts {
        let Some(sym) = r.symbol.as_deref() else {
            continue;
        };
        let sym = sym.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(&format!("{sym}.")) {
            let s = from + i + sym.len() + 1;
            let attr: String = lower[s..].chars().take_while(|c| is_ident(*c)).collect();
            if is_secret_attribute(&attr) {
                out.push(("nearby-key-reader", shown.to_string(), Some(sym.clone())));
                break;
            }
            from = s;
        }
        if r.is_type("Microsoft.Storage/storageAccounts")
            && TF_DATA_PLANE
                .iter()
                .any(|t| lower.contains(&format!("resource \"{t}\"")))
            && has_word(lower, &sym)
        {
            out.push(("terraform-data-plane", shown.to_string(), Some(sym.clone())));
        }
    }
    if let Some(i) = lower.find("provider \"azurerm\"") {
        let block = &text[i..];
        let end = block.find("\n}").unwrap_or(block.len());
        let azuread = block[..end].lines().any(|l| {
            let l = l.trim().replace(' ', "");
            l.starts_with("storage_use_azuread=true")
        });
        out.push((
            if azuread {
                PROVIDER_AZUREAD_ELSEWHERE
            } else {
                PROVIDER_ELSEWHERE
            },
            shown.to_string(),
            None,
        ));
    }
}

/// A Bicep file beside this one that calls it as a module (`module dep 'dependencies.bicep'`) and
/// passes one of its storage account outputs to another module that deploys a Batch account
/// (auto-storage in `StorageKeys` mode unless the call says `BatchAccountManagedIdentity`), a
/// Machine Learning workspace (unless the call sets `systemDatastoresAuthMode`) or a deployment
/// script with its own storage, or that reads a storage account's keys.
fn nearby_bicep_caller(
    caller: &std::path::Path,
    lower: &str,
    self_name: &str,
    doc: &Document,
    read: &dyn Fn(&std::path::Path) -> Option<String>,
    out: &mut Vec<Nearby>,
) {
    // The outputs of this document that hand out a storage account.
    let outputs: Vec<String> = doc
        .outputs
        .iter()
        .filter(|o| o.name.to_ascii_lowercase().contains("storage"))
        .map(|o| o.name.to_ascii_lowercase())
        .collect();
    if outputs.is_empty() {
        return;
    }
    let target = format!("'{}'", self_name.to_ascii_lowercase());
    // Module blocks: from `module ` at a line start to the next top-level declaration.
    let mut blocks: Vec<(&str, &str, &str)> = Vec::new(); // (symbol, path, block text)
    let starts: Vec<usize> = std::iter::once(0)
        .chain(lower.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| lower[i..].starts_with("module "))
        .collect();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lower.len());
        let block = &lower[s..end];
        let mut words = block["module ".len()..].split_whitespace();
        let (Some(sym), Some(path)) = (words.next(), words.next()) else {
            continue;
        };
        blocks.push((sym, path.trim_matches('\''), block));
    }
    let callers: Vec<&str> = blocks
        .iter()
        .filter(|(_, p, _)| format!("'{p}'") == target)
        .map(|(s, _, _)| *s)
        .collect();
    for (_, p, block) in &blocks {
        let passes = callers.iter().any(|c| {
            outputs
                .iter()
                .any(|o| block.contains(&format!("{c}.outputs.{o}")))
        });
        if !passes {
            continue;
        }
        let shown = format!(
            "{} (module `{p}`)",
            caller.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        // A Service Fabric cluster given the account as its support-log storage: the call
        // passes `diagnosticsStorageAccountConfig` with `protectedAccountKeyName` (the key by
        // name), whatever the module is.
        if block.contains("protectedaccountkeyname") {
            out.push(("service-fabric-diagnostics", shown.clone(), None));
            continue;
        }
        if p.contains(':') {
            continue;
        }
        let Some(dir) = caller.parent() else { continue };
        let Some(module) = read(&dir.join(p)) else {
            continue;
        };
        let module = module.to_ascii_lowercase();
        if module.contains("microsoft.batch/batchaccounts")
            && module.contains("storagekeys")
            && !block.contains("batchaccountmanagedidentity")
        {
            out.push(("batch-autostorage", shown.clone(), None));
        }
        if module.contains("microsoft.machinelearningservices/workspaces")
            && !block.contains("systemdatastoresauthmode")
        {
            out.push(("ml-workspace", shown.clone(), None));
        }
        // A deployment script module given the account as its own storage.
        if module.contains("microsoft.resources/deploymentscripts")
            && module.contains("storageaccountsettings")
        {
            out.push(("deployment-script", shown.clone(), None));
        }
        // A module that reads a storage account's keys (`storageAccount.listKeys()`), or hands
        // the key by name (a Service Fabric cluster's `protectedAccountKeyName`).
        let reads = module.lines().any(|l| {
            (l.contains("listkeys(") && l.contains("storage"))
                || l.contains("protectedaccountkeyname")
        });
        if reads {
            out.push(("nearby-key-reader", shown, None));
        }
    }
}

/// The Markdown table of the catalog, for MI003's page.
pub fn markdown_table() -> String {
    let mut s =
        String::from("| key consumer | identity-based form | what to do |\n|---|---|---|\n");
    for row in catalog() {
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            row.label.replace('|', "\\|"),
            if row.identity { "yes" } else { "none" },
            row.instead.replace('|', "\\|")
        ));
    }
    s
}

/// The markers around the generated table in MI003's page.
pub const TABLE_START: &str = "<!-- key-consumers:start -->";
pub const TABLE_END: &str = "<!-- key-consumers:end -->";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detected_id_has_a_row_and_every_row_is_detected() {
        for id in IDS {
            row(id);
        }
        for r in catalog() {
            assert!(
                IDS.contains(&r.id),
                "key-consumers.tsv: `{}` is not detected",
                r.id
            );
        }
    }

    #[test]
    fn whole_words_only() {
        assert!(has_word("x sa.name", "sa"));
        assert!(!has_word("x sas.name", "sa"));
        assert!(!has_word("x mysa", "sa"));
    }
}
