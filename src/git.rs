//! The little of git keyless needs, through the `git` binary (no library: the binary is where the
//! user's repository configuration, worktrees and safe-directory rules already apply):
//!
//! * [`tracked_files`]: what git tracks under a folder. A walk honours `.gitignore` for untracked
//!   files only; a committed file is scanned even when an ignore file matches it, so a one-line
//!   `.gitignore` change cannot hide a committed secret from the gate.
//! * [`changed_files`]: the files changed since a ref (`--changed-since`, for pull requests).

pub mod history;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why the changed files could not be listed (a usage error: exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// `git` could not be run.
    NoGit(String),
    /// The folder is not inside a git work tree.
    NotARepository(PathBuf),
    /// The ref names no commit.
    UnknownRef(String),
    /// git failed otherwise (its first line of standard error).
    Failed(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NoGit(e) => write!(
                f,
                "--changed-since needs the `git` program, which could not be run ({e})"
            ),
            GitError::NotARepository(p) => write!(
                f,
                "--changed-since: `{}` is not inside a git repository",
                p.display()
            ),
            GitError::UnknownRef(r) => write!(
                f,
                "--changed-since: `{r}` names no commit in this repository (fetch it first: \
                 CI checkouts are often shallow; `git fetch origin main` or `fetch-depth: 0`)"
            ),
            GitError::Failed(e) => write!(f, "--changed-since: git failed: {e}"),
        }
    }
}

/// Runs git in `dir`; standard output on success, else the first line of standard error.
fn git<I, S>(dir: &Path, args: I) -> Result<Vec<u8>, GitError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(GitError::Failed(
            err.lines()
                .next()
                .unwrap_or("no message")
                .trim()
                .to_string(),
        ))
    }
}

/// The NUL-separated paths git printed, joined to `base`.
fn paths_under(base: &Path, out: &[u8]) -> Vec<PathBuf> {
    out.split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| base.join(path_from_bytes(p)))
        .collect()
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// The files git tracks (its index) under `dir`, as `dir.join(relative path)`, the form a walk
/// from `dir` produces. `None` when `dir` is not in a git work tree or git cannot be run: then
/// there is nothing tracked to add to the walk.
pub fn tracked_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let out = git(dir, ["ls-files", "-z", "--cached"]).ok()?;
    Some(paths_under(dir, &out))
}

/// The top folder of the work tree `dir` is in.
fn top_level(dir: &Path) -> Result<PathBuf, GitError> {
    match git(dir, ["rev-parse", "--show-toplevel"]) {
        Ok(out) => {
            let s = String::from_utf8_lossy(&out);
            Ok(PathBuf::from(s.trim_end_matches(['\n', '\r'])))
        }
        Err(GitError::Failed(_)) => Err(GitError::NotARepository(dir.to_path_buf())),
        Err(e) => Err(e),
    }
}

/// The files changed since `reference`, as absolute paths: what differs between the merge base of
/// `reference` and `HEAD` and the working tree (commits of the branch, staged and unstaged
/// changes; deleted files left out), and the untracked files that are not ignored. A pull
/// request's check runs `--changed-since origin/main`: the base branch moving on adds nothing.
pub fn changed_files(dir: &Path, reference: &str) -> Result<Vec<PathBuf>, GitError> {
    let top = top_level(dir)?;
    // A ref that starts with `-` would be read as an option.
    if reference.is_empty() || reference.starts_with('-') {
        return Err(GitError::UnknownRef(reference.to_string()));
    }
    let commit = git(
        &top,
        [
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .map_err(|e| match e {
        GitError::Failed(_) => GitError::UnknownRef(reference.to_string()),
        other => other,
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    // Unrelated histories have no merge base: compare with the ref itself.
    let base = git(&top, ["merge-base", &commit, "HEAD"])
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or(commit);
    let diff = git(
        &top,
        [
            "diff",
            "--name-only",
            "-z",
            "--no-ext-diff",
            "--diff-filter=ACMRT",
            &base,
            "--",
        ],
    )?;
    let untracked = git(&top, ["ls-files", "-z", "--others", "--exclude-standard"])?;
    let mut files = paths_under(&top, &diff);
    files.extend(paths_under(&top, &untracked));
    files.sort();
    files.dedup();
    Ok(files)
}
