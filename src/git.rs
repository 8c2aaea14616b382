//! The one git adapter: the little of git keyless needs, through the `git` binary (the binary is
//! where worktrees and safe-directory rules already apply), with every setting through which a
//! repository runs commands overridden ([`NEUTRAL`], [`filter_overrides`]): scanning a tree never
//! executes anything the tree names. A later `keyless history` reads commits and blobs through
//! the same [`command`].
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

/// The settings through which a repository's own configuration runs commands, overridden on
/// every git call keyless makes, so that scanning a tree never executes anything it names (an
/// unpacked archive, a vendor drop, a pull request's checkout):
///
/// * `core.fsmonitor` (a hook run when the index is read) off, `core.hooksPath` empty;
/// * the clean/smudge/process commands of every `filter.<driver>` the configuration defines
///   emptied and `required` off (git runs no filter whose command is empty);
/// * `diff.external` empty, and `--no-ext-diff --no-textconv` on `git diff`, so no diff driver
///   or text conversion runs;
/// * `core.pager` `cat` and no pager, no credential helper, `core.sshCommand` and `core.askPass`
///   empty, every transport protocol refused, automatic `gc` and maintenance off.
///
/// The overrides are given as `-c` options, which git ranks above every configuration file and
/// passes on to the git processes it starts itself.
const NEUTRAL: &[&str] = &[
    "core.fsmonitor=false",
    "core.hooksPath=",
    "core.pager=cat",
    "core.sshCommand=",
    "core.askPass=",
    "core.editor=",
    "credential.helper=",
    "diff.external=",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
];

/// A `git` command that runs nothing the repository names (see [`NEUTRAL`]), without a pager,
/// prompt or standard input, with `extra` overrides (the emptied filter drivers).
fn command(dir: &Path, extra: &[String]) -> Command {
    let mut c = Command::new("git");
    c.arg("--no-pager").arg("-C").arg(dir);
    for setting in NEUTRAL
        .iter()
        .map(|s| s.to_string())
        .chain(extra.iter().cloned())
    {
        c.arg("-c").arg(setting);
    }
    c.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env_remove("GIT_ASKPASS")
        .env_remove("SSH_ASKPASS")
        .stdin(std::process::Stdio::null());
    c
}

/// Runs git in `dir`; standard output on success, else the first line of standard error.
fn git<I, S>(dir: &Path, args: I) -> Result<Vec<u8>, GitError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = command(dir, &filter_overrides(dir))
        .args(args)
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

/// `-c filter.NAME.clean=` (and smudge, process, required) for every filter driver the
/// repository's configuration defines: reading the configuration runs nothing.
fn filter_overrides(dir: &Path) -> Vec<String> {
    let Ok(out) = command(dir, &[])
        .args(["config", "--name-only", "-z", "--get-regexp", r"^filter\."])
        .output()
    else {
        return Vec::new();
    };
    let mut drivers: Vec<String> = out
        .stdout
        .split(|b| *b == 0)
        .filter_map(|k| std::str::from_utf8(k).ok())
        .filter_map(|k| {
            let k = k.trim();
            let rest = k.strip_prefix("filter.")?;
            Some(rest.rsplit_once('.')?.0.to_string())
        })
        .collect();
    drivers.sort();
    drivers.dedup();
    drivers
        .iter()
        .flat_map(|d| {
            ["clean=", "smudge=", "process=", "required=false"].map(|k| format!("filter.{d}.{k}"))
        })
        .collect()
}

/// The folder holding the `.git` of the work tree `dir` is in, found without running git: `None`
/// when there is none up to the root (nothing is tracked, nothing to ask git).
pub fn repository_of(dir: &Path) -> Option<PathBuf> {
    let mut at = std::fs::canonicalize(dir).ok()?;
    loop {
        if std::fs::symlink_metadata(at.join(".git")).is_ok() {
            return Some(at);
        }
        if !at.pop() {
            return None;
        }
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
/// from `dir` produces. `Ok(None)` when `dir` is in no work tree (no `.git` up to the root):
/// nothing is tracked. `Err` when it is, but git could not say what it tracks (git is not
/// installed, or refuses the repository: "dubious ownership"); the caller must then not trust
/// ignore files to leave out only untracked files.
pub fn tracked_files(dir: &Path) -> Result<Option<Vec<PathBuf>>, GitError> {
    if repository_of(dir).is_none() {
        return Ok(None);
    }
    let out = git(dir, ["ls-files", "-z", "--cached"])?;
    Ok(Some(paths_under(dir, &out)))
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
            "--no-textconv",
            "--ignore-submodules",
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
