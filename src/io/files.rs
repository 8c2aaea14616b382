//! Where a scan reads the files a scanned file names (a sibling template, the source of a generated
//! template, a module): the disk ([`Disk`], the working tree and every editor buffer's folder), or
//! one commit's tree (`keyless history`: a version of a file is read with the other files of its
//! own commit, never with today's).

use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use crate::ir::InputProblem;
use crate::source::Format;

/// The files around a scanned file. Paths are those the scan builds: the scanned file's folder
/// joined with a name the file gives.
pub trait Files:
    std::fmt::Debug + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe
{
    /// True when `path` names a file (a regular file on disk, a blob in a tree).
    fn is_file(&self, path: &Path) -> bool;
    /// The files directly in a folder (not sorted); an error when it is not a folder.
    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, String>;
    /// A file's text, decoded, with the size cap (see [`crate::io::read::read_decoded`]).
    fn read_decoded(
        &self,
        path: &Path,
        max: u64,
    ) -> Result<(String, Format, Vec<InputProblem>), InputProblem>;
    /// One name for a path however it is written (`a/../b` and `b` are one module).
    fn canonical(&self, path: &Path) -> PathBuf;
    /// What changes when the file changes (size and time on disk, the blob in a tree).
    fn stamp(&self, path: &Path) -> (u64, Option<SystemTime>);
}

/// The files on disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct Disk;

impl Files for Disk {
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| e.to_string())?;
        Ok(entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect())
    }

    fn read_decoded(
        &self,
        path: &Path,
        max: u64,
    ) -> Result<(String, Format, Vec<InputProblem>), InputProblem> {
        crate::io::read::read_decoded(path, max)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }

    fn stamp(&self, path: &Path) -> (u64, Option<SystemTime>) {
        match std::fs::metadata(path) {
            Ok(m) => (m.len(), m.modified().ok()),
            Err(_) => (0, None),
        }
    }
}

/// `path` with `.` and `..` taken out lexically (`a/./b/../c` is `a/c`); a `..` above the start
/// is kept.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if out
                    .last()
                    .is_some_and(|l| matches!(l, Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::ParentDir if out.last().is_some_and(|l| l.as_os_str() == "/") => {}
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_takes_out_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("/r/a/../../x")), PathBuf::from("/x"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
    }
}
