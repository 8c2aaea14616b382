//! Registry modules from the local caches the user's tools already filled, so that
//! [`crate::modules`] follows them like local modules:
//!
//! * Terraform: `terraform init` lists every module it installed in
//!   `.terraform/modules/modules.json` (`{"Modules": [{"Key": "sa", "Source": "…", "Dir":
//!   ".terraform/modules/sa"}]}`) beside the root module; a call's key is its name.
//! * Bicep: `bicep restore` (and `bicep build`) keep `br:<registry>/<repository>:<tag>` modules in
//!   the module cache, `<root>/br/<registry>/<repository with / as $>/<tag>$/main.json`, where the
//!   root is `~/.bicep` unless the nearest `bicepconfig.json` sets `cacheRootDirectory`;
//!   `br/public:<path>:<tag>` is `mcr.microsoft.com` with the repository `bicep/<path>`, and
//!   `br/<alias>:` the registry and module path `moduleAliases.br.<alias>` names in that file.
//!
//! Files are read through [`crate::io::read::read_decoded`] (regular files, the size cap), and a
//! folder `modules.json` names must lie inside the root module's folder. A module that is not in
//! the cache is not an error: the caller says which command would put it there.

use std::path::{Path, PathBuf};

use crate::ir::Dialect;

/// Where a module call's source was found.
#[derive(Debug, PartialEq)]
pub(crate) enum Located {
    /// In the cache: the module folder (Terraform) or file (Bicep).
    Found(PathBuf),
    /// A registry module the cache does not hold: the command that would restore it.
    Missing(&'static str),
    /// Not a registry source this module knows (a template spec, a URL, a git source).
    Unknown,
}

/// At most this many folders are searched upwards for `bicepconfig.json`.
const CONFIG_DEPTH: usize = 16;

/// Finds a non-local module source in the caches. `dir` is the calling file's folder.
pub(crate) fn locate(dir: &Path, name: &str, source: &str, dialect: Dialect, max: u64) -> Located {
    match dialect {
        Dialect::Terraform => terraform(dir, name, source, max),
        Dialect::Bicep => bicep(dir, source, max),
        _ => Located::Unknown,
    }
}

/// A Terraform registry, git or URL source: the folder `terraform init` installed it in.
fn terraform(dir: &Path, name: &str, source: &str, max: u64) -> Located {
    let manifest = dir.join(".terraform").join("modules").join("modules.json");
    let Ok((text, _, _)) = crate::io::read::read_decoded(&manifest, max) else {
        return Located::Missing("terraform init");
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Located::Missing("terraform init");
    };
    let modules = json
        .get("Modules")
        .and_then(|m| m.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let entry = modules.iter().find(|m| {
        m.get("Key").and_then(|k| k.as_str()) == Some(name)
            && m.get("Source")
                .and_then(|s| s.as_str())
                .is_some_and(|s| same_source(s, source))
    });
    let Some(rel) = entry.and_then(|m| m.get("Dir")).and_then(|d| d.as_str()) else {
        return Located::Missing("terraform init");
    };
    match inside(dir, &dir.join(rel)) {
        Some(p) if p.is_dir() => Located::Found(p),
        _ => Located::Missing("terraform init"),
    }
}

/// `modules.json` writes registry sources with their host (`registry.terraform.io/Azure/x/azurerm`)
/// where the call may leave it out (`Azure/x/azurerm`); git sources as written.
fn same_source(recorded: &str, written: &str) -> bool {
    let strip = |s: &str| {
        s.trim()
            .trim_start_matches("registry.terraform.io/")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    };
    strip(recorded) == strip(written)
}

/// The canonical `path`, when it lies inside the canonical `root` (no link or `..` leads out).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    let path = std::fs::canonicalize(path).ok()?;
    path.starts_with(&root).then_some(path)
}

/// A Bicep `br:` / `br/<alias>:` reference: the `main.json` `bicep restore` cached.
fn bicep(dir: &Path, source: &str, max: u64) -> Located {
    let Some((scheme, rest)) = source.split_once(':') else {
        return Located::Unknown;
    };
    if scheme != "br" && !scheme.starts_with("br/") {
        return Located::Unknown;
    }
    let config = nearest_config(dir, max);
    let setting = |path: &[&str]| -> Option<String> {
        config.as_ref()?.path(path)?.as_text().map(str::to_string)
    };
    // `br:<registry>/<repository>:<tag>`; an alias supplies the registry and a path prefix.
    let (full, tag) = match rest.rsplit_once(':') {
        Some((path, tag)) if !tag.is_empty() && !tag.contains('/') => (path, tag),
        _ => return Located::Missing("bicep restore"),
    };
    let (registry, repository) = match scheme.strip_prefix("br/") {
        None => match full.split_once('/') {
            Some((r, p)) => (r.to_string(), p.to_string()),
            None => return Located::Missing("bicep restore"),
        },
        Some(alias) => {
            let (registry, prefix) = match (
                setting(&["moduleAliases", "br", alias, "registry"]),
                setting(&["moduleAliases", "br", alias, "modulePath"]),
            ) {
                (Some(r), p) => (r, p),
                (None, _) if alias == "public" => {
                    ("mcr.microsoft.com".to_string(), Some("bicep".to_string()))
                }
                (None, _) => return Located::Missing("bicep restore"),
            };
            let repository = match prefix {
                Some(p) if !p.is_empty() => format!("{}/{full}", p.trim_end_matches('/')),
                _ => full.to_string(),
            };
            (registry, repository)
        }
    };
    let root = match setting(&["cacheRootDirectory"]) {
        Some(c) => expand_home(&c, config_dir(dir).as_deref()),
        None => home().map(|h| h.join(".bicep")),
    };
    let Some(root) = root else {
        return Located::Missing("bicep restore");
    };
    let plain = |s: &str| !s.is_empty() && !s.split('/').any(|p| p.is_empty() || p == "..");
    if !plain(&registry) || !plain(&repository) || !plain(tag) {
        return Located::Unknown;
    }
    let file = root
        .join("br")
        .join(registry.to_ascii_lowercase())
        .join(repository.to_ascii_lowercase().replace('/', "$"))
        .join(format!("{tag}$"))
        .join("main.json");
    match inside(&root, &file) {
        Some(p) if p.is_file() => Located::Found(p),
        _ => Located::Missing("bicep restore"),
    }
}

/// The user's home folder.
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `~/x` from the home folder; a relative path from the configuration file's folder.
fn expand_home(path: &str, base: Option<&Path>) -> Option<PathBuf> {
    if let Some(rest) = path.strip_prefix("~/") {
        return home().map(|h| h.join(rest));
    }
    let p = PathBuf::from(path);
    if p.is_absolute() {
        Some(p)
    } else {
        base.map(|b| b.join(p))
    }
}

/// The folder of the nearest `bicepconfig.json` at or above `dir`.
fn config_dir(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .take(CONFIG_DEPTH)
        .find(|d| d.join("bicepconfig.json").is_file())
        .map(Path::to_path_buf)
}

/// The nearest `bicepconfig.json`, parsed (comments allowed, as Bicep allows them).
fn nearest_config(dir: &Path, max: u64) -> Option<crate::ir::Node> {
    let file = config_dir(dir)?.join("bicepconfig.json");
    let (text, _, _) = crate::io::read::read_decoded(&file, max).ok()?;
    let parsed = crate::parse::json::parse(&text, &mut |_, _| crate::ir::StrClass::Literal).ok()?;
    Some(parsed.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_match_with_or_without_the_registry_host() {
        assert!(same_source(
            "registry.terraform.io/Azure/avm-res-storage-storageaccount/azurerm",
            "Azure/avm-res-storage-storageaccount/azurerm"
        ));
        assert!(!same_source("Azure/a/azurerm", "Azure/b/azurerm"));
    }

    #[test]
    fn missing_caches_name_the_command() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        assert_eq!(
            locate(&dir, "sa", "Azure/x/azurerm", Dialect::Terraform, 1 << 20),
            Located::Missing("terraform init")
        );
        assert_eq!(
            locate(&dir, "m", "ts:sub/rg/spec:1.0", Dialect::Bicep, 1 << 20),
            Located::Unknown
        );
    }

    fn found(path: &str) -> Vec<(usize, usize, &'static str, String)> {
        crate::testing::scan_fixture(path)
            .findings
            .into_iter()
            .map(|f| (f.start.line, f.start.column, f.rule.id, f.message))
            .collect()
    }

    /// A registry module in the cache is followed like a local one: the caller's values decide
    /// what its resources do (Terraform `.terraform/modules`, the Bicep module cache).
    #[test]
    fn cached_registry_modules_are_followed() {
        let f = found("testdata/MI003/fire/terraform-registry-module/main.tf");
        assert_eq!(
            f.iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>(),
            [(6, 19, "MI003")],
            "{f:?}"
        );
        assert!(f[0]
            .3
            .starts_with("`admin_enabled` is passed to module `acr`"));
        let f = found("testdata/MI004/fire/bicep-registry-module/main.bicep");
        assert_eq!(
            f.iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>(),
            [(6, 12, "MI004")],
            "{f:?}"
        );
        assert!(f[0].3.starts_with("values are passed to module `sql`"));
        assert!(found("testdata/MI003/silent/terraform-registry-module/main.tf").is_empty());
        assert!(found("testdata/MI004/silent/bicep-registry-module/main.bicep").is_empty());
    }

    /// A registry module the cache does not hold: one note per file naming the command that
    /// restores it; a template spec is no registry module.
    #[test]
    fn missing_registry_modules_are_one_note() {
        let f = found("testdata/modules/registry-missing/main.bicep");
        assert_eq!(
            f.iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>(),
            [(2, 16, "INPUT005")],
            "{f:?}"
        );
        assert!(f[0].3.contains("run `bicep restore`"));
        let f = found("testdata/modules/registry-missing/main.tf");
        assert_eq!(
            f.iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>(),
            [(3, 13, "INPUT005")],
            "{f:?}"
        );
        assert!(f[0].3.contains("run `terraform init`"));
    }
}
