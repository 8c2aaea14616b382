//! Build script: gives `keyless --version` the commit it was built from.
//!
//! `KEYLESS_VERSION` is the crate version, followed by ` (COMMIT)` when the commit is known:
//! from `git rev-parse` when this folder is a git checkout (it holds `.git`, a folder or a worktree's
//! file), else from `.cargo_vcs_info.json`, which `cargo package` writes into a published crate.
//! When neither is there (a source tarball, git not installed) the version is the crate version
//! alone. The build never fails for want of git.

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let dir = Path::new(&dir);
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    // Only paths that exist are watched: Cargo reruns the script on every build for a missing one.
    println!("cargo:rerun-if-changed=build.rs");
    let commit = if dir.join(".git").exists() {
        watch_git(dir);
        git(dir, &["rev-parse", "--short=12", "HEAD"])
            .filter(|c| c.bytes().all(|b| b.is_ascii_hexdigit()))
    } else {
        let info = dir.join(".cargo_vcs_info.json");
        if info.exists() {
            println!("cargo:rerun-if-changed={}", info.display());
        }
        vcs_info_commit(&info)
    };
    match commit {
        Some(c) => println!("cargo:rustc-env=KEYLESS_VERSION={version} ({c})"),
        None => println!("cargo:rustc-env=KEYLESS_VERSION={version}"),
    }
}

/// Runs git in `dir`; `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Rebuilds when HEAD moves: watches HEAD, packed-refs, and the branch HEAD points to (its loose
/// ref, or while there is none the nearest folder above it, where a commit creates it).
fn watch_git(dir: &Path) {
    let mut paths = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        paths.push(branch);
    }
    for p in paths {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &p]) {
            let mut path = if Path::new(&path).is_absolute() {
                Path::new(&path).to_path_buf()
            } else {
                dir.join(path)
            };
            while !path.exists() && p.starts_with("refs/") {
                if !path.pop() {
                    break;
                }
            }
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

/// The commit in a packaged crate's `.cargo_vcs_info.json` (`{"git": {"sha1": "…"}}`).
fn vcs_info_commit(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + 6..];
    let start = rest.find('"')? + 1;
    let sha: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_string())
}
