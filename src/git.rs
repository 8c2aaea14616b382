//! The one git adapter: the little of git keyless needs, read in-process ([`history::Repo`], the
//! `gix` crate): no `git` command runs, and nothing a repository's configuration names is executed
//! (no hooks, `core.fsmonitor`, filters, diff drivers or credential helpers; system, global and
//! environment configuration are not even read). Scanning a tree, or its history, never runs
//! anything the tree names.
//!
//! * [`tracked_files`]: what git tracks under a folder (its index). A walk honours `.gitignore`
//!   for untracked files only; a committed file is scanned even when an ignore file matches it, so
//!   a one-line `.gitignore` change cannot hide a committed secret from the gate.
//! * [`changed_files`]: the files changed since a ref (`--changed-since`, for pull requests).
//! * [`history`]: commits, trees and blobs for `keyless history`.

pub mod history;

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use history::{HistoryError, Repo};

/// Why the changed files could not be listed (a usage error: exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// The folder is not inside a git work tree.
    NotARepository(PathBuf),
    /// The ref names no commit.
    UnknownRef(String),
    /// The repository could not be read.
    Failed(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
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
            GitError::Failed(e) => write!(f, "--changed-since: {e}"),
        }
    }
}

fn failed(e: HistoryError) -> GitError {
    GitError::Failed(e.to_string())
}

/// The folder holding the `.git` of the work tree `dir` is in, found by looking, without reading
/// the repository: `None` when there is none up to the root (nothing is tracked).
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

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().replace('\\', "/").into_bytes()
}

/// The repository of the work tree `dir` is in, and its top folder (canonical).
fn work_tree(dir: &Path) -> Result<Option<(Repo, PathBuf)>, GitError> {
    if repository_of(dir).is_none() {
        return Ok(None);
    }
    let repo = Repo::open(dir).map_err(failed)?;
    let Some(top) = repo.work_dir().map(Path::to_path_buf) else {
        return Ok(None);
    };
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    Ok(Some((repo, top)))
}

/// The files git tracks (its index) under `dir`, as `dir.join(relative path)`, the form a walk
/// from `dir` produces. `Ok(None)` when `dir` is in no work tree (no `.git` up to the root):
/// nothing is tracked. `Err` when it is, but its index could not be read; the caller must then
/// not trust ignore files to leave out only untracked files.
pub fn tracked_files(dir: &Path) -> Result<Option<Vec<PathBuf>>, GitError> {
    let Some((repo, top)) = work_tree(dir)? else {
        return Ok(None);
    };
    let here = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let Ok(rel) = here.strip_prefix(&top) else {
        return Ok(Some(Vec::new()));
    };
    let mut prefix = path_bytes(rel);
    if !prefix.is_empty() {
        prefix.push(b'/');
    }
    let (tracked, _) = repo.tracked().map_err(failed)?;
    Ok(Some(
        tracked
            .iter()
            .filter_map(|t| t.path.strip_prefix(prefix.as_slice()))
            .map(|p| dir.join(path_from_bytes(p)))
            .collect(),
    ))
}

/// The files changed since `reference`, as absolute paths: what differs between the merge base of
/// `reference` and `HEAD` and the working tree (commits of the branch, staged and unstaged
/// changes; deleted files left out), and the untracked files that are not ignored. A pull
/// request's check runs `--changed-since origin/main`: the base branch moving on adds nothing.
///
/// Read in-process: the working tree's files are compared with the merge base's blobs by content
/// (a file whose size and time match what the index recorded, written before the index was, is
/// taken at the index's blob without being read), with no filter or diff driver run.
pub fn changed_files(dir: &Path, reference: &str) -> Result<Vec<PathBuf>, GitError> {
    let Some((repo, top)) = work_tree(dir)? else {
        return Err(GitError::NotARepository(dir.to_path_buf()));
    };
    let commit = repo
        .resolve(reference)
        .map_err(|_| GitError::UnknownRef(reference.to_string()))?;
    // Unrelated histories have no merge base: compare with the ref itself.
    let base = match repo.head().map_err(failed)? {
        Some(head) => repo.merge_base(commit, head).unwrap_or(commit),
        None => commit,
    };
    let before = repo.tree_paths(base).map_err(failed)?;
    let (tracked, written) = repo.tracked().map_err(failed)?;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut known: HashSet<Vec<u8>> = HashSet::new();
    for t in &tracked {
        known.insert(t.path.clone());
        let abs = top.join(path_from_bytes(&t.path));
        if let Some(id) = current_blob(&repo, &abs, Some((t, written)))? {
            if before.get(&t.path) != Some(&id) {
                files.push(abs);
            }
        }
    }
    for abs in untracked(&top, &known) {
        files.push(abs);
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The blob a file of the working tree holds now (a symbolic link: its target); `None` when it
/// is gone or is not a file. `recorded` is the index's entry for it and the index's time: a file
/// whose size and time match the entry, written before the index was, holds the entry's blob.
fn current_blob(
    repo: &Repo,
    abs: &Path,
    recorded: Option<(&history::Tracked, i64)>,
) -> Result<Option<history::ObjectId>, GitError> {
    let Ok(meta) = std::fs::symlink_metadata(abs) else {
        return Ok(None);
    };
    if meta.file_type().is_symlink() {
        let Ok(target) = std::fs::read_link(abs) else {
            return Ok(None);
        };
        return repo.blob_id(&path_bytes(&target)).map(Some).map_err(failed);
    }
    if !meta.is_file() {
        return Ok(None);
    }
    if let (Some((t, written)), Ok(modified)) = (recorded, meta.modified()) {
        let since = modified
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let same = u64::from(t.size) == (meta.len() & u64::from(u32::MAX))
            && u64::from(t.mtime.0) == since.as_secs()
            && t.mtime.1 == since.subsec_nanos();
        if same && (since.as_secs() as i64) < written {
            return Ok(Some(t.id));
        }
    }
    let Ok(bytes) = std::fs::read(abs) else {
        return Ok(None);
    };
    repo.blob_id(&bytes).map(Some).map_err(failed)
}

/// The files of the work tree at `top` that the index does not track and that no ignore file
/// (`.gitignore`, `.git/info/exclude`, the global `core.excludesFile`, as the walk honours them)
/// leaves out; nested repositories are not entered.
fn untracked(top: &Path, known: &HashSet<Vec<u8>>) -> Vec<PathBuf> {
    let root = top.to_path_buf();
    let walker = ignore::WalkBuilder::new(top)
        .hidden(false)
        .ignore(false)
        .git_global(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .parents(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && (e.file_name() == ".git"
                    || (e.path() != root.as_path() && e.path().join(".git").exists())))
        })
        .build();
    let mut out = Vec::new();
    for e in walker.flatten() {
        if !e.file_type().is_some_and(|t| t.is_file() || t.is_symlink()) {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(top) else {
            continue;
        };
        if known.contains(&path_bytes(rel)) {
            continue;
        }
        out.push(e.path().to_path_buf());
    }
    out
}
