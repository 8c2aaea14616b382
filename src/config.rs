//! `.keyless.toml`: which rules run, at what severity, which paths are skipped, size limits and
//! extra secret patterns.
//!
//! ```toml
//! [rules]
//! select = ["KEY", "CONN001"]      # ids or family prefixes; default: every rule
//! ignore = ["MI"]                  # applied after select
//!
//! [rules.severity]
//! CONN001 = "warning"              # error | warning | note; an id or a family prefix
//!
//! [paths]
//! exclude = ["generated/**", "*.sample.json"]   # relative to this file's folder
//!
//! [limits]
//! max-file-size = "16M"
//! file-timeout = "10s"            # per-file time bound (INPUT011)
//!
//! [[patterns]]
//! id = "acme-api-key"
//! regex = "acme_[0-9a-f]{32}"
//! description = "ACME API key"
//! ```
//!
//! The file is found by walking up from the scan root (the first path argument, or its folder for
//! a file) to the repository root (a folder holding `.git`) or the file system root; `--config FILE`
//! names one instead. Every mistake — an unknown key, an unknown rule id, a bad severity, glob,
//! regex or size — is an error with the file's `path:line:col`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::{Family, Severity};
use crate::rules;

/// The name of the configuration file.
pub const FILE_NAME: &str = ".keyless.toml";

/// An extra secret pattern from `[[patterns]]`, compiled at load.
///
/// The regex is a byte regex compiled with Unicode mode off (so `\d`, `\w` and `\b` are ASCII and
/// matching stays fast, as the built-in patterns are); it runs on the bytes of each literal string.
#[derive(Debug, Clone)]
pub struct SecretPattern {
    pub id: String,
    pub regex: regex::bytes::Regex,
    pub description: String,
}

/// A loaded configuration. [`Config::default`] runs every rule at its default severity.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    /// Selected rule ids or family prefixes; `None`: all rules.
    pub select: Option<Vec<String>>,
    /// Ignored rule ids or family prefixes.
    pub ignore: Vec<String>,
    /// Severity overrides by rule id or family prefix (an id wins over its family).
    pub severity: BTreeMap<String, Severity>,
    /// Excluded paths, matched relative to `exclude_root`.
    exclude: Option<GlobSet>,
    exclude_root: PathBuf,
    /// `[limits] max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
    /// `[limits] file-timeout`.
    pub file_timeout: Option<std::time::Duration>,
    /// `[[patterns]]`: extra secret patterns for the secret rules (KEY001).
    pub patterns: Vec<SecretPattern>,
}

/// A configuration error, located in the configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    paths: RawPaths,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    patterns: Vec<RawPattern>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    #[serde(rename = "max-file-size")]
    max_file_size: Option<Spanned<toml::Value>>,
    #[serde(rename = "file-timeout")]
    file_timeout: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    id: Spanned<String>,
    regex: Spanned<String>,
    description: Spanned<String>,
}

/// True when `selector` (an id like `KEY001` or a family prefix like `KEY`) covers `id`.
pub fn selector_matches(selector: &str, id: &str) -> bool {
    if selector.eq_ignore_ascii_case(id) {
        return true;
    }
    let sel = selector.to_ascii_uppercase();
    is_family(&sel)
        && id.len() > sel.len()
        && id[..sel.len()].eq_ignore_ascii_case(&sel)
        && id[sel.len()..].bytes().all(|b| b.is_ascii_digit())
}

fn is_family(s: &str) -> bool {
    [
        Family::Key,
        Family::Conn,
        Family::Mi,
        Family::Rbac,
        Family::Input,
    ]
    .iter()
    .any(|f| f.prefix().eq_ignore_ascii_case(s))
}

/// Checks a rule selector: a known rule id or a family prefix. Returns the canonical spelling.
pub fn check_selector(s: &str) -> Result<String, String> {
    let t = s.trim();
    if is_family(t) {
        return Ok(t.to_ascii_uppercase());
    }
    match rules::all().iter().find(|r| r.meta().id.eq_ignore_ascii_case(t)) {
        Some(r) => Ok(r.meta().id.to_string()),
        None => Err(format!(
            "unknown rule `{s}`: use a rule id (`keyless rules` lists them) or a family prefix (KEY, CONN, MI, RBAC, INPUT)"
        )),
    }
}

/// Parses a size: a byte count, or a number with a `K`, `M` or `G` suffix.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1024,
                'M' => 1024 * 1024,
                'G' => 1024 * 1024 * 1024,
                'B' => 1,
                _ => return Err(format!("unknown size suffix `{c}`: use K, M or G")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .map(|n| n.saturating_mul(mult))
        .map_err(|_| format!("`{s}` is not a size: write a number of bytes, or 512K, 16M, 1G"))
}

/// Parses a duration: a number of seconds (`10`, `2.5`) or one with a unit (`500ms`, `10s`, `2m`).
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let bad = || format!("`{s}` is not a duration: write a number of seconds, or 500ms, 10s, 2m");
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.trim().parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        _ => return Err(bad()),
    };
    if !secs.is_finite() || !(0.0..=1e9).contains(&secs) {
        return Err(bad());
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// `path` made absolute against `cwd`, with `.` and `..` removed lexically (no file system access,
/// so symlinked folders compare as written).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Finds `.keyless.toml` from the scan root upwards, stopping after the repository root.
pub fn discover(first_path: &Path, cwd: &Path) -> Option<PathBuf> {
    let abs = absolute(first_path, cwd);
    let mut dir = if abs.is_dir() {
        abs
    } else {
        abs.parent()?.to_path_buf()
    };
    loop {
        let candidate = dir.join(FILE_NAME);
        // Anything by that name counts, a folder too: loading it then says what is wrong,
        // rather than the configuration being ignored in silence.
        if std::fs::symlink_metadata(&candidate).is_ok() {
            return Some(candidate);
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    }
}

impl Config {
    /// Reads and validates a configuration file. `shown` is how the path appears in messages.
    pub fn load(path: &Path, cwd: &Path) -> Result<Config, ConfigError> {
        let shown = crate::discover::display_path(path, cwd);
        if path.is_dir() {
            return Err(ConfigError {
                path: shown,
                line: 1,
                column: 1,
                message: format!(
                    "the configuration is a folder, not a file: make `{FILE_NAME}` a TOML file or remove it"
                ),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: shown.clone(),
            line: 1,
            column: 1,
            message: format!("could not read the configuration file: {e}"),
        })?;
        let root = absolute(path, cwd)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut cfg = Config::parse(&text, &shown, &root)?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Parses a configuration from text; `shown` names it in errors, `root` is the folder exclude
    /// globs are relative to.
    pub fn parse(text: &str, shown: &str, root: &Path) -> Result<Config, ConfigError> {
        let err = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = line_col(text, span.map_or(0, |s| s.start));
            ConfigError {
                path: shown.to_string(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            err(
                e.span(),
                e.message().trim().replace('\n', "; ").trim().to_string(),
            )
        })?;
        let mut cfg = Config {
            exclude_root: root.to_path_buf(),
            ..Config::default()
        };

        let selectors = |list: &[Spanned<String>]| -> Result<Vec<String>, ConfigError> {
            list.iter()
                .map(|s| check_selector(s.get_ref()).map_err(|m| err(Some(s.span()), m)))
                .collect()
        };
        if let Some(sel) = &raw.rules.select {
            cfg.select = Some(selectors(sel)?);
        }
        cfg.ignore = selectors(&raw.rules.ignore)?;
        for (k, v) in &raw.rules.severity {
            let id = check_selector(k.get_ref()).map_err(|m| err(Some(k.span()), m))?;
            let sev = parse_severity(v.get_ref()).ok_or_else(|| {
                err(
                    Some(v.span()),
                    format!(
                        "`{}` is not a severity: use \"error\", \"warning\" or \"note\"",
                        v.get_ref()
                    ),
                )
            })?;
            cfg.severity.insert(id, sev);
        }

        if !raw.paths.exclude.is_empty() {
            let mut b = GlobSetBuilder::new();
            for g in &raw.paths.exclude {
                b.add(compile_glob(g.get_ref()).map_err(|m| err(Some(g.span()), m))?);
            }
            cfg.exclude = Some(b.build().map_err(|e| {
                err(
                    raw.paths.exclude.first().map(|g| g.span()),
                    format!("invalid exclude globs: {e}"),
                )
            })?);
        }

        if let Some(v) = &raw.limits.max_file_size {
            let size = match v.get_ref() {
                toml::Value::Integer(n) if *n >= 0 => Ok(*n as u64),
                toml::Value::String(s) => parse_size(s),
                other => Err(format!(
                    "a {} is not a size: write a number of bytes, or \"512K\", \"16M\", \"1G\"",
                    other.type_str()
                )),
            };
            cfg.max_file_size = Some(size.map_err(|m| err(Some(v.span()), m))?);
        }

        if let Some(v) = &raw.limits.file_timeout {
            let t = match v.get_ref() {
                toml::Value::Integer(n) if *n >= 0 => Ok(std::time::Duration::from_secs(*n as u64)),
                toml::Value::Float(f) if *f >= 0.0 && f.is_finite() => {
                    Ok(std::time::Duration::from_secs_f64(*f))
                }
                toml::Value::String(s) => parse_duration(s),
                other => Err(format!(
                    "a {} is not a duration: write a number of seconds, or \"500ms\", \"10s\", \"2m\"",
                    other.type_str()
                )),
            };
            cfg.file_timeout = Some(t.map_err(|m| err(Some(v.span()), m))?);
        }

        let mut ids = std::collections::HashSet::new();
        for p in &raw.patterns {
            let id = p.id.get_ref().trim();
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(err(
                    Some(p.id.span()),
                    format!("pattern id `{id}` must be letters, digits, `-` or `_`"),
                ));
            }
            if !ids.insert(id.to_ascii_lowercase()) {
                return Err(err(
                    Some(p.id.span()),
                    format!("pattern id `{id}` is defined twice"),
                ));
            }
            if p.regex.get_ref().is_empty() {
                return Err(err(
                    Some(p.regex.span()),
                    "the pattern's regex is empty".to_string(),
                ));
            }
            let regex = regex::bytes::RegexBuilder::new(p.regex.get_ref())
                .unicode(false)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| {
                    err(
                        Some(p.regex.span()),
                        format!(
                            "invalid regex for pattern `{id}`: {}",
                            e.to_string()
                                .replace('\n', " ")
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" ")
                        ),
                    )
                })?;
            if regex.is_match(b"") {
                return Err(err(
                    Some(p.regex.span()),
                    format!("the regex of pattern `{id}` matches the empty string, so it would match everywhere"),
                ));
            }
            cfg.patterns.push(SecretPattern {
                id: id.to_string(),
                regex,
                description: p.description.get_ref().clone(),
            });
        }
        Ok(cfg)
    }

    /// Overrides the file's `select` (`--select`).
    pub fn set_select(&mut self, list: &[String]) -> Result<(), String> {
        self.select = Some(
            split_list(list)
                .map(|s| check_selector(&s))
                .collect::<Result<_, _>>()?,
        );
        Ok(())
    }

    /// Overrides the file's `ignore` (`--ignore`).
    pub fn set_ignore(&mut self, list: &[String]) -> Result<(), String> {
        self.ignore = split_list(list)
            .map(|s| check_selector(&s))
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// True when the rule runs: selected (or no selection) and not ignored. The INPUT
    /// diagnostics are always selected: a file that could not be read, parsed or finished in time
    /// must never pass a gate because `select` names other rules; only `ignore` turns one off.
    pub fn enabled(&self, id: &str) -> bool {
        let input = id
            .get(..Family::Input.prefix().len())
            .is_some_and(|p| p.eq_ignore_ascii_case(Family::Input.prefix()));
        let selected = input
            || self
                .select
                .as_ref()
                .map_or(true, |s| s.iter().any(|x| selector_matches(x, id)));
        selected && !self.ignore.iter().any(|x| selector_matches(x, id))
    }

    /// The severity override for a rule, if any (an id wins over its family).
    pub fn severity_for(&self, id: &str) -> Option<Severity> {
        self.severity.get(id).copied().or_else(|| {
            self.severity
                .iter()
                .find(|(k, _)| selector_matches(k, id))
                .map(|(_, v)| *v)
        })
    }

    /// True when `path` (absolute, or relative to `cwd`) matches `[paths] exclude`, itself or
    /// through one of its folders below the configuration file's folder.
    pub fn excluded(&self, path: &Path, cwd: &Path) -> bool {
        let Some(set) = &self.exclude else {
            return false;
        };
        let abs = absolute(path, cwd);
        let Ok(rel) = abs.strip_prefix(&self.exclude_root) else {
            return false;
        };
        let mut candidate = PathBuf::new();
        for c in rel.components() {
            candidate.push(c.as_os_str());
            if set.is_match(&candidate) {
                return true;
            }
        }
        false
    }
}

fn split_list(list: &[String]) -> impl Iterator<Item = String> + '_ {
    list.iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "note" => Some(Severity::Note),
        _ => None,
    }
}

/// A glob as gitignore writes them: without a `/` it matches a name at any depth; with one, it is
/// anchored at the configuration file's folder. `*` does not cross `/`; `**` does.
fn compile_glob(g: &str) -> Result<globset::Glob, String> {
    let t = g.trim();
    if t.is_empty() {
        return Err("an exclude glob is empty".to_string());
    }
    let t = t.trim_end_matches('/');
    let pattern = if let Some(anchored) = t.strip_prefix('/') {
        anchored.to_string()
    } else if t.contains('/') {
        t.trim_start_matches("./").to_string()
    } else {
        format!("**/{t}")
    };
    GlobBuilder::new(&pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| format!("invalid glob `{g}`: {}", e.kind()))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, ".keyless.toml", Path::new("/repo"))
    }

    fn err(text: &str) -> String {
        parse(text).expect_err("must be an error").to_string()
    }

    #[test]
    fn full_config_loads() {
        let c = parse(
            r#"
[rules]
select = ["INPUT", "INPUT001"]
ignore = ["input002"]
[rules.severity]
INPUT001 = "error"
INPUT = "note"
[paths]
exclude = ["generated/**", "*.sample.json"]
[limits]
max-file-size = "1K"
file-timeout = "1500ms"
[[patterns]]
id = "acme-key"
regex = 'acme_[0-9a-f]{8}\b'
description = "ACME key"
"#,
        )
        .unwrap();
        assert!(c.enabled("INPUT001"));
        assert!(!c.enabled("INPUT002"));
        assert!(!c.enabled("KEY001"));
        assert_eq!(c.severity_for("INPUT001"), Some(Severity::Error));
        assert_eq!(c.severity_for("INPUT003"), Some(Severity::Note));
        assert_eq!(c.max_file_size, Some(1024));
        assert_eq!(c.file_timeout, Some(std::time::Duration::from_millis(1500)));
        assert_eq!(c.patterns.len(), 1);
        assert!(c.patterns[0].regex.is_match(b"x acme_0123abcd y"));
        let cwd = Path::new("/repo");
        assert!(c.excluded(Path::new("generated/a/b.json"), cwd));
        assert!(c.excluded(Path::new("/repo/x/y/app.sample.json"), cwd));
        assert!(!c.excluded(Path::new("src/generated/a.json"), cwd));
        assert!(!c.excluded(Path::new("/elsewhere/generated/a.json"), cwd));
        assert!(c.excluded(Path::new("./x/../generated/z.tf"), cwd));
    }

    #[test]
    fn input_diagnostics_stay_on_whatever_select_says() {
        let c =
            parse("[rules]\nselect = [\"KEY\", \"CONN001\"]\nignore = [\"INPUT004\"]\n").unwrap();
        assert!(c.enabled("KEY002") && c.enabled("CONN001"));
        assert!(!c.enabled("CONN002") && !c.enabled("MI001"));
        for id in ["INPUT001", "INPUT002", "INPUT003", "INPUT005", "INPUT011"] {
            assert!(c.enabled(id), "{id} must stay on");
        }
        assert!(
            !c.enabled("INPUT004"),
            "ignore still turns an INPUT rule off"
        );
        let mut c = Config::default();
        c.set_select(&["MI".to_string()]).unwrap();
        assert!(c.enabled("INPUT002") && !c.enabled("KEY001"));
    }

    #[test]
    fn default_enables_everything() {
        let c = Config::default();
        assert!(c.enabled("KEY001") && c.enabled("INPUT007"));
        assert_eq!(c.severity_for("KEY001"), None);
    }

    #[test]
    fn errors_carry_line_and_column() {
        assert!(
            err("[rules]\nselct = []\n").starts_with(".keyless.toml:2:1: unknown field `selct`")
        );
        assert!(err("[rules]\nselect = [\"INPUT001\", \"NOPE1\"]\n")
            .starts_with(".keyless.toml:2:23: unknown rule `NOPE1`"));
        assert!(err("[rules.severity]\nINPUT001 = \"fatal\"\n")
            .starts_with(".keyless.toml:2:12: `fatal` is not a severity"));
        assert!(err("[paths]\nexclude = [\"a/[b\"]\n")
            .starts_with(".keyless.toml:2:12: invalid glob `a/[b`"));
        assert!(
            err("[[patterns]]\nid = \"x\"\nregex = \"a(\"\ndescription = \"d\"\n")
                .starts_with(".keyless.toml:3:9: invalid regex for pattern `x`")
        );
        assert!(
            err("[[patterns]]\nid = \"x\"\nregex = \"a*\"\ndescription = \"d\"\n")
                .contains("matches the empty string")
        );
        assert!(err("[limits]\nmax-file-size = \"lots\"\n").starts_with(".keyless.toml:2:17:"));
        assert!(err("[limits]\nfile-timeout = \"soon\"\n").starts_with(".keyless.toml:2:16:"));
        assert!(err("[limits]\nfile-timeout = -1\n").contains("not a duration"));
        assert!(err("[rules]\nselect = \"KEY\"\n").starts_with(".keyless.toml:2:10:"));
        assert!(err("oops = \n").starts_with(".keyless.toml:1:"));
    }

    #[test]
    fn durations() {
        use std::time::Duration;
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration(" 2.5s "), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        for bad in ["", "s", "-1s", "10h", "1e99", "NaN", "inf", "ten"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn selectors() {
        assert!(selector_matches("KEY", "KEY001"));
        assert!(selector_matches("key001", "KEY001"));
        assert!(!selector_matches("KE", "KEY001"));
        assert!(!selector_matches("MI", "MIX001"));
        assert!(check_selector("input001").is_ok());
        assert!(check_selector("KEY").is_ok());
        assert!(check_selector("KEY999").is_err());
    }
}
