//! `[per-file-ignores]` of `.keyless.toml`: rules not reported for the files matching a glob, as
//! ruff's option of the same name.
//!
//! ```toml
//! [per-file-ignores]
//! "tests/**" = ["KEY", "CONN001"]     # glob (relative to the configuration file's folder) -> rules
//! "*.sample.json" = ["KEY002"]
//! ```
//!
//! Globs are written as `[paths] exclude` ones (gitignore style: without a `/` a glob matches a
//! name at any depth, with one it is anchored at the configuration file's folder, and a glob
//! matching a folder covers the files below it). Rules are ids or family prefixes. The filter stage
//! drops a matching file's findings of those rules, suppressed or not, so a `keyless:ignore`
//! comment for a rule ignored here is not reported as unused.

use std::path::{Path, PathBuf};

use globset::GlobMatcher;

use crate::discover::absolute;
use crate::rules::select::selector_matches;

/// The compiled `[per-file-ignores]` table.
#[derive(Debug, Clone, Default)]
pub struct PerFileIgnores {
    /// The folder the globs are relative to (the configuration file's).
    root: PathBuf,
    /// Each glob with its rule selectors (canonical spelling).
    entries: Vec<(GlobMatcher, Vec<String>)>,
}

impl PerFileIgnores {
    pub fn new(root: &Path) -> PerFileIgnores {
        PerFileIgnores {
            root: root.to_path_buf(),
            entries: Vec::new(),
        }
    }

    /// Adds one entry: a glob and the rule selectors it ignores.
    pub fn push(&mut self, glob: globset::Glob, selectors: Vec<String>) {
        self.entries.push((glob.compile_matcher(), selectors));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The selectors that apply to `path` (absolute, or relative to `cwd`): those of every entry
    /// whose glob matches the path or one of its folders below the root.
    pub fn selectors_for(&self, path: &Path, cwd: &Path) -> Vec<&str> {
        let mut out = Vec::new();
        if self.entries.is_empty() {
            return out;
        }
        let abs = absolute(path, cwd);
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return out;
        };
        let mut prefixes = Vec::new();
        let mut candidate = PathBuf::new();
        for c in rel.components() {
            candidate.push(c.as_os_str());
            prefixes.push(candidate.clone());
        }
        for (glob, selectors) in &self.entries {
            if prefixes.iter().any(|p| glob.is_match(p)) {
                out.extend(selectors.iter().map(String::as_str));
            }
        }
        out
    }
}

/// True when one of `selectors` (from [`PerFileIgnores::selectors_for`]) covers rule `id`.
pub fn covers(selectors: &[&str], id: &str) -> bool {
    selectors.iter().any(|s| selector_matches(s, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn ignores(toml: &str) -> Config {
        Config::parse(toml, ".keyless.toml", Path::new("/repo")).expect("valid")
    }

    #[test]
    fn globs_match_names_anchored_paths_and_folders() {
        let c = ignores(
            "[per-file-ignores]\n\"tests/\" = [\"KEY\"]\n\"*.sample.json\" = [\"key003\", \"CONN\"]\n\"/infra/*.tf\" = [\"MI001\"]\n",
        );
        let cwd = Path::new("/repo");
        let at = |p: &str| c.ignored_rules_for(Path::new(p), cwd);
        assert_eq!(at("tests/unit/a.json"), vec!["KEY"]);
        // gitignore style: a trailing `/` alone does not anchor
        assert_eq!(at("src/tests/a.json"), vec!["KEY"]);
        assert_eq!(at("deep/x/app.sample.json"), vec!["KEY003", "CONN"]);
        assert_eq!(at("infra/main.tf"), vec!["MI001"]);
        assert!(
            at("infra/modules/main.tf").is_empty(),
            "`*` does not cross `/`"
        );
        assert!(at("/elsewhere/tests/a.json").is_empty(), "outside the root");
        assert!(covers(&at("tests/a.json"), "KEY001"));
        assert!(!covers(&at("tests/a.json"), "CONN001"));
        assert!(covers(&at("a.sample.json"), "CONN002"));
    }

    #[test]
    fn mistakes_are_located() {
        let err = |t: &str| {
            Config::parse(t, ".keyless.toml", Path::new("/repo"))
                .expect_err("an error")
                .to_string()
        };
        assert!(err("[per-file-ignores]\n\"a\" = [\"NOPE1\"]\n")
            .starts_with(".keyless.toml:2:8: unknown rule `NOPE1`"));
        assert!(err("[per-file-ignores]\n\"\" = [\"KEY\"]\n")
            .starts_with(".keyless.toml:2:1: a glob is empty"));
        assert!(err("[per-file-ignores]\n\"a\" = \"KEY\"\n").starts_with(".keyless.toml:2:"));
    }
}
