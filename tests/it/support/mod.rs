//! What the integration tests share: the built binary run in a folder, its output, JSON reports
//! and their findings, files written into temporary trees, git in a throwaway repository, and the
//! LSP client of the server tests.

pub mod lsp_client;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The repository's root (where `Cargo.toml` and `testdata/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built `keyless` binary, as the test sets it up.
pub fn keyless() -> Command {
    Command::cargo_bin("keyless").expect("binary builds")
}

/// The built binary run in `dir`, with a two-minute bound (debug builds on a loaded machine) and
/// without `KEYLESS_TODAY` (suppression expiry then uses the real date).
pub fn keyless_in(dir: &Path) -> Command {
    let mut c = keyless();
    c.current_dir(dir)
        .env_remove("KEYLESS_TODAY")
        .timeout(Duration::from_secs(120));
    c
}

/// A finished run: exit status (-1 when killed) and the output as text.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `dir` with `args`.
pub fn run(dir: &Path, args: &[&str]) -> Out {
    run_env(dir, args, &[])
}

/// Runs the binary in `dir` with `args` and extra environment variables.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut c = keyless_in(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().expect("runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary in `dir` with `--format json` and `args`: the parsed report and the exit
/// status. Panics with both output streams when standard output is not JSON.
pub fn json_report(dir: &Path, args: &[&str]) -> (Value, i32) {
    json_report_env(dir, args, &[])
}

/// [`json_report`] with extra environment variables.
pub fn json_report_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Value, i32) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let o = run_env(dir, &all, env);
    let v = serde_json::from_str(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            o.stdout, o.stderr
        )
    });
    (v, o.code)
}

/// `(rule_id, path, line, column)` of every entry of a JSON report's list (`findings`,
/// `suppressed`), in report order.
pub fn list(v: &Value, key: &str) -> Vec<(String, String, u64, u64)> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no `{key}` array in {v}"))
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// `(rule_id, path, line, column)` of every finding of a JSON report, in report order.
pub fn findings(v: &Value) -> Vec<(String, String, u64, u64)> {
    list(v, "findings")
}

/// Writes `text` to `dir/rel`, creating the folders on the way.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

/// Runs git in `dir` with a fixed identity, no signing and no global or system configuration
/// (tests only); its standard output, trimmed. Panics when it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, &[])
}

/// [`git`] with the author and committer date set (`2024-01-01T12:00:00Z`).
pub fn git_at(dir: &Path, args: &[&str], date: &str) -> String {
    git_env(
        dir,
        args,
        &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
    )
}

fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = std::process::Command::new("git")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .envs(env.iter().copied())
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=keyless-test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .output()
        .expect("git runs (the tests need the git program)");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
